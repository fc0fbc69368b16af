package io.github.camelrtsp.format.aac;

/**
 * AAC configuration or payload bits that cannot be read: truncated, out of range, or a structure this package does
 * not support. Thrown while parsing packets, so it records no stack trace; the message says what is wrong.
 */
final class AacFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    AacFormatException(String message) {
        super(message, null, false, false);
    }
}
