package io.github.camelrtsp;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.github.camelrtsp.client.ClientState;
import io.github.camelrtsp.client.MediaTrack;
import io.github.camelrtsp.client.RtspSessionInfo;
import io.github.camelrtsp.client.TransportMode;
import io.github.camelrtsp.rtp.RtpPacket;
import io.github.camelrtsp.rtp.RtpReceiverStatistics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delivery logic of the consumer, driven through its enqueue path with a network-free stream double. Every URI
 * points at 127.0.0.1 so that nothing could leave the machine even with the real client.
 */
class RtspConsumerTest extends CamelTestSupport {

    private final FakeStream.Factory streams = new FakeStream.Factory();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Throwable> handled = new CopyOnWriteArrayList<>();
    private LogCapture logs;

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext ctx = super.createCamelContext();
        RtspComponent component = new RtspComponent();
        component.setStreamFactory(streams);
        ctx.addComponent("rtsp", component);
        ctx.getRegistry().bind("recordingHandler", (ExceptionHandler) new ExceptionHandler() {
            @Override
            public void handleException(Throwable exception) {
                handled.add(exception);
            }

            @Override
            public void handleException(String message, Throwable exception) {
                handled.add(exception);
            }

            @Override
            public void handleException(String message, Exchange exchange, Throwable exception) {
                handled.add(exception);
            }
        });
        return ctx;
    }

    @BeforeEach
    void captureLogs() {
        logs = LogCapture.install();
    }

    @AfterEach
    void releaseRoutes() {
        release.countDown();
        logs.close();
    }

    static CapturedPacket packet(int seq) {
        return new CapturedPacket(1, "video", "H264", "sess-1", 96, seq, 4_000_000_000L + 3000L * seq, 0xDEADBEEFL,
                seq % 5 == 4, 7L, new byte[] { (byte) seq, 1, 2, 3 });
    }

    private RtspConsumer startRoute(String id, String uri, boolean slow) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                if (slow) {
                    from(uri).routeId(id).process(e -> {
                        entered.countDown();
                        assertTrue(release.await(10, TimeUnit.SECONDS));
                    }).to("mock:" + id);
                } else {
                    from(uri).routeId(id).to("mock:" + id);
                }
            }
        });
        return (RtspConsumer) context.getRoute(id).getConsumer();
    }

    static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }

    private static List<Integer> sequenceNumbers(MockEndpoint mock) {
        return mock.getExchanges().stream()
                .map(e -> e.getIn().getHeader(RtspConstants.SEQUENCE_NUMBER, Integer.class)).toList();
    }

    @Test
    void startCreatesTheStreamOnTheComponentGroupAndStopStopsIt() throws Exception {
        RtspConsumer consumer = startRoute("life", "rtsp://127.0.0.1:1/life?channel=3&transport=udp", false);
        FakeStream stream = streams.last();
        assertTrue(stream.started);
        assertSame(consumer, stream.listener);
        assertSame(context.getComponent("rtsp", RtspComponent.class).ioGroup(), stream.group);
        assertEquals("rtsp://127.0.0.1:1/life?channel=3", stream.options.url());
        assertEquals(TransportMode.UDP, stream.options.transport());
        // no health check registry in this context: the check exists but is not exposed
        assertNull(consumer.getHealthCheck());
        assertEquals("rtsp-consumer-life", consumer.healthCheck().getId());
        context.getRouteController().stopRoute("life");
        assertTrue(stream.stopped);
        assertNull(consumer.stream());
    }

    @Test
    void startIsLoggedOnceWithTheCameraUrlOptionsAndQuery() throws Exception {
        startRoute("logged", "rtsp://127.0.0.1:1/cam/realmonitor?channel=1&subtype=0&transprt=udp", false);
        List<String> starts = logs.lines().stream().filter(l -> l.contains("Starting RTSP consumer")).toList();
        assertEquals(1, starts.size(), logs.text());
        String line = starts.get(0);
        assertTrue(line.startsWith("INFO"), line);
        assertTrue(line.contains("rtsp://127.0.0.1:1/cam/realmonitor?channel=1&subtype=0&transprt=udp"), line);
        assertTrue(line.contains("transport=tcp"), line);
        assertTrue(line.contains("camera query parameters=[channel, subtype, transprt]"), line);
        assertTrue(logs.lines().stream().anyMatch(l -> l.startsWith("WARN") && l.contains("'transprt'")
                                                       && l.contains("did you mean the option 'transport'")),
                logs.text());
    }

    @Test
    void everyExchangeCarriesThePayloadAndTheHeaders() throws Exception {
        RtspConsumer consumer = startRoute("headers", "rtsp://127.0.0.1:1/h?channel=1", false);
        MockEndpoint mock = getMockEndpoint("mock:headers");
        mock.expectedMessageCount(5);
        for (int i = 0; i < 5; i++) {
            assertTrue(consumer.enqueue(packet(i)));
        }
        mock.assertIsSatisfied();
        for (int i = 0; i < 5; i++) {
            Message m = mock.getExchanges().get(i).getIn();
            assertArrayEquals(new byte[] { (byte) i, 1, 2, 3 }, m.getBody(byte[].class));
            assertEquals("rtsp://127.0.0.1:1/h?channel=1", m.getHeader(RtspConstants.RTSP_URI));
            assertEquals("sess-1", m.getHeader(RtspConstants.SESSION_ID));
            assertEquals(1, m.getHeader(RtspConstants.TRACK));
            assertEquals("video", m.getHeader(RtspConstants.MEDIA_TYPE));
            assertEquals("H264", m.getHeader(RtspConstants.CODEC));
            assertEquals(96, m.getHeader(RtspConstants.PAYLOAD_TYPE));
            assertEquals(i, m.getHeader(RtspConstants.SEQUENCE_NUMBER));
            assertEquals(4_000_000_000L + 3000L * i, m.getHeader(RtspConstants.RTP_TIMESTAMP));
            assertEquals(0xDEADBEEFL, m.getHeader(RtspConstants.SSRC));
            assertEquals(i == 4, m.getHeader(RtspConstants.MARKER));
            assertEquals(7L, m.getHeader(RtspConstants.PACKETS_LOST));
        }
        awaitTrue(() -> consumer.getPacketsDelivered() == 5);
        assertEquals(0, consumer.getQueueSize());
    }

    @Test
    void udpDropsAndCountsWhenTheQueueIsFull() throws Exception {
        RtspConsumer consumer = startRoute("udp", "rtsp://127.0.0.1:1/u?transport=udp&maxQueueSize=4", true);
        MockEndpoint mock = getMockEndpoint("mock:udp");
        assertTrue(consumer.enqueue(packet(0)));
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        int accepted = 0;
        for (int i = 1; i <= 10; i++) {
            if (consumer.enqueue(packet(i))) {
                accepted++;
            }
        }
        assertEquals(4, accepted);
        assertEquals(6, consumer.getPacketsDropped());
        assertEquals(4, consumer.getQueueSize());
        assertEquals(0, streams.last().pauses.get(), "UDP never pauses reading");

        mock.expectedMessageCount(5);
        release.countDown();
        mock.assertIsSatisfied();
        assertEquals(List.of(0, 1, 2, 3, 4), sequenceNumbers(mock));
        List<String> dropLogs = logs.lines().stream().filter(l -> l.contains("dropped")).toList();
        assertEquals(1, dropLogs.size(), "rate limited to one line per 10 s: " + dropLogs);
        assertTrue(dropLogs.get(0).startsWith("WARN") && dropLogs.get(0).contains("dropped 1 RTP packets"),
                dropLogs.get(0));
    }

    @Test
    void tcpPausesReadingAtMaxQueueSizeAndResumesAtHalf() throws Exception {
        RtspConsumer consumer = startRoute("tcp", "rtsp://127.0.0.1:1/t?maxQueueSize=10", true);
        consumer.onPlaying(new RtspSessionInfo("sess-1", TransportMode.TCP, List.of(), "v=0", java.util.Map.of()));
        FakeStream stream = streams.last();
        MockEndpoint mock = getMockEndpoint("mock:tcp");
        assertTrue(consumer.enqueue(packet(0)));
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        for (int i = 1; i <= 15; i++) {
            assertTrue(consumer.enqueue(packet(i)), "TCP must not drop packet " + i);
            if (i < 10) {
                assertEquals(0, stream.pauses.get(), "paused too early at " + i);
            }
        }
        assertEquals(1, stream.pauses.get());
        assertTrue(stream.paused);
        assertTrue(consumer.isReadingPaused());
        assertEquals(15, consumer.getQueueSize());

        mock.expectedMessageCount(16);
        release.countDown();
        mock.assertIsSatisfied();
        awaitTrue(() -> stream.resumes.get() == 1);
        assertFalse(stream.paused);
        assertFalse(consumer.isReadingPaused());
        assertEquals(0, consumer.getPacketsDropped());
        assertEquals(1, consumer.getReadPauses());
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i <= 15; i++) {
            expected.add(i);
        }
        assertEquals(expected, sequenceNumbers(mock));
    }

    @Test
    void tcpDropsOnlyWhenPacketsKeepComingAfterThePause() throws Exception {
        RtspConsumer consumer = startRoute("overflow", "rtsp://127.0.0.1:1/o?maxQueueSize=2", true);
        consumer.onPlaying(new RtspSessionInfo("sess-1", TransportMode.TCP, List.of(), "v=0", java.util.Map.of()));
        assertTrue(consumer.enqueue(packet(0)));
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        int accepted = 0;
        for (int i = 1; i <= 6; i++) {
            if (consumer.enqueue(packet(i))) {
                accepted++;
            }
        }
        assertEquals(4, accepted, "twice maxQueueSize is accepted over TCP");
        assertEquals(2, consumer.getPacketsDropped());
        assertTrue(logs.lines().stream()
                .anyMatch(l -> l.startsWith("WARN") && l.contains("although reading is paused")), logs.text());
    }

    @Test
    void orderIsKeptWhenTheRouteContinuesAsynchronously() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("rtsp://127.0.0.1:1/async").routeId("async").delay(1).asyncDelayed().to("mock:async");
            }
        });
        RtspConsumer consumer = (RtspConsumer) context.getRoute("async").getConsumer();
        MockEndpoint mock = getMockEndpoint("mock:async");
        int n = 150;
        mock.expectedMessageCount(n);
        for (int i = 0; i < n; i++) {
            assertTrue(consumer.enqueue(packet(i)));
        }
        mock.assertIsSatisfied(20_000);
        List<Integer> seqs = sequenceNumbers(mock);
        for (int i = 0; i < n; i++) {
            assertEquals(i, seqs.get(i));
        }
    }

    @Test
    void manyConsumersShareTheDeliveryThreads() throws Exception {
        RtspComponent component = context.getComponent("rtsp", RtspComponent.class);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        int consumers = 25;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (int c = 0; c < consumers; c++) {
                    from("rtsp://127.0.0.1:1/many" + c).routeId("many" + c)
                            .process(e -> threads.add(Thread.currentThread().getName()))
                            .to("mock:many" + c);
                }
            }
        });
        for (int c = 0; c < consumers; c++) {
            getMockEndpoint("mock:many" + c).expectedMessageCount(20);
        }
        for (int round = 0; round < 20; round++) {
            for (int c = 0; c < consumers; c++) {
                assertTrue(((RtspConsumer) context.getRoute("many" + c).getConsumer()).enqueue(packet(round)));
            }
        }
        for (int c = 0; c < consumers; c++) {
            MockEndpoint mock = getMockEndpoint("mock:many" + c);
            mock.assertIsSatisfied();
            List<Integer> seqs = sequenceNumbers(mock);
            for (int i = 0; i < 20; i++) {
                assertEquals(i, seqs.get(i));
            }
        }
        assertTrue(threads.size() <= component.getDeliveryThreads(), "threads used: " + threads);
        assertTrue(threads.stream().noneMatch(t -> t.startsWith("camel-rtsp-io")), "routes never run on I/O threads");
    }

    @Test
    void routeFailuresGoToTheExceptionHandlerAndDeliveryGoesOn() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("rtsp://127.0.0.1:1/fails?exceptionHandler=#recordingHandler").routeId("fails")
                        .process(e -> {
                            if (e.getIn().getHeader(RtspConstants.SEQUENCE_NUMBER, Integer.class) == 1) {
                                throw new IllegalStateException("boom on 1");
                            }
                        }).to("mock:fails");
            }
        });
        RtspConsumer consumer = (RtspConsumer) context.getRoute("fails").getConsumer();
        MockEndpoint mock = getMockEndpoint("mock:fails");
        mock.expectedMessageCount(2);
        for (int i = 0; i < 3; i++) {
            consumer.enqueue(packet(i));
        }
        mock.assertIsSatisfied();
        assertEquals(List.of(0, 2), sequenceNumbers(mock));
        awaitTrue(() -> consumer.getPacketsDelivered() == 3);
        assertEquals(1, handled.size());
        assertEquals("boom on 1", handled.get(0).getMessage());
    }

    @Test
    void clientErrorsAreBridgedOncePerStateChange() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(RtspStreamException.class).handled(true).to("mock:errors");
                from("rtsp://127.0.0.1:1/bridge?bridgeErrorHandler=true").routeId("bridge").to("mock:bridge");
            }
        });
        FakeStream stream = streams.last();
        MockEndpoint errors = getMockEndpoint("mock:errors");
        errors.expectedMessageCount(2);
        for (int i = 1; i <= 3; i++) {
            stream.changeState(ClientState.CONNECTING, "connecting", null);
            stream.changeState(ClientState.RECONNECTING, "connection refused; reconnecting in " + (i * 1000) + " ms",
                    new ConnectException("Connection refused"));
        }
        stream.changeState(ClientState.FAILED, "gave up after 3 reconnect attempts", null);
        errors.assertIsSatisfied();
        RtspStreamException first = errors.getExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT,
                RtspStreamException.class);
        assertEquals(ClientState.RECONNECTING, first.getState());
        assertInstanceOf(ConnectException.class, first.getCause());
        assertEquals("rtsp://127.0.0.1:1/bridge", first.getCameraUrl());
        RtspStreamException last = errors.getExchanges().get(1).getProperty(Exchange.EXCEPTION_CAUGHT,
                RtspStreamException.class);
        assertEquals(ClientState.FAILED, last.getState());

        // playing again re-arms the report
        errors.reset();
        errors.expectedMessageCount(1);
        stream.changeState(ClientState.PLAYING, "playing", null);
        stream.changeState(ClientState.RECONNECTING, "no media for 10000 ms; reconnecting", null);
        stream.changeState(ClientState.RECONNECTING, "no media for 10000 ms; reconnecting", null);
        errors.assertIsSatisfied();
    }

    @Test
    void clientErrorsWithoutBridgeAreLoggedOnce() throws Exception {
        startRoute("logonly", "rtsp://127.0.0.1:1/logonly", false);
        FakeStream stream = streams.last();
        for (int i = 0; i < 5; i++) {
            stream.changeState(ClientState.RECONNECTING, "connection refused", new ConnectException("refused"));
        }
        awaitTrue(() -> logs.lines().stream().anyMatch(l -> l.contains("RECONNECTING: connection refused")));
        Thread.sleep(100);
        long reported = logs.lines().stream()
                .filter(l -> l.startsWith("WARN") && l.contains("RECONNECTING: connection refused")).count();
        assertEquals(1, reported, logs.text());
    }

    @Test
    void stopDiscardsWhatTheRouteHasNotTakenAndSaysSo() throws Exception {
        RtspConsumer consumer = startRoute("stopq", "rtsp://127.0.0.1:1/stopq?maxQueueSize=100", true);
        consumer.enqueue(packet(0));
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        for (int i = 1; i <= 5; i++) {
            consumer.enqueue(packet(i));
        }
        Thread stopper = new Thread(() -> {
            try {
                context.getRouteController().stopRoute("stopq", 5, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        stopper.start();
        awaitTrue(() -> streams.last().stopped);
        release.countDown();
        stopper.join(10_000);
        assertEquals(0, consumer.getQueueSize());
        assertTrue(consumer.getPacketsDiscarded() >= 1, "discarded " + consumer.getPacketsDiscarded());
        assertTrue(logs.lines().stream().anyMatch(l -> l.contains("were not routed because the consumer stopped")),
                logs.text());
        assertFalse(consumer.enqueue(packet(99)), "a stopped consumer takes nothing");
    }

    @Test
    void onRtpPacketCopiesThePayloadAndCapturesTheHeader() throws Exception {
        byte[] bytes = { (byte) 0x80, (byte) (0x80 | 96), 0x12, 0x34, (byte) 0xF0, 0, 0, 1,
                         (byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 9, 8, 7 };
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        RtpPacket packet = new RtpPacket().wrap(buf);
        RtspConsumer consumer = startRoute("rtp", "rtsp://127.0.0.1:1/rtp?output=packet", false);
        consumer.onPlaying(new RtspSessionInfo("sess-9", TransportMode.TCP, List.of(), "v=0", java.util.Map.of()));
        MockEndpoint mock = getMockEndpoint("mock:rtp");
        mock.expectedMessageCount(1);
        MediaTrack track = new MediaTrack(2, "audio", "PCMA", 96, 8000, 1, Map.of(), "rtsp://127.0.0.1:1/rtp/trackID=2",
                new RtpReceiverStatistics(8000));
        consumer.onRtpPacket(track, packet);
        // the buffer belongs to the client again once the call returned
        buf.setBytes(12, new byte[] { 0, 0, 0 });
        mock.assertIsSatisfied();
        Message m = mock.getExchanges().get(0).getIn();
        assertArrayEquals(new byte[] { 9, 8, 7 }, m.getBody(byte[].class));
        assertEquals(0x1234, m.getHeader(RtspConstants.SEQUENCE_NUMBER));
        assertEquals(0xF0000001L, m.getHeader(RtspConstants.RTP_TIMESTAMP));
        assertEquals(0xCAFEBABEL, m.getHeader(RtspConstants.SSRC));
        assertEquals(true, m.getHeader(RtspConstants.MARKER));
        assertEquals(96, m.getHeader(RtspConstants.PAYLOAD_TYPE));
        assertEquals(2, m.getHeader(RtspConstants.TRACK));
        assertEquals("audio", m.getHeader(RtspConstants.MEDIA_TYPE));
        assertEquals("PCMA", m.getHeader(RtspConstants.CODEC));
        assertEquals("sess-9", m.getHeader(RtspConstants.SESSION_ID));
        assertEquals(0L, m.getHeader(RtspConstants.PACKETS_LOST));
    }

    @Test
    void framesCarryTheNanoTimeTheirLastPacketArrived() throws Exception {
        RtspConsumer consumer = startRoute("stamp", "rtsp://127.0.0.1:1/stamp?output=frame", false);
        MediaTrack track = new MediaTrack(0, "audio", "PCMA", 8, 8000, 1, Map.of(), "rtsp://127.0.0.1:1/stamp",
                new RtpReceiverStatistics(8000));
        consumer.onPlaying(new RtspSessionInfo("s", TransportMode.TCP, List.of(track), "v=0", Map.of()));
        MockEndpoint mock = getMockEndpoint("mock:stamp");
        mock.expectedMessageCount(1);
        byte[] bytes = { (byte) 0x80, (byte) 0x88, 0, 1, 0, 0, 0, 0, 0, 0, 0, 7, 1, 2, 3, 4 };
        long before = System.nanoTime();
        consumer.onRtpPacket(track, new RtpPacket().wrap(Unpooled.wrappedBuffer(bytes)));
        long after = System.nanoTime();
        mock.assertIsSatisfied();
        long stamp = mock.getExchanges().get(0).getIn().getHeader(RtspConstants.RECEIVED_NANOS, Long.class);
        assertTrue(stamp - before >= 0 && after - stamp >= 0, "stamp " + stamp + " not in [" + before + ", " + after
                                                              + "]");
    }

    @Test
    void packetsArrivingAfterStopAreCountedNotQueued() throws Exception {
        RtspConsumer consumer = startRoute("late", "rtsp://127.0.0.1:1/late", false);
        context.getRouteController().stopRoute("late");
        MediaTrack track = new MediaTrack(0, "video", "H264", 96, 90000, null, Map.of(), "rtsp://127.0.0.1:1/late",
                new RtpReceiverStatistics(90000));
        consumer.onRtpPacket(track, new RtpPacket());
        assertEquals(1, consumer.getPacketsDiscarded());
        assertEquals(0, consumer.getQueueSize());
    }
}
