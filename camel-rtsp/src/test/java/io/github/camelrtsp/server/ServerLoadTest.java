package io.github.camelrtsp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelrtsp.client.MediaTrack;
import io.github.camelrtsp.client.RtspClientOptions;
import io.github.camelrtsp.client.RtspMediaListener;
import io.github.camelrtsp.client.RtspStreamClient;
import io.github.camelrtsp.client.TransportMode;
import io.github.camelrtsp.rtp.RtpPacket;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/**
 * Load on one path of the embedded server: the simulated-camera clip (H.264 25 fps + AAC) published in a loop by a
 * {@link FileMediaSource}, played by 200 of our own {@link RtspStreamClient}s (100 over interleaved TCP, 100 over
 * UDP) on one shared event loop group, each of which must start at a key frame, see no sequence gap and receive every
 * frame of a measuring window at the full frame rate; and a raw client that stops reading, which must be skipped to
 * a key frame, then dropped, with its queue bounded, while 20 others keep the full frame rate.
 */
class ServerLoadTest {

    private static final Logger LOG = LoggerFactory.getLogger(ServerLoadTest.class);
    private static final String PATH = "/load";
    private static final int MAX_QUEUED = 128 * 1024;
    /** Frames a client may differ from the served count over a window: those in flight at either snapshot. */
    private static final int TOLERANCE = 5;

    /** Default options: the 200 clients. */
    private static RtspServer loadServer;
    private static FileMediaSource loadSource;
    /** A small queue and send buffer, so that a stalled reader shows up within seconds. */
    private static RtspServer server;
    private static FileMediaSource source;
    private static EventLoopGroup clients;

    @BeforeAll
    static void start() throws IOException {
        loadServer = new RtspServer(new RtspServerOptions().host("127.0.0.1").port(0)).start();
        loadSource = FileMediaSource.of(resource("sim.h264"), resource("sim.aac"), new FileMediaSource.Options());
        loadSource.start(loadServer.createStream(PATH, loadSource.tracks()));
        server = new RtspServer(new RtspServerOptions().host("127.0.0.1").port(0).maxQueuedBytes(MAX_QUEUED)
                .maxBehind(Duration.ofMillis(1500)).socketSendBuffer(16 * 1024)).start();
        source = FileMediaSource.of(resource("sim.h264"), resource("sim.aac"), new FileMediaSource.Options());
        source.start(server.createStream(PATH, source.tracks()));
        clients = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        for (FileMediaSource s : new FileMediaSource[] {loadSource, source}) {
            if (s != null) {
                s.stop();
            }
        }
        for (RtspServer s : new RtspServer[] {loadServer, server}) {
            if (s != null) {
                s.stop();
            }
        }
        if (clients != null) {
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ServerLoadTest.class.getResourceAsStream("/io/github/camelrtsp/server/sim/" + name)) {
            assertNotNull(in, name);
            return FileMediaSource.readBounded(in, name);
        }
    }

    @Test
    void twoHundredClientsGetTheFullFrameRateFromAKeyFrame() throws Exception {
        int n = 200;
        List<FrameCounter> counters = new ArrayList<>();
        List<RtspStreamClient> list = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            startClients(loadServer, n, counters, list, true);
            await(() -> counters.stream().allMatch(c -> c.frames() > 0), 40);
            long allPlaying = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(counters.stream().allMatch(c -> c.frames() > 0), () -> receiving(counters) + " of " + n
                    + " clients receive frames after 40 s; " + loadServer.statistics());
            assertEquals(n, loadServer.stream(PATH).playingSessions());
            assertEquals(n / 2, list.stream().filter(c -> c.activeTransport() == TransportMode.UDP).count(),
                    "clients playing over UDP");
            Thread.sleep(1000); // joining is over: let the clients work off what queued meanwhile
            Window.Start start = Window.start(counters, loadSource);
            Thread.sleep(5000);
            Window w = start.end(counters, loadSource);
            LOG.info("{} clients: all receiving after {} ms; window of {} frames ({} by the source's count in {} ms),"
                    + " every client had all of them {} ms after the window ended; {}", n, allPlaying, w.frames,
                    w.sourceFrames, w.millis, w.lagMillis, loadServer.statistics());
            for (int i = 0; i < n; i++) {
                FrameCounter c = counters.get(i);
                assertTrue(c.firstWasKey, "client " + i + " started at a key frame");
                assertEquals(0, c.gaps.get(), "client " + i + " sequence gaps");
                assertEquals(w.frames, c.framesIn(w.first, w.last), "client " + i + " frames of the window");
            }
            assertFullRate(w);
            assertEquals(0, loadServer.statistics().keyFrameSkips(), "no client fell behind: "
                    + loadServer.statistics());
        } finally {
            stopClients(loadServer, list);
        }
    }

    @Test
    void stalledReaderIsSkippedThenDroppedWhileOthersKeepTheFullFrameRate() throws Exception {
        int n = 20;
        List<FrameCounter> counters = new ArrayList<>();
        List<RtspStreamClient> list = new ArrayList<>();
        ServerStatistics stats = server.statistics();
        long skipsBefore = stats.keyFrameSkips();
        long slowBefore = stats.slowDisconnects();
        long lateBefore = source.lateResets();
        try {
            startClients(server, n, counters, list, false);
            await(() -> counters.stream().allMatch(c -> c.frames() > 0), 30);
            assertTrue(counters.stream().allMatch(c -> c.frames() > 0), () -> receiving(counters) + " of " + n);
            try (RawRtsp stalled = new RawRtsp(server.port(), PATH, 4096)) {
                RawRtsp.Response s = stalled.request("SETUP", stalled.url("/trackID=0"),
                        "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
                String id = s.sessionId();
                stalled.request("SETUP", stalled.url("/trackID=1"), "Transport: RTP/AVP/TCP;unicast;interleaved=2-3",
                        "Session: " + id);
                ServerSession session = server.session(id);
                assertNotNull(session);
                Window.Start start = Window.start(counters, source);
                assertEquals(200, stalled.request("PLAY", stalled.url("/"), "Session: " + id).status());
                // the client reads nothing from here on
                long maxQueued = 0;
                long skippedAt = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (stats.slowDisconnects() == slowBefore && System.nanoTime() < deadline) {
                    ChannelOutboundBuffer out = session.connection().channel().unsafe().outboundBuffer();
                    if (out != null) {
                        maxQueued = Math.max(maxQueued, out.totalPendingWriteBytes());
                    }
                    if (skippedAt == 0 && stats.keyFrameSkips() > skipsBefore) {
                        skippedAt = System.nanoTime();
                    }
                    Thread.sleep(5);
                }
                Window w = start.end(counters, source);
                LOG.info("stalled reader: first skip after {} ms, dropped after {} ms, max queued {} bytes (bound {});"
                        + " the {} others got all {} frames served meanwhile ({} by the source's count), {} ms after;"
                        + " {}", skippedAt == 0 ? -1 : (skippedAt - start.nanos) / 1_000_000, w.millis, maxQueued,
                        MAX_QUEUED, n, w.frames, w.sourceFrames, w.lagMillis, stats);
                assertTrue(stats.slowDisconnects() > slowBefore, "the stalled reader is dropped: " + stats);
                assertTrue(stats.keyFrameSkips() > skipsBefore, "it was skipped to a key frame first: " + stats);
                assertTrue(session.isClosed(), "its session is closed");
                // the high water mark is the bound; the packet that crosses it (MTU plus framing) is still queued
                assertTrue(maxQueued <= MAX_QUEUED + 1500, "queued " + maxQueued + " bytes, bound " + MAX_QUEUED);
                assertTrue(w.frames >= 25, "the stall lasted at least a second of frames: " + w.frames);
                for (int i = 0; i < n; i++) {
                    assertEquals(w.frames, counters.get(i).framesIn(w.first, w.last), "client " + i
                            + " frames served while a reader was stalled");
                    assertEquals(0, counters.get(i).gaps.get(), "client " + i + " sequence gaps");
                }
                assertFullRate(w);
                assertEquals(lateBefore, source.lateResets(), "the publisher was never held up");
                await(() -> server.stream(PATH).playingSessions() == n, 10);
                assertEquals(n, server.stream(PATH).playingSessions(), "only the stalled session left");
            }
        } finally {
            stopClients(server, list);
        }
    }

    /** Starts {@code n} clients over TCP, or with {@code mixed} every second one over UDP. */
    private static void startClients(RtspServer server, int n, List<FrameCounter> counters,
            List<RtspStreamClient> list, boolean mixed) {
        for (int i = 0; i < n; i++) {
            FrameCounter c = new FrameCounter();
            TransportMode mode = mixed && i % 2 == 1 ? TransportMode.UDP : TransportMode.TCP;
            RtspStreamClient client = new RtspStreamClient(new RtspClientOptions().url(server.url(PATH))
                    .transport(mode), clients, c);
            counters.add(c);
            list.add(client);
            client.start();
        }
    }

    private static void stopClients(RtspServer server, List<RtspStreamClient> list) throws InterruptedException {
        for (RtspStreamClient c : list) {
            c.stop();
        }
        await(() -> server.stream(PATH).playingSessions() == 0, 20);
    }

    /**
     * The source ran at its 25 fps, and the clients kept up with it: the window by RTP time (newest frame the
     * clients had at its start and end) is not shorter than what the source sent meanwhile (longer when they were
     * still working off a backlog at the start).
     */
    private static void assertFullRate(Window w) {
        double expected = w.millis * ServerPlayClip.FPS / 1000.0;
        assertTrue(Math.abs(w.sourceFrames - expected) <= TOLERANCE, "the source sent " + w.sourceFrames
                + " frames in " + w.millis + " ms");
        assertTrue(w.frames >= w.sourceFrames - TOLERANCE, "window of " + w.frames + " frames by RTP time, "
                + w.sourceFrames + " by the source's count: the clients fell behind");
    }

    /**
     * A measuring window, defined by RTP time so that counts are exact: frames with a timestamp after {@code first}
     * up to {@code last}, the newest frame any client had at the start and at the end; {@code frames} of them were
     * served (3600 ticks each at 25 fps). {@code lagMillis}: how long after the end every client had frame
     * {@code last}.
     */
    private record Window(long first, long last, long frames, long sourceFrames, long millis, long lagMillis) {

        record Start(long first, long sourceAtStart, long nanos) {
            Window end(List<FrameCounter> counters, FileMediaSource source) throws InterruptedException {
                long endNanos = System.nanoTime();
                long last = newest(counters);
                long sourceFrames = source.videoFramesSent() - sourceAtStart;
                await(() -> counters.stream().allMatch(c -> c.has(last)), 20);
                long lag = (System.nanoTime() - endNanos) / 1_000_000;
                long ticks = (last - first) & 0xFFFF_FFFFL;
                assertEquals(0, ticks % 3600, "frame timestamps are 3600 ticks apart");
                return new Window(first, last, ticks / 3600, sourceFrames, (endNanos - nanos) / 1_000_000, lag);
            }
        }

        static Start start(List<FrameCounter> counters, FileMediaSource source) {
            return new Start(newest(counters), source.videoFramesSent(), System.nanoTime());
        }

        private static long newest(List<FrameCounter> counters) {
            long best = -1;
            for (FrameCounter c : counters) {
                long ts = c.latest;
                if (ts >= 0 && (best < 0 || (int) (ts - best) > 0)) {
                    best = ts;
                }
            }
            return best;
        }
    }

    private static long receiving(List<FrameCounter> counters) {
        return counters.stream().filter(c -> c.frames() > 0).count();
    }

    private static void await(BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /**
     * Records the RTP timestamp of every video frame (RTP packet with the marker bit) a client receives, whether its
     * first video packet starts a key frame, and sequence gaps. Runs on the client's event loop.
     */
    private static final class FrameCounter implements RtspMediaListener {
        final AtomicLong gaps = new AtomicLong();
        private final H264KeyFrames keys = new H264KeyFrames();
        private long[] stamps = new long[1024];
        private int count;
        volatile boolean firstWasKey;
        volatile long latest = -1;
        private int lastSeq = -1;

        @Override
        public void onRtpPacket(MediaTrack track, RtpPacket packet) {
            if (track.index() != 0) {
                return;
            }
            int seq = packet.sequenceNumber();
            if (lastSeq < 0) {
                firstWasKey = keys.isKeyFrameStart(packet.buffer());
            } else if (seq != ((lastSeq + 1) & 0xFFFF)) {
                gaps.incrementAndGet();
            }
            lastSeq = seq;
            if (packet.marker()) {
                synchronized (this) {
                    if (count == stamps.length) {
                        stamps = Arrays.copyOf(stamps, count * 2);
                    }
                    stamps[count++] = packet.timestamp();
                }
                latest = packet.timestamp();
            }
        }

        synchronized int frames() {
            return count;
        }

        /** True once a frame at or after {@code ts} arrived. */
        boolean has(long ts) {
            long l = latest;
            return l >= 0 && (int) (l - ts) >= 0;
        }

        /** Frames received with a timestamp after {@code first} up to {@code last} (RTP time, wrapping). */
        synchronized long framesIn(long first, long last) {
            long span = (last - first) & 0xFFFF_FFFFL;
            long n = 0;
            for (int i = 0; i < count; i++) {
                long d = (stamps[i] - first) & 0xFFFF_FFFFL;
                if (d > 0 && d <= span) {
                    n++;
                }
            }
            return n;
        }
    }
}
