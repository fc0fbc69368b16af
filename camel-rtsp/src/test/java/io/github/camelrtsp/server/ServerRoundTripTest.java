package io.github.camelrtsp.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelrtsp.client.MediaTrack;
import io.github.camelrtsp.client.RtspClientOptions;
import io.github.camelrtsp.client.RtspMediaListener;
import io.github.camelrtsp.client.RtspSessionInfo;
import io.github.camelrtsp.client.RtspStreamClient;
import io.github.camelrtsp.client.TransportMode;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.Packetizer;
import io.github.camelrtsp.format.PacketizerParameters;
import io.github.camelrtsp.format.Packetizers;
import io.github.camelrtsp.media.FrameAssembler;
import io.github.camelrtsp.media.TimedFrame;
import io.github.camelrtsp.rtp.RtpPacket;
import io.github.camelrtsp.testsupport.GstRtspServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/**
 * Every codec with a packetizer through the embedded server and back: frames that GStreamer's RTSP server encoded
 * (received by our {@link RtspStreamClient} and {@link FrameAssembler}) are packetized with {@link Packetizers} into a
 * {@link ServerStream}, played by another {@link RtspStreamClient} over TCP and over UDP, and
 * reassembled; the frames are published at an encoder's pace or as they arrived (with the capture's jitter). The
 * received frames must equal the sent ones byte for byte, with the same key frame flags, the same
 * RTP timestamp steps and presentation times that follow them. MP4A-LATM (the {@code aac-latm} test codec) has no
 * packetizer, so it is not served.
 */
class ServerRoundTripTest {

    private static final Logger LOG = LoggerFactory.getLogger(ServerRoundTripTest.class);
    private static final int VIDEO_FRAMES = 20;
    private static final int AUDIO_FRAMES = 40;

    private static RtspServer server;
    private static EventLoopGroup clients;

    @BeforeAll
    static void start() {
        GstRtspServer.requireAvailable();
        server = new RtspServer(new RtspServerOptions().host("127.0.0.1").port(0)).start();
        clients = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
        if (clients != null) {
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    /** A frame as captured, with the time it arrived (to offset the tracks in the replay). */
    private record Captured(int track, MediaFrame frame, long arrivalNanos) {
    }

    @ParameterizedTest(name = "{0} + {1}, {2} pace")
    @CsvSource({
        "h264-inband, aac, arrival",
        "h264-bframes, opus, encoder",
        "h265, pcmu, arrival",
        "mjpeg, pcma, encoder",
        "h264-stapa, g722, arrival",
        "h264-sdponly, l16, encoder"
    })
    void framesComeBackByteForByte(String video, String audio, String pace) throws Exception {
        List<MediaTrack> sourceTracks = new ArrayList<>();
        List<Captured> sent = capture(video, audio, sourceTracks);
        for (TransportMode transport : new TransportMode[] {TransportMode.TCP, TransportMode.UDP}) {
            String path = "/rt-" + video + "-" + audio + "-" + transport.name().toLowerCase(Locale.ROOT);
            List<Packetizer> packetizers = new ArrayList<>();
            List<ServerTrack> tracks = new ArrayList<>();
            for (MediaTrack t : sourceTracks) {
                Packetizer p = Packetizers.create(new PacketizerParameters(t.codec(), t.payloadType(), t.clockRate(),
                        t.channels(), t.formatParameters(), 0, 0, 1400));
                packetizers.add(p);
                tracks.add(new ServerTrack(t.mediaType(), t.payloadType(), p.rtpMap(), p.formatParameters(),
                        t.clockRate()));
            }
            ServerStream stream = server.createStream(path, tracks);
            List<TimedFrame> received = new CopyOnWriteArrayList<>();
            RtspStreamClient client = new RtspStreamClient(new RtspClientOptions().url(server.url(path))
                    .transport(transport), clients, assembling(received));
            client.start();
            try {
                await(() -> stream.playingSessions() == 1, 20);
                assertEquals(1, stream.playingSessions(), path + ": our client plays");
                Thread.sleep(200); // its PLAY answer is handled before the first packet arrives
                replay(stream, packetizers, sent, sourceTracks, "arrival".equals(pace));
                await(() -> received.size() >= sent.size(), 20);
            } finally {
                client.stop().get(10, TimeUnit.SECONDS);
                stream.remove();
            }
            compare(path, sourceTracks, sent, received);
        }
    }

    /** Plays {@code video}+{@code audio} from GStreamer's server and keeps the first frames of each track. */
    private static List<Captured> capture(String video, String audio, List<MediaTrack> tracks) throws Exception {
        List<Captured> frames = new CopyOnWriteArrayList<>();
        int[] counts = new int[2];
        try (GstRtspServer gst = GstRtspServer.builder().video(video).audio(audio).start()) {
            FrameAssembler[] assembler = new FrameAssembler[1];
            RtspStreamClient client = new RtspStreamClient(new RtspClientOptions().url(gst.url())
                    .transport(TransportMode.TCP), clients, new RtspMediaListener() {
                        @Override
                        public void onPlaying(RtspSessionInfo session) {
                            tracks.addAll(session.tracks());
                            assembler[0] = new FrameAssembler(session, 1 << 20, f -> {
                                int i = f.track().index();
                                int limit = "video".equals(f.track().mediaType()) ? VIDEO_FRAMES : AUDIO_FRAMES;
                                if (counts[i] < limit && (counts[i] > 0 || f.frame().keyFrame())) {
                                    counts[i]++;
                                    frames.add(new Captured(i, f.frame(), System.nanoTime()));
                                }
                            });
                        }

                        @Override
                        public void onRtpPacket(MediaTrack track, RtpPacket packet) {
                            assembler[0].onRtpPacket(track, packet);
                        }
                    });
            client.start();
            try {
                await(() -> frames.size() >= VIDEO_FRAMES + AUDIO_FRAMES, 20);
            } finally {
                client.stop().get(10, TimeUnit.SECONDS);
            }
        }
        assertEquals(2, tracks.size(), "GStreamer served video and audio");
        assertEquals(VIDEO_FRAMES + AUDIO_FRAMES, frames.size(), "frames captured from GStreamer");
        return List.copyOf(frames);
    }

    /**
     * Packetizes the frames into the stream: at the pace of a live encoder (each track's frames at their RTP time,
     * the highest so far as B-frames step back, the tracks offset as their first frames arrived in the capture), or
     * with {@code asArrived} as they arrived from GStreamer, jitter included, like a restreamed camera.
     */
    private static void replay(ServerStream stream, List<Packetizer> packetizers, List<Captured> frames,
            List<MediaTrack> tracks, boolean asArrived) {
        long first = frames.get(0).arrivalNanos();
        long[] due = new long[frames.size()];
        Long[] firstArrival = new Long[tracks.size()];
        long[] firstTs = new long[tracks.size()];
        long[] maxStep = new long[tracks.size()];
        for (int k = 0; k < frames.size(); k++) {
            Captured c = frames.get(k);
            int t = c.track();
            if (firstArrival[t] == null) {
                firstArrival[t] = c.arrivalNanos() - first;
                firstTs[t] = c.frame().rtpTimestamp();
            }
            maxStep[t] = Math.max(maxStep[t], (int) (c.frame().rtpTimestamp() - firstTs[t]));
            due[k] = asArrived ? c.arrivalNanos() - first
                    : firstArrival[t] + maxStep[t] * 1_000_000_000L / tracks.get(t).clockRate();
        }
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < frames.size(); k++) {
            order.add(k);
        }
        order.sort((x, y) -> Long.compare(due[x], due[y]));
        long t0 = System.nanoTime();
        boolean[] key = new boolean[1];
        for (int k : order) {
            Captured c = frames.get(k);
            long wait = t0 + due[k] - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            key[0] = c.frame().keyFrame();
            packetizers.get(c.track()).packetize(c.frame(), packet -> {
                boolean start = key[0];
                key[0] = false;
                stream.publish(c.track(), packet, start);
            });
        }
    }

    private static RtspMediaListener assembling(List<TimedFrame> into) {
        FrameAssembler[] assembler = new FrameAssembler[1];
        return new RtspMediaListener() {
            @Override
            public void onPlaying(RtspSessionInfo session) {
                assembler[0] = new FrameAssembler(session, 1 << 20, into::add);
            }

            @Override
            public void onRtpPacket(MediaTrack track, RtpPacket packet) {
                assembler[0].onRtpPacket(track, packet);
            }
        };
    }

    private static void compare(String path, List<MediaTrack> tracks, List<Captured> sent,
            List<TimedFrame> received) {
        for (MediaTrack t : tracks) {
            int i = t.index();
            List<MediaFrame> out = sent.stream().filter(c -> c.track() == i).map(Captured::frame).toList();
            List<TimedFrame> in = received.stream().filter(f -> f.track().index() == i).toList();
            String what = path + " " + t.codec() + " (track " + i + ")";
            assertEquals(out.size(), in.size(), what + ": frames received");
            MediaFrame out0 = out.get(0);
            TimedFrame in0 = in.get(0);
            for (int k = 0; k < out.size(); k++) {
                MediaFrame o = out.get(k);
                TimedFrame r = in.get(k);
                assertArrayEquals(o.data(), r.frame().data(), what + ": frame " + k + " bytes");
                assertEquals(o.keyFrame(), r.frame().keyFrame(), what + ": frame " + k + " key frame flag");
                long sentStep = (o.rtpTimestamp() - out0.rtpTimestamp()) & 0xFFFF_FFFFL;
                long gotStep = (r.frame().rtpTimestamp() - in0.frame().rtpTimestamp()) & 0xFFFF_FFFFL;
                assertEquals(sentStep, gotStep, what + ": frame " + k + " RTP time since the first");
                long ptsStep = r.presentationTimeMicros() - in0.presentationTimeMicros();
                long expected = (long) ((int) sentStep) * 1_000_000L / t.clockRate();
                // the client re-anchors a track once on the first sender report; the server's NTP/RTP mapping is
                // as exact as the publishing thread's timing, which a loaded machine delays by tens of ms (the
                // mapping itself is checked exactly by ServerPlayClockAnchorTest)
                assertTrue(Math.abs(ptsStep - expected) <= 50_000, what + ": frame " + k + " presentation time "
                        + ptsStep + " us after the first, RTP time says " + expected);
                assertFalse(r.discontinuity() && k > 0, what + ": frame " + k + " flagged as discontinuous");
            }
            LOG.info("{}: {} frames, {} bytes, identical", what, in.size(),
                    in.stream().mapToLong(f -> f.frame().data().length).sum());
        }
    }

    private static void await(BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
