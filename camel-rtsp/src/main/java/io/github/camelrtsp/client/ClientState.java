package io.github.camelrtsp.client;

/** Lifecycle of an {@link RtspStreamClient}. */
public enum ClientState {
    /** Created, not started. */
    IDLE,
    /** Connecting and negotiating (OPTIONS, DESCRIBE, SETUP, PLAY). */
    CONNECTING,
    /** PLAY answered and media flowing. */
    PLAYING,
    /** Waiting before the next connection attempt. */
    RECONNECTING,
    /** Stopped by the user. */
    STOPPED,
    /** Gave up: maxReconnectAttempts exhausted or a non-recoverable error. */
    FAILED
}
