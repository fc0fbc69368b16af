package io.github.camelrtsp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.github.camelrtsp.testsupport.GstCamelTest;
import io.github.camelrtsp.testsupport.GstRtspServer;
import org.apache.camel.Message;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Camel routes consuming from GStreamer's RTSP server. */
class RtspConsumerInteropTest extends GstCamelTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final List<Message> received = new CopyOnWriteArrayList<>();

    private void route(String uri) throws Exception {
        startRoute(uri, "cam", e -> received.add(e.getMessage().copy()));
    }

    static void await(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    private void receivesPacketsWithHeaders(String transport) throws Exception {
        startServer("h264", "aac");
        route(server.url() + "?output=packet&transport=" + transport + "&reconnectDelay=200");
        await(() -> received.stream().filter(m -> "video".equals(m.getHeader("CamelRtspMediaType"))).count() > 50
                && received.stream().anyMatch(m -> "audio".equals(m.getHeader("CamelRtspMediaType"))),
                () -> "video and audio packets, got " + received.size());
        Message video = received.stream().filter(m -> "video".equals(m.getHeader("CamelRtspMediaType")))
                .findFirst().orElseThrow();
        assertEquals("H264", video.getHeader("CamelRtspCodec"));
        assertEquals(0, video.getHeader("CamelRtspTrack", Integer.class));
        assertEquals(96, video.getHeader("CamelRtspPayloadType", Integer.class));
        assertNotNull(video.getHeader("CamelRtspSequenceNumber", Integer.class));
        assertNotNull(video.getHeader("CamelRtspRtpTimestamp", Long.class));
        assertNotNull(video.getHeader("CamelRtspSsrc", Long.class));
        assertNotNull(video.getHeader("CamelRtspMarker", Boolean.class));
        assertEquals(0L, video.getHeader("CamelRtspPacketsLost", Long.class));
        assertNotNull(video.getHeader("CamelRtspSessionId", String.class));
        assertEquals(server.url(), video.getHeader("CamelRtspUri"));
        assertTrue(video.getBody(byte[].class).length > 0);
        Message audio = received.stream().filter(m -> "audio".equals(m.getHeader("CamelRtspMediaType")))
                .findFirst().orElseThrow();
        assertEquals("MPEG4-GENERIC", audio.getHeader("CamelRtspCodec"));
        assertEquals(1, audio.getHeader("CamelRtspTrack", Integer.class));
        // sequence numbers of one track arrive in order without gaps on loopback
        List<Integer> seqs = received.stream().filter(m -> "video".equals(m.getHeader("CamelRtspMediaType")))
                .map(m -> m.getHeader("CamelRtspSequenceNumber", Integer.class)).toList();
        for (int i = 1; i < seqs.size(); i++) {
            assertEquals((seqs.get(i - 1) + 1) & 0xFFFF, seqs.get(i), "in order at " + i);
        }
    }

    @Test
    void routeReceivesPacketsOverTcp() throws Exception {
        receivesPacketsWithHeaders("tcp");
    }

    @Test
    void routeReceivesPacketsOverUdp() throws Exception {
        receivesPacketsWithHeaders("udp");
    }

    @Test
    void digestCredentialsFromTheUriNeverShow() throws Exception {
        String password = "Pw-" + System.nanoTime();
        server = GstRtspServer.builder().video("h264").audio("none").auth("digest", "viewer", password).build();
        server.start();
        route("rtsp://viewer:" + password + "@127.0.0.1:" + server.port() + "/test");
        await(() -> received.size() > 20, () -> "packets with digest auth");
        assertFalse(camel.getRoute("cam").getEndpoint().getEndpointUri().contains(password));
        assertFalse(camel.getRoute("cam").getEndpoint().toString().contains(password));
        for (Message m : received) {
            assertFalse(String.valueOf(m.getHeader("CamelRtspUri")).contains(password));
        }
        camel.stop();
        Path log = Path.of("target/camel-rtsp-test.log");
        if (Files.exists(log)) {
            assertFalse(Files.readString(log).contains(password), "password in the log");
        }
    }

    @Test
    void wrongPasswordKeepsTheRouteUpAndSaysWhy() throws Exception {
        server = GstRtspServer.builder().video("h264").audio("none").auth("basic", "viewer", "right").build();
        server.start();
        route("rtsp://127.0.0.1:" + server.port() + "/test?username=viewer&password=wrong-pw&reconnectDelay=200");
        RtspConsumer consumer = (RtspConsumer) camel.getRoute("cam").getConsumer();
        await(() -> consumer.stateReason() != null && consumer.stateReason().contains("authentication failed"),
                () -> "authentication failure, state " + consumer.stateReason());
        assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus("cam"));
        assertTrue(received.isEmpty());
        Path log = Path.of("target/camel-rtsp-test.log");
        if (Files.exists(log)) {
            assertFalse(Files.readString(log).contains("wrong-pw"), "password in the log");
        }
    }

    @Test
    void routeResumesAfterServerRestart() throws Exception {
        startServer("h264", "none");
        route(server.url() + "?reconnectDelay=200&maxReconnectDelay=1000");
        await(() -> received.size() > 20, () -> "packets before the kill");
        server.kill();
        Thread.sleep(1000);
        int before = received.size();
        server.restart();
        await(() -> received.size() > before + 20, () -> "packets after the restart");
    }
}
