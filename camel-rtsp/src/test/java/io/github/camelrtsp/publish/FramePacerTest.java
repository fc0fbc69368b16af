package io.github.camelrtsp.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** {@link FramePacer} on a manual clock: burst sources are spread out, live sources are not delayed. */
class FramePacerTest {

    private static final long MS = 1_000_000L;
    private static final long FRAME_MICROS = 33_333;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<Integer> released = new ArrayList<>();
    private final List<Long> releaseTimes = new ArrayList<>();
    private final List<Integer> dropped = new ArrayList<>();

    private FramePacer<Integer> pacer(int capacity) {
        return new FramePacer<>(scheduler, capacity, FramePacer.DEFAULT_JITTER_MICROS, FramePacer.DEFAULT_RESYNC_MICROS,
                                i -> {
                                    released.add(i);
                                    releaseTimes.add(scheduler.nanoTime());
                                }, dropped::add, scheduler::nanoTime);
    }

    @Test
    void aBurstIsSpreadOutToThePresentationTimes() {
        FramePacer<Integer> pacer = pacer(1000);
        long start = 5_000 * MS;
        scheduler.advanceTo(start);
        for (int i = 0; i < 90; i++) {
            assertTrue(pacer.offer(10_000_000 + i * FRAME_MICROS, i));
        }
        scheduler.advanceTo(start);
        assertTrue(released.size() >= 1 && released.size() < 10, "only the jitter allowance goes at once: "
                                                                 + released.size());
        scheduler.advanceTo(start + 10_000 * MS);
        assertEquals(90, released.size());
        for (int i = 0; i < 90; i++) {
            assertEquals(i, released.get(i), "offer order kept");
            long pts = i * FRAME_MICROS * 1000;
            long at = releaseTimes.get(i) - start;
            assertTrue(at <= pts, "frame " + i + " not later than its presentation time: " + at + " > " + pts);
            long earliest = pts - 200 * MS - pts / 100 - 1;
            assertTrue(at >= earliest, "frame " + i + " not earlier than the jitter and drift budget: " + at);
        }
        assertEquals(90, pacer.released());
        assertEquals(0, pacer.dropped());
        assertEquals(0, pacer.queued());
    }

    @Test
    void liveFramesArrivingWithJitterGoAtOnce() {
        FramePacer<Integer> pacer = pacer(100);
        Random random = new Random(7);
        long start = 1_000 * MS;
        for (int i = 0; i < 300; i++) {
            long pts = i * FRAME_MICROS;
            // the first frame is 120 ms late, the others up to 80 ms; a camera clock 0.1% fast
            long late = i == 0 ? 120 * MS : random.nextInt(80) * MS;
            long arrival = Math.max(scheduler.nanoTime(), start + pts * 1000 - pts + late);
            scheduler.advanceTo(arrival);
            assertTrue(pacer.offer(pts, i));
            scheduler.advanceTo(arrival);
            assertEquals(i + 1, released.size(), "frame " + i + " released at its arrival");
            assertEquals(arrival, releaseTimes.get(i));
        }
        assertEquals(0, pacer.resyncs());
    }

    @Test
    void aFullQueueDropsAndCountsFrames() {
        FramePacer<Integer> pacer = pacer(3);
        pacer.offer(0, 0);
        scheduler.advanceBy(0);
        for (int i = 1; i <= 12; i++) {
            pacer.offer(i * 1_000_000L, i);
        }
        assertEquals(3, pacer.queued());
        assertEquals(9, pacer.dropped());
        assertEquals(List.of(4, 5, 6, 7, 8, 9, 10, 11, 12), dropped);
        pacer.close();
        assertEquals(List.of(4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3), dropped);
        assertFalse(pacer.offer(13_000_000, 13), "closed");
        assertEquals(13, pacer.dropped());
        scheduler.advanceBy(100_000 * MS);
        assertEquals(List.of(0), released);
    }

    @Test
    void aStallOrATimelineJumpStartsANewAnchor() {
        FramePacer<Integer> pacer = pacer(100);
        pacer.offer(0, 0);
        scheduler.advanceBy(0);
        // the source stalls for 10 s, then goes on in real time
        scheduler.advanceBy(10_000 * MS);
        pacer.offer(FRAME_MICROS, 1);
        scheduler.advanceBy(0);
        assertEquals(2, released.size());
        assertEquals(1, pacer.resyncs());
        // the timeline jumps an hour ahead: goes at once, new anchor
        pacer.offer(3_600_000_000L, 2);
        scheduler.advanceBy(0);
        assertEquals(3, released.size());
        assertEquals(2, pacer.resyncs());
        long anchoredAt = scheduler.nanoTime();
        // a burst after the jump is paced from there
        for (int i = 1; i <= 30; i++) {
            pacer.offer(3_600_000_000L + i * FRAME_MICROS, 2 + i);
        }
        scheduler.advanceBy(0);
        assertTrue(released.size() < 3 + 30);
        scheduler.advanceTo(anchoredAt + 2_000 * MS);
        assertEquals(33, released.size());
        assertTrue(releaseTimes.get(32) - anchoredAt >= 30 * FRAME_MICROS * 1000 - 200 * MS - 11 * MS);
    }

    @Test
    void resetTimingLetsTheNextFrameAnchorAgain() {
        FramePacer<Integer> pacer = pacer(10);
        pacer.offer(0, 0);
        scheduler.advanceBy(0);
        pacer.resetTiming();
        // a new session starts at presentation time 0 again, 1 s later: no wait, no resync counted
        scheduler.advanceBy(1_000 * MS);
        pacer.offer(0, 1);
        scheduler.advanceBy(0);
        assertEquals(2, released.size());
        assertEquals(0, pacer.resyncs());
    }

    @Test
    void onARealExecutorEveryFrameIsReleasedOnceInOrder() throws InterruptedException {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try {
            List<Integer> out = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(20);
            FramePacer<Integer> pacer = new FramePacer<>(executor, 64, i -> {
                synchronized (out) {
                    out.add(i);
                }
                done.countDown();
            }, i -> {
                throw new AssertionError("dropped " + i);
            });
            for (int i = 0; i < 20; i++) {
                assertTrue(pacer.offer(i * 10_000L, i));
            }
            assertTrue(done.await(30, TimeUnit.SECONDS));
            synchronized (out) {
                for (int i = 0; i < 20; i++) {
                    assertEquals(i, out.get(i));
                }
            }
            assertEquals(20, pacer.released());
        } finally {
            executor.shutdownNow();
        }
    }
}
