package io.github.camelrtsp.rtp;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RtpReceiverStatisticsTest {

    private static final long SSRC = 0xC0FFEE01L;
    private static final long OTHER_SSRC = 0x80000000L;
    private static final long MS = 1_000_000L;

    private static RtpReceiverStatistics tcp() {
        return new RtpReceiverStatistics(90000, true);
    }

    /** Feeds one packet of {@link #SSRC}, 40 ms apart per sequence step, timestamps in step. */
    private static boolean feed(RtpReceiverStatistics s, int seq) {
        return s.onPacket(seq & 0xFFFF, 3600L * seq & 0xFFFF_FFFFL, SSRC, 40 * MS * seq);
    }

    @Test
    void inOrderStreamHasNoLoss() {
        RtpReceiverStatistics s = tcp();
        for (int seq = 1000; seq < 1100; seq++) {
            assertTrue(feed(s, seq));
        }
        assertEquals(100, s.packetsReceived());
        assertEquals(0, s.packetsLost());
        assertEquals(1099, s.extendedHighestSequence());
        assertEquals(SSRC, s.ssrc());
        assertEquals(0, s.packetsDuplicated() + s.packetsReordered() + s.packetsDiscarded() + s.ssrcChanges());
    }

    @Test
    void countsLostPackets() {
        RtpReceiverStatistics s = tcp();
        for (int seq = 0; seq < 10; seq++) {
            if (seq != 3 && seq != 4 && seq != 7) {
                assertTrue(feed(s, seq));
            }
        }
        assertEquals(7, s.packetsReceived());
        assertEquals(3, s.packetsLost());
        // a jump just below MAX_DROPOUT is loss
        assertTrue(feed(s, 9 + 2999));
        assertEquals(3 + 2998, s.packetsLost());
    }

    @Test
    void dropsAndCountsDuplicates() {
        RtpReceiverStatistics s = tcp();
        for (int seq = 1; seq <= 4; seq++) {
            feed(s, seq);
        }
        assertFalse(feed(s, 4), "duplicate of the highest");
        assertFalse(feed(s, 2), "duplicate of an earlier packet");
        assertEquals(2, s.packetsDuplicated());
        assertEquals(4, s.packetsReceived());
        assertEquals(0, s.packetsReordered());
        assertEquals(0, s.packetsLost());
    }

    @Test
    void countsReorderedPacketsAndTheirGapCloses() {
        RtpReceiverStatistics s = tcp();
        feed(s, 1);
        feed(s, 2);
        feed(s, 4);
        assertEquals(1, s.packetsLost());
        assertTrue(feed(s, 3), "a late packet is delivered");
        assertEquals(0, s.packetsLost());
        assertEquals(1, s.packetsReordered());
        assertFalse(feed(s, 3), "the same late packet again is a duplicate");
        assertEquals(1, s.packetsDuplicated());
        assertEquals(4, s.extendedHighestSequence());
    }

    @Test
    void aPacketFromBeforeTheFirstOneWidensTheExpectedRange() {
        RtpReceiverStatistics s = tcp();
        feed(s, 10);
        assertTrue(feed(s, 9));
        assertEquals(2, s.packetsReceived());
        assertEquals(0, s.packetsLost());
        ReportBlock block = s.reportBlock(0);
        assertEquals(0, block.cumulativeLost());
        assertEquals(0, block.fractionLost());
    }

    @Test
    void sequenceWrapsAroundAt65535() {
        RtpReceiverStatistics s = tcp();
        for (int seq = 65530; seq <= 65536 + 10; seq++) {
            assertTrue(feed(s, seq));
        }
        assertEquals(17, s.packetsReceived());
        assertEquals(0, s.packetsLost());
        assertEquals(65536 + 10, s.extendedHighestSequence());
        assertEquals(0x1000AL, s.reportBlock(0).extendedHighestSeq());
    }

    @Test
    void lossAndReorderAcrossTheWrap() {
        RtpReceiverStatistics s = tcp();
        feed(s, 65533);
        feed(s, 65534);
        feed(s, 65537); // seq 1 after the wrap; 65535 and 0 missing
        assertEquals(2, s.packetsLost());
        assertTrue(feed(s, 65536)); // seq 0 arrives late
        assertEquals(1, s.packetsLost());
        assertEquals(1, s.packetsReordered());
        assertEquals(65537, s.extendedHighestSequence());
        assertTrue(feed(s, 65535)); // seq 65535 arrives late, from before the wrap
        assertEquals(0, s.packetsLost());
        assertEquals(2, s.packetsReordered());
    }

    @Test
    void ssrcChangeResetsTheSequenceAndIsAccepted() {
        RtpReceiverStatistics s = tcp();
        for (int seq = 0; seq < 10; seq++) {
            if (seq != 5 && seq != 6) {
                feed(s, seq);
            }
        }
        feed(s, 10);
        feed(s, 30); // build up some jitter: arrives on time but nothing between
        assertEquals(2 + 19, s.packetsLost());
        // the encoder restarts: new SSRC, unrelated sequence number and timestamp
        assertTrue(s.onPacket(5000, 123, OTHER_SSRC, 2000 * MS));
        assertEquals(1, s.ssrcChanges());
        assertEquals(OTHER_SSRC, s.ssrc());
        assertEquals(5000, s.extendedHighestSequence());
        assertEquals(0, s.jitter());
        for (int i = 1; i <= 10; i++) {
            assertTrue(s.onPacket(5000 + i, 123 + 3600L * i, OTHER_SSRC, 2000 * MS + 40 * MS * i));
        }
        assertEquals(21, s.packetsLost(), "loss of the earlier source is kept");
        ReportBlock block = s.reportBlock(0);
        assertEquals(OTHER_SSRC, block.ssrc());
        assertEquals(0, block.cumulativeLost());
        assertEquals(5010, block.extendedHighestSeq());
        assertEquals(10 + 11, s.packetsReceived());
    }

    @Test
    void bigJumpRestartsTheSequenceOnTheSecondPacket() {
        RtpReceiverStatistics s = tcp();
        for (int seq = 100; seq <= 110; seq++) {
            feed(s, seq);
        }
        assertFalse(s.onPacket(20000, 0, SSRC, 0), "a single packet far ahead is not trusted");
        assertEquals(0, s.sequenceRestarts());
        assertTrue(s.onPacket(20001, 3600, SSRC, 40 * MS), "the next one in sequence restarts");
        assertEquals(1, s.sequenceRestarts());
        assertEquals(1, s.packetsDiscarded());
        assertEquals(20001, s.extendedHighestSequence());
        assertTrue(s.onPacket(20002, 7200, SSRC, 80 * MS));
        assertEquals(0, s.packetsLost());
        assertEquals(13, s.packetsReceived());
    }

    @Test
    void aStrayPacketFarAwayDoesNotRestart() {
        RtpReceiverStatistics s = tcp();
        for (int seq = 100; seq <= 110; seq++) {
            feed(s, seq);
        }
        assertFalse(feed(s, 40000));
        assertFalse(feed(s, 110 + 3000), "exactly MAX_DROPOUT ahead is a jump, not loss");
        assertTrue(feed(s, 111));
        assertEquals(0, s.sequenceRestarts());
        assertEquals(2, s.packetsDiscarded());
        assertEquals(0, s.packetsLost());
        // more than MAX_MISORDER behind: too late to be delivered
        for (int seq = 112; seq <= 300; seq++) {
            feed(s, seq);
        }
        assertFalse(feed(s, 150));
        assertEquals(3, s.packetsDiscarded());
        assertEquals(0, s.packetsDuplicated());
    }

    @Test
    void probationAcceptsANewSourceAfterTwoPacketsInSequence() {
        RtpReceiverStatistics s = new RtpReceiverStatistics(90000);
        assertFalse(s.acceptImmediately());
        assertFalse(feed(s, 10), "first packet of an unproven source");
        assertNull(s.reportBlock(0));
        assertEquals(-1, s.extendedHighestSequence());
        assertFalse(feed(s, 20), "not in sequence: probation starts over");
        assertTrue(feed(s, 21));
        assertTrue(feed(s, 22));
        assertEquals(2, s.packetsReceived());
        assertEquals(2, s.packetsDiscarded());
        assertEquals(0, s.packetsLost());
        assertEquals(22, s.extendedHighestSequence());
        assertNotNull(s.reportBlock(0));
    }

    @Test
    void probationStartsOverForAnotherSourceButAnAcceptedSourceIsReplacedAtOnce() {
        RtpReceiverStatistics s = new RtpReceiverStatistics(8000);
        assertFalse(s.onPacket(10, 0, SSRC, 0));
        assertFalse(s.onPacket(50, 0, OTHER_SSRC, 0));
        assertTrue(s.onPacket(51, 160, OTHER_SSRC, 20 * MS));
        assertEquals(0, s.ssrcChanges());
        assertEquals(OTHER_SSRC, s.ssrc());
        assertTrue(s.onPacket(7, 0, SSRC, 40 * MS), "an accepted source was there: the change is taken at once");
        assertEquals(1, s.ssrcChanges());
        assertEquals(SSRC, s.ssrc());
    }

    @Test
    void acceptImmediatelyTakesTheFirstPacket() {
        RtpReceiverStatistics s = tcp();
        assertTrue(s.acceptImmediately());
        assertTrue(feed(s, 10));
        assertEquals(1, s.packetsReceived());
        assertEquals(10, s.extendedHighestSequence());
    }

    @Test
    void jitterIsZeroForAConstantDelay() {
        RtpReceiverStatistics s = new RtpReceiverStatistics(90000, true);
        long start = -5_000_000_000L; // System.nanoTime() may be negative
        long firstTs = 0xFFFF_0000L;  // the RTP timestamp wraps during the stream
        for (int i = 0; i < 500; i++) {
            long ts = (firstTs + 3600L * i) & 0xFFFF_FFFFL;
            assertTrue(s.onPacket(i, ts, SSRC, start + 40 * MS * i + 7 * MS));
        }
        assertEquals(0, s.jitter());
        assertEquals(0, s.reportBlock(0).jitter());
    }

    @Test
    void jitterConvergesToTheVariationOfTheDelay() {
        RtpReceiverStatistics s = new RtpReceiverStatistics(90000, true);
        // delay alternates between 0 and 10 ms: every transit difference is 900 timestamp units
        for (int i = 0; i < 3; i++) {
            s.onPacket(i, 3600L * i, SSRC, 40 * MS * i + (i % 2) * 10 * MS);
        }
        long early = s.jitter();
        assertTrue(early > 0 && early < 900, "J grows by |D|/16 per packet: " + early);
        for (int i = 3; i < 500; i++) {
            s.onPacket(i, 3600L * i, SSRC, 40 * MS * i + (i % 2) * 10 * MS);
        }
        long settled = s.jitter();
        assertTrue(settled >= 890 && settled <= 900, "jitter " + settled);
    }

    @Test
    void jitterGrowsWithRandomDelay() {
        RtpReceiverStatistics calm = new RtpReceiverStatistics(8000, true);
        RtpReceiverStatistics rough = new RtpReceiverStatistics(8000, true);
        Random random = new Random(42);
        for (int i = 0; i < 1000; i++) {
            long sent = 20 * MS * i;
            calm.onPacket(i, 160L * i, SSRC, sent + random.nextInt(2) * MS);
            rough.onPacket(i, 160L * i, SSRC, sent + random.nextInt(50) * MS);
        }
        assertTrue(calm.jitter() > 0);
        assertTrue(rough.jitter() > 10 * calm.jitter(), calm.jitter() + " vs " + rough.jitter());
        // 50 ms of uniform random delay: mean |D| is about 16.7 ms, 133 units at 8 kHz
        assertTrue(rough.jitter() > 80 && rough.jitter() < 200, "jitter " + rough.jitter());
    }

    @Test
    void fractionLostIsPerReportInterval() {
        RtpReceiverStatistics s = tcp();
        for (int seq = 0; seq < 100; seq++) {
            if (seq % 4 != 1) {
                feed(s, seq);
            }
        }
        ReportBlock first = s.reportBlock(0);
        assertEquals(64, first.fractionLost(), "25 of 100 lost");
        assertEquals(25, first.cumulativeLost());
        assertEquals(99, first.extendedHighestSeq());

        for (int seq = 100; seq < 200; seq++) {
            feed(s, seq);
        }
        ReportBlock second = s.reportBlock(0);
        assertEquals(0, second.fractionLost());
        assertEquals(25, second.cumulativeLost());

        ReportBlock idle = s.reportBlock(0);
        assertEquals(0, idle.fractionLost());

        for (int seq = 200; seq < 210; seq++) {
            if (seq != 205) {
                feed(s, seq);
            }
        }
        assertEquals(25, s.reportBlock(0).fractionLost(), "1 of 10 is 25.6/256");
        // the late packet makes this interval's loss negative: reported as 0
        feed(s, 205);
        assertEquals(0, s.reportBlock(0).fractionLost());
        assertEquals(25, s.packetsLost());
    }

    @Test
    void reportBlockEchoesTheLastSenderReport() {
        RtpReceiverStatistics s = tcp();
        feed(s, 1);
        assertEquals(0, s.lastSenderReportNtp());
        assertEquals(-1, s.lastSenderReportRtp());
        assertNull(s.lastSenderReport());
        ReportBlock none = s.reportBlock(0);
        assertEquals(0, none.lastSr());
        assertEquals(0, none.delaySinceLastSr());

        SenderReport sr = new SenderReport(SSRC, 0xE4A1B2C3_D4E5F607L, 0xF0000000L, 100, 10000);
        s.onSenderReport(sr, 1_000 * MS);
        assertEquals(sr, s.lastSenderReport());
        assertEquals(0xE4A1B2C3_D4E5F607L, s.lastSenderReportNtp());
        assertEquals(0xF0000000L, s.lastSenderReportRtp());
        assertEquals(1_000 * MS, s.lastSenderReportArrivalNanos());
        ReportBlock block = s.reportBlock(2_500 * MS);
        assertEquals(0xB2C3D4E5L, block.lastSr());
        assertEquals(98304, block.delaySinceLastSr(), "1.5 s in 1/65536 s");
        assertEquals(0, s.reportBlock(500 * MS).delaySinceLastSr(), "clock before the SR arrival");

        s.onSenderReport(new SenderReport(OTHER_SSRC, 1L << 40, 0, 0, 0), 3_000 * MS);
        ReportBlock otherSource = s.reportBlock(4_000 * MS);
        assertEquals(0, otherSource.lastSr());
        assertEquals(0, otherSource.delaySinceLastSr());
    }

    @Test
    void countsPayloadBytesOfAcceptedPackets() {
        RtpReceiverStatistics s = tcp();
        s.onPacket(1, 0, SSRC, 0, 100);
        s.onPacket(2, 0, SSRC, 0, 200);
        s.onPacket(2, 0, SSRC, 0, 200);
        s.onPacket(3, 0, SSRC, 0);
        assertEquals(300, s.bytesReceived());
    }

    @Test
    void rejectsArgumentsOutOfRange() {
        RtpReceiverStatistics s = tcp();
        assertThrows(IllegalArgumentException.class, () -> s.onPacket(-1, 0, SSRC, 0));
        assertThrows(IllegalArgumentException.class, () -> s.onPacket(65536, 0, SSRC, 0));
        assertThrows(IllegalArgumentException.class, () -> s.onPacket(1, 0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> s.onPacket(1, 0, 1L << 32, 0));
        assertThrows(IllegalArgumentException.class, () -> s.onPacket(1, 0, SSRC, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> new RtpReceiverStatistics(0));
        assertEquals(0, s.packetsReceived());
        assertEquals(-1, s.ssrc());
    }

    @Test
    void countersReadFromAnotherThreadNeverGoBackwards() throws Exception {
        RtpReceiverStatistics s = tcp();
        int packets = 2_000_000;
        long[] violations = new long[1];
        Thread reader = new Thread(() -> {
            long last = 0;
            while (last < packets) {
                long now = s.packetsReceived();
                if (now < last) {
                    violations[0]++;
                }
                last = now;
                Thread.onSpinWait();
            }
        });
        reader.setDaemon(true);
        reader.start();
        for (int i = 0; i < packets; i++) {
            s.onPacket(i & 0xFFFF, 3600L * i & 0xFFFF_FFFFL, SSRC, i * MS);
        }
        reader.join(10_000);
        assertFalse(reader.isAlive(), "reader saw the final count");
        assertEquals(0, violations[0]);
        assertEquals(packets, s.packetsReceived());
        assertEquals(packets - 1, s.extendedHighestSequence());
        assertEquals(0, s.packetsLost());
    }
}
