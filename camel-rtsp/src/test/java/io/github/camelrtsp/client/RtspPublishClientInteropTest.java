package io.github.camelrtsp.client;

import static io.github.camelrtsp.client.PublishPeers.await;
import static io.github.camelrtsp.client.PublishPeers.decodedFrames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.camelrtsp.client.PublishPeers.Captured;
import io.github.camelrtsp.client.PublishPeers.FfmpegListener;
import io.github.camelrtsp.publish.PublishFrame;
import io.github.camelrtsp.publish.PublishTracks;
import io.github.camelrtsp.server.PublishRecorder;
import io.github.camelrtsp.server.RtspServer;
import io.github.camelrtsp.server.RtspServerOptions;
import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.GstRtspServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/**
 * {@link RtspPublishClient} against real peers: H.264 + AAC frames captured from GStreamer's RTSP server are published
 * (as a burst, which the pacer spreads to real time) into GStreamer's RTSP server in RECORD mode and into
 * {@code ffmpeg -rtsp_flags listen}, over TCP and UDP, and into the project's own {@link RtspServer}; the file each
 * peer writes (for our server: the frames its publish listener rebuilds) must decode with exactly the frames published.
 */
class RtspPublishClientInteropTest {

    private static EventLoopGroup group;
    private static Captured media;

    @BeforeAll
    static void capture() throws Exception {
        GstRtspServer.requireAvailable();
        FfProbe.requireAvailable();
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try (GstRtspServer camera = GstRtspServer.builder().video("h264").audio("aac").start()) {
            media = PublishPeers.capture(camera.url(), group, 3500);
        }
        assertTrue(media.count(0) >= 30, "video frames captured: " + media.count(0));
        assertTrue(media.count(1) >= 60, "audio frames captured: " + media.count(1));
        assertEquals("H264", media.formats().get(0).codec());
        assertEquals("MPEG4-GENERIC", media.formats().get(1).codec());
    }

    @AfterAll
    static void shutdown() {
        if (group != null) {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private static PublishTracks tracksOf(Captured m, List<PublishFrame> toSend) {
        PublishTracks tracks = new PublishTracks(2, 5000, 1400, 4096, System::nanoTime);
        for (PublishFrame f : m.frames()) {
            toSend.addAll(tracks.offer(f, () -> m.formats().get(f.track())));
        }
        assertTrue(tracks.ready());
        assertEquals(m.frames().size(), toSend.size(), "every captured frame is published");
        return tracks;
    }

    /** Publishes the captured frames to {@code url}; returns the client, stopped. */
    private static RtspPublishClient publish(String url, TransportMode transport) throws InterruptedException {
        return publish(media, url, transport, null);
    }

    private static RtspPublishClient publish(String url, TransportMode transport,
            io.github.camelrtsp.auth.Credentials credentials) throws InterruptedException {
        return publish(media, url, transport, credentials);
    }

    private static RtspPublishClient publish(Captured source, String url, TransportMode transport,
            io.github.camelrtsp.auth.Credentials credentials) throws InterruptedException {
        List<PublishFrame> frames = new ArrayList<>();
        PublishTracks tracks = tracksOf(source, frames);
        RtspClientOptions options = new RtspClientOptions().url(url).transport(transport)
                .reconnectDelay(Duration.ofMillis(200)).maxReconnectAttempts(3).credentials(credentials);
        RtspPublishClient client = new RtspPublishClient(options, group, tracks, 4096, 4 << 20, null);
        client.start();
        await(() -> client.state() == ClientState.PLAYING, "publisher recording: " + client.stateReason());
        assertEquals(transport, client.activeTransport());
        AtomicInteger done = new AtomicInteger();
        AtomicReference<Throwable> error = new AtomicReference<>();
        for (PublishFrame f : frames) {
            assertTrue(client.send(f, e -> {
                if (e != null) {
                    error.set(e);
                }
                done.incrementAndGet();
            }));
        }
        await(() -> done.get() == frames.size(), "every frame handled: " + done.get() + "/" + frames.size());
        assertNull(error.get(), "no frame rejected");
        assertEquals(frames.size(), client.framesSent(), "frames sent (dropped " + client.framesDropped() + ")");
        assertEquals(0, client.framesDropped());
        client.stop().join();
        assertEquals(ClientState.STOPPED, client.state());
        return client;
    }

    @ParameterizedTest
    @EnumSource(value = TransportMode.class, names = {"TCP", "UDP"})
    void intoGstreamerRecordMount(TransportMode transport) throws Exception {
        Path out = PublishPeers.outputFile("gst-" + transport);
        try (GstRtspServer server = PublishPeers.gstRecorder(out, transport.name().toLowerCase())) {
            publish("rtsp://127.0.0.1:" + server.port() + "/record", transport);
            PublishPeers.awaitRecordDone(server);
        }
        assertEquals(media.count(0), decodedFrames(out, "v:0"), "H.264 frames in GStreamer's recording");
        assertEquals(media.count(1), decodedFrames(out, "a:0"), "AAC frames in GStreamer's recording");
    }

    @ParameterizedTest
    @EnumSource(value = TransportMode.class, names = {"TCP", "UDP"})
    void intoFfmpegListen(TransportMode transport) throws Exception {
        Path out = PublishPeers.outputFile("ffmpeg-" + transport);
        FfmpegListener ffmpeg = PublishPeers.ffmpegListener(out, transport.name().toLowerCase());
        publish(ffmpeg.url(), transport);
        FfProbe.FfResult result = ffmpeg.run().get(PublishPeers.WAIT.toSeconds(),
                java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(result.succeeded(), "ffmpeg took the stream: " + result.describe());
        assertEquals(media.count(0), decodedFrames(out, "v:0"), "H.264 frames in ffmpeg's copy");
        assertEquals(media.count(1), decodedFrames(out, "a:0"), "AAC frames in ffmpeg's copy");
    }

    @ParameterizedTest
    @EnumSource(value = TransportMode.class, names = {"TCP", "UDP"})
    void intoOurOwnServer(TransportMode transport) throws Exception {
        RtspServer server = new RtspServer(new RtspServerOptions().host("127.0.0.1").port(0), group).start();
        PublishRecorder recorder = new PublishRecorder();
        try {
            server.acceptPublishers("/ingest", recorder);
            publish(server.url("/ingest"), transport);
            await(() -> !recorder.stops.isEmpty(), "the server saw the publisher stop");
        } finally {
            server.stop();
        }
        assertEquals(List.of(), recorder.errors, "no sequence gaps");
        int video = recorder.trackOf("H264");
        int audio = recorder.trackOf("MPEG4-GENERIC");
        assertEquals(media.count(0), recorder.frames(video), "H.264 frames the server received");
        assertEquals(media.count(1), recorder.frames(audio), "AAC frames the server received");
        assertDecodes(recorder.concat(video, recorder.frames(video)), "h264", "own-" + transport + ".h264",
                media.count(0));
        assertDecodes(recorder.concat(audio, recorder.frames(audio)), "aac", "own-" + transport + ".aac",
                media.count(1));
    }

    private static void assertDecodes(byte[] stream, String format, String name, long frames) throws Exception {
        Path file = PublishPeers.outputFile(name);
        java.nio.file.Files.write(file, stream);
        FfProbe.DecodeResult decoded = FfProbe.decode(file, format, "0");
        assertTrue(decoded.clean(), decoded.errors());
        assertEquals(frames, decoded.frames(), "frames that decode in " + file);
    }

    @Test
    void h265AndOpusIntoFfmpegListen() throws Exception {
        Captured hevc;
        try (GstRtspServer camera = GstRtspServer.builder().video("h265").audio("opus").start()) {
            hevc = PublishPeers.capture(camera.url(), group, 3000);
        }
        assertEquals("H265", hevc.formats().get(0).codec());
        assertEquals("OPUS", hevc.formats().get(1).codec());
        assertTrue(hevc.count(0) >= 20, "H.265 frames captured: " + hevc.count(0));
        Path out = PublishPeers.outputFile("ffmpeg-hevc-opus");
        FfmpegListener ffmpeg = PublishPeers.ffmpegListener(out, "tcp");
        publish(hevc, ffmpeg.url(), TransportMode.TCP, null);
        FfProbe.FfResult result = ffmpeg.run().get(PublishPeers.WAIT.toSeconds(),
                java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(result.succeeded(), "ffmpeg took the stream: " + result.describe());
        assertEquals(hevc.count(0), decodedFrames(out, "v:0"), "H.265 frames in ffmpeg's copy");
        assertEquals(hevc.count(1), decodedFrames(out, "a:0"), "Opus frames in ffmpeg's copy");
    }

    @Test
    void withDigestAuthentication() throws Exception {
        Path out = PublishPeers.outputFile("gst-digest");
        String launch = "( rtph264depay name=depay0 ! h264parse ! queue ! mux.video_0"
                        + " rtpmp4gdepay name=depay1 ! aacparse ! queue ! mux.audio_0"
                        + " matroskamux name=mux ! filesink location=" + out + " )";
        try (GstRtspServer server = GstRtspServer.builder().auth("digest", "pub", "s3cret").record("/record", launch)
                .start()) {
            publish("rtsp://127.0.0.1:" + server.port() + "/record", TransportMode.TCP,
                    new io.github.camelrtsp.auth.Credentials("pub", "s3cret"));
            PublishPeers.awaitRecordDone(server);
        }
        assertEquals(media.count(0), decodedFrames(out, "v:0"));
    }
}
