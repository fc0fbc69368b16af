package io.github.camelrtsp.rtp;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The reorder buffer allocates nothing per packet, also while it reorders, gives up gaps and drops duplicates. */
class RtpReorderBufferAllocationTest {

    private static final int PACKETS = 200_000;
    private static final int POOL = 64;

    private long sink;

    @Test
    void reorderingAllocatesNothingPerPacket() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "JVM cannot measure thread allocation");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        // a fixed set of packet buffers, rewritten in turn, like an I/O thread reusing its receive buffers
        ByteBuf[] packets = new ByteBuf[POOL];
        for (int i = 0; i < POOL; i++) {
            packets[i] = Unpooled.buffer(64);
        }
        RtpReorderBuffer buffer = new RtpReorderBuffer(16, Duration.ofMillis(5));
        RtpReorderBuffer.Output out = (packet, lost) -> sink += packet.getUnsignedShort(2) + (lost ? 1 : 0);
        run(buffer, packets, out, 0); // warm up: let the JIT compile the path
        long before = buffer.delivered();
        long id = Thread.currentThread().getId();
        long allocatedBefore = threads.getThreadAllocatedBytes(id);
        run(buffer, packets, out, PACKETS);
        long allocated = threads.getThreadAllocatedBytes(id) - allocatedBefore;

        assertTrue(sink != 0);
        assertTrue(buffer.delivered() - before > PACKETS * 9L / 10, buffer.toString());
        assertTrue(buffer.reordered() > 0 && buffer.lost() > 0 && buffer.duplicates() > 0, buffer.toString());
        // a few hundred bytes of measuring noise are tolerated; one small object per packet would be megabytes
        assertTrue(allocated < PACKETS / 20, allocated + " bytes allocated for " + PACKETS + " packets");
        buffer.reset();
        for (ByteBuf p : packets) {
            assertEquals(1, p.refCnt());
            p.release();
        }
    }

    /** Sends packets in pairs swapped, every 50th lost, every 70th twice; one packet per 0.1 ms. */
    private static void run(RtpReorderBuffer buffer, ByteBuf[] packets, RtpReorderBuffer.Output out, int first) {
        for (int i = first; i < first + PACKETS; i++) {
            int index = (i & 1) == 0 ? i + 1 : i - 1;
            if (index % 50 == 7) {
                continue;
            }
            int seq = index & 0xFFFF;
            long now = 100_000L * i;
            int copies = index % 70 == 4 ? 2 : 1;
            for (int c = 0; c < copies; c++) {
                ByteBuf p = packets[i % POOL];
                if (p.refCnt() > 1) {
                    // still waiting in the reorder buffer: use a free one
                    continue;
                }
                p.clear();
                RtpPacket.writeHeader(p, false, 96, seq, 90L * i, 0xCAFEL);
                p.writeInt(i);
                buffer.add(p, seq, now, out);
            }
        }
    }
}
