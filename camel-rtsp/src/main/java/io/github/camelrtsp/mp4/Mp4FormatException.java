package io.github.camelrtsp.mp4;

/** Media data that cannot be described in MP4: a malformed or unsupported parameter set or codec configuration. */
public class Mp4FormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** An exception with a message saying what is wrong. */
    public Mp4FormatException(String message) {
        super(message);
    }
}
