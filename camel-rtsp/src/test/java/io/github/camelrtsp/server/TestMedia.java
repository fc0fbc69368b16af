package io.github.camelrtsp.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.FfProbe.FfResult;
import io.github.camelrtsp.testsupport.GstRtpCapture;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * H.264 + AAC RTP made by GStreamer at test time (5 s each, made once per JVM), and a feeder thread that publishes
 * them in a loop at real-time pace, with key frame starts found by {@link H264KeyFrames}.
 */
final class TestMedia {

    /** One loop of the capture lasts this long (150 frames at 30 fps; 215 AAC frames of 1024 samples fit in it). */
    static final double LOOP_SECONDS = 5.0;

    private static TestMedia instance;

    final GstRtpCapture.Capture video;
    final GstRtpCapture.Capture audio;
    final boolean[] videoKeys;

    private TestMedia(GstRtpCapture.Capture video, GstRtpCapture.Capture audio) {
        this.video = video;
        this.audio = audio;
        this.videoKeys = new boolean[video.packets().size()];
        H264KeyFrames detector = new H264KeyFrames();
        for (int i = 0; i < videoKeys.length; i++) {
            videoKeys[i] = detector.isKeyFrameStart(Unpooled.wrappedBuffer(video.packets().get(i)));
        }
    }

    static synchronized TestMedia get() {
        if (instance == null) {
            Path dir = Paths.get("target", "server-media");
            GstRtpCapture.Capture v = GstRtpCapture.run(dir.resolve("h264.rtp"), List.of(
                    "videotestsrc", "num-buffers=150", "pattern=ball", "!",
                    "video/x-raw,width=320,height=240,framerate=30/1", "!",
                    "x264enc", "tune=zerolatency", "speed-preset=ultrafast", "key-int-max=30", "bitrate=800", "!",
                    "rtph264pay", "config-interval=-1", "pt=96"));
            GstRtpCapture.Capture a = GstRtpCapture.run(dir.resolve("aac.rtp"), List.of(
                    "audiotestsrc", "num-buffers=215", "samplesperbuffer=1024", "!",
                    "audio/x-raw,rate=44100,channels=2", "!", "voaacenc", "bitrate=64000", "!",
                    "rtpmp4gpay", "pt=97"));
            instance = new TestMedia(v, a);
        }
        return instance;
    }

    /** An RTP packet with payload type 96, sequence number 1, SSRC 1, timestamp {@code ts} and these payload bytes. */
    static ByteBuf rtp(long ts, int... payload) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0x80).writeByte(96).writeShort(1).writeInt((int) ts).writeInt(1);
        for (int p : payload) {
            b.writeByte(p);
        }
        return b;
    }

    /**
     * 3 s of H.265 (Annex B) made by ffmpeg's x265 from a 320x240 test pattern at 10 fps, with an IRAP every 5
     * pictures and no B frames: 30 access units, IRAP at 0, 5, 10... Written to {@code target/<dirName>/gop5.h265}.
     */
    static byte[] h265Gop5(String dirName) throws IOException {
        FfProbe.requireAvailable();
        Path dir = Files.createDirectories(Paths.get("target", dirName));
        Path file = dir.resolve("gop5.h265");
        FfResult r = FfProbe.ffmpeg(Duration.ofSeconds(60), "-v", "error", "-f", "lavfi", "-i",
                "testsrc2=size=320x240:rate=10", "-t", "3", "-c:v", "libx265", "-preset", "ultrafast",
                "-x265-params", "keyint=5:min-keyint=5:bframes=0:log-level=error", "-f", "hevc", "-y",
                file.toString());
        if (!r.succeeded()) {
            throw new IllegalStateException("ffmpeg could not make the H.265 test stream: " + r.describe());
        }
        return Files.readAllBytes(file);
    }

    /** The two tracks, with the fmtp the payloaders announced. */
    List<ServerTrack> tracks() {
        Map<String, String> vf = new LinkedHashMap<>();
        vf.put("packetization-mode", "1");
        copy(video.caps(), vf, "profile-level-id", "sprop-parameter-sets");
        Map<String, String> af = new LinkedHashMap<>();
        copy(audio.caps(), af, "streamtype", "profile-level-id", "mode", "config", "sizelength", "indexlength",
                "indexdeltalength");
        return List.of(ServerTrack.video(96, "H264", vf), ServerTrack.audio(97, "MPEG4-GENERIC", 44100, 2, af));
    }

    private static void copy(Map<String, String> from, Map<String, String> to, String... keys) {
        for (String k : keys) {
            String v = from.get(k);
            if (v != null) {
                to.put(k, v);
            }
        }
    }

    private record Event(int track, long atNanos, byte[] data, boolean key, long ts) {
    }

    private static void addEvents(List<Event> sink, int track, List<byte[]> packets, int clock, boolean[] keys) {
        long first = Unpooled.wrappedBuffer(packets.get(0)).getUnsignedInt(4);
        for (int i = 0; i < packets.size(); i++) {
            byte[] p = packets.get(i);
            long ts = Unpooled.wrappedBuffer(p).getUnsignedInt(4);
            long ticks = (ts - first) & 0xFFFF_FFFFL;
            sink.add(new Event(track, ticks * 1_000_000_000L / clock, p, keys != null && keys[i], ts));
        }
    }

    /** Starts publishing both tracks on {@code stream} until {@link Feeder#close()}. */
    Feeder feed(ServerStream stream) {
        Feeder f = new Feeder(stream);
        f.thread.start();
        return f;
    }

    /** A publishing thread; counts packets per track. */
    final class Feeder implements AutoCloseable {
        final AtomicLongArray published = new AtomicLongArray(2);
        private final ServerStream stream;
        private final Thread thread;
        private volatile boolean running = true;

        private Feeder(ServerStream stream) {
            this.stream = stream;
            this.thread = new Thread(this::run, "test-feeder" + stream.path());
            this.thread.setDaemon(true);
        }

        private void run() {
            List<Event> events = new ArrayList<>();
            addEvents(events, 0, video.packets(), 90000, videoKeys);
            addEvents(events, 1, audio.packets(), 44100, null);
            events.sort((x, y) -> Long.compare(x.atNanos, y.atNanos));
            long start = System.nanoTime();
            for (long loop = 0; running; loop++) {
                long loopStart = start + (long) (loop * LOOP_SECONDS * 1e9);
                for (Event e : events) {
                    long wait = loopStart + e.atNanos - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    if (!running) {
                        return;
                    }
                    int clock = e.track == 0 ? 90000 : 44100;
                    ByteBuf packet = Unpooled.copiedBuffer(e.data);
                    packet.setInt(4, (int) (e.ts + (long) (loop * LOOP_SECONDS * clock)));
                    stream.publish(e.track, packet, e.key);
                    published.incrementAndGet(e.track);
                }
            }
        }


        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5000);
        }
    }
}
