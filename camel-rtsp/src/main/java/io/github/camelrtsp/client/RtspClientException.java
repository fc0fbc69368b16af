package io.github.camelrtsp.client;

/** A failure of the RTSP client: its message is meant for users and never contains credentials. */
public class RtspClientException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RtspClientException(String message) {
        super(message);
    }

    public RtspClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
