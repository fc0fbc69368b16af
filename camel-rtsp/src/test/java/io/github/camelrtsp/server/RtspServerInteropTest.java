package io.github.camelrtsp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.camelrtsp.client.MediaTrack;
import io.github.camelrtsp.client.RtspClientOptions;
import io.github.camelrtsp.client.RtspMediaListener;
import io.github.camelrtsp.client.RtspStreamClient;
import io.github.camelrtsp.client.TransportMode;
import io.github.camelrtsp.rtp.RtpPacket;
import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.FfProbe.FfResult;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/**
 * Real clients against the server while a GStreamer H.264 + AAC capture is published at real-time pace: ffprobe,
 * ffmpeg, gst-launch rtspsrc and our own {@link RtspStreamClient}, over TCP and UDP; 20 clients next to one that
 * stops reading.
 */
class RtspServerInteropTest {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(15);

    private static TestMedia media;
    private static RtspServer server;
    private static TestMedia.Feeder feeder;
    private static EventLoopGroup clients;
    private static String url;

    @BeforeAll
    static void start() {
        FfProbe.requireAvailable();
        media = TestMedia.get();
        server = new RtspServer(new RtspServerOptions().host("127.0.0.1").port(0).maxQueuedBytes(64 * 1024)
                .maxBehind(Duration.ofMillis(1500)).socketSendBuffer(32 * 1024)).start();
        feeder = media.feed(server.createStream("/live", media.tracks()));
        url = server.url("/live");
        clients = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (feeder != null) {
            feeder.close();
        }
        if (server != null) {
            server.stop();
        }
        if (clients != null) {
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void ffprobeSeesH264AndAac(String transport) {
        FfResult r = FfProbe.probeStreams(url, transport, TOOL_TIMEOUT);
        assertTrue(r.succeeded(), r.describe());
        assertEquals(List.of("h264,video", "aac,audio"), r.lines(), r.describe());
    }

    @Test
    void ffmpegRecordsFramesThatDecode() throws IOException {
        Path dir = Files.createDirectories(Paths.get("target", "server-interop"));
        Path out = dir.resolve("live.mp4");
        FfResult r = FfProbe.ffmpeg(TOOL_TIMEOUT, "-v", "error", "-rtsp_transport", "tcp", "-i", url, "-t", "3",
                "-c", "copy", "-y", out.toString());
        assertTrue(r.succeeded(), r.describe());
        int video = FfProbe.countDecodedVideoFrames(out, null);
        assertTrue(video >= 60, "3 s at 30 fps, got " + video);
        FfProbe.DecodeResult audio = FfProbe.decode(out, null, "a:0");
        assertTrue(audio.clean(), audio.errors());
        assertTrue(audio.frames() >= 90, "3 s of AAC frames, got " + audio.frames());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void gstreamerPlaysWithoutError(String protocol) {
        FfResult r = FfProbe.run(TOOL_TIMEOUT, "gst-launch-1.0", "-e", "rtspsrc", "name=s", "location=" + url,
                "protocols=" + protocol, "latency=200",
                "s.", "!", "application/x-rtp,media=video", "!", "rtph264depay", "!", "avdec_h264", "!",
                "identity", "eos-after=60", "!", "fakesink",
                "s.", "!", "application/x-rtp,media=audio", "!", "rtpmp4gdepay", "!",
                "identity", "eos-after=80", "!", "fakesink");
        assertTrue(r.succeeded(), r.describe());
        assertFalse((r.stdout() + r.stderr()).contains("ERROR"), r.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TCP", "UDP"})
    void ownClientGetsBothTracksInOrder(String transport) throws Exception {
        Counter counter = new Counter();
        RtspStreamClient client = new RtspStreamClient(new RtspClientOptions().url(url)
                .transport(TransportMode.valueOf(transport)), clients, counter);
        client.start();
        try {
            Thread.sleep(3000);
        } finally {
            client.stop().get(5, TimeUnit.SECONDS);
        }
        assertTrue(counter.errors.isEmpty(), counter.errors.toString());
        assertTrue(counter.packets.get(0) > 50, "video packets: " + counter.packets.get(0));
        assertTrue(counter.packets.get(1) > 80, "audio packets: " + counter.packets.get(1));
    }

    @Test
    void twentyClientsKeepFullRateWhileAStalledReaderIsDropped() throws Exception {
        List<Counter> counters = new ArrayList<>();
        List<RtspStreamClient> list = new ArrayList<>();
        long slowBefore = server.statistics().slowDisconnects();
        try {
            for (int i = 0; i < 20; i++) {
                Counter c = new Counter();
                RtspStreamClient client = new RtspStreamClient(new RtspClientOptions().url(url)
                        .transport(TransportMode.TCP), clients, c);
                counters.add(c);
                list.add(client);
                client.start();
            }
            RtspServerProtocolTest.awaitTrue(() -> counters.stream().allMatch(c -> c.packets.get(1) > 0),
                    "all 20 clients receive");
            try (RawRtsp stalled = new RawRtsp(server.port(), "/live", 4096)) {
                RawRtsp.Response s = stalled.request("SETUP", stalled.url("/trackID=0"),
                        "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
                String session = "Session: " + s.sessionId();
                stalled.request("SETUP", stalled.url("/trackID=1"), "Transport: RTP/AVP/TCP;unicast;interleaved=2-3",
                        session);
                assertEquals(200, stalled.request("PLAY", stalled.url("/"), session).status());
                long published0 = feeder.published.get(0) + feeder.published.get(1);
                long[] received0 = totals(counters);
                long t0 = System.nanoTime();
                long deadline = t0 + TimeUnit.SECONDS.toNanos(15);
                while (server.statistics().slowDisconnects() == slowBefore && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(server.statistics().slowDisconnects() > slowBefore, "the stalled reader is dropped: "
                        + server.statistics());
                assertTrue(server.statistics().keyFrameSkips() > 0, server.statistics().toString());
                Thread.sleep(500);
                long published = feeder.published.get(0) + feeder.published.get(1) - published0;
                long[] received = totals(counters);
                for (int i = 0; i < counters.size(); i++) {
                    long got = received[i] - received0[i];
                    assertTrue(got >= published * 0.9, "client " + i + " got " + got + " of " + published
                            + " packets published while the stalled reader was connected");
                    assertTrue(counters.get(i).errors.isEmpty(), counters.get(i).errors.toString());
                }
                assertEquals(20, server.sessionCount());
            }
        } finally {
            for (RtspStreamClient c : list) {
                c.stop().get(5, TimeUnit.SECONDS);
            }
        }
    }

    private static long[] totals(List<Counter> counters) {
        long[] t = new long[counters.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = counters.get(i).packets.get(0) + counters.get(i).packets.get(1);
        }
        return t;
    }

    /** Counts packets per track and notes any sequence number that does not follow the previous one. */
    private static final class Counter implements RtspMediaListener {
        final AtomicLongArray packets = new AtomicLongArray(2);
        final List<String> errors = new CopyOnWriteArrayList<>();
        private final int[] last = {-1, -1};

        @Override
        public void onRtpPacket(MediaTrack track, RtpPacket packet) {
            int i = track.index();
            int seq = packet.sequenceNumber();
            if (last[i] >= 0 && seq != ((last[i] + 1) & 0xFFFF) && errors.size() < 10) {
                errors.add("track " + i + ": seq " + seq + " after " + last[i]);
            }
            last[i] = seq;
            packets.incrementAndGet(i);
        }
    }
}
