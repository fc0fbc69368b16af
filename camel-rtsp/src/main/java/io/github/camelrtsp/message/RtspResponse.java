package io.github.camelrtsp.message;

import java.nio.charset.StandardCharsets;

/** An RTSP response: status code, reason phrase, headers and body. */
public final class RtspResponse extends RtspMessage {

    private final int statusCode;
    private final String reasonPhrase;

    /**
     * Creates a response.
     *
     * @param statusCode   three-digit status code (100 to 999)
     * @param reasonPhrase reason phrase; {@code null} is taken as empty
     * @throws IllegalArgumentException for a status code outside 100..999 or a reason phrase with a line break
     */
    public RtspResponse(int statusCode, String reasonPhrase) {
        if (statusCode < 100 || statusCode > 999) {
            throw new IllegalArgumentException("RTSP status code must have three digits: " + statusCode);
        }
        String reason = reasonPhrase == null ? "" : reasonPhrase.trim();
        if (reason.indexOf('\r') >= 0 || reason.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("RTSP reason phrase contains a line break");
        }
        this.statusCode = statusCode;
        this.reasonPhrase = reason;
    }

    /** Returns the status code. */
    public int statusCode() {
        return statusCode;
    }

    /** Returns the reason phrase; empty when the server sent none. */
    public String reasonPhrase() {
        return reasonPhrase;
    }

    /** Returns whether the status code is 2xx. */
    public boolean isSuccess() {
        return statusCode >= 200 && statusCode <= 299;
    }

    /** Returns the body decoded as UTF-8 (empty when there is none). */
    public String bodyAsString() {
        return new String(body(), StandardCharsets.UTF_8);
    }

    @Override
    String startLine() {
        return version() + ' ' + statusCode + ' ' + reasonPhrase;
    }
}
