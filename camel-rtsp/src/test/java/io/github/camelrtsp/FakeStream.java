package io.github.camelrtsp;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.camelrtsp.client.ClientState;
import io.github.camelrtsp.client.RtspClientOptions;
import io.github.camelrtsp.client.RtspMediaListener;
import io.github.camelrtsp.message.RtspResponse;
import io.netty.channel.EventLoopGroup;

/** A network-free {@link RtspStream}: records what the consumer asks of it; tests set its state. */
final class FakeStream implements RtspStream {

    final RtspClientOptions options;
    final EventLoopGroup group;
    final RtspMediaListener listener;
    final AtomicInteger pauses = new AtomicInteger();
    final AtomicInteger resumes = new AtomicInteger();
    volatile boolean started;
    volatile boolean stopped;
    volatile boolean paused;
    volatile ClientState state = ClientState.IDLE;
    volatile String reason = "not started";
    volatile long reconnects;

    FakeStream(RtspClientOptions options, EventLoopGroup group, RtspMediaListener listener) {
        this.options = options;
        this.group = group;
        this.listener = listener;
    }

    /** Sets the state as the client would, telling the listener. */
    void changeState(ClientState newState, String newReason, Throwable cause) {
        state = newState;
        reason = newReason;
        listener.onStateChanged(newState, newReason, cause);
    }

    @Override
    public void start() {
        started = true;
        state = ClientState.CONNECTING;
        reason = "connecting to " + RtspUri.parse(options.url()).sanitizedCameraUrl(p -> true);
    }

    @Override
    public CompletableFuture<Void> stop() {
        stopped = true;
        state = ClientState.STOPPED;
        reason = "stopped";
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public ClientState state() {
        return state;
    }

    @Override
    public String stateReason() {
        return reason;
    }

    @Override
    public long reconnects() {
        return reconnects;
    }

    @Override
    public void pauseReading() {
        paused = true;
        pauses.incrementAndGet();
    }

    @Override
    public void resumeReading() {
        paused = false;
        resumes.incrementAndGet();
    }

    /** This double has no session to pause (RtspConsumerSuspendTest has one that does). */
    @Override
    public CompletableFuture<RtspResponse> pause() {
        return CompletableFuture.failedFuture(new IllegalStateException("the fake stream has no session to pause"));
    }

    @Override
    public CompletableFuture<RtspResponse> play(String range, String scale, String speed) {
        return CompletableFuture.failedFuture(new IllegalStateException("the fake stream has no session to play"));
    }

    /** A factory that keeps every stream it creates. */
    static final class Factory implements RtspStream.Factory {
        final List<FakeStream> created = new CopyOnWriteArrayList<>();

        @Override
        public RtspStream create(RtspClientOptions options, EventLoopGroup group, RtspMediaListener listener) {
            FakeStream stream = new FakeStream(options, group, listener);
            created.add(stream);
            return stream;
        }

        FakeStream last() {
            if (created.isEmpty()) {
                throw new AssertionError("no stream was created");
            }
            return created.get(created.size() - 1);
        }
    }
}
