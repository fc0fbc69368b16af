package io.github.camelrtsp.client;

/** A request, a connect or the media stream timed out. */
public class RtspTimeoutException extends RtspClientException {

    private static final long serialVersionUID = 1L;

    public RtspTimeoutException(String message) {
        super(message);
    }
}
