package io.github.camelrtsp.rtp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RtpReorderBufferTest {

    private static final long MS = 1_000_000L;

    /** Every packet a test created, to check that none stays retained. */
    private final List<ByteBuf> created = new ArrayList<>();
    private final List<Integer> createdSeqs = new ArrayList<>();
    private final ByteBufAllocator alloc = new UnpooledByteBufAllocator(false);

    /** What the output received: sequence numbers and loss flags. */
    private static final class Recorder implements RtpReorderBuffer.Output {
        final List<Integer> seqs = new ArrayList<>();
        final List<Boolean> lost = new ArrayList<>();

        @Override
        public void onPacket(ByteBuf packet, boolean lostBefore) {
            assertTrue(packet.refCnt() > 0, "delivered packet still alive");
            seqs.add(packet.getUnsignedShort(packet.readerIndex() + 2));
            lost.add(lostBefore);
        }

        /** Sequence numbers delivered with lostBefore=true. */
        List<Integer> lossMarks() {
            List<Integer> marks = new ArrayList<>();
            for (int i = 0; i < seqs.size(); i++) {
                if (lost.get(i)) {
                    marks.add(seqs.get(i));
                }
            }
            return marks;
        }
    }

    private ByteBuf packet(int seq) {
        ByteBuf buf = alloc.buffer(32);
        RtpPacket.writeHeader(buf, false, 96, seq, 3000L * seq, 0x1234L);
        buf.writeInt(seq);
        created.add(buf);
        createdSeqs.add(seq);
        return buf;
    }

    /** Adds like a Netty handler: the caller's reference is released right after the call. */
    private static void add(RtpReorderBuffer buffer, ByteBuf packet, long now, RtpReorderBuffer.Output out) {
        try {
            buffer.add(packet, packet.getUnsignedShort(packet.readerIndex() + 2), now, out);
        } finally {
            packet.release();
        }
    }

    private void addAll(RtpReorderBuffer buffer, Recorder out, long now, int... seqs) {
        for (int seq : seqs) {
            add(buffer, packet(seq), now, out);
        }
    }

    @AfterEach
    void nothingStaysRetained() {
        for (int i = 0; i < created.size(); i++) {
            assertEquals(0, created.get(i).refCnt(), "packet " + createdSeqs.get(i) + " still retained");
        }
    }

    @Test
    void packetsInOrderPassStraightThroughWithoutBeingRetained() {
        RtpReorderBuffer buffer = new RtpReorderBuffer();
        Recorder out = new Recorder();
        for (int seq = 100; seq < 110; seq++) {
            ByteBuf p = packet(seq);
            buffer.add(p, seq, seq * MS, out);
            assertEquals(1, p.refCnt(), "an in-order packet is not retained");
            assertEquals(seq, out.seqs.get(out.seqs.size() - 1), "delivered during add");
            p.release();
        }
        assertEquals(0, buffer.size());
        assertEquals(List.of(), out.lossMarks());
        assertEquals(10, buffer.delivered());
        assertEquals(0, buffer.reordered() + buffer.duplicates() + buffer.late() + buffer.lost());
        assertEquals(Long.MAX_VALUE, buffer.nextDeadline());
    }

    @Test
    void aWaitingPacketIsRetainedUntilDelivered() {
        RtpReorderBuffer buffer = new RtpReorderBuffer();
        Recorder out = new Recorder();
        addAll(buffer, out, 0, 1);
        ByteBuf three = packet(3);
        buffer.add(three, 3, MS, out);
        assertEquals(2, three.refCnt(), "the buffer holds its own reference");
        three.release();
        assertEquals(1, three.refCnt());
        assertEquals(List.of(1), out.seqs);
        addAll(buffer, out, 2 * MS, 2);
        assertEquals(0, three.refCnt(), "released after delivery");
        assertEquals(List.of(1, 2, 3), out.seqs);
        assertEquals(List.of(), out.lossMarks());
        assertEquals(1, buffer.reordered());
    }

    @Test
    void sequenceWrapsFrom65535ToZero() {
        RtpReorderBuffer buffer = new RtpReorderBuffer();
        Recorder out = new Recorder();
        addAll(buffer, out, 0, 65533, 65534, 0, 65535, 2, 1, 3);
        assertEquals(List.of(65533, 65534, 65535, 0, 1, 2, 3), out.seqs);
        assertEquals(List.of(), out.lossMarks());
        assertEquals(2, buffer.reordered());
        assertEquals(0, buffer.lost() + buffer.late() + buffer.restarts());
    }

    @Test
    void shufflesWithinTheBoundsComeOutInOrderAcrossTheWrap() {
        RtpReorderBuffer buffer = new RtpReorderBuffer(64, Duration.ofMillis(100));
        Recorder out = new Recorder();
        Random random = new Random(42);
        int count = 5000;
        int first = 65536 - 2500;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            order.add(i);
        }
        // shuffle inside blocks of 16: no packet is displaced by more than 15 places
        for (int block = 0; block < count; block += 16) {
            Collections.shuffle(order.subList(block, Math.min(count, block + 16)), random);
        }
        // the first packet fixes the sequence, so the stream starts with the first one sent
        order.remove(Integer.valueOf(0));
        order.add(0, 0);
        long now = 0;
        for (int i : order) {
            now += MS;
            add(buffer, packet((first + i) & 0xFFFF), now, out);
        }
        assertEquals(count, out.seqs.size());
        for (int i = 0; i < count; i++) {
            assertEquals((first + i) & 0xFFFF, out.seqs.get(i));
        }
        assertEquals(List.of(), out.lossMarks());
        assertTrue(buffer.reordered() > count / 4, "reordered " + buffer.reordered());
        assertEquals(0, buffer.lost() + buffer.late() + buffer.duplicates() + buffer.discarded());
        assertEquals(0, buffer.size());
    }

    @Test
    void duplicatesOfWaitingAndOfDeliveredPacketsAreDroppedAndCounted() {
        RtpReorderBuffer buffer = new RtpReorderBuffer();
        Recorder out = new Recorder();
        addAll(buffer, out, 0, 1, 1, 3, 3, 2, 2, 3, 1);
        assertEquals(List.of(1, 2, 3), out.seqs);
        assertEquals(5, buffer.duplicates());
        assertEquals(0, buffer.late());
    }

    @Test
    void duplicatesAcrossTheWrapAreTold() {
        RtpReorderBuffer buffer = new RtpReorderBuffer(8, Duration.ofMillis(100));
        Recorder out = new Recorder();
        addAll(buffer, out, 0, 65534, 65535, 0, 1, 65535, 0);
        assertEquals(List.of(65534, 65535, 0, 1), out.seqs);
        assertEquals(2, buffer.duplicates());
    }

    @Test
    void gapIsGivenUpWhenTheTimeBoundExpires() {
        RtpReorderBuffer buffer = new RtpReorderBuffer(64, Duration.ofMillis(100));
        Recorder out = new Recorder();
        add(buffer, packet(1), 0, out);
        add(buffer, packet(2), MS, out);
        add(buffer, packet(4), 2 * MS, out);
        add(buffer, packet(5), 3 * MS, out);
        assertEquals(List.of(1, 2), out.seqs);
        assertEquals(2, buffer.size());
        assertEquals(102 * MS, buffer.nextDeadline());

        buffer.flushExpired(102 * MS - 1, out);
        assertEquals(List.of(1, 2), out.seqs, "not before the time bound");

        buffer.flushExpired(102 * MS, out);
        assertEquals(List.of(1, 2, 4, 5), out.seqs);
        assertEquals(List.of(4), out.lossMarks());
        assertEquals(1, buffer.lost());
        assertEquals(0, buffer.size());
        assertEquals(Long.MAX_VALUE, buffer.nextDeadline());

        // the missing packet turns up after all: too late
        add(buffer, packet(3), 110 * MS, out);
        add(buffer, packet(6), 111 * MS, out);
        assertEquals(List.of(1, 2, 4, 5, 6), out.seqs);
        assertEquals(1, buffer.late());
        assertEquals(List.of(4), out.lossMarks(), "a late packet reports no new loss");
    }

    @Test
    void theTimeBoundIsAlsoCheckedWhenAPacketIsAdded() {
        RtpReorderBuffer buffer = new RtpReorderBuffer(64, Duration.ofMillis(100));
        Recorder out = new Recorder();
        add(buffer, packet(1), 0, out);
        add(buffer, packet(3), MS, out);
        add(buffer, packet(5), 150 * MS, out);
        assertEquals(List.of(1, 3), out.seqs, "3 waited too long; 5 just arrived and waits for 4");
        assertEquals(List.of(3), out.lossMarks());
        add(buffer, packet(4), 151 * MS, out);
        assertEquals(List.of(1, 3, 4, 5), out.seqs);
        assertEquals(1, buffer.lost());
    }

    @Test
    void onlyTheGapsBeforeExpiredPacketsAreGivenUp() {
        RtpReorderBuffer buffer = new RtpReorderBuffer(64, Duration.ofMillis(100));
        Recorder out = new Recorder();
        add(buffer, packet(1), 0, out);
        add(buffer, packet(5), 0, out); // waits from 0
        add(buffer, packet(3), 50 * MS, out); // arrived later but comes first
        add(buffer, packet(8), 60 * MS, out);
        buffer.flushExpired(100 * MS, out);
        // 5 expired, so 3 (not expired) goes with it; 8 keeps waiting for 6 and 7
        assertEquals(List.of(1, 3, 5), out.seqs);
        assertEquals(List.of(3, 5), out.lossMarks());
        assertEquals(2, buffer.lost());
        assertEquals(1, buffer.size());
        assertTrue(buffer.nextDeadline() <= 160 * MS);
        buffer.flushExpired(159 * MS, out);
        assertEquals(1, buffer.size());
        buffer.flushExpired(160 * MS, out);
        assertEquals(List.of(1, 3, 5, 8), out.seqs);
        assertEquals(4, buffer.lost());
    }

    @Test
    void gapIsGivenUpWhenTheSizeBoundIsReached() {
        RtpReorderBuffer buffer = new RtpReorderBuffer(8, Duration.ofSeconds(10));
        Recorder out = new Recorder();
        addAll(buffer, out, 0, 1, 3, 4, 5, 6, 7, 8, 9);
        assertEquals(List.of(1), out.seqs, "3..9 wait within the 8-packet window");
        assertEquals(7, buffer.size());
        addAll(buffer, out, 0, 10);
        assertEquals(List.of(1, 3, 4, 5, 6, 7, 8, 9, 10), out.seqs);
        assertEquals(List.of(3), out.lossMarks());
        assertEquals(1, buffer.lost());
        assertEquals(0, buffer.size());
    }

    @Test
    void sizeBoundReleasesOnlyWhatTheWindowNeeds() {
        RtpReorderBuffer buffer = new RtpReorderBuffer(4, Duration.ofSeconds(10));
        Recorder out = new Recorder();
        addAll(buffer, out, 0, 1, 4, 6);
        assertEquals(List.of(1), out.seqs);
        addAll(buffer, out, 0, 7);
        // the window 4..7 only needs 2 and 3 given up; 5 is still awaited
        assertEquals(List.of(1, 4), out.seqs);
        assertEquals(2, buffer.lost());
        addAll(buffer, out, 0, 5);
        assertEquals(List.of(1, 4, 5, 6, 7), out.seqs);
        assertEquals(List.of(4), out.lossMarks());
    }

    @Test
    void aLargeForwardGapIsLossNotARestart() {
        RtpReorderBuffer buffer = new RtpReorderBuffer(64, Duration.ofMillis(100));
        Recorder out = new Recorder();
        addAll(buffer, out, 0, 65000, 65002, 65003);
        addAll(buffer, out, 0, 1000); // 1000 - 65000 = 1536 ahead, below MAX_DROPOUT
        // everything before the window that 1000 needs is given up; 1000 waits for the rest of its window
        assertEquals(List.of(65000, 65002, 65003), out.seqs);
        assertEquals(1 + (937 - 65004 + 65536), buffer.lost());
        assertEquals(1, buffer.size());
        buffer.flushExpired(100 * MS, out);
        assertEquals(List.of(65000, 65002, 65003, 1000), out.seqs);
        assertEquals(List.of(65002, 1000), out.lossMarks());
        assertEquals(1 + 1532, buffer.lost());
        assertEquals(0, buffer.restarts());
        addAll(buffer, out, 100 * MS, 1001, 937);
        assertEquals(1001, out.seqs.get(out.seqs.size() - 1));
        assertEquals(1, buffer.late());
    }

    @Test
    void aSequenceRestartIsFollowedAfterTwoPacketsInARow() {
        RtpReorderBuffer buffer = new RtpReorderBuffer();
        Recorder out = new Recorder();
        addAll(buffer, out, 0, 10, 11, 13);
        addAll(buffer, out, 0, 40000);
        assertEquals(List.of(10, 11), out.seqs, "a single far packet is held, not followed yet");
        assertEquals(2, buffer.size());
        addAll(buffer, out, 0, 40001, 40002);
        assertEquals(List.of(10, 11, 13, 40000, 40001, 40002), out.seqs);
        assertEquals(List.of(13, 40000), out.lossMarks());
        assertEquals(1, buffer.restarts());
        assertEquals(1, buffer.lost(), "12 before the restart");
        assertEquals(0, buffer.discarded());
    }

    @Test
    void aRestartBehindTheSequenceIsFollowedToo() {
        RtpReorderBuffer buffer = new RtpReorderBuffer();
        Recorder out = new Recorder();
        addAll(buffer, out, 0, 50000, 50001, 20000, 20001, 20002, 50002, 20003);
        assertEquals(List.of(50000, 50001, 20000, 20001, 20002, 20003), out.seqs);
        assertEquals(1, buffer.restarts());
        assertEquals(1, buffer.discarded(), "a packet of the old sequence is a stray now");
    }

    @Test
    void aStrayPacketFarOutsideTheSequenceIsDiscarded() {
        RtpReorderBuffer buffer = new RtpReorderBuffer();
        Recorder out = new Recorder();
        addAll(buffer, out, 0, 1, 2, 30000, 3, 4, 9000, 5);
        assertEquals(List.of(1, 2, 3, 4, 5), out.seqs);
        assertEquals(List.of(), out.lossMarks());
        assertEquals(2, buffer.discarded());
        assertEquals(0, buffer.restarts() + buffer.lost());
    }

    @Test
    void aStrayProbeIsDroppedWhenNothingFollowsIt() {
        RtpReorderBuffer buffer = new RtpReorderBuffer();
        Recorder out = new Recorder();
        addAll(buffer, out, 0, 1, 30000);
        assertEquals(1, buffer.size());
        assertEquals(5_000 * MS, buffer.nextDeadline());
        buffer.flushExpired(5_000 * MS, out);
        assertEquals(0, buffer.size());
        assertEquals(1, buffer.discarded());
    }

    @Test
    void packetsAtMostMaxMisorderBehindAreLate() {
        RtpReorderBuffer buffer = new RtpReorderBuffer(8, Duration.ofMillis(100));
        Recorder out = new Recorder();
        for (int seq = 1000; seq < 1200; seq++) {
            addAll(buffer, out, 0, seq);
        }
        // 1099 is MAX_MISORDER behind the last released packet: late; 1098 is further: a stray
        addAll(buffer, out, 0, 1199 - RtpReorderBuffer.MAX_MISORDER, 1195, 1098, 1200);
        assertEquals(1, buffer.late());
        assertEquals(1, buffer.duplicates(), "1195 was delivered and is within the window");
        assertEquals(1, buffer.discarded());
        assertEquals(201, out.seqs.size());
    }

    @Test
    void zeroDelayMeansNoWaiting() {
        RtpReorderBuffer buffer = new RtpReorderBuffer(64, Duration.ZERO);
        Recorder out = new Recorder();
        addAll(buffer, out, 0, 1, 3, 2, 4);
        assertEquals(List.of(1, 3, 4), out.seqs);
        assertEquals(List.of(3), out.lossMarks());
        assertEquals(1, buffer.late());
        assertEquals(0, buffer.size());
    }

    @Test
    void windowOfOneMeansNoWaiting() {
        RtpReorderBuffer buffer = new RtpReorderBuffer(1, Duration.ofSeconds(1));
        Recorder out = new Recorder();
        addAll(buffer, out, 0, 1, 3, 2, 4);
        assertEquals(List.of(1, 3, 4), out.seqs);
        assertEquals(List.of(3), out.lossMarks());
    }

    @Test
    void flushDeliversEverythingWaitingWithTheGapsAsLoss() {
        RtpReorderBuffer buffer = new RtpReorderBuffer();
        Recorder out = new Recorder();
        addAll(buffer, out, 0, 1, 3, 4, 7);
        buffer.flush(out);
        assertEquals(List.of(1, 3, 4, 7), out.seqs);
        assertEquals(List.of(3, 7), out.lossMarks());
        assertEquals(3, buffer.lost());
        assertEquals(0, buffer.size());
    }

    @Test
    void resetDropsWhatWaitsAndStartsAfresh() {
        RtpReorderBuffer buffer = new RtpReorderBuffer();
        Recorder out = new Recorder();
        addAll(buffer, out, 0, 1, 3, 4, 30000);
        assertEquals(3, buffer.size());
        buffer.reset();
        assertEquals(0, buffer.size());
        assertEquals(3, buffer.discarded());
        assertEquals(Long.MAX_VALUE, buffer.nextDeadline());
        addAll(buffer, out, 0, 500, 501);
        assertEquals(List.of(1, 500, 501), out.seqs);
        assertEquals(List.of(), out.lossMarks());
    }

    @Test
    void anOutputThatThrowsLeavesTheBufferConsistentAndLeaksNothing() {
        RtpReorderBuffer buffer = new RtpReorderBuffer();
        Recorder recorder = new Recorder();
        RtpReorderBuffer.Output failing = (packet, lost) -> {
            recorder.onPacket(packet, lost);
            if (packet.getUnsignedShort(2) == 3) {
                throw new IllegalStateException("boom");
            }
        };
        addAll(buffer, recorder, 0, 1, 3, 4);
        ByteBuf two = packet(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> add(buffer, two, 0, failing));
        assertEquals("boom", e.getMessage());
        assertEquals(List.of(1, 2, 3), recorder.seqs);
        assertEquals(1, buffer.size(), "4 still waits");
        assertEquals(0, two.refCnt());
        addAll(buffer, recorder, 0, 5);
        assertEquals(List.of(1, 2, 3, 4, 5), recorder.seqs);
    }

    @Test
    void callingBackFromTheOutputIsRefused() {
        RtpReorderBuffer buffer = new RtpReorderBuffer();
        ByteBuf other = packet(2);
        List<Throwable> errors = new ArrayList<>();
        RtpReorderBuffer.Output reentrant = (packet, lost) -> {
            try {
                buffer.add(other, 2, 0, (p, l) -> { });
            } catch (IllegalStateException e) {
                errors.add(e);
            }
        };
        add(buffer, packet(1), 0, reentrant);
        other.release();
        assertEquals(1, errors.size());
        Recorder out = new Recorder();
        addAll(buffer, out, 0, 2);
        assertEquals(List.of(2), out.seqs, "the buffer still works afterwards");
    }

    @Test
    void argumentsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new RtpReorderBuffer(0, Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                     () -> new RtpReorderBuffer(RtpReorderBuffer.MAX_PACKETS_LIMIT + 1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new RtpReorderBuffer(8, Duration.ofMillis(-1)));
        RtpReorderBuffer buffer = new RtpReorderBuffer();
        ByteBuf p = packet(1);
        assertThrows(IllegalArgumentException.class, () -> buffer.add(p, 65536, 0, (b, l) -> { }));
        assertThrows(IllegalArgumentException.class, () -> buffer.add(p, -1, 0, (b, l) -> { }));
        assertEquals(1, p.refCnt());
        p.release();
        assertEquals(RtpReorderBuffer.DEFAULT_MAX_PACKETS, buffer.maxPackets());
        assertEquals(RtpReorderBuffer.DEFAULT_MAX_DELAY, buffer.maxDelay());
    }

    @Test
    void largeWindowsRoundTheRingUp() {
        RtpReorderBuffer buffer = new RtpReorderBuffer(100, Duration.ofSeconds(1));
        Recorder out = new Recorder();
        int[] seqs = new int[100];
        seqs[0] = 0;
        for (int i = 1; i < 100; i++) {
            seqs[i] = 100 - i; // 99 down to 1: all within the window of 100
        }
        addAll(buffer, out, 0, seqs);
        assertEquals(100, out.seqs.size());
        for (int i = 0; i < 100; i++) {
            assertEquals(i, out.seqs.get(i));
        }
        addAll(buffer, out, 0, 101, 201);
        // 201 needs the window 102..201: 100 is given up, 101 delivered (it waited), then 201 waits for 102..200
        assertEquals(101, out.seqs.get(out.seqs.size() - 1));
        assertEquals(1, buffer.lost());
        assertEquals(1, buffer.size());
        buffer.reset();
    }

    /**
     * A long random stream with loss, duplicates, reordering and time passing, checked against what must hold:
     * every sequence number delivered at most once and in order, loss flagged exactly where the output has a gap,
     * and the counters adding up.
     */
    @Test
    void randomStreamsKeepTheInvariants() {
        for (long seed = 1; seed <= 20; seed++) {
            runRandomStream(seed);
        }
    }

    private void runRandomStream(long seed) {
        Random random = new Random(seed);
        int maxPackets = 1 + random.nextInt(64);
        RtpReorderBuffer buffer = new RtpReorderBuffer(maxPackets, Duration.ofMillis(random.nextInt(60)));
        Recorder out = new Recorder();
        int first = random.nextInt(65536);
        List<Integer> sent = new ArrayList<>();
        int total = 3000;
        int dropped = 0;
        int duplicated = 0;
        for (int i = 0; i < total; i++) {
            if (i > 0 && random.nextInt(20) == 0) {
                dropped++;
                continue;
            }
            sent.add(i);
            if (random.nextInt(30) == 0) {
                sent.add(i);
                duplicated++;
            }
        }
        // displace some packets by up to 10 places
        for (int i = 1; i < sent.size() - 10; i++) {
            if (random.nextInt(8) == 0) {
                Collections.swap(sent, i, i + 1 + random.nextInt(10));
            }
        }
        long now = 0;
        for (int i : sent) {
            now += random.nextInt(3) * MS;
            add(buffer, packet((first + i) & 0xFFFF), now, out);
            if (random.nextInt(10) == 0) {
                buffer.flushExpired(now, out);
            }
        }
        buffer.flush(out);
        String where = "seed " + seed;
        assertEquals(0, buffer.size(), where);
        assertEquals(0, buffer.restarts() + buffer.discarded(), where);
        assertEquals(out.seqs.size(), buffer.delivered(), where);
        long gaps = 0;
        for (int k = 0; k < out.seqs.size(); k++) {
            int seq = out.seqs.get(k);
            if (k == 0) {
                assertEquals(first, seq, where);
                assertFalse(out.lost.get(k), where);
                continue;
            }
            int step = (seq - out.seqs.get(k - 1)) & 0xFFFF;
            assertTrue(step >= 1 && step < 0x8000, where + ": out of order at " + k + ": " + seq);
            assertEquals(step > 1, out.lost.get(k), where + ": loss flag at " + seq);
            gaps += step - 1;
        }
        assertEquals(gaps, buffer.lost(), where);
        // every packet sent is either delivered once, or dropped as a duplicate or late
        assertEquals(sent.size(), out.seqs.size() + buffer.duplicates() + buffer.late(), where);
        // a copy may also count as late, when it comes after the original's slot was reused; never the other way
        assertTrue(buffer.duplicates() <= duplicated, where);
        assertTrue(out.seqs.size() <= total - dropped, where);
        for (int seq : out.seqs) {
            int index = (seq - first) & 0xFFFF;
            assertTrue(sent.contains(index), where + ": delivered " + seq + " that was never sent");
        }
    }

    @Test
    void anInOrderPacketIsPassedAsItIs() {
        RtpReorderBuffer buffer = new RtpReorderBuffer();
        List<ByteBuf> seen = new ArrayList<>();
        ByteBuf one = packet(1);
        buffer.add(one, 1, 0, (packet, lost) -> seen.add(packet));
        assertSame(one, seen.get(0), "an in-order packet is passed as it is, not copied");
        one.release();
    }
}
