package io.github.camelrtsp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelrtsp.testsupport.FfProbe;

/**
 * Real players against the embedded server, with exact frame counts: ffmpeg and GStreamer {@code rtspsrc}, over
 * interleaved TCP and over UDP, play a path on which exactly {@link #FRAMES} H.264 frames and {@link #AUDIO_FRAMES}
 * AAC frames of the simulated-camera clip are published after the player reached PLAYING (video frame 0 is an IDR);
 * each player decodes both tracks (ffmpeg writes one framemd5 line per decoded frame, GStreamer raw frames to files whose
 * sizes count them) and the counts of decoded frames must be exactly what was served: no loss, no
 * duplicate, no extra frame. The stream is then removed, which closes the players' connections.
 */
class ServerPlayRealClientsTest {

    private static final Logger LOG = LoggerFactory.getLogger(ServerPlayRealClientsTest.class);
    /** Three seconds at 25 fps: three whole GOPs of the clip. */
    private static final int FRAMES = 75;

    /** AAC frames (1024 samples at 48 kHz) in the same three seconds. */
    private static final int AUDIO_FRAMES = ServerPlayClip.audioFramesFor(FRAMES);
    /** Video frames a player may keep back until its input ends (ffmpeg: 3). */
    private static final int VIDEO_HOLDS = 4;
    /** AAC frames a player may keep back until its input ends (ffmpeg's interleaving: 6 to 7). */
    private static final int AUDIO_HOLDS = 12;

    private static final int VIDEO_FRAME_BYTES = 640 * 360 * 3 / 2;
    private static final int AUDIO_FRAME_BYTES = ServerPlayClip.AAC_SAMPLES * 2;

    private static RtspServer server;
    private static ServerPlayClip clip;

    @BeforeAll
    static void start() {
        FfProbe.requireAvailable();
        clip = ServerPlayClip.get();
        server = new RtspServer(new RtspServerOptions().host("127.0.0.1").port(0)).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void ffmpegDecodesEveryServedFrame(String transport) throws Exception {
        String path = "/ffmpeg-" + transport;
        ServerStream stream = server.createStream(path, clip.tracksWithAudio);
        List<String> cmd = List.of("ffmpeg", "-nostdin", "-v", "error", "-rtsp_transport", transport,
                "-analyzeduration", "1000000", "-i", server.url(path), "-map", "0:v:0", "-map", "0:a:0",
                "-threads", "1", "-fps_mode", "passthrough", "-flush_packets", "1", "-f", "framemd5", "-");
        AtomicInteger video = new AtomicInteger();
        AtomicInteger audio = new AtomicInteger();
        Played p = play(stream, cmd, line -> {
            if (line.matches("\\s*0,.*")) {
                video.incrementAndGet();
            } else if (line.matches("\\s*1,.*")) {
                audio.incrementAndGet();
            }
        }, video::get, audio::get);
        assertEquals(FRAMES, p.video(), "ffmpeg over " + transport + " decoded " + p.video() + " of " + FRAMES
                + " video frames served; stderr: " + p.stderr());
        assertEquals(AUDIO_FRAMES, p.audio(), "ffmpeg over " + transport + " decoded " + p.audio() + " of "
                + AUDIO_FRAMES + " AAC frames served; stderr: " + p.stderr());
        assertEquals("", p.stderr().strip(), "ffmpeg -v error reported problems");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void gstreamerDecodesEveryServedFrame(String protocol) throws Exception {
        String path = "/gst-" + protocol;
        ServerStream stream = server.createStream(path, clip.tracksWithAudio);
        // decoded frames go to files (I420 640x360, S16LE mono 1024-sample frames): their sizes count them exactly
        // (fakesink's last-message notifications are coalesced by gst-launch -v, so they cannot be counted)
        Path dir = Files.createDirectories(Paths.get("target", "server-play"));
        Path videoOut = dir.resolve("gst-" + protocol + ".i420");
        Path audioOut = dir.resolve("gst-" + protocol + ".s16");
        Files.deleteIfExists(videoOut);
        Files.deleteIfExists(audioOut);
        List<String> cmd = List.of("gst-launch-1.0", "-q", "rtspsrc", "name=s",
                "location=" + server.url(path), "protocols=" + protocol, "latency=100",
                "s.", "!", "application/x-rtp,media=video", "!", "rtph264depay", "!", "h264parse", "!",
                "avdec_h264", "max-threads=1", "!", "video/x-raw,format=I420", "!", "filesink", "buffer-mode=2",
                "location=" + videoOut,
                "s.", "!", "application/x-rtp,media=audio", "!", "rtpmp4gdepay", "!", "aacparse", "!",
                "avdec_aac", "!", "audioconvert", "!", "audio/x-raw,format=S16LE,channels=1", "!", "filesink",
                "buffer-mode=2", "location=" + audioOut);
        Played p = play(stream, cmd, line -> { }, () -> frames(videoOut, VIDEO_FRAME_BYTES),
                () -> frames(audioOut, AUDIO_FRAME_BYTES));
        assertEquals(FRAMES, p.video(), "gst rtspsrc over " + protocol + " decoded " + p.video() + " of " + FRAMES
                + " video frames served; stderr: " + p.stderr());
        assertEquals(AUDIO_FRAMES, p.audio(), "gst rtspsrc over " + protocol + " decoded " + p.audio() + " of "
                + AUDIO_FRAMES + " AAC frames served; stderr: " + p.stderr());
    }

    /** What a player decoded per track and what it wrote to stderr (the last 2000 characters). */
    private record Played(int video, int audio, String stderr) {
    }

    /**
     * Starts the player, waits until it plays {@code stream}, publishes {@link #FRAMES} video and
     * {@link #AUDIO_FRAMES} audio frames, waits until the player decoded them (or a deadline), removes the stream and
     * returns the decoded frames {@code video} and {@code audio} count (from the stdout lines given to {@code stdout},
     * or from output files).
     */
    private static Played play(ServerStream stream, List<String> command, Consumer<String> stdout,
            IntSupplier video, IntSupplier audio) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(new File("/dev/null"));
        File err = File.createTempFile("server-play-", ".stderr");
        err.deleteOnExit();
        builder.redirectError(err);
        Process process = builder.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    stdout.accept(line);
                }
            } catch (IOException e) {
                LOG.debug("player output ended: {}", e.toString());
            }
        }, "player-out");
        reader.setDaemon(true);
        reader.start();
        try {
            await(() -> stream.playingSessions() == 1 || !process.isAlive(), 30);
            assertEquals(1, stream.playingSessions(), () -> "the player did not reach PLAYING: " + describe(err));
            Thread.sleep(300); // let the player finish its own PLAY handling before the first packet
            clip.publish(stream, FRAMES, AUDIO_FRAMES);
            // a player may hold its last few frames (ffmpeg: 3 pictures and 7 AAC frames, parser and muxer queues)
            // until its input ends, which removing the stream causes: the exact counts are checked once it has ended
            await(() -> video.getAsInt() >= FRAMES - VIDEO_HOLDS && audio.getAsInt() >= AUDIO_FRAMES - AUDIO_HOLDS
                    || !process.isAlive(), 20);
            stream.remove();
            await(() -> video.getAsInt() >= FRAMES && audio.getAsInt() >= AUDIO_FRAMES || !process.isAlive(), 20);
        } finally {
            stream.remove();
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            reader.join(5000);
        }
        String tool = command.get(0);
        LOG.info("{} decoded {} of {} video and {} of {} AAC frames; stderr: {}", tool, video.getAsInt(), FRAMES,
                audio.getAsInt(), AUDIO_FRAMES, describe(err));
        return new Played(video.getAsInt(), audio.getAsInt(), describe(err));
    }

    /** Whole frames of {@code frameBytes} in {@code file} so far (0 before it exists). */
    private static int frames(Path file, int frameBytes) {
        try {
            return Files.exists(file) ? (int) (Files.size(file) / frameBytes) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String describe(File err) {
        try {
            String s = Files.readString(err.toPath(), StandardCharsets.UTF_8);
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Polls {@code condition} until it holds or {@code seconds} passed; the caller asserts what it needs after. */
    private static void await(BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
