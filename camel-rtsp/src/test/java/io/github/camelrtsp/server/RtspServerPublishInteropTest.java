package io.github.camelrtsp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.camelrtsp.auth.Credentials;
import io.github.camelrtsp.client.MediaTrack;
import io.github.camelrtsp.client.RtspClientOptions;
import io.github.camelrtsp.client.RtspMediaListener;
import io.github.camelrtsp.client.RtspStreamClient;
import io.github.camelrtsp.client.TransportMode;
import io.github.camelrtsp.rtp.RtpPacket;
import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.FfProbe.FfResult;
import io.github.camelrtsp.testsupport.LoggedProcesses;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/**
 * Real publishers record into the server with ANNOUNCE/RECORD, over TCP and UDP: ffmpeg ({@code -f rtsp}, an H.264 +
 * AAC clip) and GStreamer {@code rtspclientsink} (x264enc). The {@link PublishListener} rebuilds the frames, ffprobe
 * decodes them, and a player plays the path while it is published. Credentials on the path are checked for a
 * publisher and a player.
 */
class RtspServerPublishInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(40);

    private static Path dir;
    private static Path clip;
    private static RtspServer server;
    private static EventLoopGroup clients;
    private final LoggedProcesses processes = new LoggedProcesses(dir);

    @BeforeAll
    static void start() throws IOException {
        FfProbe.requireAvailable();
        dir = Files.createDirectories(Paths.get("target", "server-publish"));
        clip = FfProbe.testClip(dir);
        server = new RtspServer(new RtspServerOptions().host("127.0.0.1").port(0).sessionTimeoutSeconds(10)).start();
        clients = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
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

    @AfterEach
    void killPublishers() throws InterruptedException {
        processes.close();
    }

    private static String url(String path, String userInfo) {
        return server.url(path).replace("rtsp://", "rtsp://" + (userInfo == null ? "" : userInfo + "@"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void ffmpegPublishesH264AndAacThatDecodeWhileOurClientPlays(String transport) throws Exception {
        String path = "/ingest-ffmpeg-" + transport;
        PublishRecorder recorder = new PublishRecorder();
        server.acceptPublishers(path, recorder);
        String name = "ffmpeg-" + transport;
        Process ffmpeg = processes.launch(name, "ffmpeg", "-v", "error", "-re", "-stream_loop", "-1", "-i",
                clip.toString(), "-c", "copy", "-f", "rtsp", "-rtsp_transport", transport, url(path, null));
        await(() -> recorder.starts.get() == 1 || !ffmpeg.isAlive(),
                "ffmpeg starts recording");
        assertTrue(ffmpeg.isAlive(), processes.log(name));
        assertEquals(2, recorder.trackCount());
        int video = recorder.trackOf("H264");
        int audio = recorder.trackOf("MPEG4-GENERIC");
        assertTrue(video >= 0 && audio >= 0, recorder.stream.tracks().toString());

        Counter counter = new Counter();
        RtspStreamClient player = new RtspStreamClient(new RtspClientOptions().url(server.url(path))
                .transport(TransportMode.valueOf(transport.toUpperCase())), clients, counter);
        player.start();
        try {
            await(() -> counter.packets.get(video) > 50 && counter.packets.get(audio) > 20,
                    "our client plays both tracks of the published path");
            await(() -> recorder.frames(video) >= 60 && recorder.frames(audio) >= 80,
                    "60 video and 80 audio frames recorded");
        } finally {
            player.stop().get(10, TimeUnit.SECONDS);
        }
        if (transport.equals("tcp")) {
            assertTrue(recorder.errors.isEmpty(), recorder.errors.toString());
        }
        assertDecodes(recorder, video, "h264", 60, dir.resolve(name + ".h264"));
        assertDecodes(recorder, audio, "aac", 80, dir.resolve(name + ".aac"));

        ffmpeg.destroy();
        await(() -> !recorder.stops.isEmpty(), "the publisher's end is reported");
        await(() -> server.stream(path) == null, "the stream is removed");
        assertEquals(1, recorder.stops.size(), recorder.stops.toString());
        server.stopAcceptingPublishers(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h264-tcp", "h264-udp", "h265-tcp"})
    void gstreamerRtspClientSinkPublishesEveryFrameAndTearsDown(String variant) throws Exception {
        boolean h265 = variant.startsWith("h265");
        String protocol = variant.substring(5);
        String path = "/ingest-gst-" + variant;
        PublishRecorder recorder = new PublishRecorder();
        server.acceptPublishers(path, recorder);
        int frames = 210;
        String name = "gst-" + variant;
        List<String> command = new ArrayList<>(List.of("gst-launch-1.0", "-e", "videotestsrc", "is-live=true",
                "num-buffers=" + frames, "!", "video/x-raw,width=320,height=240,framerate=30/1", "!"));
        if (h265) {
            command.addAll(List.of("x265enc", "tune=zerolatency", "key-int-max=30", "speed-preset=ultrafast", "!",
                    "h265parse", "config-interval=-1", "!"));
        } else {
            command.addAll(List.of("x264enc", "tune=zerolatency", "key-int-max=30", "speed-preset=ultrafast", "!",
                    "video/x-h264,profile=baseline", "!"));
        }
        command.addAll(List.of("rtspclientsink", "location=" + url(path, null), "protocols=" + protocol,
                "latency=100"));
        Process gst = processes.launch(name, command.toArray(String[]::new));
        await(() -> recorder.starts.get() == 1 || !gst.isAlive(), "rtspclientsink starts recording");
        assertEquals(1, recorder.starts.get(), processes.log(name));
        FfResult probe = FfProbe.probeStreams(server.url(path), protocol, Duration.ofSeconds(20));
        assertTrue(probe.succeeded(), probe.describe());
        assertEquals(List.of(h265 ? "hevc,video" : "h264,video"), probe.lines(), probe.describe());
        boolean ended = gst.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
        int video = recorder.trackOf(h265 ? "H265" : "H264");
        if (!ended) {
            // rtspclientsink 1.22 now and then stalls on a loaded machine and never reaches end of stream, while it
            // keeps the session alive: then it is stopped from outside, and the connection loss must end the
            // publication; what it sent until then must still be whole and decode
            assertTrue(recorder.frames(video) >= 60, "gst-launch stalled after " + recorder.frames(video)
                                                     + " frames; " + processes.log(name));
            gst.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        await(() -> !recorder.stops.isEmpty(), "end of the publication reported");
        assertNull(server.stream(path), "the stream is removed and the path free again");
        if (protocol.equals("tcp")) {
            assertTrue(recorder.errors.isEmpty(), recorder.errors.toString());
            if (ended) {
                assertEquals(frames, recorder.frames(video), "every frame of the publisher over TCP");
            }
        } else if (ended) {
            assertTrue(recorder.frames(video) >= frames * 9 / 10, "frames over UDP: " + recorder.frames(video));
        }
        assertDecodes(recorder, video, h265 ? "hevc" : "h264", recorder.frames(video),
                dir.resolve(name + (h265 ? ".h265" : ".h264")));
        server.stopAcceptingPublishers(path);
    }

    @Test
    void credentialsOnThePathApplyToPublisherAndPlayer() throws Exception {
        String path = "/ingest-auth";
        PublishRecorder recorder = new PublishRecorder();
        server.acceptPublishers(path, recorder);
        server.setCredentials(path, "cam", "s3cret");
        try {
            long failures = server.statistics().authFailures();
            FfResult wrong = FfProbe.ffmpeg(Duration.ofSeconds(20), "-v", "error", "-re", "-i", clip.toString(),
                    "-t", "1", "-c", "copy", "-f", "rtsp", "-rtsp_transport", "tcp", url(path, "cam:wrong"));
            assertNotEquals(0, wrong.exitCode(), wrong.describe());
            assertEquals(0, recorder.starts.get());
            assertTrue(server.statistics().authFailures() > failures, server.statistics().toString());
            assertNull(server.stream(path));

            Process ffmpeg = processes.launch("ffmpeg-auth", "ffmpeg", "-v", "error", "-re", "-stream_loop", "-1", "-i",
                    clip.toString(), "-c", "copy", "-f", "rtsp", "-rtsp_transport", "tcp", url(path, "cam:s3cret"));
            await(() -> recorder.starts.get() == 1 || !ffmpeg.isAlive(),
                    "ffmpeg with the right credentials records");
            assertEquals(1, recorder.starts.get(), processes.log("ffmpeg-auth"));

            FfResult noCredentials = FfProbe.probeStreams(url(path, null), "tcp", Duration.ofSeconds(20));
            assertTrue(!noCredentials.succeeded() && noCredentials.stderr().contains("401"),
                    noCredentials.describe());
            FfResult wrongPlayer = FfProbe.probeStreams(url(path, "cam:nope"), "tcp", Duration.ofSeconds(20));
            assertTrue(!wrongPlayer.succeeded(), wrongPlayer.describe());
            FfResult player = FfProbe.probeStreams(url(path, "cam:s3cret"), "tcp", Duration.ofSeconds(20));
            assertTrue(player.succeeded(), player.describe());
            assertEquals(List.of("h264,video", "aac,audio"), player.lines(), player.describe());

            Counter counter = new Counter();
            RtspStreamClient ours = new RtspStreamClient(new RtspClientOptions().url(server.url(path))
                    .credentials(new Credentials("cam", "s3cret")).transport(TransportMode.TCP), clients, counter);
            ours.start();
            try {
                await(() -> counter.packets.get(0) > 20, "our client authenticates");
            } finally {
                ours.stop().get(10, TimeUnit.SECONDS);
            }
        } finally {
            server.setCredentials(path, null, null);
            server.stopAcceptingPublishers(path);
        }
    }

    static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting: " + what + "; "
                                         + server.statistics());
            }
            Thread.sleep(20);
        }
    }

    private static void assertDecodes(PublishRecorder recorder, int track, String format, int count, Path file)
            throws IOException {
        Files.write(file, recorder.concat(track, count));
        FfProbe.DecodeResult decoded = FfProbe.decode(file, format, "0");
        assertTrue(decoded.clean(), decoded.errors());
        assertEquals(count, decoded.frames(), "frames that decode in " + file);
    }

    /** Counts packets per track. */
    private static final class Counter implements RtspMediaListener {
        final AtomicLongArray packets = new AtomicLongArray(4);

        @Override
        public void onRtpPacket(MediaTrack track, RtpPacket packet) {
            packets.incrementAndGet(track.index());
        }
    }
}
