package io.github.camelrtsp.format.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.FrameSink;
import io.github.camelrtsp.format.g711.G711Depacketizer;
import io.github.camelrtsp.format.opus.OpusDepacketizer;
import io.github.camelrtsp.rtp.RtpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Per packet, a whole-payload depacketizer allocates the frame's array and the frame record, nothing more. */
class WholePayloadAllocationTest {

    private static final int PACKETS = 100_000;
    private static final int PAYLOAD = 160;

    private long checksum;

    @Test
    void g711AndOpusAllocateOnlyTheFrame() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "JVM cannot measure thread allocation");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        G711Depacketizer g711 = new G711Depacketizer(new FormatParameters("PCMU", 0, 8000, 1, Map.of(), 2000));
        OpusDepacketizer opus = new OpusDepacketizer(new FormatParameters("OPUS", 96, 48000, 2, Map.of(), 2000));
        ByteBuf buf = Unpooled.buffer(1500);
        RtpPacket packet = new RtpPacket();
        FrameSink sink = f -> checksum += f.data().length + f.sampleCount();
        run(g711, opus, buf, packet, sink, 0); // warm up
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        run(g711, opus, buf, packet, sink, PACKETS);
        long perPacket = (threads.getThreadAllocatedBytes(id) - before) / (2L * PACKETS);

        assertEquals(0, g711.packetsSkipped() + opus.packetsSkipped());
        assertTrue(checksum > 0);
        // a 160-byte array is 176 bytes, the frame record 32-40: a second copy or a per-packet buffer would exceed
        assertTrue(perPacket < PAYLOAD + 16 + 64, perPacket + " bytes allocated per packet");
    }

    private static void run(G711Depacketizer g711, OpusDepacketizer opus, ByteBuf buf, RtpPacket packet,
                            FrameSink sink, int first) {
        for (int i = first; i < first + PACKETS; i++) {
            buf.clear();
            RtpPacket.writeHeader(buf, false, 0, i, 160L * i, 1);
            buf.writeByte(0xF8); // also a valid Opus TOC: CELT FB 20 ms, code 0
            buf.writerIndex(buf.writerIndex() + PAYLOAD - 1);
            g711.onPacket(packet.wrap(buf), false, sink);
            opus.onPacket(packet.wrap(buf), false, sink);
        }
    }
}
