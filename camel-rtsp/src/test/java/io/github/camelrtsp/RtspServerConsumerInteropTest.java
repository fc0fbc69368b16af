package io.github.camelrtsp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.FfProbe.FfResult;
import io.github.camelrtsp.testsupport.FreePorts;
import io.github.camelrtsp.testsupport.LoggedProcesses;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real publishers record into an {@code rtsp-server} consumer's path with ANNOUNCE/RECORD: ffmpeg ({@code -f rtsp},
 * H.264 + AAC, TCP and UDP) and GStreamer {@code rtspclientsink} (H.264, TCP and UDP). The route's frame bodies, written one
 * after the other, decode with ffprobe.
 */
class RtspServerConsumerInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(40);

    private static Path dir;
    private static Path clip;
    private LoggedProcesses processes;
    private CamelContext context;
    private int port;

    @BeforeAll
    static void makeClip() throws IOException {
        FfProbe.requireAvailable();
        dir = Files.createDirectories(Paths.get("target", "rtsp-server-ingest"));
        clip = FfProbe.testClip(dir);
    }

    @BeforeEach
    void startContext() {
        port = FreePorts.tcp();
        processes = new LoggedProcesses(dir);
        context = new DefaultCamelContext();
        context.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        processes.close();
        context.stop();
    }

    private MockEndpoint route(String options) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("rtsp-server:ingest?host=127.0.0.1&port=" + port + options).routeId("ingest").to("mock:ingest");
            }
        });
        return context.getEndpoint("mock:ingest", MockEndpoint.class);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(100);
        }
    }

    private static List<Exchange> frames(MockEndpoint mock, String codec) {
        return mock.getReceivedExchanges().stream()
                .filter(e -> codec.equals(e.getIn().getHeader(RtspConstants.CODEC))).toList();
    }

    /** Writes the bodies one after the other and counts the frames ffprobe decodes. */
    private static FfProbe.DecodeResult decode(List<Exchange> frames, Path file, String format, String stream)
            throws IOException {
        return FfProbe.decode(write(frames, file), format, stream);
    }

    private static Path write(List<Exchange> frames, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            for (Exchange e : frames) {
                out.write(e.getIn().getBody(byte[].class));
            }
        }
        return file;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void ffmpegPublishesH264AndAacThatTheRouteGetsAsDecodableFrames(String transport) throws Exception {
        MockEndpoint mock = route("");
        String name = "ffmpeg-" + transport;
        String url = "rtsp://127.0.0.1:" + port + "/ingest";
        Process ffmpeg = processes.launch(name, "ffmpeg", "-v", "error", "-re", "-stream_loop", "-1", "-i",
                clip.toString(), "-c", "copy", "-f", "rtsp", "-rtsp_transport", transport, url);
        await(() -> frames(mock, "H264").size() >= 60 && frames(mock, "MPEG4-GENERIC").size() >= 80
                    || !ffmpeg.isAlive(), "60 video and 80 audio frames in the route");
        assertTrue(ffmpeg.isAlive(), processes.log(name));
        context.getRouteController().stopRoute("ingest");

        List<Exchange> video = frames(mock, "H264");
        assertEquals(Boolean.TRUE, video.get(0).getIn().getHeader(RtspConstants.KEY_FRAME));
        assertEquals(url, video.get(0).getIn().getHeader(RtspConstants.RTSP_URI));
        FfProbe.DecodeResult v = decode(video, dir.resolve(name + ".h264"), "h264", "v:0");
        FfProbe.DecodeResult a = decode(frames(mock, "MPEG4-GENERIC"), dir.resolve(name + ".aac"), "aac", "a:0");
        if (transport.equals("tcp")) {
            assertTrue(v.clean(), v.errors());
            assertTrue(a.clean(), a.errors());
            assertEquals(video.size(), v.frames(), "every routed video frame decodes");
        }
        assertTrue(v.frames() >= video.size() * 9 / 10, v.frames() + " of " + video.size());
        assertTrue(a.frames() >= 72, "audio frames: " + a.frames());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void gstreamerRtspClientSinkPublishesFramesTheRouteGets(String transport) throws Exception {
        MockEndpoint mock = route("&output=frame");
        int count = 150;
        boolean tcp = transport.equals("tcp");
        String name = "gst-h264-" + transport;
        Process gst = processes.launch(name, "gst-launch-1.0", "-e", "videotestsrc", "is-live=true",
                "num-buffers=" + count, "!", "video/x-raw,width=320,height=240,framerate=30/1", "!", "x264enc",
                "tune=zerolatency", "key-int-max=30", "speed-preset=ultrafast", "!", "video/x-h264,profile=baseline",
                "!", "rtspclientsink", "location=rtsp://127.0.0.1:" + port + "/ingest", "protocols=" + transport,
                "latency=100");
        RtspServerConsumer consumer = (RtspServerConsumer) context.getRoute("ingest").getConsumer();
        // gst-launch normally ends with a TEARDOWN after its last frame; under heavy load it has been seen to hang
        // at its end of stream after sending everything: the connection loss then ends the publication instead
        if (!gst.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            gst.destroy();
        }
        await(() -> consumer.getPublishers() == 0, "the end of the publication");
        await(() -> consumer.getQueueSize() == 0, "every frame received taken by the route");
        if (tcp) {
            await(() -> frames(mock, "H264").size() >= count, "every frame routed");
        } else {
            Thread.sleep(200); // the last exchange taken from the queue may still be on its way to the mock
        }
        List<Exchange> video = frames(mock, "H264");
        assertEquals(1, consumer.getPublishersStarted());
        if (tcp) {
            assertEquals(count, video.size());
            assertFalse(video.stream().anyMatch(e -> e.getIn().getHeader(RtspConstants.DISCONTINUITY,
                    Boolean.class)));
        } else {
            // UDP on loopback rarely loses a datagram; a loss costs the frames up to the next key frame
            assertTrue(video.size() >= count * 8 / 10, "frames over UDP: " + video.size());
        }
        assertEquals(video.size(), FfProbe.countDecodedVideoFrames(write(video, dir.resolve(name + ".h264")),
                "h264"));
    }

    @Test
    void aPathWithCredentialsTakesOnlyAPublisherThatAuthenticates() throws Exception {
        MockEndpoint mock = route("&username=camera&password=RAW(s3cr&t)&authSchemes=digest");
        String url = "rtsp://127.0.0.1:" + port + "/ingest";
        FfResult refused = FfProbe.ffmpeg(Duration.ofSeconds(30), "-v", "error", "-re", "-i", clip.toString(),
                "-t", "1", "-c", "copy", "-f", "rtsp", "-rtsp_transport", "tcp", url);
        assertFalse(refused.succeeded(), "without credentials: " + refused.describe());
        RtspServerConsumer consumer = (RtspServerConsumer) context.getRoute("ingest").getConsumer();
        assertEquals(0, consumer.getPublishersStarted());

        Process ffmpeg = processes.launch("ffmpeg-auth", "ffmpeg", "-v", "error", "-re", "-stream_loop", "-1", "-i",
                clip.toString(), "-c", "copy", "-f", "rtsp", "-rtsp_transport", "tcp",
                url.replace("rtsp://", "rtsp://camera:s3cr%26t@"));
        await(() -> frames(mock, "H264").size() >= 10 || !ffmpeg.isAlive(), "frames of the authenticated publisher");
        assertTrue(ffmpeg.isAlive(), processes.log("ffmpeg-auth"));
        assertEquals(1, consumer.getPublishersStarted());
    }

    @Test
    void whatAPublisherRecordsCanBeServedAgainByAProducer() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("rtsp-server:ingest?host=127.0.0.1&port=" + port).routeId("ingest")
                        .to("rtsp-server:out?host=127.0.0.1&expectedTracks=2&port=" + port);
            }
        });
        Process ffmpeg = processes.launch("ffmpeg-chain", "ffmpeg", "-v", "error", "-re", "-stream_loop", "-1", "-i",
                clip.toString(), "-c", "copy", "-f", "rtsp", "-rtsp_transport", "tcp",
                "rtsp://127.0.0.1:" + port + "/ingest");
        String out = "rtsp://127.0.0.1:" + port + "/out";
        await(() -> FfProbe.probeStreams(out, "tcp", Duration.ofSeconds(20)).succeeded() || !ffmpeg.isAlive(),
                "the path served by the producer");
        assertTrue(ffmpeg.isAlive(), processes.log("ffmpeg-chain"));
        FfResult probe = FfProbe.probeStreams(out, "udp", Duration.ofSeconds(20));
        assertTrue(probe.succeeded(), probe.describe());
        assertEquals(List.of("h264,video", "aac,audio"), probe.lines(), probe.describe());
    }
}
