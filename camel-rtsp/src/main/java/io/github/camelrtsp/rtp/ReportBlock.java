package io.github.camelrtsp.rtp;

/**
 * One reception report block (RFC 3550 6.4.1), as found in SR and RR packets.
 *
 * @param ssrc               source the block reports on, unsigned 32-bit
 * @param fractionLost       packets lost since the previous report, as a fraction of 256 (0..255)
 * @param cumulativeLost     packets lost since the start of reception, 24-bit signed (-8388608..8388607)
 * @param extendedHighestSeq highest sequence number received, with the count of cycles in the upper 16 bits,
 *                           unsigned 32-bit
 * @param jitter             interarrival jitter in RTP timestamp units, unsigned 32-bit
 * @param lastSr             middle 32 bits of the NTP timestamp of the last SR from the source (LSR), or 0
 * @param delaySinceLastSr   delay between receiving that SR and sending this block in units of 1/65536 s (DLSR), or 0
 */
public record ReportBlock(long ssrc, int fractionLost, int cumulativeLost, long extendedHighestSeq, long jitter,
                          long lastSr, long delaySinceLastSr) {

    /** Largest value of the 24-bit signed cumulative-lost field. */
    public static final int MAX_CUMULATIVE_LOST = 0x7FFFFF;
    /** Smallest value of the 24-bit signed cumulative-lost field. */
    public static final int MIN_CUMULATIVE_LOST = -0x800000;

    /** Checks every field against the width it has on the wire. */
    public ReportBlock {
        checkUnsigned32("ssrc", ssrc);
        if (fractionLost < 0 || fractionLost > 255) {
            throw new IllegalArgumentException("fractionLost " + fractionLost + " is not within 0..255");
        }
        if (cumulativeLost < MIN_CUMULATIVE_LOST || cumulativeLost > MAX_CUMULATIVE_LOST) {
            throw new IllegalArgumentException("cumulativeLost " + cumulativeLost + " does not fit 24 bits signed");
        }
        checkUnsigned32("extendedHighestSeq", extendedHighestSeq);
        checkUnsigned32("jitter", jitter);
        checkUnsigned32("lastSr", lastSr);
        checkUnsigned32("delaySinceLastSr", delaySinceLastSr);
    }

    /** Clamps a cumulative loss to what the 24-bit signed field can carry (RFC 3550 6.4.1). */
    public static int clampCumulativeLost(long lost) {
        return (int) Math.max(MIN_CUMULATIVE_LOST, Math.min(MAX_CUMULATIVE_LOST, lost));
    }

    static void checkUnsigned32(String name, long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(name + " " + value + " is not an unsigned 32-bit value");
        }
    }
}
