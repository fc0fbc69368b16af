package io.github.camelrtsp;

import io.github.camelrtsp.client.ClientState;
import org.apache.camel.CamelException;

/**
 * The stream of an {@code rtsp} consumer failed (connection lost, camera error, authentication refused); passed to the
 * consumer's exception handler, or to the route's error handler with {@code bridgeErrorHandler=true}.
 */
public class RtspStreamException extends CamelException {

    private static final long serialVersionUID = 1L;

    private final ClientState state;
    private final String cameraUrl;

    /**
     * @param cameraUrl the sanitized camera URL
     * @param state     the state the client entered: RECONNECTING or FAILED
     * @param reason    why, as the client says (never contains credentials)
     * @param cause     the underlying error, or null
     */
    public RtspStreamException(String cameraUrl, ClientState state, String reason, Throwable cause) {
        super(cameraUrl + ": " + state + ": " + reason, cause);
        this.cameraUrl = cameraUrl;
        this.state = state;
    }

    /** RECONNECTING (the consumer retries) or FAILED (it gave up). */
    public ClientState getState() {
        return state;
    }

    /** The sanitized camera URL. */
    public String getCameraUrl() {
        return cameraUrl;
    }
}
