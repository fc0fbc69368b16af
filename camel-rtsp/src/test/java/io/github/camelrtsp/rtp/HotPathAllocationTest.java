package io.github.camelrtsp.rtp;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The per-packet path ({@link RtpPacket#wrap} and {@link RtpReceiverStatistics#onPacket}) allocates nothing. */
class HotPathAllocationTest {

    private static final int PACKETS = 200_000;

    @Test
    void wrapAndOnPacketAllocateNothingPerPacket() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "JVM cannot measure thread allocation");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        ByteBuf buf = Unpooled.buffer(1500);
        RtpPacket packet = new RtpPacket();
        RtpReceiverStatistics stats = new RtpReceiverStatistics(90000, true);
        long sink = run(buf, packet, stats, 0); // warm up: let the JIT compile the path
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        sink += run(buf, packet, stats, PACKETS);
        long allocated = threads.getThreadAllocatedBytes(id) - before;

        assertTrue(sink != 0);
        assertEquals(2L * PACKETS, stats.packetsReceived());
        // a few hundred bytes of measuring noise are tolerated; one small object per packet would be megabytes
        assertTrue(allocated < PACKETS / 20, allocated + " bytes allocated for " + PACKETS + " packets");
    }

    private static long run(ByteBuf buf, RtpPacket packet, RtpReceiverStatistics stats, int first) {
        long sink = 0;
        for (int i = first; i < first + PACKETS; i++) {
            buf.clear();
            RtpPacket.writeHeader(buf, (i & 7) == 0, 96, i, 3000L * i, 0xCAFEL);
            buf.writeByte(0x65);
            buf.writerIndex(buf.writerIndex() + 999);
            packet.wrap(buf);
            if (stats.onPacket(packet.sequenceNumber(), packet.timestamp(), packet.ssrc(), 33_333_333L * i,
                               packet.payloadLength())) {
                // a depacketizer reads the payload in place, e.g. the first byte
                sink += packet.buffer().getByte(packet.payloadIndex()) + packet.payloadLength();
            }
        }
        return sink;
    }
}
