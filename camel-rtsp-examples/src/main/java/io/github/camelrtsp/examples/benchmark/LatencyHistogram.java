package io.github.camelrtsp.examples.benchmark;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed-bucket latency histogram, safe for concurrent recording: 10 µs buckets up to 100 ms, and one overflow
 * bucket (reported as the largest value seen). Percentiles are the upper edge of their bucket.
 */
public final class LatencyHistogram {

    /** Width of one bucket in nanoseconds. */
    public static final long BUCKET_NANOS = 10_000;
    private static final int BUCKETS = 10_000;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS + 1);
    private volatile long max;

    /** Records one latency in nanoseconds (negative values count as 0). */
    public void record(long nanos) {
        long v = Math.max(0, nanos);
        int bucket = (int) Math.min(BUCKETS, v / BUCKET_NANOS);
        counts.incrementAndGet(bucket);
        if (v > max) {
            synchronized (this) {
                if (v > max) {
                    max = v;
                }
            }
        }
    }

    /** Number of values recorded. */
    public long count() {
        long n = 0;
        for (int i = 0; i <= BUCKETS; i++) {
            n += counts.get(i);
        }
        return n;
    }

    /** Forgets everything recorded so far. */
    public synchronized void reset() {
        for (int i = 0; i <= BUCKETS; i++) {
            counts.set(i, 0);
        }
        max = 0;
    }

    /** The largest value recorded, in nanoseconds. */
    public long max() {
        return max;
    }

    /** The value below which {@code fraction} (0..1) of the recorded values lie, in nanoseconds; 0 when empty. */
    public long percentile(double fraction) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(fraction * total);
        long seen = 0;
        for (int i = 0; i <= BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank && seen > 0) {
                return i == BUCKETS ? max : Math.min(max, (i + 1) * BUCKET_NANOS);
            }
        }
        return max;
    }
}
