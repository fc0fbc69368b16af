package io.github.camelrtsp.format.aac;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;

/**
 * Logs a WARN at most once per interval for one depacketizer, with the number of problems seen since the last one, so
 * a stream of bad packets never turns into a storm of log lines.
 */
final class WarnLimiter {

    static final long DEFAULT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Logger log;
    private final String subject;
    private final long intervalNanos;
    private long lastNanos;
    private boolean logged;
    private long pending;

    WarnLimiter(Logger log, String subject, long intervalNanos) {
        this.log = log;
        this.subject = subject;
        this.intervalNanos = intervalNanos;
    }

    /** Records one problem and logs it unless a warning was logged less than the interval ago. */
    void warn(String problem) {
        pending++;
        long now = System.nanoTime();
        if (logged && now - lastNanos < intervalNanos) {
            return;
        }
        logged = true;
        lastNanos = now;
        long count = pending;
        pending = 0;
        log.warn("{}: {} ({} problem(s) since the last warning)", subject, problem, count);
    }
}
