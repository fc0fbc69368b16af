package io.github.camelrtsp.server;

import org.slf4j.Logger;

/** Writes a WARN at most once per interval and tells how many were held back in between. Thread safe. */
final class WarnLimiter {

    private final Logger log;
    private final long intervalNanos;
    private long last = Long.MIN_VALUE;
    private long held;

    WarnLimiter(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    synchronized void warn(String format, Object... args) {
        long now = System.nanoTime();
        if (last != Long.MIN_VALUE && now - last < intervalNanos) {
            held++;
            return;
        }
        last = now;
        if (held > 0) {
            log.warn("({} similar warnings held back) " + format, prepend(held, args));
        } else {
            log.warn(format, args);
        }
        held = 0;
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
