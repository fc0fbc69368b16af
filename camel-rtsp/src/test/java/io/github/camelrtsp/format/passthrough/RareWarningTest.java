package io.github.camelrtsp.format.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelrtsp.format.audiotest.CapturedLog;

/** At most one WARN line per interval, each with the number of problems since the previous line. */
class RareWarningTest {

    private static final Logger LOG = LoggerFactory.getLogger(RareWarningTest.class);

    @Test
    void firstProblemAtOnceThenOneLinePerIntervalWithTheCount() {
        AtomicLong now = new AtomicLong(1_000);
        long tenSeconds = TimeUnit.SECONDS.toNanos(10);
        try (CapturedLog log = CapturedLog.capture(RareWarningTest.class)) {
            RareWarning w = new RareWarning(LOG, "PCMU/8000 pt 0", tenSeconds, now::get);
            w.report("first problem", 12, "packet skipped");
            for (int i = 0; i < 500; i++) {
                now.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
                w.report("later problem", 3, "frame dropped");
            }
            List<String> lines = log.lines("WARN");
            assertEquals(1, lines.size(), "5 s of problems give one line");
            assertTrue(lines.get(0).contains("PCMU/8000 pt 0: first problem (12 bytes), packet skipped; 1 problem"),
                       lines.get(0));

            now.addAndGet(tenSeconds);
            w.report("late problem", 7, "frame dropped");
            lines = log.lines("WARN");
            assertEquals(2, lines.size());
            assertTrue(lines.get(1).contains("late problem (7 bytes), frame dropped; 501 problem(s) since the last"
                                             + " warning, 502 in all"), lines.get(1));
            assertEquals(502, w.total());
            assertEquals(2, w.lines());
        }
    }

    @Test
    void defaultIntervalIsTenSeconds() {
        assertEquals(TimeUnit.SECONDS.toNanos(10), RareWarning.DEFAULT_INTERVAL_NANOS);
        RareWarning w = new RareWarning(LOG, "x");
        for (int i = 0; i < 100; i++) {
            w.report("p", 1, "skipped");
        }
        assertEquals(1, w.lines());
    }

    @Test
    void rejectsBadInterval() {
        assertThrows(IllegalArgumentException.class, () -> new RareWarning(LOG, "x", 0, System::nanoTime));
    }
}
