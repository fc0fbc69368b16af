package io.github.camelrtsp.mp4;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.github.camelrtsp.client.MediaTrack;
import io.github.camelrtsp.media.TimedFrame;
import org.junit.jupiter.api.Test;

import static io.github.camelrtsp.mp4.Fmp4SegmenterTest.AUDIO;
import static io.github.camelrtsp.mp4.Fmp4SegmenterTest.VIDEO;
import static io.github.camelrtsp.mp4.Fmp4SegmenterTest.audio;
import static io.github.camelrtsp.mp4.Fmp4SegmenterTest.feed;
import static io.github.camelrtsp.mp4.Fmp4SegmenterTest.video;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fragment delivery of the segmenter: pieces arrive while the segment is recorded, the first with the init segment,
 * and concatenated they are byte for byte the file that whole-segment delivery writes for the same frames.
 */
class Fmp4FragmentDeliveryTest {

    private final List<Fmp4Segment> segments = new ArrayList<>();
    private final List<Fmp4Fragment> pieces = new ArrayList<>();
    private final List<Fmp4Segment> reference = new ArrayList<>();

    private Fmp4Segmenter delivering(long segmentMillis, long fragmentMillis, MediaTrack... tracks) {
        return new Fmp4Segmenter(List.of(tracks), i -> null, segmentMillis, fragmentMillis, 1 << 24, segments::add,
                pieces::add, "test");
    }

    private Fmp4Segmenter whole(long segmentMillis, long fragmentMillis, MediaTrack... tracks) {
        return new Fmp4Segmenter(List.of(tracks), i -> null, segmentMillis, fragmentMillis, 1 << 24, reference::add,
                "test");
    }

    /** Pieces grouped per segment, in arrival order; a new group starts at each piece with the init segment. */
    private List<List<Fmp4Fragment>> bySegment() {
        List<List<Fmp4Fragment>> out = new ArrayList<>();
        for (Fmp4Fragment f : pieces) {
            if (f.withInit()) {
                out.add(new ArrayList<>());
            }
            out.get(out.size() - 1).add(f);
        }
        return out;
    }

    private static byte[] concat(List<Fmp4Fragment> list) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        list.forEach(f -> b.writeBytes(f.data()));
        return b.toByteArray();
    }

    private void assertSameAsWholeSegments(Fmp4Segmenter s) {
        assertEquals(reference.size(), segments.size(), "same segments");
        List<List<Fmp4Fragment>> groups = bySegment();
        assertEquals(reference.size(), groups.size(), "one group of pieces per segment");
        for (int k = 0; k < reference.size(); k++) {
            List<Fmp4Fragment> g = groups.get(k);
            for (int i = 0; i < g.size(); i++) {
                assertEquals(i, g.get(i).index(), "piece numbers");
                assertEquals(i == 0, g.get(i).withInit(), "only the first piece has the init segment");
                List<String> top = Boxes.parse(g.get(i).data()).children().stream().map(Boxes.Box::type).toList();
                assertEquals(i == 0 ? "ftyp" : "moof", top.get(0), "piece " + i + " of segment " + k + ": " + top);
                assertEquals("mdat", top.get(top.size() - 1), "piece ends with a whole fragment");
            }
            assertArrayEquals(reference.get(k).data(), concat(g), "pieces of segment " + k + " = whole segment");
            assertArrayEquals(reference.get(k).data(), segments.get(k).data(), "segment " + k);
            assertEquals(segments.get(k).start(), g.get(0).segmentStart(), "pieces carry their segment's start");
        }
        assertEquals(0, s.fragmentMismatches());
    }

    @Test
    void piecesConcatenateToTheWholeSegment() {
        Fmp4Segmenter s = delivering(2000, 500, VIDEO, AUDIO);
        Fmp4Segmenter r = whole(2000, 500, VIDEO, AUDIO);
        feed(s, 0, 6.5, 30, 40_000);
        feed(r, 0, 6.5, 30, 40_000);
        s.flush();
        r.flush();
        assertEquals(4, reference.size(), "2 s segments and the 0.5 s flushed");
        assertSameAsWholeSegments(s);
        // four 500 ms slots per 2 s segment, each its own piece
        assertEquals(List.of(4, 4, 4, 1), bySegment().stream().map(List::size).toList(), "pieces per segment");
    }

    @Test
    void theFirstPieceArrivesOneFragmentAfterTheSegmentStartsNotAtItsEnd() {
        Fmp4Segmenter s = delivering(10_000, 500, VIDEO, AUDIO);
        long frame = 1_000_000L / 15;
        int i = 0;
        long a = 0;
        // video up to just before 500 ms, audio too: nothing is complete yet
        for (; i * frame < 500_000; i++) {
            s.onFrame(video(i * frame, i == 0, i));
            for (; a <= i * frame; a += 20_000) {
                s.onFrame(audio(a));
            }
        }
        assertTrue(pieces.isEmpty(), "the slot is open until a frame past it arrives");
        s.onFrame(video(i * frame, false, i)); // video passes 500 ms, audio has not yet
        assertTrue(pieces.isEmpty(), "waits for the audio of the slot");
        for (; a <= i * frame; a += 20_000) {
            s.onFrame(audio(a));
        }
        assertEquals(1, pieces.size(), "first piece as soon as every track passed 500 ms");
        assertTrue(segments.isEmpty(), "long before the segment ends");
        Runs first = Runs.read(pieces.get(0).data());
        assertEquals(8, first.samples(1), "video frames 0..7 (0 to 467 ms)");
        assertEquals(25, first.samples(2), "audio frames 0..24 (0 to 480 ms)");
    }

    @Test
    void aLaggingTrackIsWaitedForAtMostTheFollowerWait() {
        Fmp4Segmenter s = delivering(10_000, 500, VIDEO, AUDIO);
        s.onFrame(audio(0));
        long frame = 1_000_000L / 15;
        int i = 0;
        for (; i * frame < 500_000 + Fmp4Segmenter.FOLLOWER_WAIT_MICROS; i++) {
            s.onFrame(video(i * frame, i == 0, i));
            assertTrue(pieces.isEmpty(), "no audio past 500 ms yet, at " + i * frame);
        }
        s.onFrame(video(i * frame, false, i));
        assertEquals(1, pieces.size());
    }

    @Test
    void bFramesDeliverTheSameBytes() {
        Fmp4Segmenter s = delivering(900, 300, VIDEO, AUDIO);
        Fmp4Segmenter r = whole(900, 300, VIDEO, AUDIO);
        // decode order I0 P3 B1 B2 P6 B4 B5 ..., 15 fps, key frame every 15 frames
        long frame = 1_000_000L / 15;
        List<TimedFrame> frames = new ArrayList<>();
        for (int gop = 0; gop < 4; gop++) {
            int base = gop * 15;
            frames.add(video((base) * frame, true, base));
            for (int k = 1; k < 15; k += 3) {
                int p = Math.min(k + 2, 14);
                frames.add(video((base + p) * frame, false, base + p));
                for (int b = k; b < p; b++) {
                    frames.add(video((base + b) * frame, false, base + b));
                }
            }
        }
        long a = 0;
        for (TimedFrame f : frames) {
            for (; a + 200_000 <= f.presentationTimeMicros(); a += 20_000) {
                s.onFrame(audio(a));
                r.onFrame(audio(a));
            }
            s.onFrame(f);
            r.onFrame(f);
        }
        s.flush();
        r.flush();
        assertEquals(4, reference.size());
        assertSameAsWholeSegments(s);
        assertTrue(bySegment().get(1).size() >= 3, "several pieces per segment");
    }

    @Test
    void aFragmentThatWouldChangeLaterIsKeptAndCounted() {
        Fmp4Segmenter s = delivering(10_000, 300, VIDEO, AUDIO);
        Fmp4Segmenter r = whole(10_000, 300, VIDEO, AUDIO);
        long frame = 1_000_000L / 15;
        List<TimedFrame> frames = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            frames.add(video(i * frame, i == 0, i)); // first second without B-frames: no reorder delay
        }
        for (int i = 15; i < 30; i += 3) {
            frames.add(video((i + 2) * frame, false, i + 2)); // then P B B: the reorder delay grows
            frames.add(video(i * frame, false, i));
            frames.add(video((i + 1) * frame, false, i + 1));
        }
        long a = 0;
        for (TimedFrame f : frames) {
            for (; a <= f.presentationTimeMicros(); a += 20_000) {
                s.onFrame(audio(a));
                r.onFrame(audio(a));
            }
            s.onFrame(f);
            r.onFrame(f);
        }
        s.flush();
        r.flush();
        assertEquals(1, s.fragmentMismatches());
        List<Fmp4Fragment> g = bySegment().get(0);
        assertTrue(g.size() >= 4, "pieces delivered before the delay grew, and after: " + g.size());
        assertArrayEquals(segments.get(0).data(), concat(g), "the segment is what was delivered");
        assertFalse(java.util.Arrays.equals(reference.get(0).data(), segments.get(0).data()),
                "whole-segment delivery would have written it differently");
        Runs runs = Runs.read(segments.get(0).data());
        assertEquals(30, runs.samples(1), "every video frame is in the delivered pieces");
        assertEquals(reference.get(0).videoFrames(), runs.samples(1));
        assertEquals(Runs.read(reference.get(0).data()).samples(2), runs.samples(2), "and every audio frame");
    }

    @Test
    void irregularTimingStillConcatenatesToTheWholeSegment() {
        java.util.Random random = new java.util.Random(6);
        Fmp4Segmenter s = delivering(1200, 250, VIDEO, AUDIO);
        Fmp4Segmenter r = whole(1200, 250, VIDEO, AUDIO);
        long frame = 1_000_000L / 15;
        long a = 0;
        long lag = 0;
        for (int i = 0; i < 600; i++) {
            long pts = i * frame + random.nextInt(8_000);
            boolean loss = random.nextInt(150) == 0;
            TimedFrame v = video(pts, i % 20 == 0, i);
            if (loss) {
                v = new TimedFrame(v.track(), v.frame(), v.presentationTimeMicros(), null, true);
            }
            if (random.nextInt(40) == 0) {
                lag = random.nextInt(600_000); // audio arrives later for a while
            }
            for (; a + lag <= pts; a += 20_000) {
                s.onFrame(audio(a));
                r.onFrame(audio(a));
            }
            s.onFrame(v);
            r.onFrame(v);
        }
        s.flush();
        r.flush();
        assertTrue(reference.size() > 10, "segments: " + reference.size());
        assertSameAsWholeSegments(s);
    }

    @Test
    void randomReorderingJumpsAndLossesNeverLoseOrDuplicateASample() {
        for (int seed = 0; seed < 20; seed++) {
            java.util.Random random = new java.util.Random(seed);
            segments.clear();
            pieces.clear();
            reference.clear();
            Fmp4Segmenter s = delivering(300 + random.nextInt(1500), 50 + random.nextInt(400), VIDEO, AUDIO);
            Fmp4Segmenter r = whole(300 + random.nextInt(1500), 100, VIDEO, AUDIO);
            long base = 0;
            long a = 0;
            for (int i = 0; i < 400; i++) {
                if (random.nextInt(100) == 0) {
                    base -= random.nextInt(3_000_000); // timeline jumps back
                }
                long pts = base + i * 66_667L + (random.nextInt(4) == 0 ? -random.nextInt(200_000) : 0);
                TimedFrame v = video(pts, random.nextInt(12) == 0, i);
                if (random.nextInt(80) == 0) {
                    v = new TimedFrame(v.track(), v.frame(), v.presentationTimeMicros(), null, true);
                }
                s.onFrame(v);
                for (int k = random.nextInt(6); k > 0; k--) {
                    a = random.nextInt(50) == 0 ? pts - random.nextInt(1_500_000) : a + 20_000;
                    s.onFrame(audio(a));
                }
            }
            s.flush();
            List<List<Fmp4Fragment>> groups = bySegment();
            assertEquals(segments.size(), groups.size(), "seed " + seed);
            for (int k = 0; k < segments.size(); k++) {
                byte[] data = segments.get(k).data();
                assertArrayEquals(data, concat(groups.get(k)), "seed " + seed + " segment " + k);
                Runs runs = Runs.read(data);
                assertEquals(segments.get(k).videoFrames(), runs.samples(1), "seed " + seed + " segment " + k);
                assertEquals(segments.get(k).audioFrames(), runs.samples(2), "seed " + seed + " segment " + k);
                for (int i = 0; i < groups.get(k).size(); i++) {
                    assertEquals(i, groups.get(k).get(i).index());
                }
            }
            assertTrue(segments.size() > 3, "seed " + seed + ": " + segments.size());
        }
    }

    @Test
    void fragmentDeliveryNeedsAFragmentDuration() {
        Consumer<Fmp4Fragment> sink = pieces::add;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Fmp4Segmenter(
                List.of(VIDEO), i -> null, 1000, 0, 1 << 20, segments::add, sink, "test"));
        assertTrue(e.getMessage().contains("fragmentDuration"), e.getMessage());
        assertFalse(pieces.size() > 0);
    }
}
