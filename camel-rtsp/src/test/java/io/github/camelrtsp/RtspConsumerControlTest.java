package io.github.camelrtsp;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.github.camelrtsp.headers.RangeHeader;
import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.GstRtspServer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Playback control of a running consumer against GStreamer's RTSP server playing a seekable file: route
 * suspend/resume (PAUSE/PLAY on the wire, same session), seeking from another route (consumerRouteId), and the
 * range option.
 */
class RtspConsumerControlTest {

    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final int FPS = 15;

    private GstRtspServer server;
    private RtspWireTap tap;
    private CamelContext camel;
    private final List<Message> frames = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void tools() {
        GstRtspServer.requireAvailable();
        FfProbe.requireAvailable();
    }

    @AfterEach
    void cleanup() throws Exception {
        if (camel != null) {
            camel.stop();
        }
        if (tap != null) {
            tap.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private String start(String options) throws Exception {
        return start(RtspProducerInteropTest.seekableServer(), options);
    }

    private String start(GstRtspServer gst, String options) throws Exception {
        server = gst;
        tap = new RtspWireTap(server.port());
        String url = "rtsp://127.0.0.1:" + tap.port() + "/test";
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(url + "?output=frame&receiveTimeout=60s&maxReconnectAttempts=0" + options).routeId("cam")
                        .process(e -> frames.add(e.getMessage().copy()));
                // the control route: a command message (from Kafka, REST, a timer...) seeks the camera route
                from("direct:seek").setHeader(RtspConstants.METHOD, constant("PLAY"))
                        .to("rtsp://control?consumerRouteId=cam");
            }
        });
        camel.start();
        return url;
    }

    static void await(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            sleep(20);
        }
    }

    /** Waits until no frame arrived for {@code quietMillis} (the file played to its end), at most {@link #WAIT}. */
    private void awaitEndOfFile(int quietMillis) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int last = -1;
        long lastChange = System.nanoTime();
        while (true) {
            int n = frames.size();
            if (n != last) {
                last = n;
                lastChange = System.nanoTime();
            } else if (n > 0 && System.nanoTime() - lastChange > quietMillis * 1_000_000L) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("frames kept coming for " + WAIT + ": " + n);
            }
            sleep(50);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    private static long pts(Message m) {
        return m.getHeader(RtspConstants.PRESENTATION_TIME, Long.class);
    }

    private static boolean discontinuity(Message m) {
        return Boolean.TRUE.equals(m.getHeader(RtspConstants.DISCONTINUITY, Boolean.class));
    }

    private List<String> methods() {
        return tap.requests().stream().map(RtspWireTap.Request::method)
                .filter(m -> !"OPTIONS".equals(m) && !"GET_PARAMETER".equals(m)).toList();
    }

    @Test
    void suspendSendsPauseAndResumePlaysTheSameSession() throws Exception {
        start("");
        await(() -> frames.size() >= 10, () -> "10 frames, got " + frames.size());
        camel.getRouteController().suspendRoute("cam");
        assertEquals(ServiceStatus.Suspended, camel.getRouteController().getRouteStatus("cam"));
        await(() -> methods().contains("PAUSE"), () -> "PAUSE on the wire: " + tap.requests());
        int beforeResume = frames.size();
        long lastPts = pts(frames.get(beforeResume - 1));

        camel.getRouteController().resumeRoute("cam");
        await(() -> frames.size() >= beforeResume + 10, () -> "frames after resume, got " + frames.size());

        List<RtspWireTap.Request> wire = tap.requests();
        assertEquals(List.of("DESCRIBE", "SETUP", "PLAY", "PAUSE", "PLAY"), methods(), wire.toString());
        String session = wire.stream().filter(r -> "PLAY".equals(r.method())).findFirst().orElseThrow().session();
        for (RtspWireTap.Request r : wire) {
            if (List.of("PLAY", "PAUSE").contains(r.method())) {
                assertEquals(session, r.session(), "same session on " + r + " of " + wire);
            }
        }
        assertEquals(1, tap.connections(), "one connection: " + wire);
        // presentation times go on from where they were
        for (int i = beforeResume; i < frames.size(); i++) {
            assertTrue(pts(frames.get(i)) >= lastPts - 200_000, "frame " + i + " pts " + pts(frames.get(i))
                    + " before " + lastPts);
        }
    }

    @Test
    void seekFromAnotherRouteReanchorsTimes() throws Exception {
        start("");
        await(() -> frames.size() >= FPS, () -> "a second of frames, got " + frames.size());
        Exchange answer = camel.createProducerTemplate().request("direct:seek",
                e -> e.getIn().setHeader("Range", "npt=8-"));
        assertNull(answer.getException());
        assertEquals(200, answer.getMessage().getHeader(RtspConstants.STATUS_CODE));
        RangeHeader range = RangeHeader.parse(answer.getMessage().getHeader("Range", String.class));
        assertEquals(8.0, range.nptStartSeconds(), 0.1, range.toString());
        awaitEndOfFile(3000);

        int jump = -1;
        for (int i = FPS; i < frames.size(); i++) {
            if (discontinuity(frames.get(i))) {
                jump = i;
                break;
            }
        }
        assertTrue(jump > 0, "a discontinuity marks the seek");
        List<Message> after = frames.subList(jump, frames.size());
        assertTrue(Boolean.TRUE.equals(after.get(0).getHeader(RtspConstants.KEY_FRAME)), "starts at a key frame");
        assertTrue(pts(after.get(0)) >= pts(frames.get(jump - 1)), "times continue, they do not jump back");
        // the file is 12 s long: from npt 8 there are 4 s of frames left, timed over 4 s
        long span = pts(after.get(after.size() - 1)) - pts(after.get(0));
        assertEquals(4.0, span / 1e6, 0.5, "presentation time span after the seek");
        assertEquals(4 * FPS, after.size(), FPS / 2, "frames after the seek");
        assertEquals(List.of("DESCRIBE", "SETUP", "PLAY", "PLAY"), methods(), tap.requests().toString());
        assertEquals("npt=8-", tap.requests().stream().filter(r -> "PLAY".equals(r.method())).skip(1).findFirst()
                .orElseThrow().range(), "the seek's Range on the wire");
    }

    @Test
    void rangeOptionStartsPlaybackLater() throws Exception {
        start("&range=npt=5-");
        awaitEndOfFile(3000);
        // 12 s file from npt 5: 7 s of frames
        long span = pts(frames.get(frames.size() - 1)) - pts(frames.get(0));
        assertEquals(7.0, span / 1e6, 0.5, "presentation time span");
        assertEquals(7 * FPS, frames.size(), FPS / 2, "frames from 5 s to the end");
    }

    @Test
    void suspendAndResumeALiveSource() throws Exception {
        start(GstRtspServer.builder().video("h264").start(), "");
        await(() -> frames.size() >= 10, () -> "10 frames, got " + frames.size());
        camel.getRouteController().suspendRoute("cam");
        await(() -> methods().contains("PAUSE"), () -> "PAUSE on the wire: " + tap.requests());
        int beforeResume = frames.size();
        camel.getRouteController().resumeRoute("cam");
        await(() -> frames.size() >= beforeResume + 2 * FPS, () -> "frames after resume, got " + frames.size());
        assertEquals(List.of("DESCRIBE", "SETUP", "PLAY", "PAUSE", "PLAY"), methods(), tap.requests().toString());
        assertEquals(1, tap.connections());
        Message firstAfter = frames.get(beforeResume);
        assertTrue(discontinuity(firstAfter), "the first frame after the resume is a discontinuity");
        assertTrue(pts(firstAfter) >= pts(frames.get(beforeResume - 1)), "times go on");
    }
}
