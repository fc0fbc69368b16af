package io.github.camelrtsp.client;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.github.camelrtsp.headers.PublicHeader;
import io.github.camelrtsp.headers.SessionHeader;
import io.github.camelrtsp.message.RtspHeaders;
import io.github.camelrtsp.message.RtspResponse;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A control connection for sending single RTSP requests (the {@code rtsp:} producer): one TCP (or TLS) connection,
 * opened on the first request and again on the next request after it was lost, whose CSeq, authentication and
 * Session are kept across requests. The Session of a SETUP answer is sent with every later request and kept alive
 * (GET_PARAMETER when the server listed it in Public, else OPTIONS) until a TEARDOWN is answered, the server
 * answers 454, or the connection is lost. Thread safe; all network work runs on one event loop of the group.
 */
public final class RtspControlSession {

    private static final Logger LOG = LoggerFactory.getLogger(RtspControlSession.class);
    /** Methods that are meaningless without the session of an earlier SETUP. */
    private static final Set<String> SESSION_METHODS = Set.of("PLAY", "PAUSE", "RECORD", "TEARDOWN");

    private final RtspClientOptions options;
    private final EventLoop loop;
    private final String displayUrl;

    // only touched on the loop
    private RtspConnection conn;
    private CompletableFuture<RtspConnection> connecting;
    private String sessionId;
    private String lostSession;
    private int sessionTimeoutSeconds = SessionHeader.DEFAULT_TIMEOUT_SECONDS;
    private Set<String> serverMethods = Set.of();
    private ScheduledFuture<?> keepAlive;
    private boolean closed;
    private volatile String currentSession;
    private volatile String contentBase;

    /** A session that connects to {@code options.url()} on the first request. */
    public RtspControlSession(RtspClientOptions options, EventLoopGroup group) {
        this.options = options;
        this.loop = group.next();
        this.displayUrl = RtspUrls.sanitize(options.url());
        RtspUrls.host(options.url()); // fail fast on a malformed URL
    }

    /**
     * Sends a request and completes with the answer whatever its status (after answering one 401 challenge), on the
     * event loop; it fails on timeout ({@link RtspTimeoutException}), refused credentials, connection failure, and
     * locally with a 454 {@link RtspStatusException} for PLAY, PAUSE, RECORD and TEARDOWN when the session they
     * belong to was lost with the connection.
     *
     * @param method  the RTSP method, in upper case
     * @param uri     the absolute request URL (no user info), or {@code *}
     * @param headers extra request headers (may be null); a Session header set here is sent instead of the kept one
     * @param body    the request body, or null
     */
    public CompletableFuture<RtspResponse> request(String method, String uri, Consumer<RtspHeaders> headers,
                                                   byte[] body) {
        CompletableFuture<RtspResponse> result = new CompletableFuture<>();
        loop.execute(() -> {
            if (closed) {
                result.completeExceptionally(new RtspClientException("control session of " + displayUrl
                        + " is closed"));
                return;
            }
            if (lostSession != null && SESSION_METHODS.contains(method)) {
                String lost = lostSession;
                lostSession = null;
                result.completeExceptionally(new RtspStatusException(method, RtspUrls.sanitize(uri), 454,
                        "Session Not Found: session " + lost + " was lost with the connection; SETUP again"));
                return;
            }
            if ("SETUP".equals(method)) {
                lostSession = null;
            }
            String carried = sessionId;
            connection().thenCompose(c -> c.request(method, uri, h -> {
                if (headers != null) {
                    headers.accept(h);
                }
                // the encoder writes the length of the body actually sent
                h.remove("Content-Length");
            }, body)).whenComplete((resp, error) -> {
                if (error == null) {
                    if ("DESCRIBE".equals(method) && resp.isSuccess()) {
                        contentBase = io.github.camelrtsp.sdp.ControlUrl.baseUrl(resp.headers().get("Content-Base"),
                                resp.headers().get("Content-Location"), uri);
                    }
                    onResponse(method, resp);
                    result.complete(resp);
                } else {
                    Throwable cause = error instanceof java.util.concurrent.CompletionException
                            && error.getCause() != null ? error.getCause() : error;
                    boolean lost = carried != null && (conn == null || !conn.isActive())
                            && !(cause instanceof RtspTimeoutException);
                    result.completeExceptionally(lost ? new RtspClientException(cause.getMessage() + "; session "
                            + carried + " is gone with the connection, SETUP again", cause) : cause);
                }
            });
        });
        return result;
    }

    private CompletableFuture<RtspConnection> connection() {
        if (conn != null && conn.isActive()) {
            return CompletableFuture.completedFuture(conn);
        }
        if (connecting != null) {
            return connecting;
        }
        CompletableFuture<RtspConnection> attempt = RtspConnection.connect(loop, options, options.url(),
                new RtspConnection.Listener() {
                    @Override
                    public void onInterleaved(int channel, ByteBuf payload) {
                        // media interleaved after a PLAY of the producer is not for us
                    }

                    @Override
                    public void onClosed(Throwable cause) {
                        loop.execute(() -> connectionLost(cause));
                    }
                });
        connecting = attempt.handleAsync((c, error) -> {
            connecting = null;
            if (error != null) {
                throw error instanceof RuntimeException re ? re : new RtspClientException(error.getMessage(), error);
            }
            if (closed) {
                c.close();
                throw new RtspClientException("control session of " + displayUrl + " is closed");
            }
            conn = c;
            LOG.debug("Control connection to {} open", displayUrl);
            return c;
        }, loop);
        return connecting;
    }

    private void connectionLost(Throwable cause) {
        if (conn != null && conn.isActive()) {
            return; // a newer connection already replaced the one that closed
        }
        conn = null;
        if (sessionId != null) {
            lostSession = sessionId;
            LOG.warn("Control connection to {} lost{}; session {} is gone", displayUrl,
                    cause == null ? "" : " (" + cause.getMessage() + ")", sessionId);
        }
        clearSession();
    }

    private void onResponse(String method, RtspResponse resp) {
        if (resp.statusCode() == 454) {
            clearSession();
            return;
        }
        if (!resp.isSuccess()) {
            return;
        }
        if ("OPTIONS".equals(method) && resp.headers().get("Public") != null) {
            serverMethods = PublicHeader.parse(resp.headers().get("Public"));
        }
        if ("TEARDOWN".equals(method)) {
            clearSession();
            return;
        }
        String value = resp.headers().get("Session");
        if (value != null && conn != null) {
            SessionHeader sh;
            try {
                sh = SessionHeader.parse(value);
            } catch (IllegalArgumentException e) {
                LOG.warn("{}: ignoring unparsable Session header of the {} answer: {}", displayUrl, method,
                        e.getMessage());
                return;
            }
            if (!sh.id().equals(sessionId)) {
                sessionId = sh.id();
                currentSession = sessionId;
                sessionTimeoutSeconds = sh.timeoutSeconds();
                conn.session(sessionId);
                scheduleKeepAlive();
            }
        }
    }

    private void scheduleKeepAlive() {
        if (keepAlive != null) {
            keepAlive.cancel(false);
        }
        long ms = Math.max(1000, sessionTimeoutSeconds * 1000L / 2);
        keepAlive = loop.scheduleAtFixedRate(this::sendKeepAlive, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void sendKeepAlive() {
        RtspConnection c = conn;
        if (c == null || !c.isActive() || sessionId == null) {
            return;
        }
        String method = serverMethods.contains("GET_PARAMETER") ? "GET_PARAMETER" : "OPTIONS";
        c.request(method, options.url(), null).whenComplete((resp, error) -> {
            if (error != null) {
                LOG.debug("{}: keep-alive {} failed: {}", displayUrl, method, error.getMessage());
            } else if (resp.statusCode() == 454) {
                loop.execute(() -> {
                    LOG.warn("{}: the server no longer knows session {} (454 to keep-alive)", displayUrl, sessionId);
                    clearSession();
                });
            }
        });
    }

    private void clearSession() {
        sessionId = null;
        currentSession = null;
        if (conn != null) {
            conn.session(null);
        }
        if (keepAlive != null) {
            keepAlive.cancel(false);
            keepAlive = null;
        }
    }

    /**
     * The base URL for relative control URLs: from the Content-Base (or Content-Location, or request URL) of the
     * last successful DESCRIBE, else the session URL.
     */
    public String baseUrl() {
        String base = contentBase;
        return base != null ? base : options.url();
    }

    /** The URL of the session (the endpoint's camera URL, without user info). */
    public String url() {
        return options.url();
    }

    /** The session id kept from the last SETUP answer, or null. */
    public String sessionId() {
        return currentSession;
    }

    /** Closes the connection without TEARDOWN; later requests fail. Completes when closed. */
    public CompletableFuture<Void> close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            closed = true;
            clearSession();
            if (conn != null) {
                conn.close();
                conn = null;
            }
            done.complete(null);
        });
        return done;
    }

    @Override
    public String toString() {
        return "RtspControlSession[" + displayUrl + (currentSession != null ? ", session " + currentSession : "")
                + "]";
    }
}
