package io.github.camelrtsp.format;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Reports recurring problems of one track without flooding the log: the first report is written at once, later ones
 * at most once per interval (10 s by default), each line saying how many reports came since the previous line. Lines
 * go to the caller's logger at WARN, or at another level chosen at construction (DEBUG for expected events).
 * <p>
 * Three line formats serve the depacketizers: {@link #report(String, int, String)} (problem, payload size, outcome),
 * {@link #warn(String)} (problem) and {@link #log(String, Object...)} (a message of the caller's own). A report that
 * is held back is only counted: nothing is formatted for it. Not thread safe: one instance per depacketizer, used
 * from its I/O thread.
 */
public final class RateLimitedLog {

    /** Default shortest time between two lines. */
    public static final long DEFAULT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Logger log;
    private final String subject;
    private final Level level;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private long pending;
    private long total;
    private long lastLine;
    private boolean loggedOnce;
    private long lines;

    /**
     * Writes at WARN, at most once per {@link #DEFAULT_INTERVAL_NANOS}.
     *
     * @param log     where lines go
     * @param subject what the lines are about, e.g. the track's codec and payload type
     */
    public RateLimitedLog(Logger log, String subject) {
        this(log, subject, Level.WARN, DEFAULT_INTERVAL_NANOS, System::nanoTime);
    }

    /**
     * Writes at {@code level}, at most once per {@link #DEFAULT_INTERVAL_NANOS}.
     *
     * @param log     where lines go
     * @param subject what the lines are about, e.g. the track's codec and payload type
     * @param level   the level lines are written at
     */
    public RateLimitedLog(Logger log, String subject, Level level) {
        this(log, subject, level, DEFAULT_INTERVAL_NANOS, System::nanoTime);
    }

    /**
     * @param log           where lines go
     * @param subject       what the lines are about (the prefix of {@link #report} and {@link #warn} lines)
     * @param level         the level lines are written at
     * @param intervalNanos shortest time between two lines, positive
     * @param nanoClock     monotonic time in nanoseconds (tests pass a fake one)
     * @throws IllegalArgumentException if the interval is not positive
     */
    public RateLimitedLog(Logger log, String subject, Level level, long intervalNanos, LongSupplier nanoClock) {
        this.log = Objects.requireNonNull(log, "log");
        this.subject = Objects.requireNonNull(subject, "subject");
        this.level = Objects.requireNonNull(level, "level");
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("interval must be positive: " + intervalNanos);
        }
        this.intervalNanos = intervalNanos;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /**
     * Counts one problem and, unless a line was written within the interval, writes
     * {@code "<subject>: <problem> (<bytes> bytes), <outcome>; <n> problem(s) since the last warning, <total> in all"}.
     * Counts even while the level is disabled.
     *
     * @param problem what happened (a constant text, not built per call)
     * @param bytes   size of the payload concerned, for the line
     * @param outcome what was done about it, e.g. "packet skipped" (a constant text)
     */
    public void report(String problem, int bytes, String outcome) {
        long count = admit();
        if (count > 0 && enabled()) {
            write("{}: {} ({} bytes), {}; {} problem(s) since the last warning, {} in all", subject, problem, bytes,
                  outcome, count, total);
        }
    }

    /**
     * Counts one problem and, unless a line was written within the interval, writes
     * {@code "<subject>: <problem> (<n> problem(s) since the last warning)"}. Counts even while the level is disabled.
     *
     * @param problem what happened
     */
    public void warn(String problem) {
        long count = admit();
        if (count > 0 && enabled()) {
            write("{}: {} ({} problem(s) since the last warning)", subject, problem, count);
        }
    }

    /**
     * Writes {@code message} with its arguments ({@code {}} placeholders) unless a line was written within the
     * interval, in which case it is only counted; a line written after held back ones ends with
     * {@code " (<n> more such messages suppressed since the last one)"}. Does nothing at all, not even count, while
     * the level is disabled.
     *
     * @param message SLF4J message pattern
     * @param args    its arguments
     */
    public void log(String message, Object... args) {
        if (!enabled()) {
            return;
        }
        long count = admit();
        if (count > 0) {
            String text = count == 1 ? message
                    : message + " (" + (count - 1) + " more such messages suppressed since the last one)";
            write(text, args);
        }
    }

    /** Problems reported so far (all calls while the level was enabled, and {@code report}/{@code warn} calls). */
    public long total() {
        return total;
    }

    /** Lines due so far (written unless the level was disabled). */
    public long lines() {
        return lines;
    }

    /**
     * Counts one report; returns 0 when it is held back, else the reports since the last line including this one,
     * and starts a new interval.
     */
    private long admit() {
        pending++;
        total++;
        long now = nanoClock.getAsLong();
        if (loggedOnce && now - lastLine < intervalNanos) {
            return 0;
        }
        loggedOnce = true;
        lastLine = now;
        lines++;
        long count = pending;
        pending = 0;
        return count;
    }

    private boolean enabled() {
        return log.isEnabledForLevel(level);
    }

    private void write(String message, Object... args) {
        switch (level) {
            case ERROR -> log.error(message, args);
            case WARN -> log.warn(message, args);
            case INFO -> log.info(message, args);
            case DEBUG -> log.debug(message, args);
            case TRACE -> log.trace(message, args);
        }
    }
}
