package io.github.camelrtsp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.FfProbe.FfResult;
import io.github.camelrtsp.testsupport.FreePorts;
import io.github.camelrtsp.testsupport.GstRtspServer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
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
 * Restreaming through a route: {@code from("rtsp://<GStreamer RTSP server, H.264 + AAC>").to("rtsp-server:live")};
 * real clients (ffprobe, ffmpeg over TCP and UDP) and our own rtsp consumer play the path and decode what they get.
 */
class RtspServerProducerInteropTest {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(40);

    private GstRtspServer camera;
    private CamelContext context;
    private int port;
    private String url;

    @BeforeAll
    static void tools() {
        GstRtspServer.requireAvailable();
        FfProbe.requireAvailable();
    }

    @BeforeEach
    void startRelay() throws Exception {
        camera = GstRtspServer.builder().video("h264").audio("aac").start();
        port = FreePorts.tcp();
        url = "rtsp://127.0.0.1:" + port + "/live";
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(camera.url()).routeId("relay")
                        .to("rtsp-server:live?host=127.0.0.1&expectedTracks=2&port=" + port);
            }
        });
        context.start();
        await(() -> FfProbe.probeStreams(url, "tcp", TOOL_TIMEOUT).succeeded(), "the relayed stream");
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
        if (camera != null) {
            camera.close();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(200);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void ffprobeSeesTheCamerasH264AndAac(String transport) {
        List<Map<String, String>> streams = FfProbe.streamEntries(url, transport, TOOL_TIMEOUT, "codec_name",
                "width", "height");
        assertEquals(2, streams.size(), streams.toString());
        assertEquals("h264", streams.get(0).get("codec_name"), streams.toString());
        assertEquals(String.valueOf(GstRtspServer.VIDEO_WIDTH), streams.get(0).get("width"), streams.toString());
        assertEquals(String.valueOf(GstRtspServer.VIDEO_HEIGHT), streams.get(0).get("height"), streams.toString());
        assertEquals("aac", streams.get(1).get("codec_name"), streams.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void ffmpegRecordsThreeSecondsThatDecodeWithoutErrors(String transport) throws Exception {
        Path dir = Files.createDirectories(Paths.get("target", "rtsp-server-relay"));
        Path video = dir.resolve("out-" + transport + ".h264");
        Path audio = dir.resolve("out-" + transport + ".aac");
        FfResult r = FfProbe.ffmpeg(TOOL_TIMEOUT, "-v", "error", "-rtsp_transport", transport, "-i", url,
                "-map", "0:v", "-t", "3", "-c", "copy", "-f", "h264", "-y", video.toString(),
                "-map", "0:a", "-t", "3", "-c", "copy", "-f", "adts", "-y", audio.toString());
        assertTrue(r.succeeded(), r.describe());
        int frames = FfProbe.countDecodedVideoFrames(video, "h264");
        // ffmpeg's 3 s window starts with the earliest stream; video starts at a key frame, audio may start before
        // it, so between 1.5 and 3 s of video at 15 fps
        assertTrue(frames >= 22 && frames <= 3 * GstRtspServer.VIDEO_FRAME_RATE + 3, "video frames: " + frames);
        FfProbe.DecodeResult aac = FfProbe.decode(audio, "aac", "a:0");
        assertTrue(aac.clean(), aac.errors());
        assertTrue(aac.frames() > 20, "audio frames: " + aac.frames());
    }

    @Test
    void ourRtspConsumerPlaysTheRelayFromAKeyFrameWithContinuousTiming() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(url).routeId("viewer").to("mock:viewer");
            }
        });
        MockEndpoint mock = context.getEndpoint("mock:viewer", MockEndpoint.class);
        await(() -> count(mock, "video") >= 30 && count(mock, "audio") >= 20, "frames at the viewer");
        context.getRouteController().stopRoute("viewer");

        List<Message> video = new ArrayList<>();
        for (Exchange e : mock.getReceivedExchanges()) {
            if ("video".equals(e.getIn().getHeader(RtspConstants.MEDIA_TYPE))) {
                video.add(e.getIn());
            }
        }
        assertEquals(Boolean.TRUE, video.get(0).getHeader(RtspConstants.KEY_FRAME), "starts at a key frame");
        for (int i = 1; i < video.size(); i++) {
            long step = video.get(i).getHeader(RtspConstants.RTP_TIMESTAMP, Long.class)
                        - video.get(i - 1).getHeader(RtspConstants.RTP_TIMESTAMP, Long.class);
            assertEquals(GstRtspServer.VIDEO_FRAME_TICKS, (step + (1L << 32)) % (1L << 32), "frame " + i);
            assertEquals(Boolean.FALSE, video.get(i).getHeader(RtspConstants.DISCONTINUITY), "frame " + i);
        }
        assertEquals("H264", video.get(0).getHeader(RtspConstants.CODEC));
    }

    private static long count(MockEndpoint mock, String mediaType) {
        return mock.getReceivedExchanges().stream()
                .filter(e -> mediaType.equals(e.getIn().getHeader(RtspConstants.MEDIA_TYPE))).count();
    }

    @Test
    void aPathWithCredentialsIsPlayedOnlyWithThem() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // a second session to the camera (one endpoint URI cannot have two consumers)
                from(camera.url() + (camera.url().contains("?") ? "&" : "?") + "reconnectDelay=2s")
                        .routeId("secure-relay")
                        .to("rtsp-server:secure?host=127.0.0.1&expectedTracks=2&username=viewer&password=pw1&port="
                            + port);
            }
        });
        String secure = "rtsp://127.0.0.1:" + port + "/secure";
        String withCredentials = secure.replace("rtsp://", "rtsp://viewer:pw1@");
        await(() -> FfProbe.probeStreams(withCredentials, "tcp", TOOL_TIMEOUT).succeeded(), "the secured relay");
        FfResult without = FfProbe.probeStreams(secure, "tcp", TOOL_TIMEOUT);
        assertFalse(without.succeeded(), without.describe());
        assertTrue(without.stderr().contains("401"), without.describe());
        FfResult wrong = FfProbe.probeStreams(secure.replace("rtsp://", "rtsp://viewer:nope@"), "tcp", TOOL_TIMEOUT);
        assertFalse(wrong.succeeded(), wrong.describe());
        assertTrue(FfProbe.probeStreams(url, "tcp", TOOL_TIMEOUT).succeeded(), "the other path stays open");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h265+opus:hevc,video;opus,audio", "mjpeg+pcmu:mjpeg,video;pcm_mulaw,audio",
        "h264+g722:h264,video;adpcm_g722,audio"})
    void otherCodecsAreRelayedToo(String variant) throws Exception {
        String[] codecs = variant.substring(0, variant.indexOf(':')).split("\\+");
        List<String> expected = List.of(variant.substring(variant.indexOf(':') + 1).split(";"));
        try (GstRtspServer other = GstRtspServer.builder().video(codecs[0]).audio(codecs[1]).start()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(other.url()).routeId("other")
                            .to("rtsp-server:other?host=127.0.0.1&expectedTracks=2&port=" + port);
                }
            });
            String otherUrl = "rtsp://127.0.0.1:" + port + "/other";
            await(() -> FfProbe.probeStreams(otherUrl, "tcp", TOOL_TIMEOUT).succeeded(), "the relayed " + variant);
            FfResult probe = FfProbe.probeStreams(otherUrl, "udp", TOOL_TIMEOUT);
            assertTrue(probe.succeeded(), probe.describe());
            assertEquals(expected, probe.lines(), probe.describe());
            context.getRouteController().stopRoute("other");
        }
    }
}
