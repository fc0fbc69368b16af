package io.github.camelrtsp.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import io.github.camelrtsp.testsupport.CapturedLog;

/** At most one line per interval, each with the number of reports since the previous line, in all three formats. */
class RateLimitedLogTest {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimitedLogTest.class);

    @Test
    void firstProblemAtOnceThenOneLinePerIntervalWithTheCount() {
        AtomicLong now = new AtomicLong(1_000);
        long tenSeconds = TimeUnit.SECONDS.toNanos(10);
        try (CapturedLog log = CapturedLog.capture(RateLimitedLogTest.class)) {
            RateLimitedLog w = new RateLimitedLog(LOG, "PCMU/8000 pt 0", Level.WARN, tenSeconds, now::get);
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
        assertEquals(TimeUnit.SECONDS.toNanos(10), RateLimitedLog.DEFAULT_INTERVAL_NANOS);
        RateLimitedLog w = new RateLimitedLog(LOG, "x");
        for (int i = 0; i < 100; i++) {
            w.report("p", 1, "skipped");
        }
        assertEquals(1, w.lines());
    }

    @Test
    void rejectsBadInterval() {
        assertThrows(IllegalArgumentException.class,
                     () -> new RateLimitedLog(LOG, "x", Level.WARN, 0, System::nanoTime));
    }

    @Test
    void theRateLimitedLogWritesOncePerIntervalAndCountsWhatItHeldBack() {
        Logger logger = LoggerFactory.getLogger(RateLimitedLogTest.class);
        AtomicLong now = new AtomicLong(5);
        RateLimitedLog log = new RateLimitedLog(logger, "H264/96", Level.WARN, RateLimitedLog.DEFAULT_INTERVAL_NANOS,
                                                now::get);
        try (CapturedLog warnings = CapturedLog.capture(RateLimitedLogTest.class)) {
            for (int i = 0; i < 5; i++) {
                log.log("bad packet {}", i);
                now.addAndGet(1_000_000_000L);
            }
            assertEquals(List.of("bad packet 0"), warnings.warnings());
            now.addAndGet(RateLimitedLog.DEFAULT_INTERVAL_NANOS);
            log.log("bad packet {}", 5);
            log.log("bad packet {}", 6);
            assertEquals(2, warnings.warnings().size(), warnings.warnings().toString());
            assertEquals("bad packet 5 (4 more such messages suppressed since the last one)", warnings.warnings().get(1));
        }
    }

    @Test
    void warnPrefixesTheSubjectAndCountsTheProblemsSinceTheLastLine() {
        AtomicLong now = new AtomicLong(-7);
        RateLimitedLog w = new RateLimitedLog(LOG, "MP4A-LATM payload type 97", Level.WARN,
                                              RateLimitedLog.DEFAULT_INTERVAL_NANOS, now::get);
        try (CapturedLog warnings = CapturedLog.capture(RateLimitedLogTest.class)) {
            w.warn("payload skipped: empty payload");
            now.addAndGet(RateLimitedLog.DEFAULT_INTERVAL_NANOS - 1);
            w.warn("held back");
            w.warn("held back");
            now.addAndGet(1);
            w.warn("access unit dropped: too large");
            assertEquals(List.of("MP4A-LATM payload type 97: payload skipped: empty payload (1 problem(s) since the "
                                 + "last warning)",
                                 "MP4A-LATM payload type 97: access unit dropped: too large (3 problem(s) since the "
                                 + "last warning)"),
                         warnings.warnings());
            assertEquals(4, w.total());
            assertEquals(2, w.lines());
        }
    }

    @Test
    void aDisabledLevelCountsReportsButNotMessages() {
        assertTrue(!LOG.isTraceEnabled(), "the test configuration keeps TRACE off");
        AtomicLong reads = new AtomicLong();
        RateLimitedLog trace = new RateLimitedLog(LOG, "x", Level.TRACE, RateLimitedLog.DEFAULT_INTERVAL_NANOS,
                                                  reads::incrementAndGet);
        trace.log("never {}", 1);
        assertEquals(0, trace.total());
        assertEquals(0, reads.get(), "a disabled log() does not even read the clock");
        trace.report("p", 1, "skipped");
        trace.warn("p");
        assertEquals(2, trace.total());
        assertEquals(1, trace.lines());
    }
}
