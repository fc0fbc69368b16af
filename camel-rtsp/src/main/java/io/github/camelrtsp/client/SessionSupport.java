package io.github.camelrtsp.client;

import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

import io.github.camelrtsp.auth.RtspAuthenticationException;
import io.github.camelrtsp.headers.SessionHeader;
import io.github.camelrtsp.message.RtspResponse;
import org.slf4j.Logger;

/**
 * What playing ({@link RtspStreamClient}) and publishing ({@link RtspPublishClient}) sessions do alike: reconnect
 * backoff, failure descriptions, status checks, the Session header of a SETUP answer and the keep-alive.
 */
final class SessionSupport {

    private SessionSupport() {
    }

    /** Internal signal: the same URL is to be tried again over TCP. */
    static final class FallbackToTcpException extends RtspClientException {
        private static final long serialVersionUID = 1L;

        FallbackToTcpException(String message) {
            super(message);
        }
    }

    /** The delay before reconnect attempt {@code attempt} (1 based): doubling from the reconnect delay, capped. */
    static long backoff(RtspClientOptions options, int attempt) {
        long base = Math.max(1, options.reconnectDelay().toMillis());
        long max = Math.max(base, options.maxReconnectDelay().toMillis());
        return Math.min(max, base << Math.min(20, attempt - 1));
    }

    /** The cause inside completion and execution wrappers. */
    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** A failure as a state reason: its message, or its class name when it has none. */
    static String describeFailure(Throwable cause) {
        if (cause instanceof RtspAuthenticationException || cause instanceof RtspClientException) {
            return cause.getMessage();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** The state reason after the last allowed reconnect attempt failed. */
    static String gaveUpReason(String reason, int failedAttempts) {
        return reason + " (gave up after " + (failedAttempts - 1) + " reconnect attempt"
                + (failedAttempts == 2 ? "" : "s") + ")";
    }

    /**
     * Throws {@link RtspStatusException} (URL sanitized) when the answer is not a success.
     */
    static void check(String method, String url, RtspResponse resp) {
        if (!resp.isSuccess()) {
            throw new RtspStatusException(method, RtspUrls.sanitize(url), resp.statusCode(), resp.reasonPhrase());
        }
    }

    /**
     * Takes the session of a SETUP answer when the connection has none yet.
     *
     * @return the session timeout it announces, or {@code currentTimeoutSeconds} when nothing was taken
     */
    static int adoptSession(RtspConnection c, RtspResponse resp, int currentTimeoutSeconds) {
        String sessionValue = resp.headers().get("Session");
        if (sessionValue != null && c.session() == null) {
            SessionHeader sh = SessionHeader.parse(sessionValue);
            c.session(sh.id());
            return sh.timeoutSeconds();
        }
        return currentTimeoutSeconds;
    }

    /** The keep-alive period: half the session timeout, at least one second. */
    static long keepAliveMillis(int sessionTimeoutSeconds) {
        return Math.max(1000, sessionTimeoutSeconds * 1000L / 2);
    }

    /** GET_PARAMETER when the server lists it, else OPTIONS. */
    static String keepAliveMethod(Set<String> serverMethods) {
        return serverMethods.contains("GET_PARAMETER") ? "GET_PARAMETER" : "OPTIONS";
    }

    /**
     * Handles the answer to a keep-alive request: a failed request or 454 (the session is gone) goes to
     * {@code fail}; another error status is only logged.
     */
    static void onKeepAliveAnswer(String method, String displayUrl, RtspResponse resp, Throwable error,
                                  Consumer<Throwable> fail, Logger log) {
        if (error != null) {
            fail.accept(new RtspClientException("keep-alive " + method + " failed: " + unwrap(error).getMessage(),
                    unwrap(error)));
        } else if (resp.statusCode() == 454) {
            fail.accept(new RtspStatusException(method, displayUrl, 454, "Session Not Found"));
        } else if (!resp.isSuccess()) {
            log.debug("keep-alive {} answered {} {}", method, resp.statusCode(), resp.reasonPhrase());
        }
    }
}
