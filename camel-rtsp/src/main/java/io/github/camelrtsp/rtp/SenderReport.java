package io.github.camelrtsp.rtp;

import java.time.Instant;

/**
 * The sender information of an RTCP sender report (RFC 3550 6.4.1): it ties the sender's wall clock to its RTP clock.
 *
 * @param ssrc         sender's synchronization source, unsigned 32-bit
 * @param ntpTimestamp wall-clock time of sending as a 64-bit NTP timestamp (seconds since 1900 in the upper 32 bits,
 *                     fraction in the lower 32 bits; read it as unsigned)
 * @param rtpTimestamp the same instant in the RTP clock of the stream, unsigned 32-bit
 * @param packetCount  RTP data packets sent since the start of transmission, unsigned 32-bit
 * @param octetCount   payload octets sent since the start of transmission, unsigned 32-bit
 */
public record SenderReport(long ssrc, long ntpTimestamp, long rtpTimestamp, long packetCount, long octetCount) {

    /** Seconds from the NTP epoch (1900-01-01) to the Unix epoch (1970-01-01). */
    public static final long NTP_TO_UNIX_SECONDS = 2_208_988_800L;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Checks the 32-bit fields. */
    public SenderReport {
        ReportBlock.checkUnsigned32("ssrc", ssrc);
        ReportBlock.checkUnsigned32("rtpTimestamp", rtpTimestamp);
        ReportBlock.checkUnsigned32("packetCount", packetCount);
        ReportBlock.checkUnsigned32("octetCount", octetCount);
    }

    /**
     * The NTP timestamp as an instant, read in NTP era 0 (from 1900-01-01 until 2036-02-07). A sender whose clock
     * was never set typically sends small values, which come out near 1900.
     */
    public Instant ntpInstant() {
        return ntpToInstant(ntpTimestamp);
    }

    /** The middle 32 bits of the NTP timestamp, as echoed in the LSR field of a reception report. */
    public long ntpMiddle32() {
        return (ntpTimestamp >>> 16) & 0xFFFF_FFFFL;
    }

    /** Converts a 64-bit NTP timestamp (era 0) to an instant, rounding the fraction down to whole nanoseconds. */
    public static Instant ntpToInstant(long ntp) {
        long seconds = ntp >>> 32;
        long fraction = ntp & 0xFFFF_FFFFL;
        long nanos = (fraction * NANOS_PER_SECOND) >>> 32;
        return Instant.ofEpochSecond(seconds - NTP_TO_UNIX_SECONDS, nanos);
    }

    /**
     * Converts an instant to a 64-bit NTP timestamp (era 0). The fraction is rounded up, so that
     * {@link #ntpToInstant(long)} gives back the same instant.
     *
     * @throws IllegalArgumentException if the instant is before 1900-01-01 or from 2036-02-07T06:28:16Z on
     */
    public static long instantToNtp(Instant instant) {
        long seconds = instant.getEpochSecond() + NTP_TO_UNIX_SECONDS;
        if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(instant + " is outside NTP era 0");
        }
        long fraction = (((long) instant.getNano() << 32) + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
        return (seconds << 32) | fraction;
    }
}
