package io.github.camelrtsp.examples.benchmark;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LatencyHistogramTest {

    @Test
    void percentilesAreTheUpperEdgeOfTheirBucket() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(0, h.percentile(0.99));
        for (int i = 1; i <= 100; i++) {
            h.record(i * 100_000L); // 0.1 ms .. 10 ms
        }
        assertEquals(100, h.count());
        assertEquals(5_010_000L, h.percentile(0.50)); // 5.0 ms lies in the bucket [5.00, 5.01) ms
        assertEquals(9_910_000L, h.percentile(0.99));
        assertEquals(10_000_000L, h.percentile(1.0)); // capped at the largest value seen
        assertEquals(10_000_000L, h.max());
    }

    @Test
    void valuesBeyondTheLastBucketReportTheMaximum() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(-5);
        h.record(250_000_000L);
        assertEquals(10_000L, h.percentile(0.5));
        assertEquals(250_000_000L, h.percentile(1.0));
        h.reset();
        assertEquals(0, h.count());
    }
}
