package io.github.camelrtsp;

import static io.github.camelrtsp.client.PublishPeers.await;
import static io.github.camelrtsp.client.PublishPeers.decodedFrames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.camelrtsp.client.PublishPeers;
import io.github.camelrtsp.client.PublishPeers.Captured;
import io.github.camelrtsp.client.PublishPeers.FfmpegListener;
import io.github.camelrtsp.publish.PublishFrame;
import io.github.camelrtsp.publish.PublishTracks;
import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.GstCamelTest;
import io.github.camelrtsp.testsupport.GstRtspServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/**
 * {@code to("rtsp://...?publish=true")} against real peers: a camera relayed by a route (GStreamer's server plays
 * H.264 + AAC on one mount and records on another; the route joins them), and frames a user builds sent with a
 * producer template into {@code ffmpeg -rtsp_flags listen}. The files the peers write must decode with exactly the
 * frames the producer sent.
 */
class RtspPublishProducerInteropTest extends GstCamelTest {


    @BeforeAll
    static void ffmpeg() {
        FfProbe.requireAvailable();
    }

    @Test
    void aRouteRelaysACameraIntoGstreamersRecordMount() throws Exception {
        Map<Integer, Map<String, Object>> firstByTrack = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.Set<String> threadsAfter = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Path out = PublishPeers.outputFile("relay");
        try (GstRtspServer server = PublishPeers.gstRecorder(out, "tcp,udp")) {
            String publishUri = "rtsp://127.0.0.1:" + server.port() + "/record?publish=true&publishTracks=2"
                                + "&transport=udp";
            camel = new DefaultCamelContext();
            camel.start();
            // the producer made by hand, as to(publishUri) would, so that the test can read its counters
            RtspPublishProducer producer = (RtspPublishProducer) camel.getEndpoint(publishUri).createProducer();
            producer.start();
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(server.url() + "?output=frame&transport=tcp").routeId("relay")
                            .process(e -> firstByTrack.putIfAbsent(e.getIn().getHeader(RtspConstants.TRACK,
                                    Integer.class), new HashMap<>(e.getIn().getHeaders())))
                            .process(producer)
                            .process(e -> threadsAfter.add(Thread.currentThread().getName()));
                }
            });
            await(() -> producer.getFramesSent() >= 150, "frames relayed: " + producer.getFramesSent());
            camel.getRouteController().stopRoute("relay", 30, TimeUnit.SECONDS);
            producer.stop();
            PublishPeers.awaitRecordDone(server);
            // the route goes on off the Netty I/O threads once the frame was sent
            assertFalse(threadsAfter.isEmpty());
            assertTrue(threadsAfter.stream().noneMatch(t -> t.startsWith("camel-rtsp-io")), threadsAfter.toString());
            // the consumer's frames carry what publishing needs: clock rate and channels
            assertEquals(90000, firstByTrack.get(0).get(RtspConstants.CLOCK_RATE));
            assertEquals(44100, firstByTrack.get(1).get(RtspConstants.CLOCK_RATE));
            assertEquals(1, firstByTrack.get(1).get(RtspConstants.CHANNELS));
            PublishTracks tracks = producer.announcedTracks();
            assertNotNull(tracks);
            assertEquals(0, producer.getFramesDropped(), "nothing dropped on loopback");
            assertEquals(tracks.track(0).framesSent(), decodedFrames(out, "v:0"), "relayed H.264 frames");
            assertEquals(tracks.track(1).framesSent(), decodedFrames(out, "a:0"), "relayed AAC frames");
            assertTrue(tracks.track(0).framesSent() >= 20);
        }
    }

    @Test
    void framesAUserBuildsArePacedIntoFfmpegListen() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Captured media;
        try (GstRtspServer camera = GstRtspServer.builder().video("h264").audio("aac").start()) {
            media = PublishPeers.capture(camera.url(), group, 3000);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        Path out = PublishPeers.outputFile("template");
        FfmpegListener ffmpeg = PublishPeers.ffmpegListener(out, "udp");
        camel = new DefaultCamelContext();
        camel.start();
        ProducerTemplate template = camel.createProducerTemplate();
        String uri = ffmpeg.url() + "?publish=true&publishTracks=2&transport=udp";
        long start = System.nanoTime();
        for (PublishFrame f : media.frames()) {
            Map<String, Object> headers = new HashMap<>();
            headers.put(RtspConstants.TRACK, f.track());
            headers.put(RtspConstants.CODEC, f.codec());
            headers.put(RtspConstants.PRESENTATION_TIME, f.presentationMicros());
            headers.put(RtspConstants.KEY_FRAME, f.keyFrame());
            if (f.track() == 1) {
                headers.put(RtspConstants.CODEC_CONFIG, media.formats().get(1).fmtp().get("config") == null ? null
                        : java.util.HexFormat.of().parseHex(media.formats().get(1).fmtp().get("config")));
            }
            Exchange result = template.send(uri, e -> {
                e.getIn().setBody(f.data());
                e.getIn().setHeaders(headers);
            });
            assertNull(result.getException(), "frame accepted");
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        camel.stop();
        FfProbe.FfResult result = ffmpeg.run().get(PublishPeers.WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(result.succeeded(), "ffmpeg took the stream: " + result.describe());
        assertEquals(media.count(0), decodedFrames(out, "v:0"), "H.264 frames (sent in " + elapsedMs + " ms)");
        assertEquals(media.count(1), decodedFrames(out, "a:0"), "AAC frames");
    }

    @Test
    void aFrameWithoutItsHeadersFailsTheExchangeClearly() throws Exception {
        camel = new DefaultCamelContext();
        camel.start();
        Exchange result = camel.createProducerTemplate().send("rtsp://127.0.0.1:1/x?publish=true",
                e -> e.getIn().setBody(new byte[] {0, 0, 0, 1, 0x65}));
        assertInstanceOf(IllegalArgumentException.class, result.getException());
        assertTrue(result.getException().getMessage().contains(RtspConstants.CODEC),
                result.getException().getMessage());
        Exchange unknown = camel.createProducerTemplate().send("rtsp://127.0.0.1:1/x?publish=true", e -> {
            e.getIn().setBody(new byte[] {1, 2, 3});
            e.getIn().setHeader(RtspConstants.CODEC, "VP8");
            e.getIn().setHeader(RtspConstants.PRESENTATION_TIME, 0L);
        });
        assertInstanceOf(IllegalArgumentException.class, unknown.getException());
        assertTrue(unknown.getException().getMessage().contains("VP8"));
    }
}
