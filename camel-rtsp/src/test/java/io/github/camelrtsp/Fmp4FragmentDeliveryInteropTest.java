package io.github.camelrtsp;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.camelrtsp.mp4.Fmp4Probe;
import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.GstRtspServer;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * output=fmp4 with fmp4Delivery=fragment against GStreamer's RTSP server, checked with ffprobe/ffmpeg: a segment
 * comes as several exchanges, the first carrying the init segment and decoding on its own, the others only
 * moof/mdat; the bodies of a segment concatenated decode cleanly with the frame count of a whole segment of that
 * duration, and the first piece of a segment is routed before the segment is complete.
 */
class Fmp4FragmentDeliveryInteropTest {

    private GstRtspServer server;
    private CamelContext camel;
    private final List<Message> received = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

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
        if (server != null) {
            server.close();
        }
    }

    private static long segment(Message m) {
        return m.getHeader(RtspConstants.SEGMENT_SEQUENCE, Long.class);
    }

    @ParameterizedTest(name = "{0} + {1}")
    @CsvSource({
        "h264-inband, aac, h264, aac",
        "h264-bframes, opus, h264, opus",
        "h265, pcmu, hevc, pcm_mulaw",
    })
    void fragmentsOfASegmentConcatenateToAPlayableSegment(String video, String audio, String videoCodec,
                                                          String audioCodec) throws Exception {
        server = GstRtspServer.builder().video(video).audio(audio).build();
        server.start();
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(server.url() + "?output=fmp4&segmentDuration=1500&fragmentDuration=400&fmp4Delivery=fragment")
                        .process(e -> received.add(e.getMessage().copy()));
            }
        });
        camel.start();
        // segments 0 and 1 are complete once the first piece of segment 2 arrived
        RtspConsumerInteropTest.await(() -> received.stream().anyMatch(m -> segment(m) == 2),
                () -> "pieces of 3 segments, got " + received.size());
        RtspConsumer consumer = (RtspConsumer) camel.getRoutes().get(0).getConsumer();
        List<String> stats = consumer.segmentStatistics();
        camel.stop();
        assertTrue(stats.contains("fragments not queued=0") && stats.contains("fragment mismatches=0"),
                stats.toString());

        // routed in recording order: a segment's pieces one after another, then the next segment's
        for (int i = 1; i < received.size(); i++) {
            Message before = received.get(i - 1);
            Message m = received.get(i);
            boolean next = segment(m) == segment(before) + 1 && m.getHeader(RtspConstants.INIT_SEGMENT, Boolean.class);
            boolean same = segment(m) == segment(before) && m.getHeader(RtspConstants.FRAGMENT_SEQUENCE,
                    Integer.class) == before.getHeader(RtspConstants.FRAGMENT_SEQUENCE, Integer.class) + 1;
            assertTrue(next || same, "exchange " + i + " follows the one before it");
        }
        for (long seg = 0; seg < 2; seg++) {
            long n = seg;
            List<Message> pieces = received.stream().filter(m -> segment(m) == n).toList();
            assertTrue(pieces.size() >= 3, "a 1.5 s segment in 400 ms fragments comes in pieces: " + pieces.size());
            Instant start = pieces.get(0).getHeader(RtspConstants.SEGMENT_START, Instant.class);
            assertNotNull(start);
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            for (int i = 0; i < pieces.size(); i++) {
                Message m = pieces.get(i);
                assertEquals(i, m.getHeader(RtspConstants.FRAGMENT_SEQUENCE, Integer.class), "pieces in order");
                assertEquals(i == 0, m.getHeader(RtspConstants.INIT_SEGMENT, Boolean.class), "init only first");
                assertEquals(start, m.getHeader(RtspConstants.SEGMENT_START, Instant.class));
                assertNull(m.getHeader(RtspConstants.SEGMENT_DURATION), "unknown until the segment ends");
                byte[] body = m.getBody(byte[].class);
                assertEquals(i == 0 ? "ftyp" : "moof", new String(body, 4, 4, java.nio.charset.StandardCharsets.US_ASCII));
                whole.writeBytes(body);
            }
            // the first piece alone: a playable MP4 with both tracks
            Path first = Files.write(dir.resolve("seg" + seg + "-first.mp4"), pieces.get(0).getBody(byte[].class));
            Fmp4Probe.Info firstInfo = Fmp4Probe.probe(first);
            assertEquals(videoCodec, firstInfo.codec("video"), firstInfo.toString());
            assertEquals(audioCodec, firstInfo.codec("audio"), firstInfo.toString());
            Fmp4Probe.assertDecodesCleanly(first);
            // the whole segment, rebuilt from the pieces
            Path file = Files.write(dir.resolve("seg" + seg + ".mp4"), whole.toByteArray());
            Fmp4Probe.Info info = Fmp4Probe.probe(file);
            Fmp4Probe.assertDecodesCleanly(file);
            assertEquals(videoCodec, info.codec("video"), info.toString());
            assertEquals(audioCodec, info.codec("audio"), info.toString());
            // the frame count a whole segment of this duration has: one frame per frame interval
            assertEquals(Math.round(info.duration("video") * GstRtspServer.VIDEO_FRAME_RATE), info.frames("video"),
                    1.0, info.toString());
            assertTrue(info.duration("video") >= 1.45, "a whole 1.5 s segment: " + info);
            assertTrue(firstInfo.frames("video") < info.frames("video"), "the first piece is a part: " + firstInfo);
            assertTrue(firstInfo.frames("video") >= 1, firstInfo.toString());
            assertTrue(firstInfo.duration("video") < 1.0, "about one fragment long: " + firstInfo);
            Fmp4Probe.assertSteadyVideo(file);
        }
    }

    @Test
    void aSlowRouteNeverGetsASegmentWithAHole() throws Exception {
        server = GstRtspServer.builder().video("h264").audio("aac").build();
        server.start();
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(server.url() + "?output=fmp4&segmentDuration=1000&fragmentDuration=100&fmp4Delivery=fragment"
                     + "&transport=udp&maxQueueSize=2")
                        .process(e -> {
                            received.add(e.getMessage().copy());
                            Thread.sleep(350); // slower than the fragments come
                        });
            }
        });
        camel.start();
        RtspConsumer consumer = (RtspConsumer) camel.getRoutes().get(0).getConsumer();
        RtspConsumerInteropTest.await(() -> !consumer.segmentStatistics().contains("fragments not queued=0")
                && received.stream().anyMatch(m -> segment(m) >= 2 && m.getHeader(RtspConstants.INIT_SEGMENT,
                        Boolean.class)), () -> "fragments dropped and a later segment started: "
                        + consumer.segmentStatistics());
        camel.stop();
        List<List<Message>> groups = new ArrayList<>();
        for (Message m : received) {
            boolean init = m.getHeader(RtspConstants.INIT_SEGMENT, Boolean.class);
            int index = m.getHeader(RtspConstants.FRAGMENT_SEQUENCE, Integer.class);
            if (init) {
                assertEquals(0, index);
                groups.add(new ArrayList<>());
            } else {
                List<Message> g = groups.get(groups.size() - 1);
                Message before = g.get(g.size() - 1);
                assertEquals(segment(before), segment(m), "a piece never follows another segment's");
                assertEquals(before.getHeader(RtspConstants.FRAGMENT_SEQUENCE, Integer.class) + 1, index,
                        "no piece is missing inside what was routed");
            }
            groups.get(groups.size() - 1).add(m);
        }
        // what was routed of each segment, cut short or not, is a playable file
        for (int k = 0; k < Math.min(3, groups.size()); k++) {
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            groups.get(k).forEach(m -> whole.writeBytes(m.getBody(byte[].class)));
            Path file = Files.write(dir.resolve("slow" + k + ".mp4"), whole.toByteArray());
            Fmp4Probe.assertDecodesCleanly(file);
        }
    }

    @Test
    void fragmentDeliveryWithoutAFragmentDurationIsRejected() {
        RtspConfiguration c = new RtspConfiguration();
        c.setOutput("fmp4");
        c.setFmp4Delivery("fragment");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::validate);
        assertTrue(e.getMessage().contains("fragmentDuration"), e.getMessage());
        c.setFmp4Delivery("chunks");
        c.setFragmentDuration(500);
        e = assertThrows(IllegalArgumentException.class, c::validate);
        assertTrue(e.getMessage().contains("fmp4Delivery=chunks"), e.getMessage());
        c.setFmp4Delivery("segment");
        c.validate();
        assertFalse(c.isFragmentDelivery());
    }
}
