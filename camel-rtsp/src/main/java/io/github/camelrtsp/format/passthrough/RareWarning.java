package io.github.camelrtsp.format.passthrough;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;

/**
 * Reports recurring problems of one track at WARN without flooding the log: the first problem is logged at once,
 * later ones at most once per interval (10 s by default), each line with how many problems occurred since the last
 * line. Not thread safe: one instance per depacketizer, used from its I/O thread.
 */
public final class RareWarning {

    /** Default shortest time between two lines. */
    public static final long DEFAULT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Logger log;
    private final String subject;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private long pending;
    private long total;
    private long lastLine;
    private boolean loggedOnce;
    private long lines;

    /**
     * @param log     where lines go
     * @param subject what the lines are about, e.g. the track's codec and payload type
     */
    public RareWarning(Logger log, String subject) {
        this(log, subject, DEFAULT_INTERVAL_NANOS, System::nanoTime);
    }

    /**
     * @param log           where lines go
     * @param subject       what the lines are about
     * @param intervalNanos shortest time between two lines, positive
     * @param nanoClock     monotonic time in nanoseconds (tests pass a fake one)
     */
    public RareWarning(Logger log, String subject, long intervalNanos, LongSupplier nanoClock) {
        this.log = Objects.requireNonNull(log, "log");
        this.subject = Objects.requireNonNull(subject, "subject");
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("interval must be positive: " + intervalNanos);
        }
        this.intervalNanos = intervalNanos;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /**
     * Counts one problem and logs it if no line was written within the interval. Formats nothing when it does not
     * log.
     *
     * @param problem what happened (a constant text, not built per call)
     * @param bytes   size of the payload concerned, for the line
     * @param outcome what was done about it, e.g. "packet skipped" (a constant text)
     */
    public void report(String problem, int bytes, String outcome) {
        pending++;
        total++;
        long now = nanoClock.getAsLong();
        if (loggedOnce && now - lastLine < intervalNanos) {
            return;
        }
        if (log.isWarnEnabled()) {
            log.warn("{}: {} ({} bytes), {}; {} problem(s) since the last warning, {} in all", subject, problem,
                     bytes, outcome, pending, total);
        }
        loggedOnce = true;
        lastLine = now;
        pending = 0;
        lines++;
    }

    /** Problems reported so far. */
    public long total() {
        return total;
    }

    /** Lines written so far. */
    public long lines() {
        return lines;
    }
}
