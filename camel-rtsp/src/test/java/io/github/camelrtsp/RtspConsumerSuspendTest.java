package io.github.camelrtsp;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.github.camelrtsp.client.ClientState;
import io.github.camelrtsp.client.MediaTrack;
import io.github.camelrtsp.client.RtspClientOptions;
import io.github.camelrtsp.client.RtspMediaListener;
import io.github.camelrtsp.client.RtspSessionInfo;
import io.github.camelrtsp.client.TransportMode;
import io.github.camelrtsp.message.RtspResponse;
import io.github.camelrtsp.rtp.RtpPacket;
import io.github.camelrtsp.rtp.RtpReceiverStatistics;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Route suspend/resume with a stream double: the PAUSE/PLAY calls the consumer makes, a server that refuses PAUSE
 * (a live source), and what is routed while suspended.
 */
class RtspConsumerSuspendTest extends CamelTestSupport {

    /** A stream whose PAUSE and PLAY answers are set by the test; records the calls. */
    static final class ControlledStream implements RtspStream {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final RtspMediaListener listener;
        volatile int pauseStatus = 200;

        ControlledStream(RtspMediaListener listener) {
            this.listener = listener;
        }

        @Override
        public void start() {
        }

        @Override
        public CompletableFuture<Void> stop() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public ClientState state() {
            return ClientState.PLAYING;
        }

        @Override
        public String stateReason() {
            return "playing";
        }

        @Override
        public long reconnects() {
            return 0;
        }

        @Override
        public void pauseReading() {
        }

        @Override
        public void resumeReading() {
        }

        @Override
        public CompletableFuture<RtspResponse> pause() {
            calls.add("PAUSE");
            return CompletableFuture.completedFuture(new RtspResponse(pauseStatus,
                    pauseStatus == 200 ? "OK" : "Method Not Valid in This State"));
        }

        @Override
        public CompletableFuture<RtspResponse> play(String range, String scale, String speed) {
            calls.add("PLAY " + range + " " + scale + " " + speed);
            return CompletableFuture.completedFuture(new RtspResponse(200, "OK"));
        }
    }

    private final List<ControlledStream> streams = new CopyOnWriteArrayList<>();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext ctx = super.createCamelContext();
        RtspComponent component = new RtspComponent();
        component.setStreamFactory((RtspClientOptions options, EventLoopGroup group, RtspMediaListener l) -> {
            ControlledStream s = new ControlledStream(l);
            streams.add(s);
            return s;
        });
        ctx.addComponent("rtsp", component);
        return ctx;
    }

    private RtspConsumer route(String uri) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("cam").to("mock:out");
            }
        });
        RtspConsumer consumer = (RtspConsumer) context.getRoute("cam").getConsumer();
        consumer.onPlaying(new RtspSessionInfo("s-1", TransportMode.TCP, List.of(), "v=0", Map.of()));
        return consumer;
    }

    private static final MediaTrack TRACK = new MediaTrack(0, "audio", "PCMA", 8, 8000, 1, Map.of(),
            "rtsp://127.0.0.1:1/cam/trackID=0", new RtpReceiverStatistics(8000));

    private static void packet(RtspConsumer consumer, int seq) {
        byte[] bytes = { (byte) 0x80, 8, (byte) (seq >> 8), (byte) seq, 0, 0, 0, (byte) seq, 1, 2, 3, 4, 9 };
        consumer.onRtpPacket(TRACK, new RtpPacket().wrap(Unpooled.wrappedBuffer(bytes)));
    }

    @Test
    void suspendPausesAndResumePlaysWithTheConfiguredScaleAndSpeed() throws Exception {
        RtspConsumer consumer = route("rtsp://127.0.0.1:1/cam?output=packet&scale=2&speed=1.5");
        context.getRouteController().suspendRoute("cam");
        assertEquals(ServiceStatus.Suspended, context.getRouteController().getRouteStatus("cam"));
        assertEquals(List.of("PAUSE"), streams.get(0).calls);
        assertTrue(consumer.isSuspendedSession());
        context.getRouteController().resumeRoute("cam");
        assertEquals(List.of("PAUSE", "PLAY null 2 1.5"), streams.get(0).calls, "resume: PLAY, no Range, no new SETUP");
        assertEquals(1, streams.size(), "the same stream (session) goes on");
    }

    @Test
    void aServerThatRefusesPauseIsNotRoutedUntilResumed() throws Exception {
        RtspConsumer consumer = route("rtsp://127.0.0.1:1/cam?output=packet");
        MockEndpoint out = getMockEndpoint("mock:out");
        streams.get(0).pauseStatus = 455;
        packet(consumer, 1);
        out.expectedMessageCount(1);
        out.assertIsSatisfied();

        context.getRouteController().suspendRoute("cam");
        packet(consumer, 2);
        packet(consumer, 3);
        assertEquals(2, consumer.getPacketsDiscarded(), "packets of a live source are discarded while suspended");

        context.getRouteController().resumeRoute("cam");
        assertEquals(List.of("PAUSE"), streams.get(0).calls, "no PLAY: the session never paused");
        out.reset();
        out.expectedMessageCount(1);
        packet(consumer, 4);
        out.assertIsSatisfied(TimeUnit.SECONDS.toMillis(20));
        assertEquals(4, out.getExchanges().get(0).getIn().getHeader(RtspConstants.SEQUENCE_NUMBER));
    }

    @Test
    void badRangeScaleOrSpeedOptionsAreRejectedOnStart() throws Exception {
        for (String bad : List.of("range=10", "range=frames=1-", "scale=fast", "speed=x")) {
            Exception e = assertThrows(Exception.class, () -> route("rtsp://127.0.0.1:1/cam?" + bad));
            String message = String.valueOf(e.getMessage()) + e.getCause();
            assertTrue(message.contains(bad.substring(0, bad.indexOf('='))), message);
            context.removeRoute("cam");
        }
    }
}
