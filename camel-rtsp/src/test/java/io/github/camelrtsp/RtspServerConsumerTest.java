package io.github.camelrtsp;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.Packetizer;
import io.github.camelrtsp.format.PacketizerParameters;
import io.github.camelrtsp.format.Packetizers;
import io.github.camelrtsp.server.FileMediaSource;
import io.github.camelrtsp.server.RtspServer;
import io.github.camelrtsp.server.ServerStream;
import io.github.camelrtsp.server.ServerTrack;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rtsp-server consumer driven through its {@link io.github.camelrtsp.server.PublishListener} side with RTP packets
 * made by the project's packetizers from the simulated camera's clip (H.264 + AAC): frames and packets come out with
 * the rtsp consumer's body and headers; bad input is counted; servers are shared per host and port.
 */
class RtspServerConsumerTest {

    private static final int VIDEO_FRAMES = 30;
    private static final int AUDIO_FRAMES = 40;

    private static List<byte[]> accessUnits;
    private static boolean[] keyFrames;
    private static List<byte[]> adtsFrames;
    private static List<ServerTrack> tracks;

    private CamelContext context;

    @BeforeAll
    static void loadClip() throws IOException {
        byte[] video = resource("sim.h264");
        byte[] audio = resource("sim.aac");
        accessUnits = FileMediaSource.splitAccessUnits(video, "H264");
        keyFrames = FileMediaSource.keyFrames(video, "H264");
        adtsFrames = FileMediaSource.splitAdtsFrames(audio);
        try (FileMediaSource source = FileMediaSource.of(video, audio, new FileMediaSource.Options())) {
            tracks = source.tracks();
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = RtspServer.class.getResourceAsStream("sim/" + name)) {
            assertTrue(in != null, name);
            return in.readAllBytes();
        }
    }

    @AfterEach
    void stopContext() {
        if (context != null) {
            context.stop();
        }
    }

    private RtspServerConsumer start(String uri, String routeId) throws Exception {
        if (context == null) {
            context = new DefaultCamelContext();
            context.start();
        }
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId).to("mock:" + routeId);
            }
        });
        return (RtspServerConsumer) context.getRoute(routeId).getConsumer();
    }

    /** Packetizes frames of track {@code index} and hands every packet to the consumer as the server would. */
    private static int publish(RtspServerConsumer consumer, ServerStream stream, int index, List<MediaFrame> frames) {
        ServerTrack t = tracks.get(index);
        String[] map = t.rtpmap().split("/");
        Packetizer p = Packetizers.create(new PacketizerParameters(map[0].toUpperCase(), t.payloadType(),
                t.clockRate(), map.length > 2 ? Integer.valueOf(map[2]) : null, t.fmtp(), 0x1234 + index,
                1000 * index, 1400));
        int[] count = {0};
        for (MediaFrame f : frames) {
            p.packetize(f, buf -> {
                try {
                    count[0]++;
                    consumer.onRtpPacket(stream, index, buf);
                } finally {
                    buf.release();
                }
            });
        }
        return count[0];
    }

    private static List<MediaFrame> videoFrames() {
        List<MediaFrame> frames = new ArrayList<>();
        for (int i = 0; i < VIDEO_FRAMES; i++) {
            frames.add(new MediaFrame(90_000L + 3600L * i, accessUnits.get(i), keyFrames[i], false, 0));
        }
        return frames;
    }

    private static List<MediaFrame> audioFrames() {
        List<MediaFrame> frames = new ArrayList<>();
        for (int i = 0; i < AUDIO_FRAMES; i++) {
            frames.add(new MediaFrame(48_000L + 1024L * i, adtsFrames.get(i), true, false, 1024));
        }
        return frames;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void framesOfAPublisherAreRoutedWithTheRtspConsumersHeaders() throws Exception {
        RtspServerConsumer consumer = start("rtsp-server:ingest?host=127.0.0.1&port=0", "frames");
        RtspServer server = consumer.server();
        ServerStream stream = server.createStream("/ingest", tracks);
        consumer.onPublishStart(stream);
        assertEquals(1, consumer.getPublishers());

        publish(consumer, stream, 0, videoFrames());
        publish(consumer, stream, 1, audioFrames());
        MockEndpoint mock = context.getEndpoint("mock:frames", MockEndpoint.class);
        await(() -> mock.getReceivedCounter() >= VIDEO_FRAMES + AUDIO_FRAMES, "frames");

        List<Exchange> video = new ArrayList<>();
        List<Exchange> audio = new ArrayList<>();
        for (Exchange e : mock.getReceivedExchanges()) {
            (e.getIn().getHeader(RtspConstants.TRACK, Integer.class) == 0 ? video : audio).add(e);
        }
        assertEquals(VIDEO_FRAMES, video.size());
        assertEquals(AUDIO_FRAMES, audio.size());
        for (int i = 0; i < VIDEO_FRAMES; i++) {
            Message m = video.get(i).getIn();
            assertEquals("video", m.getHeader(RtspConstants.MEDIA_TYPE));
            assertEquals("H264", m.getHeader(RtspConstants.CODEC));
            assertEquals(96, m.getHeader(RtspConstants.PAYLOAD_TYPE));
            assertEquals(90_000L + 3600L * i, m.getHeader(RtspConstants.RTP_TIMESTAMP));
            assertEquals(keyFrames[i], m.getHeader(RtspConstants.KEY_FRAME));
            assertEquals(40_000L * i, m.getHeader(RtspConstants.PRESENTATION_TIME, Long.class)
                                      - video.get(0).getIn().getHeader(RtspConstants.PRESENTATION_TIME, Long.class));
            assertEquals(Boolean.FALSE, m.getHeader(RtspConstants.DISCONTINUITY));
            assertEquals(0L, m.getHeader(RtspConstants.PACKETS_LOST));
            assertEquals(server.url("/ingest"), m.getHeader(RtspConstants.RTSP_URI));
            assertNull(m.getHeader(RtspConstants.SESSION_ID));
            if (!keyFrames[i]) {
                assertArrayEquals(accessUnits.get(i), m.getBody(byte[].class), "access unit " + i);
            }
        }
        assertTrue(keyFrames[0], "the clip starts at a key frame");
        for (int i = 0; i < AUDIO_FRAMES; i++) {
            Message m = audio.get(i).getIn();
            assertEquals("audio", m.getHeader(RtspConstants.MEDIA_TYPE));
            assertEquals("MPEG4-GENERIC", m.getHeader(RtspConstants.CODEC));
            assertEquals(1024, m.getHeader(RtspConstants.SAMPLE_COUNT));
            assertTrue(m.getHeader(RtspConstants.CODEC_CONFIG, byte[].class).length >= 2);
            assertArrayEquals(adtsFrames.get(i), m.getBody(byte[].class), "ADTS frame " + i);
        }

        consumer.onPublishStop(stream, "TEARDOWN");
        assertEquals(0, consumer.getPublishers());
        assertEquals(1, consumer.getPublishersStarted());
    }

    @Test
    void stoppingTheRouteEndsAPublicationStillRecording() throws Exception {
        RtspServerConsumer consumer = start("rtsp-server:ingest?host=127.0.0.1&port=0", "stopping");
        ServerStream stream = consumer.server().createStream("/ingest", tracks);
        consumer.onPublishStart(stream);
        context.getRouteController().stopRoute("stopping");
        assertTrue(stream.isRemoved(), "the publisher's stream is removed (its sessions closed)");
        consumer.onRtpPacket(stream, 0, Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0,
            0, 1, 0x65}));
        assertEquals(1, consumer.getPacketsDiscarded());
    }

    @Test
    void packetOutputRoutesEveryPacketAndDropsDuplicatesAndMalformedOnes() throws Exception {
        RtspServerConsumer consumer = start("rtsp-server:ingest?host=127.0.0.1&port=0&output=packet", "packets");
        ServerStream stream = consumer.server().createStream("/ingest", tracks);
        consumer.onPublishStart(stream);

        int sent = publish(consumer, stream, 0, videoFrames().subList(0, 5));
        // a duplicate of the last packet and two that are not RTP
        ByteBuf dup = Unpooled.buffer();
        Packetizer again = Packetizers.create(new PacketizerParameters("H264", 96, 90000, null, tracks.get(0).fmtp(),
                0x1234, 0, 1400));
        again.packetize(new MediaFrame(1, new byte[] { 0, 0, 0, 1, 0x41, 1, 2, 3 }, false, false, 0), buf -> {
            dup.writeBytes(buf);
            buf.release();
        });
        consumer.onRtpPacket(stream, 0, dup);
        ByteBuf junk = Unpooled.wrappedBuffer(new byte[] { 1, 2, 3 });
        ByteBuf version1 = Unpooled.wrappedBuffer(new byte[] { 0x40, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 9 });
        consumer.onRtpPacket(stream, 0, junk);
        consumer.onRtpPacket(stream, 0, version1);
        consumer.onRtpPacket(stream, 7, junk);
        assertEquals(2, consumer.getMalformedPackets());
        assertEquals(1, consumer.getPacketsDiscarded());

        MockEndpoint mock = context.getEndpoint("mock:packets", MockEndpoint.class);
        await(() -> mock.getReceivedCounter() >= sent, "packets");
        List<Exchange> got = mock.getReceivedExchanges();
        assertEquals(sent, got.size());
        int firstSeq = got.get(0).getIn().getHeader(RtspConstants.SEQUENCE_NUMBER, Integer.class);
        assertEquals(0, firstSeq);
        for (int i = 0; i < got.size(); i++) {
            Message m = got.get(i).getIn();
            assertEquals(i, m.getHeader(RtspConstants.SEQUENCE_NUMBER));
            assertEquals(0x1234L, m.getHeader(RtspConstants.SSRC));
            assertEquals(96, m.getHeader(RtspConstants.PAYLOAD_TYPE));
            assertEquals("H264", m.getHeader(RtspConstants.CODEC));
        }
        long markers = got.stream().filter(e -> e.getIn().getHeader(RtspConstants.MARKER, Boolean.class)).count();
        assertEquals(5, markers, "one marker per access unit");
        assertEquals(sent, consumer.getPacketsDelivered());
    }

    @Test
    void aRouteThatCannotKeepUpLosesCountedFramesNotTheServer() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        context = new DefaultCamelContext();
        context.start();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("rtsp-server:slow?host=127.0.0.1&port=0&maxQueueSize=4").routeId("slow")
                        .process(e -> release.await(30, TimeUnit.SECONDS)).to("mock:slow");
            }
        });
        RtspServerConsumer consumer = (RtspServerConsumer) context.getRoute("slow").getConsumer();
        ServerStream stream = consumer.server().createStream("/slow", tracks);
        consumer.onPublishStart(stream);
        publish(consumer, stream, 1, audioFrames());
        assertTrue(consumer.getPacketsDropped() >= AUDIO_FRAMES - 4 - 1, "dropped " + consumer.getPacketsDropped());
        assertTrue(consumer.getQueueSize() <= 4);
        release.countDown();
        MockEndpoint mock = context.getEndpoint("mock:slow", MockEndpoint.class);
        await(() -> mock.getReceivedCounter() + consumer.getPacketsDropped() == AUDIO_FRAMES, "the rest");
    }

    @Test
    void endpointsOnOneHostAndPortShareAServerThatStopsWithTheLast() throws Exception {
        RtspServerConsumer a = start("rtsp-server:a?host=127.0.0.1&port=0", "a");
        RtspServerConsumer b = start("rtsp-server:b?host=127.0.0.1&port=0", "b");
        RtspServerComponent component = context.getComponent("rtsp-server", RtspServerComponent.class);
        assertTrue(a.server() == b.server(), "one server for both paths");
        assertEquals(1, component.runningServers());
        RtspServer server = a.server();
        int port = server.port();

        context.getRouteController().stopRoute("a");
        assertEquals(1, component.runningServers());
        assertEquals(port, b.server().port());
        context.getRouteController().stopRoute("b");
        assertEquals(0, component.runningServers());
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(), "the server stopped");

        context.getRouteController().startRoute("a");
        assertEquals(1, component.runningServers());
        assertFalse(a.server() == server, "a new server after the last one stopped");
    }

    @Test
    void differentServerOptionsOnOnePortAreRefused() throws Exception {
        start("rtsp-server:a?host=127.0.0.1&port=0", "a");
        Exception e = assertThrows(Exception.class,
                () -> start("rtsp-server:b?host=127.0.0.1&port=0&maxSessions=5", "b"));
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
            cause = cause.getCause();
        }
        assertTrue(cause.getMessage().contains("maxSessions=5"), cause.getMessage());
        assertEquals(1, context.getComponent("rtsp-server", RtspServerComponent.class).runningServers());
    }

    @Test
    void aPathTakenByAnotherRouteIsRefusedAndTheServerKeepsItsUserCount() throws Exception {
        RtspServerConsumer first = start("rtsp-server:same?host=127.0.0.1&port=0", "first");
        Exception e = assertThrows(Exception.class, () -> start("rtsp-server:same?host=127.0.0.1&port=0&output=packet",
                "second"));
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
            cause = cause.getCause();
        }
        assertTrue(cause.getMessage().contains("/same"), cause.getMessage());
        RtspServerComponent component = context.getComponent("rtsp-server", RtspServerComponent.class);
        context.getRouteController().stopRoute("first");
        assertNull(first.server());
        assertEquals(0, component.runningServers(), "the failed route gave its server back");
    }

    @Test
    void badOptionsFailWhenTheEndpointIsCreated() {
        context = new DefaultCamelContext();
        context.start();
        for (String uri : List.of("rtsp-server:x?output=mp4", "rtsp-server:x?maxQueueSize=1",
                "rtsp-server:x?sessionTimeout=0", "rtsp-server:x?maxQueuedBytes=10", "rtsp-server:x?port=70000",
                "rtsp-server:bad%20path", "rtsp-server:x?password=secret", "rtsp-server:x?expectedTracks=33",
                "rtsp-server:x?authSchemes=ntlm")) {
            assertThrows(Exception.class, () -> context.getEndpoint(uri), uri);
        }
    }
}
