package io.github.camelrtsp.rtp;

/**
 * A buffer that is not a valid RTCP compound packet (RFC 3550 6.4-6.7). Thrown for data from the network, so it
 * records no stack trace and is cheap to create; the message says what is wrong.
 */
public final class RtcpFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what is malformed. */
    public RtcpFormatException(String message) {
        super(message);
    }

    /** No stack trace: the message alone identifies the problem, and malformed packets may arrive in bulk. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
