package io.github.camelrtsp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelrtsp.testsupport.FfProbe;

/**
 * Real players against the embedded server, with exact frame counts: ffmpeg and GStreamer {@code rtspsrc}, over
 * interleaved TCP and over UDP, play a path on which exactly {@link #FRAMES} H.264 frames of the simulated-camera clip
 * are published after the player reached PLAYING (frame 0 is an IDR); each player decodes every frame (ffmpeg writes
 * one framemd5 line per decoded picture, GStreamer's fakesink one chain message per decoded buffer) and the count of
 * decoded pictures must be exactly {@link #FRAMES}: no loss, no duplicate, no extra frame. The stream is then removed,
 * which closes the players' connections.
 */
class ServerPlayRealClientsTest {

    private static final Logger LOG = LoggerFactory.getLogger(ServerPlayRealClientsTest.class);
    /** Three seconds at 25 fps: three whole GOPs of the clip. */
    private static final int FRAMES = 75;

    /** Pictures a player may keep back until its input ends. */
    private static final int PLAYER_HOLDS = 4;

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
        ServerStream stream = server.createStream(path, clip.tracks);
        List<String> cmd = List.of("ffmpeg", "-nostdin", "-v", "error", "-rtsp_transport", transport,
                "-analyzeduration", "1000000", "-i", server.url(path), "-map", "0:v:0", "-threads", "1", "-fps_mode", "passthrough",
                "-flush_packets", "1", "-f", "framemd5", "-");
        Played p = play(stream, cmd, line -> !line.startsWith("#") && line.matches("\\s*0,.*"));
        assertEquals(FRAMES, p.decoded(), "ffmpeg over " + transport + " decoded " + p.decoded() + " of " + FRAMES
                + " frames served; stderr: " + p.stderr());
        assertEquals("", p.stderr().strip(), "ffmpeg -v error reported problems");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void gstreamerDecodesEveryServedFrame(String protocol) throws Exception {
        String path = "/gst-" + protocol;
        ServerStream stream = server.createStream(path, clip.tracks);
        List<String> cmd = List.of("stdbuf", "-oL", "gst-launch-1.0", "-v", "rtspsrc", "location=" + server.url(path),
                "protocols=" + protocol, "latency=100", "!", "rtph264depay", "!", "h264parse", "!",
                "avdec_h264", "max-threads=1", "!", "fakesink", "silent=false", "sync=false");
        Played p = play(stream, cmd, line -> line.contains("last-message = chain"));
        assertEquals(FRAMES, p.decoded(), "gst rtspsrc over " + protocol + " decoded " + p.decoded() + " of "
                + FRAMES + " frames served; stderr: " + p.stderr());
    }

    /**
     * Starts the player, waits until it plays {@code stream}, publishes {@link #FRAMES} frames, waits until the
     * player decoded them (or a deadline), removes the stream and returns how many lines of the player's stdout
     * matched {@code decodedFrame}, with its stderr.
     */
    /** What a player decoded and what it wrote to stderr (the last 2000 characters). */
    private record Played(int decoded, String stderr) {
    }

    private static Played play(ServerStream stream, List<String> command, Predicate<String> decodedFrame)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(new File("/dev/null"));
        File err = File.createTempFile("server-play-", ".stderr");
        err.deleteOnExit();
        builder.redirectError(err);
        Process process = builder.start();
        AtomicInteger count = new AtomicInteger();
        List<String> tail = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (decodedFrame.test(line)) {
                        count.incrementAndGet();
                    }
                    synchronized (tail) {
                        tail.add(line);
                        if (tail.size() > 20) {
                            tail.remove(0);
                        }
                    }
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
            clip.publish(stream, FRAMES);
            // a player may hold its last few pictures (ffmpeg: 3, parser and muxer queues) until its input ends,
            // which removing the stream causes: the exact count is checked once it has ended
            await(() -> count.get() >= FRAMES - PLAYER_HOLDS || !process.isAlive(), 20);
            stream.remove();
            await(() -> count.get() >= FRAMES || !process.isAlive(), 20);
        } finally {
            stream.remove();
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            reader.join(5000);
        }
        String tool = command.get(0).equals("stdbuf") ? command.get(2) : command.get(0);
        LOG.info("{} decoded {} of {} frames; stderr: {}", tool,
                count.get(), FRAMES, describe(err));
        synchronized (tail) {
            if (count.get() != FRAMES) {
                LOG.warn("player stdout tail: {}", tail);
            }
        }
        return new Played(count.get(), describe(err));
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
