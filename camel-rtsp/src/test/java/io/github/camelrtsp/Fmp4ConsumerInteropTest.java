package io.github.camelrtsp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.camelrtsp.client.ClientState;
import io.github.camelrtsp.mp4.Fmp4Probe;
import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.GstCamelTest;
import io.github.camelrtsp.testsupport.GstRtspServer;
import org.apache.camel.Message;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * output=fmp4 end to end against GStreamer's RTSP server: each exchange's body, written to a file, is a playable MP4
 * that ffprobe/ffmpeg decode without errors with the right codecs and a duration matching the header; consecutive
 * segments concatenated with ffmpeg's concat demuxer decode as one stream.
 */
class Fmp4ConsumerInteropTest extends GstCamelTest {

    private final List<Message> segments = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void ffmpeg() {
        FfProbe.requireAvailable();
    }

    @ParameterizedTest(name = "{0} + {1}, fragmentDuration={3}")
    @CsvSource({
        "h264-inband, aac, h264, 0, aac",
        "h265, pcmu, hevc, 500, pcm_mulaw",
        "h264-bframes, opus, h264, 0, opus",
        "h264, pcma, h264, 700, pcm_alaw",
        "none, aac, , 0, aac",
    })
    void segmentsPlay(String video, String audio, String videoCodec, int fragmentDuration, String audioCodec)
            throws Exception {
        startServer(video, audio);
        startRoute(server.url() + "?output=fmp4&segmentDuration=1500&fragmentDuration=" + fragmentDuration,
                "segments", e -> segments.add(e.getMessage().copy()));
        RtspConsumerInteropTest.await(() -> segments.size() >= 3, () -> "3 segments, got " + segments.size());
        RtspConsumer consumer = (RtspConsumer) camel.getRoutes().get(0).getConsumer();
        assertTrue(consumer.segmentStatistics().get(0).matches("segments queued=[3-9]"),
                consumer.segmentStatistics().toString());
        assertEquals("segments cut by size=0", consumer.segmentStatistics().get(2));
        camel.stop();

        List<Path> files = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Message m = segments.get(i);
            assertEquals((long) i, m.getHeader(RtspConstants.SEGMENT_SEQUENCE, Long.class), "sequence");
            assertNotNull(m.getHeader(RtspConstants.SEGMENT_START, Instant.class), "start");
            assertNotNull(m.getHeader(RtspConstants.SESSION_ID, String.class), "session id");
            assertEquals(server.url(), m.getHeader(RtspConstants.RTSP_URI, String.class));
            Duration duration = m.getHeader(RtspConstants.SEGMENT_DURATION, Duration.class);
            assertTrue(duration.toMillis() >= 1450 && duration.toMillis() < 4000, "duration " + duration);
            Path file = dir.resolve("seg" + i + ".mp4");
            Files.write(file, m.getBody(byte[].class));
            files.add(file);
            Fmp4Probe.Info info = Fmp4Probe.probe(file);
            assertEquals(audioCodec, info.codec("audio"), info.toString());
            if (videoCodec == null) {
                assertTrue(!info.has("video"), info.toString());
                // cut on time: within one 1024-sample AAC frame of the target
                assertEquals(duration.toNanos() / 1e9, info.duration("audio"), 0.03, info.toString());
                assertTrue(duration.toMillis() < 1600, "audio-only segments are cut on time: " + duration);
            } else {
                assertEquals(videoCodec, info.codec("video"), info.toString());
                double frameSeconds = 1.0 / GstRtspServer.VIDEO_FRAME_RATE;
                assertEquals(duration.toNanos() / 1e9, info.duration("video"), frameSeconds + 1e-3,
                        info.toString());
                assertEquals(Math.round(duration.toNanos() / 1e9 * GstRtspServer.VIDEO_FRAME_RATE),
                        info.frames("video"), 1.0, info.toString());
                // audio covers the segment too, within 50 ms (plus the B-frame reorder delay both tracks moved by)
                assertEquals(info.duration("video"), info.duration("audio"), 0.05 + info.startTime("video"),
                        info.toString());
            }
            Fmp4Probe.assertDecodesCleanly(file);
        }
        Fmp4Probe.assertConcatenationPlays(files, dir);
        if (videoCodec != null) {
            Fmp4Probe.assertConcatenationPlays(files, segments.subList(0, 3).stream()
                    .map(m -> m.getHeader(RtspConstants.SEGMENT_DURATION, Duration.class)).toList(), dir);
        }
    }

    @Test
    void reconnectEmitsTheSegmentInProgressAndNumberingGoesOn() throws Exception {
        startServer("h264-inband", "aac");
        startRoute(server.url() + "?output=fmp4&segmentDuration=60000&reconnectDelay=200", null,
                e -> segments.add(e.getMessage().copy()));
        // let the first session record about 2 s, then drop it
        RtspConsumerInteropTest.await(() -> camel.getRoutes().get(0).getConsumer() instanceof RtspConsumer c
                && c.state() == ClientState.PLAYING, () -> "playing");
        Thread.sleep(2000);
        assertTrue(segments.isEmpty(), "no segment before 60 s");
        server.restart();
        RtspConsumerInteropTest.await(() -> segments.size() >= 1, () -> "the first session's segment");
        camel.stop();
        Message m = segments.get(0);
        assertEquals(0L, m.getHeader(RtspConstants.SEGMENT_SEQUENCE, Long.class));
        Duration duration = m.getHeader(RtspConstants.SEGMENT_DURATION, Duration.class);
        assertTrue(duration.toMillis() >= 1000 && duration.toMillis() < 30_000, "the part recorded: " + duration);
        Path file = Files.write(dir.resolve("before-reconnect.mp4"), m.getBody(byte[].class));
        Fmp4Probe.Info info = Fmp4Probe.probe(file);
        assertEquals("h264", info.codec("video"));
        Fmp4Probe.assertDecodesCleanly(file);
    }
}
