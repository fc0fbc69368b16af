package io.github.camelrtsp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The RTP clock a stream announces (RTCP sender reports, RTP-Info) for a track, on synthetic publish times: it must
 * not depend on which packet was published last. B-frames step their timestamps back and a restreamed camera's
 * packets arrive with jitter; both only delay a packet against its timestamp, so the least delayed packet anchors
 * the clock. Before the anchor, the clock followed the last packet, so RTP-Info and sender reports jumped by up to
 * the B-frame reorder depth or the jitter (seen as a 70 ms presentation time jump in our client in
 * {@link ServerRoundTripTest}, B-frames over TCP).
 */
class ServerPlayClockAnchorTest {

    private static final long MS = 1_000_000L;
    private static final long T0 = 5_000_000_000L;

    /** RTP time at {@code nanos} minus the ideal clock (base + elapsed), in ticks. */
    private static long error(ServerStream.TrackState s, long base, long nanos) {
        long ideal = base + (nanos - T0) * 90 / 1_000_000L;
        return (int) (s.rtpTimeAt(nanos) - (ideal & 0xFFFF_FFFFL));
    }

    @Test
    void bFramesDoNotMoveTheClock() {
        // decode order I0 P3 B1 B2 P6 B4 B5 ... at 30 fps: each P is two frames ahead of its publish time
        ServerStream.TrackState s = new ServerStream.TrackState(1, 0, 90000);
        long base = 0xFFFF_F000L; // wraps during the test
        int[] pts = {0, 3, 1, 2, 6, 4, 5, 9, 7, 8, 12, 10, 11, 15, 13, 14};
        Long after = null;
        for (int k = 0; k < pts.length * 4; k++) {
            int frame = pts[k % pts.length] + 15 * (k / pts.length);
            long nanos = T0 + k * 1_000_000_000L / 30;
            s.observe((base + frame * 3000L) & 0xFFFF_FFFFL, nanos);
            long e = error(s, base, nanos + 5 * MS); // 3 ticks: 1/30 s is not a whole number of ns
            if (k >= 1) {
                if (after == null) {
                    after = e;
                }
                assertEquals(after, e, 3, "frame " + k + " (pts " + frame + "): clock moved");
            }
        }
        assertEquals(6000, after, 3, "anchored on the P-frames, two frames ahead");
    }

    @Test
    void publishJitterDoesNotMoveTheClock() {
        ServerStream.TrackState s = new ServerStream.TrackState(1, 0, 90000);
        long base = 123_456;
        long[] delayMs = {0, 30, 150, 10, 90, 0, 60, 120, 5, 40};
        for (int k = 0; k < 200; k++) {
            long nanos = T0 + k * 40 * MS + delayMs[k % delayMs.length] * MS;
            s.observe((base + k * 3600L) & 0xFFFF_FFFFL, nanos);
            assertEquals(0, error(s, base, nanos), 1, "frame " + k + " published " + delayMs[k % delayMs.length]
                    + " ms late");
        }
    }

    @Test
    void aTimelineThatFallsBehindIsFollowedWithinTwoWindows() {
        // 2 s on time, then the source pauses 1 s and goes on with timestamps that skip nothing: every later packet
        // is 1 s late against the first anchor, and the clock must follow it once the windows have passed
        ServerStream.TrackState s = new ServerStream.TrackState(1, 0, 90000);
        long base = 0;
        for (int k = 0; k < 50; k++) {
            s.observe(base + k * 3600L, T0 + k * 40 * MS);
        }
        long resumed = T0 + 50 * 40 * MS + 1000 * MS;
        long last = 0;
        for (int k = 50; k < 200; k++) {
            last = resumed + (k - 50) * 40 * MS;
            s.observe(base + k * 3600L, last);
        }
        assertEquals(-90_000, error(s, base, last), 1, "the clock follows the source, one second behind now");
    }
}
