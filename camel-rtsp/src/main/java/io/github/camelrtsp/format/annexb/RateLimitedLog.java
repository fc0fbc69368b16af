package io.github.camelrtsp.format.annexb;

import java.util.function.LongSupplier;

import org.slf4j.Logger;

/**
 * Writes at most one message per interval to a logger and says how many were held back since the last one, so that a
 * stream of bad packets gives a line every few seconds instead of a storm. Not thread safe (one per depacketizer).
 */
final class RateLimitedLog {

    /** Minimum time between two messages. */
    static final long INTERVAL_NANOS = 10_000_000_000L;

    private final Logger log;
    private final boolean warn;
    private final LongSupplier clock;
    private long lastNanos;
    private boolean any;
    private long suppressed;

    /**
     * @param log  where to write
     * @param warn true to write at WARN, false to write at DEBUG
     */
    RateLimitedLog(Logger log, boolean warn) {
        this(log, warn, System::nanoTime);
    }

    /** As {@link #RateLimitedLog(Logger, boolean)} with the time taken from {@code clock} (nanoseconds). */
    RateLimitedLog(Logger log, boolean warn, LongSupplier clock) {
        this.log = log;
        this.warn = warn;
        this.clock = clock;
    }

    /**
     * Writes {@code message} with its arguments ({@code {}} placeholders) unless a message was written less than
     * {@link #INTERVAL_NANOS} ago, in which case it is only counted.
     */
    void log(String message, Object... args) {
        if (!(warn ? log.isWarnEnabled() : log.isDebugEnabled())) {
            return;
        }
        long now = clock.getAsLong();
        if (any && now - lastNanos < INTERVAL_NANOS) {
            suppressed++;
            return;
        }
        String text = suppressed == 0 ? message
                : message + " (" + suppressed + " more such messages suppressed since the last one)";
        if (warn) {
            log.warn(text, args);
        } else {
            log.debug(text, args);
        }
        any = true;
        lastNanos = now;
        suppressed = 0;
    }
}
