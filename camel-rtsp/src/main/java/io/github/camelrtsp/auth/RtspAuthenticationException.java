package io.github.camelrtsp.auth;

/** Authentication with the RTSP server cannot proceed. The message never contains a password. */
public class RtspAuthenticationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a user-facing message. */
    public RtspAuthenticationException(String message) {
        super(message);
    }
}
