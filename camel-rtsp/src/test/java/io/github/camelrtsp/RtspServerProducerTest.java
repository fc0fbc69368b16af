package io.github.camelrtsp;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.camelrtsp.format.aac.AudioSpecificConfig;
import io.github.camelrtsp.server.FileMediaSource;
import io.github.camelrtsp.server.RtspServer;
import io.github.camelrtsp.server.ServerStream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When the rtsp-server producer creates its stream, what it puts in the SDP, and how it treats frames it cannot
 * serve; frames are the simulated camera's clip with the headers the rtsp consumer sets.
 */
class RtspServerProducerTest {

    private static List<byte[]> accessUnits;
    private static boolean[] keyFrames;
    private static List<byte[]> adtsFrames;
    private static byte[] audioConfig;

    private CamelContext context;
    private ProducerTemplate template;

    @BeforeAll
    static void loadClip() throws IOException {
        byte[] video = resource("sim.h264");
        accessUnits = FileMediaSource.splitAccessUnits(video, "H264");
        keyFrames = FileMediaSource.keyFrames(video, "H264");
        adtsFrames = FileMediaSource.splitAdtsFrames(resource("sim.aac"));
        try (FileMediaSource source = FileMediaSource.of(video, resource("sim.aac"), new FileMediaSource.Options())) {
            audioConfig = java.util.HexFormat.of().parseHex(source.tracks().get(1).fmtp().get("config"));
        }
        assertNotNull(AudioSpecificConfig.parse(audioConfig));
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = RtspServer.class.getResourceAsStream("sim/" + name)) {
            return in.readAllBytes();
        }
    }

    @BeforeEach
    void startContext() {
        context = new DefaultCamelContext();
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stopContext() {
        producers.forEach(RtspServerProducer::stop);
        context.stop();
    }

    private static Map<String, Object> video(int i) {
        Map<String, Object> h = new HashMap<>();
        h.put(RtspConstants.TRACK, 0);
        h.put(RtspConstants.MEDIA_TYPE, "video");
        h.put(RtspConstants.CODEC, "H264");
        h.put(RtspConstants.PRESENTATION_TIME, 40_000L * i);
        h.put(RtspConstants.KEY_FRAME, keyFrames[i]);
        return h;
    }

    private static Map<String, Object> audio(int i) {
        Map<String, Object> h = new HashMap<>();
        h.put(RtspConstants.TRACK, 1);
        h.put(RtspConstants.MEDIA_TYPE, "audio");
        h.put(RtspConstants.CODEC, "MPEG4-GENERIC");
        h.put(RtspConstants.CODEC_CONFIG, audioConfig);
        h.put(RtspConstants.SAMPLE_COUNT, 1024);
        h.put(RtspConstants.PRESENTATION_TIME, 1_000_000L * 1024 * i / 48_000);
        return h;
    }

    private final java.util.List<RtspServerProducer> producers = new java.util.ArrayList<>();

    private RtspServerProducer producer(String uri) throws Exception {
        RtspServerProducer p = (RtspServerProducer) context.getEndpoint(uri).createProducer();
        p.start();
        producers.add(p);
        return p;
    }

    private void send(RtspServerProducer p, byte[] body, Map<String, Object> headers) throws Exception {
        Exchange e = new DefaultExchange(context);
        e.getIn().setBody(body);
        e.getIn().setHeaders(headers);
        p.process(e);
    }

    @Test
    void theStreamExistsOnceTheExpectedTracksStartedAndServesFromTheKeyFrame() throws Exception {
        RtspServerProducer p = producer("rtsp-server:live?host=127.0.0.1&port=0&expectedTracks=2&trackTimeout=60s");
        send(p, adtsFrames.get(0), audio(0));
        assertNull(p.server().stream("/live"), "audio alone waits for the second track");
        assertNull(p.stream());
        assertTrue(keyFrames[0]);
        send(p, accessUnits.get(0), video(0));
        ServerStream stream = p.server().stream("/live");
        assertNotNull(stream, "created with the first key frame");
        assertEquals(stream, p.stream());
        assertEquals(2, stream.tracks().size());
        assertEquals("video", stream.tracks().get(0).mediaType(), "tracks in CamelRtspTrack order");
        assertEquals("H264/90000", stream.tracks().get(0).rtpmap());
        assertTrue(stream.tracks().get(0).fmtp().containsKey("sprop-parameter-sets"), stream.tracks().toString());
        assertEquals(96, stream.tracks().get(0).payloadType());
        assertTrue(stream.tracks().get(1).rtpmap().startsWith("MPEG4-GENERIC/48000"), stream.tracks().toString());
        assertEquals(97, stream.tracks().get(1).payloadType());
        assertEquals(2, p.getFramesSent(), "the kept audio frame and the key frame");
        for (int i = 1; i < 10; i++) {
            send(p, accessUnits.get(i), video(i));
            send(p, adtsFrames.get(i), audio(i));
        }
        assertEquals(20, p.getFramesSent());
        assertEquals(0, p.getFramesNotServed());
    }

    @Test
    void videoAloneIsServedWhenTrackTimeoutPassesAndALateTrackIsNotServed() throws Exception {
        RtspServerProducer p = producer("rtsp-server:cam?host=127.0.0.1&port=0&trackTimeout=300ms");
        send(p, accessUnits.get(0), video(0));
        send(p, accessUnits.get(1), video(1));
        assertNull(p.server().stream("/cam"));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (p.stream() == null) {
            assertTrue(System.nanoTime() < deadline, "stream after trackTimeout, with no further frame");
            Thread.sleep(20);
        }
        assertEquals(1, p.stream().tracks().size());
        assertEquals(2, p.getFramesSent(), "the kept frames went out when the timer created the stream");
        send(p, adtsFrames.get(0), audio(0));
        assertEquals(1, p.stream().tracks().size());
        assertEquals(1, p.getFramesNotServed());
        Map<String, Object> otherCodec = video(2);
        otherCodec.put(RtspConstants.CODEC, "H265");
        send(p, accessUnits.get(2), otherCodec);
        assertEquals(2, p.getFramesNotServed());
        assertEquals(2, p.getFramesSent());
    }

    @Test
    void framesWithoutTheirHeadersOrBodyFailTheExchange() throws Exception {
        RtspServerProducer p = producer("rtsp-server:bad?host=127.0.0.1&port=0&trackTimeout=0s");
        for (String header : List.of(RtspConstants.CODEC, RtspConstants.PRESENTATION_TIME)) {
            Map<String, Object> h = video(0);
            h.remove(header);
            Exception e = assertThrows(IllegalArgumentException.class, () -> send(p, accessUnits.get(0), h));
            assertTrue(e.getMessage().contains(header), e.getMessage());
        }
        Map<String, Object> negative = video(0);
        negative.put(RtspConstants.TRACK, -1);
        assertThrows(IllegalArgumentException.class, () -> send(p, accessUnits.get(0), negative));
        assertThrows(IllegalArgumentException.class, () -> send(p, null, video(0)));
        Map<String, Object> unknown = video(0);
        unknown.put(RtspConstants.CODEC, "VP8");
        assertThrows(IllegalArgumentException.class, () -> send(p, accessUnits.get(0), unknown));
        assertNull(p.stream());
        send(p, accessUnits.get(0), video(0));
        assertNotNull(p.stream(), "a good frame after bad ones");
    }

    @Test
    void aProducerAndAConsumerShareTheServerAndStoppingRemovesTheStream() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("rtsp-server:in?host=127.0.0.1&port=" + port).routeId("in").to("mock:in");
            }
        });
        RtspServerProducer p = producer("rtsp-server:out?host=127.0.0.1&port=" + port + "&expectedTracks=1");
        send(p, accessUnits.get(0), video(0));
        RtspServerComponent component = context.getComponent("rtsp-server", RtspServerComponent.class);
        assertEquals(1, component.runningServers());
        RtspServer server = p.server();
        assertNotNull(server.stream("/out"));
        p.stop();
        assertNull(server.stream("/out"), "the stream goes with its producer");
        assertEquals(1, component.runningServers(), "the consumer still uses the server");
        context.getRouteController().stopRoute("in");
        assertEquals(0, component.runningServers());
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }
}
