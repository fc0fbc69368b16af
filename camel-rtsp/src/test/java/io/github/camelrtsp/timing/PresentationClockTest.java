package io.github.camelrtsp.timing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.camelrtsp.rtp.SenderReport;
import io.github.camelrtsp.timing.PresentationClock.Alignment;
import io.github.camelrtsp.timing.PresentationClock.Track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PresentationClockTest {

    private static final long SECOND = 1_000_000L;
    private static final long WRAP = 1L << 32;
    private static final Instant EPOCH = Instant.parse("2024-05-01T12:00:00Z");

    // ---- simulation of a sender: one wall clock, one RTP clock per track ----

    /** A sender's track: RTP timestamp of content captured at a wall-clock time, possibly drifting. */
    record SimTrack(String name, int rate, long base, double driftPpm, long ssrc) {

        long ts(long captureMicros) {
            double ticks = captureMicros * (double) rate * (1 + driftPpm * 1e-6) / SECOND;
            return (base + (long) Math.floor(ticks)) & 0xFFFF_FFFFL;
        }

        /** The sender report sent at a wall-clock time: the timestamp content captured at that time would get. */
        SenderReport report(long wallMicros) {
            long ntp = SenderReport.instantToNtp(EPOCH.plusNanos(wallMicros * 1000));
            return new SenderReport(ssrc, ntp, ts(wallMicros), 0, 0);
        }
    }

    /** Something that reaches the receiver at a time: a frame (captured at some time) or a sender report. */
    record Event(long arrivalMicros, int track, long captureMicros, boolean report) {
    }

    /** One frame as timed by the clock. */
    record Timed(int track, long captureMicros, long arrivalMicros, long pts, boolean discontinuity) {
        long offset() {
            return pts - captureMicros;
        }
    }

    /** Frames every {@code periodMicros} captured from 0 to {@code untilMicros}, arriving {@code lagMicros} later. */
    private static void frames(List<Event> events, int track, long periodMicros, long lagMicros, long untilMicros) {
        for (long capture = 0; capture < untilMicros; capture += periodMicros) {
            events.add(new Event(capture + lagMicros, track, capture, false));
        }
    }

    /** Sender reports every {@code periodMicros} from {@code firstMicros}, sent (and here received) at that time. */
    private static void reports(List<Event> events, int track, long firstMicros, long periodMicros, long until) {
        for (long at = firstMicros; at < until; at += periodMicros) {
            events.add(new Event(at, track, at, true));
        }
    }

    private static List<Timed> run(PresentationClock clock, Track[] tracks, SimTrack[] sims, List<Event> events) {
        events.sort(Comparator.comparingLong(Event::arrivalMicros).thenComparing(Event::report));
        List<Timed> out = new ArrayList<>();
        for (Event e : events) {
            Track t = tracks[e.track()];
            if (e.report()) {
                clock.onSenderReport(t, sims[e.track()].report(e.captureMicros()));
            } else {
                long pts = clock.presentationTimeMicros(t, sims[e.track()].ts(e.captureMicros()));
                out.add(new Timed(e.track(), e.captureMicros(), e.arrivalMicros(), pts, clock.takeDiscontinuity(t)));
            }
        }
        return out;
    }

    private static List<Timed> of(List<Timed> timed, int track) {
        return timed.stream().filter(t -> t.track() == track).toList();
    }

    /** Each track's times never go back (no B-frames in these streams). */
    private static void assertNeverBackwards(List<Timed> timed, int tracks) {
        for (int i = 0; i < tracks; i++) {
            long previous = Long.MIN_VALUE;
            for (Timed t : of(timed, i)) {
                assertTrue(t.pts() >= previous, "track " + i + " went back to " + t.pts() + " from " + previous
                                                 + " at capture " + t.captureMicros());
                previous = t.pts();
            }
        }
    }

    /** Largest difference between the tracks' offsets (presentation time minus capture time) from a time on. */
    private static long syncError(List<Timed> timed, long fromArrival) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (Timed t : timed) {
            if (t.arrivalMicros() >= fromArrival) {
                min = Math.min(min, t.offset());
                max = Math.max(max, t.offset());
            }
        }
        return max - min;
    }

    // ---- timestamps of one track ----

    @Test
    void wrapAroundOfTheRtpTimestampIsInvisible() {
        PresentationClock clock = new PresentationClock();
        Track video = clock.addTrack("video", 90000);
        long first = WRAP - 10 * 3000;
        long previous = Long.MIN_VALUE;
        for (int k = 0; k < 100; k++) {
            long pts = clock.presentationTimeMicros(video, (first + 3000L * k) % WRAP);
            assertEquals(PresentationClock.ticksToMicros(3000L * k, 90000), pts, "frame " + k);
            assertTrue(pts > previous);
            previous = pts;
        }
        assertEquals(3_300_000, previous);
        assertEquals(0, clock.restarts());
        assertFalse(clock.takeDiscontinuity(video));
    }

    @Test
    void manyWrapsKeepCounting() {
        PresentationClock clock = new PresentationClock();
        Track audio = clock.addTrack("audio", 8000);
        long ts = 123_456_789L;
        long step = 50L * 8000; // 50 s between frames, below the restart threshold
        int wraps = 0;
        for (long k = 0; k < 60_000; k++) {
            long pts = clock.presentationTimeMicros(audio, ts);
            assertEquals(k * 50 * SECOND, pts);
            long next = (ts + step) % WRAP;
            if (next < ts) {
                wraps++;
            }
            ts = next;
        }
        assertTrue(wraps >= 5, wraps + " wraps");
        assertEquals(0, clock.restarts());
    }

    @Test
    void bFramesKeepTheirPresentationOrderAcrossTheWrap() {
        PresentationClock clock = new PresentationClock();
        Track video = clock.addTrack("video", 90000);
        long base = WRAP - 4500;
        // decode order I0 P3 B1 B2 P6 B4 B5: timestamps are presentation times
        int[] order = {0, 3, 1, 2, 6, 4, 5};
        List<Long> times = new ArrayList<>();
        for (int n : order) {
            times.add(clock.presentationTimeMicros(video, (base + 3000L * n) % WRAP));
        }
        List<Long> expected = new ArrayList<>();
        for (int n : order) {
            expected.add(PresentationClock.ticksToMicros(3000L * n, 90000));
        }
        assertEquals(expected, times, "not forced to grow in decode order");
        assertEquals(0, clock.restarts());
        assertFalse(clock.takeDiscontinuity(video));
    }

    @Test
    void aTrackStartsAtZeroOrAtTheSessionsLatestTimeWhenNothingElseAnchorsIt() {
        PresentationClock clock = new PresentationClock();
        Track video = clock.addTrack("video", 90000);
        Track audio = clock.addTrack("audio", 8000);
        assertEquals(Alignment.NONE, clock.alignment(video));
        assertEquals(0, clock.presentationTimeMicros(video, 777_000));
        assertEquals(0, clock.presentationTimeMicros(audio, 5));
        for (int k = 1; k <= 300; k++) {
            clock.presentationTimeMicros(video, 777_000 + 3000L * k);
        }
        Track late = clock.addTrack("late audio", 16000);
        assertEquals(10 * SECOND, clock.presentationTimeMicros(late, 42));
        assertEquals(10 * SECOND + 62_500, clock.presentationTimeMicros(late, 42 + 1000));
        assertEquals(Alignment.FIRST_FRAME, clock.alignment(late));
    }

    // ---- RTP-Info ----

    @Test
    void rtpInfoAlignsTracksAtThePlayInstant() {
        PresentationClock clock = new PresentationClock();
        Track video = clock.addTrack("video", 90000);
        Track audio = clock.addTrack("audio", 48000);
        long videoStart = WRAP - 60_000;
        assertTrue(clock.onRtpInfo(video, videoStart));
        assertTrue(clock.onRtpInfo(audio, 1_000L));
        assertEquals(Alignment.RTP_INFO, clock.alignment(audio));
        // audio happens to start 100 ms after the play instant, video 40 ms after it; video wraps soon after
        assertEquals(100_000, clock.presentationTimeMicros(audio, 1_000L + 4800));
        assertEquals(40_000, clock.presentationTimeMicros(video, videoStart + 3600));
        assertEquals(1_000_000 + 40_000, clock.presentationTimeMicros(video, (videoStart + 3600 + 90000) % WRAP));
        assertFalse(clock.onRtpInfo(video, 5), "a second RTP-Info does not re-anchor");
    }

    @Test
    void rtpInfoAfterTheFirstFramesDoesNotMoveTimesBack() {
        PresentationClock clock = new PresentationClock();
        Track video = clock.addTrack("video", 90000);
        Track audio = clock.addTrack("audio", 8000);
        // over UDP the first packets may be timed before the PLAY response was read
        assertEquals(0, clock.presentationTimeMicros(video, 9000));
        assertEquals(100_000, clock.presentationTimeMicros(video, 18000));
        assertTrue(clock.onRtpInfo(video, 0));
        assertTrue(clock.onRtpInfo(audio, 800));
        assertEquals(200_000, clock.presentationTimeMicros(video, 27000), "video keeps its times");
        assertEquals(-100_000 + 200_000, clock.presentationTimeMicros(audio, 800 + 1600),
                     "audio placed relative to video's play instant (-100 ms)");
        assertFalse(clock.takeDiscontinuity(video));
    }

    // ---- sender reports ----

    @Test
    void twoTracksWithDifferentClockRatesAreAlignedBySenderReports() {
        SimTrack[] sims = {new SimTrack("video", 90000, 3_900_000_000L, 0, 1),
            new SimTrack("audio", 48000, 17, 0, 2)};
        PresentationClock clock = new PresentationClock();
        Track[] tracks = {clock.addTrack("video", 90000), clock.addTrack("audio", 48000)};
        List<Event> events = new ArrayList<>();
        // reports arrive before the first frames; the tracks arrive with different delays
        reports(events, 0, 0, 5 * SECOND, 20 * SECOND);
        reports(events, 1, 10_000, 5 * SECOND, 20 * SECOND);
        frames(events, 0, 100_000 / 3, 120_000, 20 * SECOND);
        frames(events, 1, 20_000, 60_000, 20 * SECOND);
        List<Timed> timed = run(clock, tracks, sims, events);

        assertEquals(Alignment.SENDER_REPORT, clock.alignment(tracks[0]));
        assertEquals(Alignment.SENDER_REPORT, clock.alignment(tracks[1]));
        assertTrue(syncError(timed, 0) <= 25, "frames captured together are presented together, within a tick: "
                                              + syncError(timed, 0) + " us");
        assertTrue(timed.stream().noneMatch(Timed::discontinuity));
        assertEquals(0, clock.realignments());
        assertNeverBackwards(timed, 2);
        // the video timestamps wrapped after about 4.4 s
        assertTrue(of(timed, 0).get(of(timed, 0).size() - 1).pts() > 19 * SECOND);
    }

    @Test
    void aSenderReportArrivingLateMovesTheOtherTrackForwardNeverBack() {
        // audio arrives 300 ms later than video captured at the same time, so the first frames (arriving together)
        // are about 300 ms apart in content; the reports come after 2 s
        SimTrack[] sims = {new SimTrack("video", 90000, 1_000, 0, 1), new SimTrack("audio", 8000, 2_000_000, 0, 2)};
        PresentationClock clock = new PresentationClock();
        Track[] tracks = {clock.addTrack("video", 90000), clock.addTrack("audio", 8000)};
        List<Event> events = new ArrayList<>();
        frames(events, 0, 40_000, 50_000, 10 * SECOND);
        frames(events, 1, 20_000, 350_000, 10 * SECOND);
        events.removeIf(e -> e.arrivalMicros() < 350_000); // both start at the same arrival time
        reports(events, 0, 2 * SECOND, 5 * SECOND, 10 * SECOND);
        reports(events, 1, 2 * SECOND + 500_000, 5 * SECOND, 10 * SECOND);
        List<Timed> timed = run(clock, tracks, sims, events);

        assertTrue(syncError(timed, 0) > 290_000, "out of sync before the reports: " + syncError(timed, 0));
        assertTrue(syncError(timed, 2_500_001) <= 1_000, "in sync after them: " + syncError(timed, 2_500_001));
        assertNeverBackwards(timed, 2);
        // video, whose report came first, kept its times until audio's report; then video jumped 300 ms forward
        List<Timed> video = of(timed, 0);
        List<Timed> jumps = video.stream().filter(Timed::discontinuity).toList();
        assertEquals(1, jumps.size());
        assertTrue(jumps.get(0).arrivalMicros() > 2_500_000);
        int at = video.indexOf(jumps.get(0));
        long step = video.get(at).pts() - video.get(at - 1).pts();
        // video's first frame, captured at 320 ms, arrived with audio's first, captured at 0: 320 ms to make up
        assertTrue(Math.abs(step - 40_000 - 320_000) <= 1_000, "one frame of 40 ms plus the jump: " + step);
        assertTrue(of(timed, 1).stream().noneMatch(Timed::discontinuity), "audio did not jump");
        assertEquals(1, clock.realignments());
        assertEquals(Alignment.SENDER_REPORT, clock.alignment(tracks[1]));
    }

    @Test
    void aSenderReportThatMovesItsOwnTrackForwardMakesThatTrackJump() {
        // now audio arrives earlier than video captured at the same time
        SimTrack[] sims = {new SimTrack("video", 90000, 1_000, 0, 1), new SimTrack("audio", 8000, 2_000_000, 0, 2)};
        PresentationClock clock = new PresentationClock();
        Track[] tracks = {clock.addTrack("video", 90000), clock.addTrack("audio", 8000)};
        List<Event> events = new ArrayList<>();
        frames(events, 0, 40_000, 250_000, 10 * SECOND);
        frames(events, 1, 20_000, 50_000, 10 * SECOND);
        events.removeIf(e -> e.arrivalMicros() < 250_000);
        reports(events, 0, 2 * SECOND, 5 * SECOND, 10 * SECOND);
        reports(events, 1, 2 * SECOND + 500_000, 5 * SECOND, 10 * SECOND);
        List<Timed> timed = run(clock, tracks, sims, events);

        assertTrue(syncError(timed, 2_500_001) <= 1_000, "in sync: " + syncError(timed, 2_500_001));
        assertNeverBackwards(timed, 2);
        assertEquals(1, of(timed, 1).stream().filter(Timed::discontinuity).count(), "audio jumped forward");
        assertTrue(of(timed, 0).stream().noneMatch(Timed::discontinuity), "video kept its times");
    }

    @Test
    void aSmallMisalignmentWithinTheToleranceIsLeftAlone() {
        SimTrack[] sims = {new SimTrack("video", 90000, 1_000, 0, 1), new SimTrack("audio", 8000, 2_000_000, 0, 2)};
        PresentationClock clock = new PresentationClock(Duration.ofMillis(40), Duration.ofSeconds(10));
        Track[] tracks = {clock.addTrack("video", 90000), clock.addTrack("audio", 8000)};
        List<Event> events = new ArrayList<>();
        // the first frames arrive together, video's captured 25 ms after audio's
        frames(events, 0, 25_000, 50_000, 10 * SECOND);
        frames(events, 1, 20_000, 75_000, 10 * SECOND);
        events.removeIf(e -> e.arrivalMicros() < 75_000);
        reports(events, 0, 2 * SECOND, 5 * SECOND, 10 * SECOND);
        reports(events, 1, 2 * SECOND + 500_000, 5 * SECOND, 10 * SECOND);
        List<Timed> timed = run(clock, tracks, sims, events);

        assertTrue(syncError(timed, 0) <= 40_000, "off by about 25 ms: " + syncError(timed, 0));
        assertTrue(timed.stream().noneMatch(Timed::discontinuity));
        assertEquals(0, clock.realignments());
        assertEquals(Alignment.SENDER_REPORT, clock.alignment(tracks[0]));
        assertEquals(Alignment.SENDER_REPORT, clock.alignment(tracks[1]), "marked aligned all the same");
    }

    @Test
    void clockDriftIsCorrectedWheneverItExceedsTheTolerance() {
        // audio's RTP clock runs 250 ppm fast against the sender's wall clock: 450 ms in 30 minutes
        SimTrack[] sims = {new SimTrack("video", 90000, 5, 0, 1), new SimTrack("audio", 16000, 99, 250, 2)};
        PresentationClock clock = new PresentationClock(Duration.ofMillis(40), Duration.ofSeconds(10));
        Track[] tracks = {clock.addTrack("video", 90000), clock.addTrack("audio", 16000)};
        List<Event> events = new ArrayList<>();
        long duration = 1800 * SECOND;
        frames(events, 0, 100_000, 30_000, duration);
        frames(events, 1, 40_000, 30_000, duration);
        reports(events, 0, 0, 5 * SECOND, duration);
        reports(events, 1, 1_000, 5 * SECOND, duration);
        List<Timed> timed = run(clock, tracks, sims, events);

        assertNeverBackwards(timed, 2);
        assertTrue(clock.realignments() >= 8, clock.realignments() + " corrections");
        // between corrections the error grows to the tolerance, never (much) beyond: check every 10 s window
        for (long from = 0; from < duration; from += 10 * SECOND) {
            long f = from;
            List<Timed> window = timed.stream()
                    .filter(t -> t.arrivalMicros() >= f && t.arrivalMicros() < f + 10 * SECOND).toList();
            assertTrue(syncError(window, f) <= 40_000 + 2_000 + 5_000,
                       "sync error " + syncError(window, f) + " us around " + f / SECOND + " s");
        }
    }

    @Test
    void aSenderReportContradictingTheOtherTracksIsRejected() {
        PresentationClock clock = new PresentationClock(Duration.ofMillis(40), Duration.ofSeconds(10));
        Track video = clock.addTrack("video", 90000);
        Track audio = clock.addTrack("audio", 8000);
        SimTrack v = new SimTrack("video", 90000, 0, 0, 1);
        SimTrack a = new SimTrack("audio", 8000, 0, 0, 2);
        for (int k = 0; k < 50; k++) {
            clock.presentationTimeMicros(video, v.ts(k * 40_000L));
            clock.presentationTimeMicros(audio, a.ts(k * 40_000L));
        }
        assertTrue(clock.onSenderReport(video, v.report(2 * SECOND)));
        // audio's report claims a wall clock an hour off (a sender with unrelated clocks per track)
        SenderReport wrong = new SenderReport(2, SenderReport.instantToNtp(EPOCH.plusSeconds(3602)),
                                              a.ts(2 * SECOND), 0, 0);
        for (int i = 0; i < 5; i++) {
            assertFalse(clock.onSenderReport(audio, wrong));
        }
        assertEquals(5, clock.rejectedReports());
        assertEquals(Alignment.FIRST_FRAME, clock.alignment(audio));
        assertEquals(2 * SECOND, clock.presentationTimeMicros(audio, a.ts(2 * SECOND)), "audio's times unchanged");
        assertFalse(clock.takeDiscontinuity(audio));
        assertFalse(clock.takeDiscontinuity(video));
        // the wall clock is what the sender says all the same
        assertEquals(EPOCH.plusSeconds(3602), clock.wallClock(audio, a.ts(2 * SECOND)));
    }

    @Test
    void aReportBeforeAnyFrameAnchorsTheTrackOnTheWallClock() {
        SimTrack v = new SimTrack("video", 90000, 3_000_000_000L, 0, 1);
        SimTrack a = new SimTrack("audio", 48000, 400, 0, 2);
        PresentationClock clock = new PresentationClock();
        Track video = clock.addTrack("video", 90000);
        Track audio = clock.addTrack("audio", 48000);
        clock.onSenderReport(video, v.report(SECOND));
        clock.onSenderReport(audio, a.report(SECOND + 250_000));
        // the first report's instant is presentation time 0
        assertEquals(0, clock.presentationTimeMicros(video, v.ts(SECOND)));
        assertEquals(-500_000, clock.presentationTimeMicros(audio, a.ts(500_000)));
        assertEquals(4 * SECOND, clock.presentationTimeMicros(audio, a.ts(5 * SECOND)));
        assertEquals(4 * SECOND, clock.presentationTimeMicros(video, v.ts(5 * SECOND)));
    }

    @Test
    void rtpInfoDoesNotOverrideASenderReport() {
        SimTrack v = new SimTrack("video", 90000, 0, 0, 1);
        PresentationClock clock = new PresentationClock();
        Track video = clock.addTrack("video", 90000);
        clock.onSenderReport(video, v.report(0));
        assertFalse(clock.onRtpInfo(video, 45000));
        assertEquals(Alignment.SENDER_REPORT, clock.alignment(video));
        assertEquals(0, clock.presentationTimeMicros(video, 0));
    }

    // ---- wall clock ----

    @Test
    void wallClockComesFromTheLastSenderReportAcrossTheWrap() {
        PresentationClock clock = new PresentationClock();
        Track video = clock.addTrack("video", 90000);
        assertNull(clock.wallClock(video, 1234), "no report yet");
        Instant sent = Instant.parse("2025-01-02T03:04:05.5Z");
        long srTs = WRAP - 45000;
        clock.onSenderReport(video, new SenderReport(1, SenderReport.instantToNtp(sent), srTs, 10, 1000));
        assertEquals(sent, clock.wallClock(video, srTs));
        assertEquals(sent.plusSeconds(1), clock.wallClock(video, 45000), "after the wrap");
        assertEquals(sent.minusSeconds(1), clock.wallClock(video, srTs - 90000));
        assertEquals(sent.plusNanos(11_111), clock.wallClock(video, srTs + 1), "one tick, rounded down");
        Instant later = sent.plusSeconds(5);
        clock.onSenderReport(video, new SenderReport(1, SenderReport.instantToNtp(later), 405000, 10, 1000));
        assertEquals(later, clock.wallClock(video, 405000), "the last report counts");
    }

    // ---- restarts ----

    @Test
    void aTimestampJumpIsARestartAndTimesContinueForward() {
        PresentationClock clock = new PresentationClock();
        Track video = clock.addTrack("video", 90000);
        SimTrack v = new SimTrack("video", 90000, 1_000_000, 0, 1);
        long last = 0;
        for (int k = 0; k < 100; k++) {
            last = clock.presentationTimeMicros(video, v.ts(k * 40_000L));
        }
        clock.onSenderReport(video, v.report(4 * SECOND));
        assertTrue(clock.wallClock(video, v.ts(4 * SECOND)) != null);
        // the encoder restarts with a timestamp an hour back
        long restartTs = v.ts(0) - 3600L * 90000 & 0xFFFF_FFFFL;
        long pts = clock.presentationTimeMicros(video, restartTs);
        assertEquals(last, pts, "continues at the latest time, not back");
        assertTrue(clock.takeDiscontinuity(video));
        assertFalse(clock.takeDiscontinuity(video), "reported once");
        assertEquals(1, clock.restarts());
        assertEquals(Alignment.FIRST_FRAME, clock.alignment(video));
        assertNull(clock.wallClock(video, restartTs), "the old report is about the old source");
        assertEquals(last + 40_000, clock.presentationTimeMicros(video, restartTs + 3600));
    }

    @Test
    void aForwardJumpOfMoreThanAMinuteIsARestartToo() {
        PresentationClock clock = new PresentationClock();
        Track audio = clock.addTrack("audio", 8000);
        clock.presentationTimeMicros(audio, 0);
        assertEquals(59 * SECOND, clock.presentationTimeMicros(audio, 59L * 8000), "59 s ahead: a gap");
        assertEquals(59 * SECOND, clock.presentationTimeMicros(audio, 59L * 8000 + 61L * 8000 + 1));
        assertEquals(1, clock.restarts());
    }

    @Test
    void anAnnouncedRestartReanchorsTheNextFrame() {
        PresentationClock clock = new PresentationClock();
        Track video = clock.addTrack("video", 90000);
        Track audio = clock.addTrack("audio", 8000);
        clock.presentationTimeMicros(video, 0);
        clock.presentationTimeMicros(audio, 0);
        clock.presentationTimeMicros(audio, 8000);
        clock.restart(video);
        SimTrack v = new SimTrack("video", 90000, 0, 0, 1);
        assertFalse(clock.onSenderReport(video, v.report(0)), "no alignment until the next frame");
        // a new source whose timestamps are only 2 s further on: would not look like a jump
        assertEquals(SECOND, clock.presentationTimeMicros(video, 180000));
        assertTrue(clock.takeDiscontinuity(video));
        assertEquals(1, clock.restarts());
    }

    // ---- arguments ----

    @Test
    void argumentsAreChecked() {
        PresentationClock clock = new PresentationClock();
        Track track = clock.addTrack("video", 90000);
        Track foreign = new PresentationClock().addTrack("video", 90000);
        assertThrows(IllegalArgumentException.class, () -> clock.presentationTimeMicros(foreign, 0));
        assertThrows(IllegalArgumentException.class, () -> clock.presentationTimeMicros(track, -1));
        assertThrows(IllegalArgumentException.class, () -> clock.presentationTimeMicros(track, WRAP));
        assertThrows(IllegalArgumentException.class, () -> clock.wallClock(track, WRAP));
        assertThrows(IllegalArgumentException.class, () -> clock.addTrack("x", 0));
        assertThrows(IllegalArgumentException.class, () -> clock.addTrack("x", 1_000_000_001));
        assertThrows(IllegalArgumentException.class,
                     () -> new PresentationClock(Duration.ofMillis(-1), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                     () -> new PresentationClock(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertEquals("video", track.name());
        assertEquals(90000, track.clockRate());
    }

    @Test
    void conversionsRoundDown() {
        assertEquals(11, PresentationClock.ticksToMicros(1, 90000));
        assertEquals(-12, PresentationClock.ticksToMicros(-1, 90000));
        assertEquals(1_000_000, PresentationClock.ticksToMicros(90000, 90000));
        assertEquals(3_000_000_000L * SECOND, PresentationClock.ticksToMicros(3_000_000_000L * 8000, 8000));
        assertEquals(5 * SECOND + 500_000, PresentationClock.ntpToMicros((5L << 32) | 0x8000_0000L));
    }
}
