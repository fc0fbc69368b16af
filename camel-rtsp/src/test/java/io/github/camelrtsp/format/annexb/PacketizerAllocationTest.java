package io.github.camelrtsp.format.annexb;

import java.lang.management.ManagementFactory;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.Packetizer;
import io.github.camelrtsp.format.PacketizerParameters;
import io.github.camelrtsp.format.h264.H264Packetizer;
import io.github.camelrtsp.format.h265.H265Packetizer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;

import static io.github.camelrtsp.format.annexb.NalTestSupport.annexB;
import static io.github.camelrtsp.format.annexb.NalTestSupport.bytes;
import static io.github.camelrtsp.format.annexb.NalTestSupport.nal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Per packet the packetizers allocate one buffer of exactly the packet's size and nothing else of note; nothing in
 * proportion to the frame beyond the packets' bytes.
 */
class PacketizerAllocationTest {

    private static final int FRAMES = 2000;
    private static final int MTU = 1200;

    private long packets;
    private long bytes;

    @Test
    void h264AllocatesOnlyThePackets() {
        measure(new H264Packetizer(params("H264"), new UnpooledByteBufAllocator(false, true)),
                annexB(nal(bytes(0x06, 0x05), 20), nal(bytes(0x41, 0x9A), 5000), nal(bytes(0x41, 0x9A), 300)));
    }

    @Test
    void h265AllocatesOnlyThePackets() {
        measure(new H265Packetizer(params("H265"), new UnpooledByteBufAllocator(false, true)),
                annexB(nal(bytes(0x4E, 0x01, 0x05), 20), nal(bytes(0x02, 0x01, 0xD0), 5000),
                        nal(bytes(0x02, 0x01, 0xD0), 300)));
    }

    private static PacketizerParameters params(String codec) {
        return new PacketizerParameters(codec, 96, 90000, null, Map.of(), 1, 0, MTU);
    }

    private void measure(Packetizer p, byte[] data) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "JVM cannot measure thread allocation");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        MediaFrame frame = new MediaFrame(0, data, false, false, 0);
        Packetizer.PacketSink sink = (ByteBuf packet) -> {
            assertEquals(packet.capacity(), packet.readableBytes(), "buffer sized exactly");
            packets++;
            bytes += packet.readableBytes();
            packet.release();
        };
        for (int i = 0; i < 200; i++) {
            p.packetize(frame, sink); // warm up
        }
        long id = Thread.currentThread().getId();
        packets = 0;
        bytes = 0;
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < FRAMES; i++) {
            p.packetize(frame, sink);
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;

        assertTrue(packets >= 6L * FRAMES, "premise: several packets per frame, got " + packets);
        assertTrue(allocated >= bytes, "premise: the packets' heap arrays are measured");
        long overhead = allocated - bytes;
        // a ByteBuf object and an array header per packet: well under 150 bytes; a copy of a NAL unit would be more
        assertTrue(overhead < 150L * packets, overhead + " bytes beyond the packets' data for " + packets
                                              + " packets");
    }
}
