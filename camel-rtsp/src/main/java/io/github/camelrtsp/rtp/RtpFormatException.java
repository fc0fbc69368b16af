package io.github.camelrtsp.rtp;

/**
 * A buffer that is not a valid RTP packet (RFC 3550 5.1). Thrown on the per-packet path, so it records no stack trace
 * and is cheap to create; the message says what is wrong.
 */
public final class RtpFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what is malformed. */
    public RtpFormatException(String message) {
        super(message);
    }

    /** No stack trace: the message alone identifies the problem, and malformed packets may arrive in bulk. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
