package io.github.camelrtsp.sdp;

/**
 * Thrown when a text cannot be read as SDP at all: nothing usable in it, or it exceeds the limits that protect the
 * parser from hostile input. Individual malformed lines never cause it; they are skipped and counted.
 */
public class SdpException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what was wrong with the input. */
    public SdpException(String message) {
        super(message);
    }
}
