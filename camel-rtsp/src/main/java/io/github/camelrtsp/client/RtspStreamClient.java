package io.github.camelrtsp.client;

import java.util.concurrent.CompletableFuture;

import io.netty.channel.EventLoopGroup;

/**
 * Plays one RTSP URL: OPTIONS, DESCRIBE, SETUP, PLAY, keep-alive, RTCP receiver reports, TEARDOWN, and reconnects
 * with exponential backoff. Thread safe; all network work runs on the given event loop group.
 */
public final class RtspStreamClient {

    public RtspStreamClient(RtspClientOptions options, EventLoopGroup group, RtspMediaListener listener) {
        // skeleton: implemented in the client session work
    }

    /** Starts connecting; returns at once. */
    public void start() {
    }

    /** Sends TEARDOWN (bounded by the request timeout) and closes; completes when closed. */
    public CompletableFuture<Void> stop() {
        return CompletableFuture.completedFuture(null);
    }

    public ClientState state() {
        return ClientState.IDLE;
    }

    /** Why the client is in its state (for health checks and logs); never contains credentials. */
    public String stateReason() {
        return "";
    }

    /** The URL with any credentials removed. */
    public String sanitizedUrl() {
        return "";
    }

    /** Stops reading from the TCP connection (backpressure); a no-op for UDP media. Thread safe. */
    public void pauseReading() {
    }

    /** Resumes reading after {@link #pauseReading()}. Thread safe. */
    public void resumeReading() {
    }

    /** Number of reconnects since start. */
    public long reconnects() {
        return 0;
    }

    /** The session in play, or null. */
    public RtspSessionInfo session() {
        return null;
    }
}
