package io.github.camelrtsp.mp4;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.github.camelrtsp.client.MediaTrack;
import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.media.TimedFrame;
import io.github.camelrtsp.testsupport.Corpus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cut rules and timing of the segmenter, with synthetic frames (real parameter sets from the corpus). */
class Fmp4SegmenterTest {

    static final MediaTrack VIDEO = new MediaTrack(0, "video", "H264", 96, 90_000, null, Map.of(), "v", null);
    static final MediaTrack AUDIO = new MediaTrack(1, "audio", "PCMU", 0, 8000, 1, Map.of(), "a", null);
    private static final MediaTrack MJPEG = new MediaTrack(2, "video", "JPEG", 26, 90_000, null, Map.of(), "j", null);
    private static final long FRAME_US = 66_667; // 15 fps
    private static final long AUDIO_US = 20_000;

    private final List<Fmp4Segment> out = new ArrayList<>();
    private static final byte[] SPS;
    private static final byte[] PPS;

    static {
        FormatParameters p = Corpus.track("hikvision_describe.txt", "H264", 1 << 20);
        List<byte[]> sets = ParameterSetsTest.sprop(p, "sprop-parameter-sets");
        SPS = sets.get(0);
        PPS = sets.get(1);
    }

    private Fmp4Segmenter segmenter(long segmentMillis, long fragmentMillis, long maxBytes, MediaTrack... tracks) {
        return new Fmp4Segmenter(List.of(tracks), i -> null, segmentMillis, fragmentMillis, maxBytes, out::add,
                "test");
    }

    private static byte[] annexB(byte[]... units) {
        int n = 0;
        for (byte[] u : units) {
            n += 4 + u.length;
        }
        byte[] b = new byte[n];
        int p = 0;
        for (byte[] u : units) {
            b[p + 3] = 1;
            System.arraycopy(u, 0, b, p + 4, u.length);
            p += 4 + u.length;
        }
        return b;
    }

    static TimedFrame video(long pts, boolean key, int id) {
        byte[] slice = {(byte) (key ? 0x65 : 0x41), (byte) 0x88, (byte) (id >> 8), (byte) id};
        byte[] body = key ? annexB(SPS, PPS, slice) : annexB(slice);
        return new TimedFrame(VIDEO, new MediaFrame(pts * 9 / 100, body, key, false, 0), pts, null, false);
    }

    static TimedFrame audio(long pts) {
        byte[] body = new byte[160];
        Arrays.fill(body, (byte) (pts / AUDIO_US));
        return new TimedFrame(AUDIO, new MediaFrame(pts * 8 / 1000, body, true, false, 160), pts, null, false);
    }

    /** Feeds {@code seconds} of 15 fps video with a key frame every {@code gop} frames, and 20 ms audio. */
    static void feed(Fmp4Segmenter s, long fromUs, double seconds, int gop, long audioLagUs) {
        long end = fromUs + (long) (seconds * 1_000_000);
        long a = fromUs;
        int i = 0;
        for (long v = fromUs; v < end; v = fromUs + ++i * 1_000_000L / 15) {
            s.onFrame(video(v, i % gop == 0, i));
            while (a + audioLagUs <= v && a < end) {
                s.onFrame(audio(a));
                a += AUDIO_US;
            }
        }
        while (a < end) {
            s.onFrame(audio(a));
            a += AUDIO_US;
        }
    }

    @Test
    void cutsAtTheFirstKeyFrameAfterTheSegmentDuration() {
        Fmp4Segmenter s = segmenter(2500, 0, 1 << 24, VIDEO, AUDIO, MJPEG);
        feed(s, 5_000_000, 7.5, 15, 0);
        assertEquals(2, out.size(), "segments closed by the key frames at 3 s and 6 s");
        s.flush();
        assertEquals(3, out.size());
        int video = 0;
        int audio = 0;
        for (int k = 0; k < 3; k++) {
            Fmp4Segment seg = out.get(k);
            Runs runs = Runs.read(seg.data());
            assertEquals(1, runs.fragments(), "fragmentDuration 0: one fragment");
            assertEquals(seg.videoFrames(), runs.samples(1));
            assertEquals(seg.audioFrames(), runs.samples(2));
            assertEquals(5_000_000 + k * 3_000_000L, seg.presentationTimeMicros());
            assertEquals(0, runs.track(1).get(0).baseDecodeTime(), "media time starts at 0");
            assertEquals(Fmp4Writer.SYNC_SAMPLE_FLAGS, runs.track(1).get(0).flags()[0], "starts with a sync sample");
            video += seg.videoFrames();
            audio += seg.audioFrames();
            if (k < 2) {
                assertEquals(45, seg.videoFrames());
                assertEquals(150, seg.audioFrames(), "audio of [start, cut)");
                assertEquals(Duration.ofMillis(3000), seg.duration().withNanos(seg.duration().toMillisPart() * 1000000));
                long sum = Arrays.stream(runs.track(1).get(0).durations()).sum();
                assertEquals(270_000, sum, "video durations add up to the cut");
                assertEquals(24_000, Arrays.stream(runs.track(2).get(0).durations()).sum(), "3 s of 8 kHz audio");
            }
        }
        assertEquals(113, video, "every video frame of 7.5 s at 15 fps is in a segment");
        assertEquals(375, audio, "every audio frame is in a segment");
        assertEquals(0, s.framesSkipped());
        assertEquals(2, Boxes.parse(out.get(0).data()).find("moov").all("trak").size(), "MJPEG is left out");
    }

    @Test
    void audioBeforeTheFirstKeyFrameAndLeadingVideoFramesAreSkipped() {
        Fmp4Segmenter s = segmenter(10_000, 0, 1 << 24, VIDEO, AUDIO);
        s.onFrame(audio(0));
        s.onFrame(video(0, false, 0));
        s.onFrame(video(FRAME_US, false, 1));
        s.onFrame(video(2 * FRAME_US, true, 2));
        s.onFrame(audio(140_000));
        s.flush();
        assertEquals(3, s.framesSkipped());
        assertEquals(1, out.size());
        assertEquals(1, out.get(0).videoFrames());
        assertEquals(1, out.get(0).audioFrames());
        Runs runs = Runs.read(out.get(0).data());
        assertEquals(Math.round((140_000 - 2 * FRAME_US) * 8000 / 1e6), runs.track(2).get(0).baseDecodeTime(),
                "audio placed at its time relative to the segment start");
    }

    @Test
    void lateAudioGoesToTheSegmentItBelongsToAndEarlyAudioToTheNext() {
        Fmp4Segmenter s = segmenter(1000, 0, 1 << 24, VIDEO, AUDIO);
        // audio 300 ms behind video: when the cut frame comes, 300 ms of the old segment's audio are still due
        feed(s, 0, 2.0, 15, 300_000);
        s.flush();
        assertEquals(2, out.size());
        assertEquals(50, out.get(0).audioFrames(), "[0, 1 s) of audio although it arrived after the cut");
        assertEquals(50, out.get(1).audioFrames());

        out.clear();
        Fmp4Segmenter early = segmenter(1000, 0, 1 << 24, VIDEO, AUDIO);
        // audio 200 ms ahead of video
        feed(early, 0, 2.0, 15, -200_000);
        early.flush();
        assertEquals(2, out.size());
        assertEquals(50, out.get(0).audioFrames(), "audio after the cut that came before the cut frame moved on");
        assertEquals(50, out.get(1).audioFrames());
        Runs second = Runs.read(out.get(1).data());
        assertEquals(0, second.track(2).get(0).baseDecodeTime());
        assertEquals((byte) 50, second.track(2).get(0).data()[0][0], "first audio frame of the second segment");
    }

    @Test
    void discontinuityEndsTheSegmentAndTheNextStartsAtAKeyFrame() {
        Fmp4Segmenter s = segmenter(10_000, 0, 1 << 24, VIDEO);
        for (int i = 0; i < 10; i++) {
            s.onFrame(video(i * FRAME_US, i == 0, i));
        }
        TimedFrame lossy = video(12 * FRAME_US, false, 12);
        s.onFrame(new TimedFrame(VIDEO, lossy.frame(), lossy.presentationTimeMicros(), null, true));
        assertEquals(1, out.size(), "closed at the discontinuity");
        assertEquals(10, out.get(0).videoFrames());
        s.onFrame(video(13 * FRAME_US, false, 13));
        s.onFrame(video(14 * FRAME_US, true, 14));
        s.onFrame(video(15 * FRAME_US, false, 15));
        s.flush();
        assertEquals(2, out.size());
        assertEquals(2, out.get(1).videoFrames());
        assertEquals(2, s.framesSkipped(), "the frame after the gap and the one before the key frame");
        Runs first = Runs.read(out.get(0).data());
        long[] d = first.track(1).get(0).durations();
        assertEquals(d[8], d[9], "last sample before a discontinuity lasts as long as the one before");
    }

    @Test
    void segmentsAreCutAtTheSizeLimit() {
        Fmp4Segmenter s = segmenter(10_000, 0, 100, VIDEO);
        for (int i = 0; i < 40; i++) {
            s.onFrame(video(i * FRAME_US, i % 30 == 0, i)); // 8-byte samples
        }
        s.flush();
        assertEquals(1, s.segmentsCutBySize());
        assertTrue(out.get(0).cutBySize());
        assertEquals(12, out.get(0).videoFrames(), "12 samples of 8 bytes fit in 100");
        assertEquals(18, s.framesSkipped(), "the frame that did not fit and those up to the next key frame");
        assertEquals(2, out.size());
        assertEquals(10, out.get(1).videoFrames());
        assertFalse(out.get(1).cutBySize());
    }

    @Test
    void aSegmentFullAtAKeyFrameContinuesWithoutAGap() {
        Fmp4Segmenter s = segmenter(10_000, 0, 100, VIDEO);
        for (int i = 0; i < 14; i++) {
            s.onFrame(video(i * FRAME_US, i % 6 == 0, i)); // the 13th frame (a key frame) does not fit
        }
        s.flush();
        assertEquals(2, out.size());
        assertTrue(out.get(0).cutBySize());
        assertEquals(12, out.get(0).videoFrames());
        assertEquals(2, out.get(1).videoFrames());
        assertEquals(0, s.framesSkipped());
        assertEquals(1, s.segmentsCutBySize());
    }

    @Test
    void bFramesGetCompositionOffsets() {
        Fmp4Segmenter s = segmenter(10_000, 0, 1 << 24, VIDEO, AUDIO);
        // decode order I0 P3 B1 B2 P6 B4 B5 (presentation index), then the next segment's key frame
        int[] order = {0, 3, 1, 2, 6, 4, 5};
        for (int k = 0; k < order.length; k++) {
            s.onFrame(video(order[k] * 6000L * 100 / 9, k == 0, k));
        }
        s.onFrame(audio(20_000));
        s.flush();
        Runs runs = Runs.read(out.get(0).data());
        assertEquals(160 + 533, runs.track(2).get(0).baseDecodeTime(), "audio moves with the video's reorder delay");
        Runs.Run run = runs.track(1).get(0);
        assertArrayEquals(new long[] {6000, 6000, 6000, 6000, 6000, 6000, 6000}, run.durations());
        // decode times 0..6 frames; presentation moved one frame later so that no offset is negative
        assertArrayEquals(new int[] {6000, 18000, 0, 0, 18000, 0, 0}, run.offsets());
        assertEquals(Duration.ofMillis(466), out.get(0).duration().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }

    @Test
    void audioOnlySessionsAreCutOnTime() {
        Fmp4Segmenter s = segmenter(1000, 0, 1 << 24, AUDIO);
        for (int i = 0; i < 120; i++) {
            s.onFrame(audio(i * AUDIO_US));
        }
        assertEquals(2, out.size());
        for (Fmp4Segment seg : out) {
            assertEquals(50, seg.audioFrames());
            assertEquals(Duration.ofSeconds(1), seg.duration());
        }
    }

    @Test
    void fragmentsSplitASegmentByDecodeTime() {
        Fmp4Segmenter s = segmenter(2000, 500, 1 << 24, VIDEO, AUDIO);
        feed(s, 0, 2.5, 30, 0);
        assertEquals(1, out.size());
        Runs runs = Runs.read(out.get(0).data());
        assertEquals(4, runs.fragments());
        for (int f = 1; f <= 4; f++) {
            int fragment = f;
            List<Runs.Run> inFragment = runs.runs().stream().filter(r -> r.fragment() == fragment).toList();
            assertEquals(2, inFragment.size(), "both tracks in fragment " + f);
            assertEquals((f - 1) * 45_000L, inFragment.get(0).baseDecodeTime(), 3000.0, "video decode time");
            assertEquals((f - 1) * 4_000L, inFragment.get(1).baseDecodeTime(), "audio decode time");
        }
        assertEquals(30, runs.samples(1));
        assertEquals(100, runs.samples(2));
    }

    @Test
    void newParameterSetsStartANewSegment() {
        Fmp4Segmenter s = segmenter(10_000, 0, 1 << 24, VIDEO);
        s.onFrame(video(0, true, 0));
        s.onFrame(video(FRAME_US, false, 1));
        FormatParameters p = Corpus.track("dahua_describe_h264_aac_onvif.txt", "H264", 1 << 20);
        List<byte[]> sets = ParameterSetsTest.sprop(p, "sprop-parameter-sets");
        byte[] body = annexB(sets.get(0), sets.get(1), new byte[] {0x65, (byte) 0x88, 0, 2});
        s.onFrame(new TimedFrame(VIDEO, new MediaFrame(0, body, true, false, 0), 2 * FRAME_US, null, false));
        s.flush();
        assertEquals(2, out.size());
        assertEquals(1920, Boxes.parse(out.get(0).data()).find("moov/trak/mdia/minf/stbl/stsd/avc1").payload()
                .getShort(24));
        assertEquals(704, Boxes.parse(out.get(1).data()).find("moov/trak/mdia/minf/stbl/stsd/avc1").payload()
                .getShort(24));
    }

    @Test
    void startIsTheWallClockWhenKnown() {
        Fmp4Segmenter s = segmenter(10_000, 0, 1 << 24, VIDEO);
        Instant wall = Instant.parse("2026-01-02T03:04:05.600Z");
        TimedFrame f = video(0, true, 0);
        s.onFrame(new TimedFrame(VIDEO, f.frame(), 0, wall, false));
        s.flush();
        assertEquals(wall, out.get(0).start());
        Instant before = Instant.now();
        s.onFrame(video(FRAME_US, true, 1));
        s.flush();
        assertFalse(out.get(1).start().isBefore(before), "local time without a wall clock");
    }

    @Test
    void aKeyFrameWithABrokenSpsEndsTheSegmentAndLaterFramesWaitForAGoodOne() {
        Fmp4Segmenter s = segmenter(10_000, 0, 1 << 24, VIDEO);
        s.onFrame(video(0, true, 0));
        s.onFrame(video(FRAME_US, false, 1));
        byte[] broken = annexB(new byte[] {0x67, 0x42, 0}, PPS, new byte[] {0x65, 1});
        s.onFrame(new TimedFrame(VIDEO, new MediaFrame(0, broken, true, false, 0), 2 * FRAME_US, null, false));
        assertEquals(1, out.size(), "segment closed before the frame that could not be used");
        assertEquals(2, out.get(0).videoFrames());
        s.onFrame(video(3 * FRAME_US, false, 3));
        s.onFrame(video(4 * FRAME_US, true, 4));
        s.flush();
        assertEquals(2, out.size());
        assertEquals(1, out.get(1).videoFrames());
        assertEquals(2, s.framesSkipped());
    }

    @Test
    void audioFollowsATimelineThatJumpedBackAfterADiscontinuity() {
        Fmp4Segmenter s = segmenter(10_000, 0, 1 << 24, VIDEO, AUDIO);
        s.onFrame(video(10_000_000, true, 0));
        s.onFrame(audio(10_000_000));
        s.onFrame(audio(10_020_000));
        // the camera restarted its stream: every track's timeline starts again, earlier
        TimedFrame key = video(1_000_000, true, 1);
        s.onFrame(new TimedFrame(VIDEO, key.frame(), 1_000_000, null, true));
        assertEquals(1, out.size(), "the segment before the jump is not held back waiting for audio");
        TimedFrame a = audio(1_000_000);
        s.onFrame(new TimedFrame(AUDIO, a.frame(), 1_000_000, null, true));
        s.onFrame(audio(1_020_000));
        s.flush();
        assertEquals(2, out.size());
        assertEquals(2, out.get(0).audioFrames());
        assertEquals(2, out.get(1).audioFrames(), "audio after the jump is kept");
        assertEquals(0, s.framesSkipped());
    }

    @Test
    void malformedFramesAreSkippedAndCounted() {
        Fmp4Segmenter s = segmenter(10_000, 0, 1 << 24, VIDEO);
        s.onFrame(new TimedFrame(VIDEO, new MediaFrame(0, annexB(new byte[] {0x65, 1}), true, false, 0), 0, null,
                false));
        assertEquals(1, s.framesSkipped(), "a key frame without parameter sets and nothing known");
        assertEquals(0, out.size());
        assertThrows(IllegalArgumentException.class, () -> segmenter(1000, 0, 100, MJPEG));
        assertThrows(IllegalArgumentException.class, () -> segmenter(0, 0, 100, VIDEO));
    }
}
