package io.github.camelrtsp.rtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receiver-side statistics of one RTP stream (one track): sequence validation (RFC 3550 A.1), loss (A.3) and
 * interarrival jitter (A.8), plus what a receiver report needs.
 *
 * <p><b>Threads.</b> {@link #onPacket} and {@link #reportBlock(long)} must be called from one thread (the I/O thread
 * that receives the track; schedule the report on that thread's event loop). They take no lock and allocate nothing
 * per packet. {@link #onSenderReport} may be called from any thread. Every counter may be read from any thread at
 * any time: it is written with atomic stores and may be slightly stale, never torn.
 *
 * <p><b>Sources.</b> A new source is accepted after {@link #MIN_SEQUENTIAL} packets in sequence (probation), unless
 * the statistics were made to accept immediately, which suits TCP-interleaved transport where no stray packet can
 * arrive. When a source has been accepted and packets come with another SSRC (an encoder restart), the sequence state
 * is reset, {@link #ssrcChanges()} counts it and the packet is accepted at once. Counters other than the per-source
 * jitter and sequence numbers run over the whole life of the object.
 */
public final class RtpReceiverStatistics {

    /** Largest forward jump of the sequence number that counts as loss rather than a restart (RFC 3550 A.1). */
    public static final int MAX_DROPOUT = 3000;
    /** Largest backward step of the sequence number that counts as a late packet (RFC 3550 A.1). */
    public static final int MAX_MISORDER = 100;
    /** Packets in sequence needed before a new source is accepted, unless accepting immediately. */
    public static final int MIN_SEQUENTIAL = 2;

    private static final Logger LOG = LoggerFactory.getLogger(RtpReceiverStatistics.class);

    private static final int SEQ_MOD = 1 << 16;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long MAX_UNSIGNED_32 = 0xFFFF_FFFFL;
    private static final int MAX_CLOCK_RATE = 1_000_000_000;
    /** Remembers the extended sequence numbers of this many recent packets to tell duplicates from late packets. */
    private static final int HISTORY = 128;
    private static final long NO_SEQUENCE = Long.MIN_VALUE;

    private static final int DISCARD = 0;
    private static final int IN_ORDER = 1;
    private static final int LATE = 2;
    private static final int DUPLICATE = 3;

    // indexes into the published counters
    private static final int RECEIVED = 0;
    private static final int LOST = 1;
    private static final int DUPLICATED = 2;
    private static final int REORDERED = 3;
    private static final int DISCARDED = 4;
    private static final int SSRC_CHANGES = 5;
    private static final int RESTARTS = 6;
    private static final int BYTES = 7;
    private static final int JITTER = 8;
    private static final int SSRC = 9;
    private static final int EXTENDED_HIGHEST = 10;
    private static final int PUBLISHED_COUNT = 11;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final int clockRate;
    private final boolean acceptImmediately;

    /** Counters for other threads: written with opaque (atomic, unordered) stores, read with opaque loads. */
    private final long[] published = new long[PUBLISHED_COUNT];

    // Sequence and jitter state of the current source, used only by the receiving thread.
    private boolean haveSource;
    private long currentSsrc;
    private int probation;
    private int maxSeq;
    private long cycles;
    private long baseExtended;
    private int badSeq;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private long lostCarried;
    private final long[] recent = new long[HISTORY];
    private boolean haveTransit;
    private int transit;
    private long jitterScaled;
    private boolean haveArrivalOrigin;
    private long arrivalOrigin;

    private volatile LastSenderReport lastSenderReport;

    /** Statistics for a stream with the given RTP clock rate that puts each new source on probation (for UDP). */
    public RtpReceiverStatistics(int clockRate) {
        this(clockRate, false);
    }

    /**
     * Statistics for a stream with the given RTP clock rate.
     *
     * @param clockRate         RTP clock rate in Hz, 1..1000000000
     * @param acceptImmediately true to accept the first packet of a new source at once instead of after
     *                          {@link #MIN_SEQUENTIAL} packets in sequence: use it over TCP, where a stray packet
     *                          cannot arrive
     * @throws IllegalArgumentException if the clock rate is out of range
     */
    public RtpReceiverStatistics(int clockRate, boolean acceptImmediately) {
        if (clockRate <= 0 || clockRate > MAX_CLOCK_RATE) {
            throw new IllegalArgumentException("RTP clock rate " + clockRate + " is not within 1..1000000000");
        }
        this.clockRate = clockRate;
        this.acceptImmediately = acceptImmediately;
        publish(SSRC, -1);
        publish(EXTENDED_HIGHEST, -1);
    }

    /** The RTP clock rate in Hz. */
    public int clockRate() {
        return clockRate;
    }

    /** Whether a new source is accepted with its first packet (no probation). */
    public boolean acceptImmediately() {
        return acceptImmediately;
    }

    /**
     * Records a packet, with no payload bytes counted.
     *
     * @see #onPacket(int, long, long, long, int)
     */
    public boolean onPacket(int sequenceNumber, long rtpTimestamp, long ssrc, long arrivalNanos) {
        return onPacket(sequenceNumber, rtpTimestamp, ssrc, arrivalNanos, 0);
    }

    /**
     * Records a packet. Returns false for a packet that must not be delivered: a duplicate (counted in
     * {@link #packetsDuplicated()}), a packet of a source still on probation, or a packet far outside the expected
     * sequence that does not (yet) look like a restart of the sequence (both counted in {@link #packetsDiscarded()}).
     *
     * @param sequenceNumber the RTP sequence number, 0..65535
     * @param rtpTimestamp   the RTP timestamp (its low 32 bits are used)
     * @param ssrc           the SSRC, unsigned 32-bit
     * @param arrivalNanos   arrival time on a monotonic clock in nanoseconds, e.g. {@link System#nanoTime()}
     * @param payloadBytes   payload length to add to {@link #bytesReceived()} if the packet is accepted
     * @return true if the packet is accepted and should be delivered
     * @throws IllegalArgumentException if the sequence number, SSRC or payload length is out of range
     */
    public boolean onPacket(int sequenceNumber, long rtpTimestamp, long ssrc, long arrivalNanos, int payloadBytes) {
        if (sequenceNumber < 0 || sequenceNumber >= SEQ_MOD) {
            throw new IllegalArgumentException("RTP sequence number " + sequenceNumber + " is not within 0..65535");
        }
        if (ssrc < 0 || ssrc > MAX_UNSIGNED_32) {
            throw new IllegalArgumentException("SSRC " + ssrc + " is not an unsigned 32-bit value");
        }
        if (payloadBytes < 0) {
            throw new IllegalArgumentException("payload length " + payloadBytes + " is negative");
        }
        int result;
        if (!haveSource) {
            result = startSource(sequenceNumber, ssrc);
        } else if (ssrc != currentSsrc) {
            result = changeSource(sequenceNumber, ssrc);
        } else {
            result = updateSequence(sequenceNumber);
        }
        switch (result) {
            case IN_ORDER:
            case LATE:
                received++;
                publish(RECEIVED, published(RECEIVED) + 1);
                if (payloadBytes > 0) {
                    publish(BYTES, published(BYTES) + payloadBytes);
                }
                if (result == LATE) {
                    publish(REORDERED, published(REORDERED) + 1);
                }
                updateJitter(rtpTimestamp, arrivalNanos);
                publish(EXTENDED_HIGHEST, cycles + maxSeq);
                publish(LOST, lostCarried + Math.max(0, currentLost()));
                return true;
            case DUPLICATE:
                publish(DUPLICATED, published(DUPLICATED) + 1);
                if (LOG.isDebugEnabled()) {
                    LOG.debug("Dropping duplicate RTP packet seq {} of SSRC {}", sequenceNumber, hex(ssrc));
                }
                return false;
            default:
                publish(DISCARDED, published(DISCARDED) + 1);
                if (LOG.isDebugEnabled()) {
                    LOG.debug("Discarding RTP packet seq {} of SSRC {} ({})", sequenceNumber, hex(ssrc),
                              probation > 0 ? "source on probation" : "outside the expected sequence");
                }
                return false;
        }
    }

    private int startSource(int seq, long ssrc) {
        haveSource = true;
        currentSsrc = ssrc;
        publish(SSRC, ssrc);
        if (acceptImmediately) {
            initSequence(seq);
            return IN_ORDER;
        }
        beginProbation(seq);
        return updateSequence(seq);
    }

    private int changeSource(int seq, long ssrc) {
        if (probation > 0) {
            // the previous source was never accepted: the new one starts its own probation
            if (LOG.isDebugEnabled()) {
                LOG.debug("RTP source {} on probation replaced by {}", hex(currentSsrc), hex(ssrc));
            }
            currentSsrc = ssrc;
            publish(SSRC, ssrc);
            beginProbation(seq);
            return updateSequence(seq);
        }
        long changes = published(SSRC_CHANGES) + 1;
        if (worthInfo(changes)) {
            LOG.info("RTP SSRC changed from {} to {} at seq {} (change {}): sequence state reset", hex(currentSsrc),
                     hex(ssrc), seq, changes);
        }
        lostCarried += Math.max(0, currentLost());
        currentSsrc = ssrc;
        publish(SSRC, ssrc);
        publish(SSRC_CHANGES, changes);
        initSequence(seq);
        jitterScaled = 0;
        publish(JITTER, 0);
        return IN_ORDER;
    }

    private void beginProbation(int seq) {
        maxSeq = (seq - 1) & (SEQ_MOD - 1);
        probation = MIN_SEQUENTIAL;
    }

    /** RFC 3550 A.1 init_seq, plus the history of recent packets. */
    private void initSequence(int seq) {
        probation = 0;
        baseExtended = seq;
        maxSeq = seq;
        badSeq = SEQ_MOD + 1;
        cycles = 0;
        received = 0;
        receivedPrior = 0;
        expectedPrior = 0;
        haveTransit = false;
        Arrays.fill(recent, NO_SEQUENCE);
        recent[seq & (HISTORY - 1)] = seq;
    }

    /** RFC 3550 A.1 update_seq, telling late packets from duplicates. */
    private int updateSequence(int seq) {
        int delta = (seq - maxSeq) & (SEQ_MOD - 1);
        if (probation > 0) {
            if (delta == 1) {
                probation--;
                maxSeq = seq;
                if (probation == 0) {
                    initSequence(seq);
                    return IN_ORDER;
                }
            } else {
                probation = MIN_SEQUENTIAL - 1;
                maxSeq = seq;
            }
            return DISCARD;
        }
        if (delta == 0) {
            return DUPLICATE;
        }
        if (delta < MAX_DROPOUT) {
            if (seq < maxSeq) {
                cycles += SEQ_MOD;
            }
            maxSeq = seq;
            long extended = cycles + seq;
            recent[(int) (extended & (HISTORY - 1))] = extended;
            return IN_ORDER;
        }
        if (delta <= SEQ_MOD - MAX_MISORDER) {
            if (seq == badSeq) {
                // two packets in sequence after a large jump: the sender restarted its sequence
                long restarts = published(RESTARTS) + 1;
                if (worthInfo(restarts)) {
                    LOG.info("RTP sequence of SSRC {} restarted at {} after a jump from {} (restart {})",
                             hex(currentSsrc), seq, maxSeq, restarts);
                }
                lostCarried += Math.max(0, currentLost());
                publish(RESTARTS, restarts);
                initSequence(seq);
                return IN_ORDER;
            }
            badSeq = (seq + 1) & (SEQ_MOD - 1);
            return DISCARD;
        }
        // up to MAX_MISORDER behind the highest sequence number: late, or a duplicate of a recent packet
        long extended = cycles + maxSeq - (SEQ_MOD - delta);
        int slot = (int) (extended & (HISTORY - 1));
        if (recent[slot] == extended) {
            return DUPLICATE;
        }
        recent[slot] = extended;
        if (extended < baseExtended) {
            // a packet sent before the first one received: it belongs to the expected range too
            baseExtended = extended;
        }
        return LATE;
    }

    /** RFC 3550 A.8, in integer arithmetic with the jitter scaled by 16. */
    private void updateJitter(long rtpTimestamp, long arrivalNanos) {
        if (!haveArrivalOrigin) {
            arrivalOrigin = arrivalNanos;
            haveArrivalOrigin = true;
        }
        long sinceOrigin = arrivalNanos - arrivalOrigin;
        long seconds = Math.floorDiv(sinceOrigin, NANOS_PER_SECOND);
        long nanos = Math.floorMod(sinceOrigin, NANOS_PER_SECOND);
        // arrival in timestamp units, rounded to nearest; only the low 32 bits matter, like RTP timestamps
        long arrivalUnits = seconds * clockRate + (nanos * clockRate + NANOS_PER_SECOND / 2) / NANOS_PER_SECOND;
        int newTransit = (int) (arrivalUnits - rtpTimestamp);
        if (haveTransit) {
            long d = Math.abs((long) (newTransit - transit));
            jitterScaled += d - ((jitterScaled + 8) >> 4);
            publish(JITTER, jitterScaled >> 4);
        }
        transit = newTransit;
        haveTransit = true;
    }

    private long currentLost() {
        return cycles + maxSeq - baseExtended + 1 - received;
    }

    /**
     * Records a sender report of the stream's sender and when it arrived, for the LSR and DLSR fields of the next
     * report block and for mapping RTP time to wall-clock time. Safe to call from any thread.
     *
     * @param arrivalNanos arrival time on the clock used for {@link #onPacket} and {@link #reportBlock(long)}
     */
    public void onSenderReport(SenderReport sr, long arrivalNanos) {
        lastSenderReport = new LastSenderReport(sr, arrivalNanos);
    }

    /**
     * Builds the reception report block for the current source (RFC 3550 6.4.1, A.3) and starts a new interval for
     * the fraction lost. Call it on the thread that calls {@link #onPacket}.
     *
     * @param nowNanos the time of sending the report, on the clock of {@link #onSenderReport}, for DLSR
     * @return the block, or null while no source has been accepted
     */
    public ReportBlock reportBlock(long nowNanos) {
        if (!haveSource || probation > 0) {
            return null;
        }
        long extendedMax = cycles + maxSeq;
        long expected = extendedMax - baseExtended + 1;
        long expectedInterval = expected - expectedPrior;
        expectedPrior = expected;
        long receivedInterval = received - receivedPrior;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = 0;
        if (expectedInterval > 0 && lostInterval > 0) {
            fraction = (int) Math.min(255, (lostInterval << 8) / expectedInterval);
        }
        long lsr = 0;
        long dlsr = 0;
        LastSenderReport last = lastSenderReport;
        if (last != null && last.report.ssrc() == currentSsrc) {
            lsr = last.report.ntpMiddle32();
            dlsr = toUnits65536(nowNanos - last.arrivalNanos);
        }
        return new ReportBlock(currentSsrc, fraction, ReportBlock.clampCumulativeLost(expected - received),
                               extendedMax & MAX_UNSIGNED_32, Math.min(MAX_UNSIGNED_32, jitterScaled >> 4), lsr,
                               dlsr);
    }

    private static long toUnits65536(long nanos) {
        if (nanos <= 0) {
            return 0;
        }
        long seconds = nanos / NANOS_PER_SECOND;
        if (seconds > 0xFFFF) {
            return MAX_UNSIGNED_32;
        }
        return Math.min(MAX_UNSIGNED_32, (seconds << 16) + ((nanos % NANOS_PER_SECOND) << 16) / NANOS_PER_SECOND);
    }

    /** Packets accepted (delivered) since creation, over all sources. */
    public long packetsReceived() {
        return published(RECEIVED);
    }

    /**
     * Cumulative packets lost (never negative): expected minus received for the current source (RFC 3550 A.3), plus
     * what was lost from earlier sources and before sequence restarts. It goes down again when a late packet fills a
     * gap.
     */
    public long packetsLost() {
        return published(LOST);
    }

    /** Duplicate packets dropped ({@link #onPacket} returned false). */
    public long packetsDuplicated() {
        return published(DUPLICATED);
    }

    /** Packets accepted that arrived with a sequence number lower than the highest seen. */
    public long packetsReordered() {
        return published(REORDERED);
    }

    /**
     * Packets dropped for a reason other than duplication: a source on probation, or a sequence number far outside
     * the expected range (RFC 3550 A.1).
     */
    public long packetsDiscarded() {
        return published(DISCARDED);
    }

    /** How often an accepted source was replaced by another SSRC. */
    public long ssrcChanges() {
        return published(SSRC_CHANGES);
    }

    /** How often the sequence number of the same source restarted after a large jump. */
    public long sequenceRestarts() {
        return published(RESTARTS);
    }

    /** Payload bytes of accepted packets, as passed to {@link #onPacket(int, long, long, long, int)}. */
    public long bytesReceived() {
        return published(BYTES);
    }

    /** Interarrival jitter of the current source in RTP timestamp units (RFC 3550 A.8). */
    public long jitter() {
        return published(JITTER);
    }

    /** SSRC of the current source, or -1 before the first packet. */
    public long ssrc() {
        return published(SSRC);
    }

    /**
     * Highest sequence number received from the current source, extended with 65536 per wrap-around; -1 until a
     * source is accepted.
     */
    public long extendedHighestSequence() {
        return published(EXTENDED_HIGHEST);
    }

    /** The last sender report passed to {@link #onSenderReport}, or null. */
    public SenderReport lastSenderReport() {
        LastSenderReport last = lastSenderReport;
        return last == null ? null : last.report;
    }

    /** NTP timestamp (64-bit) of the last sender report, or 0 if none arrived yet. */
    public long lastSenderReportNtp() {
        LastSenderReport last = lastSenderReport;
        return last == null ? 0 : last.report.ntpTimestamp();
    }

    /** RTP timestamp of the last sender report, or -1 if none arrived yet. */
    public long lastSenderReportRtp() {
        LastSenderReport last = lastSenderReport;
        return last == null ? -1 : last.report.rtpTimestamp();
    }

    /** Arrival time of the last sender report as passed to {@link #onSenderReport}, or 0 if none arrived yet. */
    public long lastSenderReportArrivalNanos() {
        LastSenderReport last = lastSenderReport;
        return last == null ? 0 : last.arrivalNanos;
    }

    private void publish(int index, long value) {
        LONGS.setOpaque(published, index, value);
    }

    private long published(int index) {
        return (long) LONGS.getOpaque(published, index);
    }

    /** Logs the first ten events of a kind, then only every power of two, so a broken sender cannot flood the log. */
    private static boolean worthInfo(long count) {
        return count <= 10 || Long.bitCount(count) == 1 || LOG.isDebugEnabled();
    }

    private static String hex(long ssrc) {
        return String.format("%08x", ssrc);
    }

    @Override
    public String toString() {
        return "RtpReceiverStatistics[ssrc=" + (ssrc() < 0 ? "none" : hex(ssrc())) + ", received=" + packetsReceived()
               + ", lost=" + packetsLost() + ", duplicated=" + packetsDuplicated() + ", reordered="
               + packetsReordered() + ", discarded=" + packetsDiscarded() + ", jitter=" + jitter() + "]";
    }

    /** A sender report together with its arrival time, published as one reference. */
    private static final class LastSenderReport {
        private final SenderReport report;
        private final long arrivalNanos;

        LastSenderReport(SenderReport report, long arrivalNanos) {
            this.report = report;
            this.arrivalNanos = arrivalNanos;
        }
    }
}
