package io.github.camelrtsp.message;

import io.netty.handler.codec.DecoderException;

/** The peer sent bytes that cannot be read as RTSP (or exceed a configured limit). The message is user-facing. */
public class RtspProtocolException extends DecoderException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a user-facing message. */
    public RtspProtocolException(String message) {
        super(message);
    }

    /** Creates the exception with a user-facing message and a cause. */
    public RtspProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
