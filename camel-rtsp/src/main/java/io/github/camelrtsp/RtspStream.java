package io.github.camelrtsp;

import java.util.concurrent.CompletableFuture;

import io.github.camelrtsp.client.ClientState;
import io.github.camelrtsp.client.RtspClientOptions;
import io.github.camelrtsp.client.RtspMediaListener;
import io.github.camelrtsp.client.RtspSessionInfo;
import io.github.camelrtsp.client.RtspStreamClient;
import io.github.camelrtsp.message.RtspResponse;
import io.netty.channel.EventLoopGroup;

/**
 * What the consumer needs of an RTSP client. In production it is an {@link RtspStreamClient}; tests drive the
 * consumer with a double, without a network.
 */
interface RtspStream {

    /** Starts connecting; returns at once. */
    void start();

    /** Tears the session down; completes when closed. */
    CompletableFuture<Void> stop();

    /** The client's state. */
    ClientState state();

    /** Why the client is in its state; never contains credentials. */
    String stateReason();

    /** Reconnects since start. */
    long reconnects();

    /** Stops reading from the camera (TCP backpressure). */
    void pauseReading();

    /** Resumes reading after {@link #pauseReading()}. */
    void resumeReading();

    /** The session in play, or null. */
    default RtspSessionInfo session() {
        return null;
    }

    /** Sends PAUSE for the session in play; completes with the answer whatever its status. */
    CompletableFuture<RtspResponse> pause();

    /** Sends PLAY on the session in play (resume, or seek with {@code range}); null arguments leave headers out. */
    CompletableFuture<RtspResponse> play(String range, String scale, String speed);

    /** Creates the stream of a consumer. */
    @FunctionalInterface
    interface Factory {
        /** A stream playing {@code options.url()} on {@code group}, reporting to {@code listener}. */
        RtspStream create(RtspClientOptions options, EventLoopGroup group, RtspMediaListener listener);
    }

    /** The production factory: a real {@link RtspStreamClient}. */
    Factory CLIENT = (options, group, listener) -> new ClientStream(new RtspStreamClient(options, group, listener));

    /** Adapts {@link RtspStreamClient}. */
    final class ClientStream implements RtspStream {

        @Override
        public RtspSessionInfo session() {
            return client.session();
        }

        private final RtspStreamClient client;

        ClientStream(RtspStreamClient client) {
            this.client = client;
        }

        /** The adapted client. */
        RtspStreamClient client() {
            return client;
        }

        @Override
        public void start() {
            client.start();
        }

        @Override
        public CompletableFuture<Void> stop() {
            return client.stop();
        }

        @Override
        public ClientState state() {
            return client.state();
        }

        @Override
        public String stateReason() {
            return client.stateReason();
        }

        @Override
        public long reconnects() {
            return client.reconnects();
        }

        @Override
        public void pauseReading() {
            client.pauseReading();
        }

        @Override
        public void resumeReading() {
            client.resumeReading();
        }

        @Override
        public CompletableFuture<RtspResponse> pause() {
            return client.pause();
        }

        @Override
        public CompletableFuture<RtspResponse> play(String range, String scale, String speed) {
            return client.play(range, scale, speed);
        }
    }
}
