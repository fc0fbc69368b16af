package io.github.camelrtsp.mp4;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.camelrtsp.RtspConstants;
import io.github.camelrtsp.client.MediaTrack;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.media.TimedFrame;
import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.GstCamelTest;
import org.apache.camel.Message;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The segmenter fed with real frames (output=frame from GStreamer's RTSP server, replayed in arrival order): every
 * segment decodes with ffmpeg, ffprobe counts exactly the frames the segment holds, all frames fed after the first
 * key frame are in some segment, decoded video presentation times step by one frame (B-frames included), and the
 * concatenated segments decode with the summed frame count.
 */
class Fmp4SegmenterInteropTest extends GstCamelTest {

    private static final int FRAMES = 75; // 5 s of video

    private final List<Message> frames = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void ffmpeg() {
        FfProbe.requireAvailable();
    }

    @ParameterizedTest(name = "{0} + {1}")
    @CsvSource({
        "h264-inband, aac, h264, aac",
        "h264-bframes, opus, h264, opus",
        "h265, pcma, hevc, pcm_alaw",
        "h264-stapa, aac-latm, h264, aac",
        "h264-sdponly, pcmu, h264, pcm_mulaw",
    })
    void segmentsHoldEveryFrame(String video, String audio, String videoCodec, String audioCodec) throws Exception {
        startServer(video, audio);
        startRoute(server.url() + "?output=frame", null, e -> frames.add(e.getMessage().copy()));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (videoCount() < FRAMES) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for frames, got " + frames.size());
            Thread.sleep(20);
        }
        camel.stop();

        Map<Integer, MediaTrack> tracks = new HashMap<>();
        Map<Integer, byte[]> configs = new HashMap<>();
        for (Message m : frames) {
            int index = m.getHeader(RtspConstants.TRACK, Integer.class);
            String codec = m.getHeader(RtspConstants.CODEC, String.class);
            tracks.computeIfAbsent(index, i -> new MediaTrack(i, m.getHeader(RtspConstants.MEDIA_TYPE, String.class),
                    codec, m.getHeader(RtspConstants.PAYLOAD_TYPE, Integer.class),
                    codec.startsWith("PCM") ? 8000 : 90_000, 1, Map.of(), "t" + i, null));
            byte[] config = m.getHeader(RtspConstants.CODEC_CONFIG, byte[].class);
            if (config != null) {
                configs.putIfAbsent(index, config);
            }
        }
        List<Fmp4Segment> segments = new ArrayList<>();
        Fmp4Segmenter segmenter = new Fmp4Segmenter(new ArrayList<>(tracks.values()), configs::get, 1000, 0,
                64 << 20, segments::add, "interop");
        int videoFed = 0;
        int audioFed = 0;
        boolean started = false;
        for (Message m : frames) {
            int index = m.getHeader(RtspConstants.TRACK, Integer.class);
            boolean isVideo = "video".equals(m.getHeader(RtspConstants.MEDIA_TYPE));
            Integer samples = m.getHeader(RtspConstants.SAMPLE_COUNT, Integer.class);
            MediaFrame f = new MediaFrame(m.getHeader(RtspConstants.RTP_TIMESTAMP, Long.class),
                    m.getBody(byte[].class), m.getHeader(RtspConstants.KEY_FRAME, Boolean.class),
                    m.getHeader(RtspConstants.DISCONTINUITY, Boolean.class), samples == null ? 0 : samples);
            started |= isVideo && f.keyFrame();
            if (started) {
                if (isVideo) {
                    videoFed++;
                } else {
                    audioFed++;
                }
            }
            segmenter.onFrame(new TimedFrame(tracks.get(index), f,
                    m.getHeader(RtspConstants.PRESENTATION_TIME, Long.class), null, false));
        }
        segmenter.flush();
        assertTrue(segments.size() >= 4, "5 s in segments of 1 s: " + segments.size());

        List<Path> files = new ArrayList<>();
        int videoInSegments = 0;
        int audioInSegments = 0;
        for (int i = 0; i < segments.size(); i++) {
            Fmp4Segment s = segments.get(i);
            Path file = Files.write(dir.resolve("seg" + i + ".mp4"), s.data());
            files.add(file);
            Fmp4Probe.Info info = Fmp4Probe.probe(file);
            assertEquals(videoCodec, info.codec("video"), info.toString());
            assertEquals(audioCodec, info.codec("audio"), info.toString());
            assertEquals(s.videoFrames(), info.frames("video"), "every video frame of segment " + i + " decodes");
            assertEquals(s.audioFrames(), info.frames("audio"), "audio frames of segment " + i);
            assertEquals(s.duration().toNanos() / 1e9, info.duration("video"), 1.0 / 15 + 1e-3, info.toString());
            Fmp4Probe.assertDecodesCleanly(file);
            assertPresentationStepsByOneFrame(file);
            videoInSegments += s.videoFrames();
            audioInSegments += s.audioFrames();
        }
        assertEquals(videoFed, videoInSegments, "every video frame from the first key frame on is in a segment");
        // audio that came before the first key frame's time is left out; nothing else
        assertTrue(audioFed - audioInSegments <= 12 && audioInSegments > 0,
                "audio fed " + audioFed + ", in segments " + audioInSegments + ", skipped "
                + segmenter.framesSkipped());
        Fmp4Probe.assertConcatenationPlays(files, dir);
        Fmp4Probe.Info all = Fmp4Probe.assertConcatenationPlays(files,
                segments.stream().map(Fmp4Segment::duration).toList(), dir);
        assertEquals(videoInSegments, all.frames("video"));
    }

    private long videoCount() {
        return frames.stream().filter(m -> "video".equals(m.getHeader(RtspConstants.MEDIA_TYPE))).count();
    }

    /** Decoded video frames come out in presentation order, one frame duration (1/15 s) apart. */
    private static void assertPresentationStepsByOneFrame(Path file) {
        FfProbe.FfResult r = FfProbe.ffprobe(FfProbe.DECODE_TIMEOUT, "-v", "error", "-select_streams", "v:0",
                "-show_entries", "frame=pts_time", "-of", "csv=p=0", file.toString());
        assertTrue(r.succeeded(), r.describe());
        List<String> lines = r.lines();
        assertTrue(Double.parseDouble(lines.get(0)) <= 2.0 / 15 + 1e-6,
                "first picture at media time 0, or the B-frame reorder delay: " + lines.get(0));
        for (int i = 1; i < lines.size(); i++) {
            double step = Double.parseDouble(lines.get(i)) - Double.parseDouble(lines.get(i - 1));
            assertEquals(1.0 / 15, step, 0.002, "picture " + i + " of " + file.getFileName() + ": " + lines);
        }
    }
}
