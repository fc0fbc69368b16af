package io.github.camelrtsp.rtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the RTP packets of one track received over UDP back into sequence order before depacketizing, removes
 * duplicates and turns gaps that do not fill in time into reported loss.
 *
 * <p><b>Bounds.</b> At most {@code maxPackets} sequence numbers are waited for: a packet that would need a wider
 * window releases the oldest waiting packets first, and what is still missing before them is reported as lost. A
 * missing packet is also given up when a packet after it has waited {@code maxDelay}; the caller then calls
 * {@link #flushExpired(long, Output)} (from a timer, for example at {@link #nextDeadline()}), and {@link #add} checks
 * the time bound too. With {@code maxDelay} zero nothing waits: out-of-order packets only cause loss.
 *
 * <p><b>Sequence.</b> Sequence numbers are compared modulo 2^16, so wrap-around from 65535 to 0 is ordinary. The
 * first packet fixes the sequence (a packet sent before it but arriving after it counts as late). A packet older than
 * what was already released is dropped and counted in {@link #late()}, or in {@link #duplicates()} if that very
 * sequence number was delivered recently. A packet far outside the expected sequence ({@value #MAX_DROPOUT} or more
 * ahead, or further behind the last released packet than both the window and {@value #MAX_MISORDER}) is held as a
 * probe: if the next packet directly follows it, the sender restarted its sequence (an encoder restart, a new SSRC):
 * what was waiting is released, the sequence continues from the probe with loss reported, and {@link #restarts()}
 * counts it. Otherwise the probe is dropped as a stray and counted in {@link #discarded()}, also when nothing follows
 * it within 5 s (or the time bound, if longer). A caller that sees the SSRC change may simply {@link #reset()} the
 * buffer instead.
 *
 * <p><b>Transport.</b> Meant for UDP. Over TCP (interleaved) packets arrive in order; there the consumer needs no
 * reorder buffer and takes loss from gaps in the sequence numbers.
 *
 * <p><b>Buffers.</b> The caller keeps its own reference to each packet it adds (for example Netty releases the
 * datagram after the handler returns): the buffer {@code retain()}s a packet it holds past the call and
 * {@code release()}s that reference once the packet was delivered or dropped. A packet passed to
 * {@link Output#onPacket} is valid only during that call. Nothing is allocated per packet: the waiting packets sit in
 * ring arrays sized at creation.
 *
 * <p><b>Logging.</b> Single events (a gap given up, a late or duplicate packet, a stray) are logged at TRACE only: the
 * counters are their record. A sequence restart is logged at INFO, at most once per 10 s with the running count.
 *
 * <p><b>Threads.</b> Not thread-safe: one instance per track, used from one thread (the I/O thread that receives the
 * track). The counters may be read from any thread; they may be slightly stale, never torn. The output must not call
 * back into the same buffer.
 */
public final class RtpReorderBuffer {

    /** Default bound in sequence numbers. */
    public static final int DEFAULT_MAX_PACKETS = 64;
    /** Default time a packet waits for a missing earlier one. */
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofMillis(100);
    /** Largest accepted bound in sequence numbers: half the sequence space, so that ahead and behind stay distinct. */
    public static final int MAX_PACKETS_LIMIT = 1 << 15;
    /** A packet this many sequence numbers ahead (or more) is treated as a possible restart, not as loss. */
    public static final int MAX_DROPOUT = RtpReceiverStatistics.MAX_DROPOUT;
    /**
     * A packet at most this far behind the last released one (or within the window) is late; further behind is a
     * possible restart.
     */
    public static final int MAX_MISORDER = RtpReceiverStatistics.MAX_MISORDER;

    /** Receives the packets in sequence order. */
    @FunctionalInterface
    public interface Output {

        /**
         * One packet, in sequence order.
         *
         * @param packet     the RTP packet between reader and writer index; valid only during this call (retain it
         *                   to keep it), and its indexes must not be changed
         * @param lostBefore true when one or more packets right before this one were given up as lost (or the
         *                   sequence restarted): the caller passes it as {@code lost} to the depacketizer
         */
        void onPacket(ByteBuf packet, boolean lostBefore);
    }

    private static final Logger LOG = LoggerFactory.getLogger(RtpReorderBuffer.class);
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int SEQ_MASK = 0xFFFF;
    private static final int HALF = 0x8000;
    private static final int NONE = -1;
    private static final long INFO_INTERVAL_NANOS = 10_000_000_000L;
    /** How long a probe waits for the packet that would confirm a restart, unless the time bound is longer. */
    private static final long PROBE_TIMEOUT_NANOS = 5_000_000_000L;

    private static final int REORDERED = 0;
    private static final int DUPLICATES = 1;
    private static final int LATE = 2;
    private static final int LOST = 3;
    private static final int DISCARDED = 4;
    private static final int RESTARTS = 5;
    private static final int DELIVERED = 6;
    private static final int COUNTERS = 7;

    private final int maxPackets;
    private final long maxDelayNanos;
    private final long probeTimeoutNanos;
    private final int mask;
    /** Packets waiting, at {@code seq & mask}. */
    private final ByteBuf[] slots;
    /** Arrival time of each waiting packet. */
    private final long[] arrivals;
    /** Sequence number last released through each slot, or NONE if that one was given up: tells duplicates. */
    private final int[] released;
    private final long[] counters = new long[COUNTERS];

    private boolean started;
    /** Next sequence number to release. */
    private int expected;
    /** Packets waiting in the slots. */
    private int buffered;
    /** Highest sequence number waiting, valid while {@code buffered > 0}. */
    private int highest;
    /** At most the arrival time of the oldest waiting packet (exact after a scan), valid while buffered > 0. */
    private long oldestArrival;
    /** Loss to report with the next packet delivered. */
    private boolean lossPending;
    private boolean delivering;

    private ByteBuf probe;
    private int probeSeq;
    private long probeArrival;
    private long lastRestartLog;
    private boolean restartLogged;

    /** A buffer with {@link #DEFAULT_MAX_PACKETS} and {@link #DEFAULT_MAX_DELAY}. */
    public RtpReorderBuffer() {
        this(DEFAULT_MAX_PACKETS, DEFAULT_MAX_DELAY);
    }

    /**
     * A buffer with the given bounds.
     *
     * @param maxPackets how many sequence numbers to wait over, 1..{@value #MAX_PACKETS_LIMIT}; 1 means no reordering
     * @param maxDelay   how long a packet waits for a missing earlier one; zero means not at all
     * @throws IllegalArgumentException if a bound is out of range or the delay is negative
     */
    public RtpReorderBuffer(int maxPackets, Duration maxDelay) {
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxPackets < 1 || maxPackets > MAX_PACKETS_LIMIT) {
            throw new IllegalArgumentException("reorder buffer size " + maxPackets + " is not within 1.."
                                               + MAX_PACKETS_LIMIT);
        }
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("reorder delay " + maxDelay + " is negative");
        }
        this.maxPackets = maxPackets;
        this.maxDelayNanos = maxDelay.compareTo(Duration.ofDays(1)) > 0 ? Duration.ofDays(1).toNanos()
                : maxDelay.toNanos();
        this.probeTimeoutNanos = Math.max(this.maxDelayNanos, PROBE_TIMEOUT_NANOS);
        int ring = Integer.highestOneBit(maxPackets);
        if (ring < maxPackets) {
            ring <<= 1;
        }
        this.mask = ring - 1;
        this.slots = new ByteBuf[ring];
        this.arrivals = new long[ring];
        this.released = new int[ring];
        Arrays.fill(released, NONE);
    }

    /** The bound in sequence numbers. */
    public int maxPackets() {
        return maxPackets;
    }

    /** The time bound. */
    public Duration maxDelay() {
        return Duration.ofNanos(maxDelayNanos);
    }

    /**
     * Adds a received packet: delivers it (and any waiting packets that now follow in sequence) to {@code out}, or
     * keeps it until the missing packets before it arrive or are given up, or drops it as a duplicate or late
     * packet. Then releases whatever waited longer than the time bound.
     *
     * @param rtpPacket the RTP packet; the caller keeps its reference (see the class description)
     * @param seq       its sequence number, 0..65535
     * @param nowNanos  arrival time on a monotonic clock, e.g. {@link System#nanoTime()}
     * @param out       receives the packets in order
     * @throws IllegalArgumentException if the sequence number is out of range
     * @throws IllegalStateException    if called from within {@code out}
     */
    public void add(ByteBuf rtpPacket, int seq, long nowNanos, Output out) {
        Objects.requireNonNull(rtpPacket, "rtpPacket");
        Objects.requireNonNull(out, "out");
        if (seq < 0 || seq > SEQ_MASK) {
            throw new IllegalArgumentException("RTP sequence number " + seq + " is not within 0..65535");
        }
        enter();
        try {
            if (!started) {
                started = true;
                expected = seq;
            }
            if (buffered > 0) {
                drain(out); // only does something if an output threw during the previous call
            }
            if (probe != null) {
                if (seq == ((probeSeq + 1) & SEQ_MASK)) {
                    restartAt(rtpPacket, seq, out);
                    return;
                }
                dropProbe("the next packet did not follow it");
            }
            int delta = (seq - expected) & SEQ_MASK;
            if (delta < HALF) {
                addAhead(rtpPacket, seq, delta, nowNanos, out);
            } else {
                addBehind(rtpPacket, seq, SEQ_MASK + 1 - delta, nowNanos);
            }
            expire(nowNanos, out);
        } finally {
            delivering = false;
        }
    }

    /**
     * Gives up the missing packets before every packet that has waited {@code maxDelay} or longer, delivering those
     * packets (and any that follow them in sequence) with the gap reported as loss.
     *
     * @param nowNanos the current time on the clock passed to {@link #add}
     * @param out      receives the released packets
     * @throws IllegalStateException if called from within {@code out}
     */
    public void flushExpired(long nowNanos, Output out) {
        Objects.requireNonNull(out, "out");
        enter();
        try {
            if (buffered > 0) {
                drain(out);
            }
            expire(nowNanos, out);
        } finally {
            delivering = false;
        }
    }

    /**
     * Delivers every waiting packet now, in order, reporting the gaps between them as loss; for example when the
     * stream ends. A held probe (see the class description) is dropped.
     *
     * @throws IllegalStateException if called from within {@code out}
     */
    public void flush(Output out) {
        Objects.requireNonNull(out, "out");
        enter();
        try {
            if (probe != null) {
                dropProbe("the buffer was flushed");
            }
            if (buffered > 0) {
                skipTo((highest + 1) & SEQ_MASK, out);
            }
        } finally {
            delivering = false;
        }
    }

    /**
     * Drops every waiting packet without delivering it (counted in {@link #discarded()}) and forgets the sequence:
     * the next packet added starts afresh. Call it when the stream stops, so no buffer stays retained, or when the
     * sender's SSRC changes. The counters are kept.
     *
     * @throws IllegalStateException if called from within an output
     */
    public void reset() {
        enter();
        try {
            if (probe != null) {
                dropProbe("the buffer was reset");
            }
            for (int i = 0; i < slots.length && buffered > 0; i++) {
                ByteBuf held = slots[i];
                if (held != null) {
                    slots[i] = null;
                    buffered--;
                    count(DISCARDED);
                    held.release();
                }
            }
            buffered = 0;
            Arrays.fill(released, NONE);
            started = false;
            lossPending = false;
        } finally {
            delivering = false;
        }
    }

    /**
     * The time at which {@link #flushExpired} may next have something to release, on the clock passed to
     * {@link #add}; {@link Long#MAX_VALUE} when nothing waits. It may be early, never late.
     */
    public long nextDeadline() {
        long deadline = Long.MAX_VALUE;
        if (buffered > 0) {
            deadline = oldestArrival + maxDelayNanos;
        }
        if (probe != null) {
            deadline = Math.min(deadline, probeArrival + probeTimeoutNanos);
        }
        return deadline;
    }

    /** Packets waiting for a missing earlier one (a held probe included). */
    public int size() {
        return buffered + (probe != null ? 1 : 0);
    }

    /** Packets that arrived after a packet with a higher sequence number and were still delivered in order. */
    public long reordered() {
        return counter(REORDERED);
    }

    /** Packets dropped because the same sequence number was waiting or had just been delivered. */
    public long duplicates() {
        return counter(DUPLICATES);
    }

    /** Packets dropped because they arrived after their place in the sequence had been given up or passed. */
    public long late() {
        return counter(LATE);
    }

    /** Sequence numbers given up as lost (the size of every gap released, restarts not included). */
    public long lost() {
        return counter(LOST);
    }

    /** Packets dropped for other reasons: strays far outside the sequence, and packets waiting at {@link #reset()}. */
    public long discarded() {
        return counter(DISCARDED);
    }

    /** How often the sender restarted its sequence. */
    public long restarts() {
        return counter(RESTARTS);
    }

    /** Packets delivered to an output. */
    public long delivered() {
        return counter(DELIVERED);
    }

    private void addAhead(ByteBuf packet, int seq, int delta, long now, Output out) {
        if (delta >= maxPackets && delta >= MAX_DROPOUT) {
            holdProbe(packet, seq, now);
            return;
        }
        if (delta >= maxPackets) {
            // the window would be too wide: give up the oldest missing packets
            skipTo((seq - maxPackets + 1) & SEQ_MASK, out);
            delta = (seq - expected) & SEQ_MASK;
        }
        if (delta == 0) {
            if (buffered > 0) {
                count(REORDERED);
            }
            deliverNow(packet, seq, out);
            drain(out);
            return;
        }
        int slot = seq & mask;
        if (slots[slot] != null) {
            count(DUPLICATES);
            if (LOG.isTraceEnabled()) {
                LOG.trace("Dropping duplicate of waiting RTP packet seq {}", seq);
            }
            return;
        }
        if (buffered == 0) {
            highest = seq;
            oldestArrival = now;
        } else {
            if (delta < ((highest - expected) & SEQ_MASK)) {
                count(REORDERED);
            } else {
                highest = seq;
            }
            if (now - oldestArrival < 0) {
                oldestArrival = now;
            }
        }
        slots[slot] = packet.retain();
        arrivals[slot] = now;
        buffered++;
    }

    private void addBehind(ByteBuf packet, int seq, int behind, long now) {
        if (behind <= slots.length && released[seq & mask] == seq) {
            count(DUPLICATES);
            if (LOG.isTraceEnabled()) {
                LOG.trace("Dropping duplicate of delivered RTP packet seq {}", seq);
            }
        } else if (behind <= Math.max(MAX_MISORDER + 1, slots.length)) {
            count(LATE);
            if (LOG.isTraceEnabled()) {
                LOG.trace("Dropping late RTP packet seq {}: {} already released", seq, (expected - 1) & SEQ_MASK);
            }
        } else {
            holdProbe(packet, seq, now);
        }
    }

    private void holdProbe(ByteBuf packet, int seq, long now) {
        if (LOG.isTraceEnabled()) {
            LOG.trace("RTP packet seq {} is far from the expected {}: holding it to see whether the sequence "
                      + "restarted", seq, expected);
        }
        probe = packet.retain();
        probeSeq = seq;
        probeArrival = now;
    }

    private void dropProbe(String why) {
        ByteBuf p = probe;
        probe = null;
        count(DISCARDED);
        if (LOG.isTraceEnabled()) {
            LOG.trace("Dropping stray RTP packet seq {} ({})", probeSeq, why);
        }
        p.release();
    }

    /** The sender restarted its sequence at the probe: release the old packets, then continue from the probe. */
    private void restartAt(ByteBuf packet, int seq, Output out) {
        ByteBuf p = probe;
        probe = null;
        long restarts = count(RESTARTS);
        long now = System.nanoTime();
        if (!restartLogged || now - lastRestartLog >= INFO_INTERVAL_NANOS) {
            restartLogged = true;
            lastRestartLog = now;
            LOG.info("RTP sequence restarted at {} (expected {}); {} restarts so far", probeSeq, expected, restarts);
        }
        try {
            if (buffered > 0) {
                skipTo((highest + 1) & SEQ_MASK, out);
            }
        } catch (RuntimeException | Error e) {
            p.release();
            throw e;
        }
        Arrays.fill(released, NONE);
        expected = probeSeq;
        lossPending = true;
        deliverHeld(p, probeSeq, out);
        deliverNow(packet, seq, out);
    }

    /** Delivers a packet the buffer does not hold (no retain, no release). */
    private void deliverNow(ByteBuf packet, int seq, Output out) {
        boolean lost = lossPending;
        lossPending = false;
        released[seq & mask] = seq;
        expected = (seq + 1) & SEQ_MASK;
        count(DELIVERED);
        out.onPacket(packet, lost);
    }

    /** Delivers a packet the buffer holds a reference to, then releases that reference. */
    private void deliverHeld(ByteBuf held, int seq, Output out) {
        try {
            deliverNow(held, seq, out);
        } finally {
            held.release();
        }
    }

    /** Delivers the waiting packets that follow the expected sequence number without a gap. */
    private void drain(Output out) {
        while (buffered > 0) {
            int slot = expected & mask;
            ByteBuf held = slots[slot];
            if (held == null) {
                return;
            }
            slots[slot] = null;
            buffered--;
            deliverHeld(held, expected, out);
        }
    }

    /**
     * Releases everything before {@code target} in order, giving up the missing sequence numbers as lost, then
     * whatever follows without a gap.
     */
    private void skipTo(int target, Output out) {
        int distance = (target - expected) & SEQ_MASK;
        int walked = 0;
        while (walked < distance && buffered > 0) {
            int seq = expected;
            int slot = seq & mask;
            ByteBuf held = slots[slot];
            walked++;
            if (held == null) {
                released[slot] = NONE;
                expected = (seq + 1) & SEQ_MASK;
                giveUp(1);
            } else {
                slots[slot] = null;
                buffered--;
                deliverHeld(held, seq, out);
            }
        }
        int rest = distance - walked;
        if (rest > 0) {
            // nothing waits in the rest of the gap: mark only the part the duplicate check can still look at
            int from = rest > released.length ? (target - released.length) & SEQ_MASK : expected;
            for (int seq = from; seq != target; seq = (seq + 1) & SEQ_MASK) {
                released[seq & mask] = NONE;
            }
            expected = target;
            giveUp(rest);
        }
        drain(out);
    }

    private void giveUp(int packets) {
        lossPending = true;
        LONGS.setOpaque(counters, LOST, counter(LOST) + packets);
        if (LOG.isTraceEnabled()) {
            LOG.trace("Gave up {} missing RTP packet(s) before seq {}", packets, expected);
        }
    }

    private void expire(long now, Output out) {
        if (probe != null && now - probeArrival >= probeTimeoutNanos) {
            dropProbe("nothing followed it in time");
        }
        while (buffered > 0 && now - oldestArrival >= maxDelayNanos) {
            // release up to the highest waiting packet whose time is up; those below it go with it
            int lastExpired = -1;
            long oldestLeft = Long.MAX_VALUE;
            boolean anyLeft = false;
            int seen = 0;
            for (int offset = 0; seen < buffered; offset++) {
                int slot = (expected + offset) & mask;
                if (slots[slot] == null) {
                    continue;
                }
                seen++;
                long arrival = arrivals[slot];
                if (now - arrival >= maxDelayNanos) {
                    lastExpired = offset;
                    anyLeft = false;
                    oldestLeft = Long.MAX_VALUE;
                } else if (!anyLeft || arrival - oldestLeft < 0) {
                    anyLeft = true;
                    oldestLeft = arrival;
                }
            }
            if (lastExpired < 0) {
                oldestArrival = oldestLeft;
                return;
            }
            skipTo((expected + lastExpired + 1) & SEQ_MASK, out);
            if (buffered > 0) {
                oldestArrival = oldestLeft;
            }
        }
    }

    private void enter() {
        if (delivering) {
            throw new IllegalStateException("RtpReorderBuffer called from within its own output");
        }
        delivering = true;
    }

    private long count(int index) {
        long value = counter(index) + 1;
        LONGS.setOpaque(counters, index, value);
        return value;
    }

    private long counter(int index) {
        return (long) LONGS.getOpaque(counters, index);
    }

    @Override
    public String toString() {
        return "RtpReorderBuffer[maxPackets=" + maxPackets + ", maxDelay=" + maxDelay() + ", waiting=" + size()
               + ", delivered=" + delivered() + ", reordered=" + reordered() + ", duplicates=" + duplicates()
               + ", late=" + late() + ", lost=" + lost() + ", discarded=" + discarded() + ", restarts=" + restarts()
               + "]";
    }
}
