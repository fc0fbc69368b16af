package io.github.camelrtsp.format.aac;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.camelrtsp.format.Depacketizer;
import io.github.camelrtsp.format.FrameSink;
import io.github.camelrtsp.format.aac.AacTestSupport.Bits;
import io.github.camelrtsp.rtp.RtpPacket;
import io.netty.buffer.ByteBuf;

import static io.github.camelrtsp.format.aac.AacTestSupport.concat;
import static io.github.camelrtsp.format.aac.AacTestSupport.packet;
import static io.github.camelrtsp.format.aac.AacTestSupport.params;
import static io.github.camelrtsp.format.aac.AacTestSupport.pattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The per-packet path allocates only what it hands out: one array and one {@code MediaFrame} (32 bytes, or nothing
 * when the JIT scalar-replaces it) per frame. Parsing, reassembly and an in-band StreamMuxConfig repeated in every
 * packet allocate nothing; a single small object per packet would exceed the limit.
 */
class AacHotPathAllocationTest {

    private static final int ROUNDS = 30_000;

    /** Bytes allocated beyond the frame arrays, per frame. */
    private static double overheadPerFrame(Depacketizer d, List<ByteBuf> packets, int framesPerRound) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "JVM cannot measure thread allocation");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        long[] counts = new long[2]; // frames, bytes of the frame arrays
        FrameSink sink = f -> {
            counts[0]++;
            counts[1] += (16 + f.data().length + 7) & ~7;
        };
        RtpPacket packet = new RtpPacket();
        run(d, packets, packet, sink, 0); // warm up
        counts[0] = 0;
        counts[1] = 0;
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        run(d, packets, packet, sink, ROUNDS);
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertEquals((long) ROUNDS * framesPerRound, counts[0]);
        assertEquals(0, d.framesDropped() + d.packetsSkipped());
        return (double) (allocated - counts[1]) / counts[0];
    }

    private static void run(Depacketizer d, List<ByteBuf> packets, RtpPacket packet, FrameSink sink, int first) {
        for (int round = first; round < first + ROUNDS; round++) {
            for (int i = 0; i < packets.size(); i++) {
                ByteBuf buf = packets.get(i);
                buf.setShort(2, round * packets.size() + i);
                buf.setInt(4, round * 4096);
                d.onPacket(packet.wrap(buf), false, sink);
            }
        }
    }

    @Test
    void rfc3640SeveralUnitsPerPacket() {
        Mpeg4GenericDepacketizer d = new Mpeg4GenericDepacketizer(params("MPEG4-GENERIC", 48000,
                Map.of("mode", "AAC-hbr", "config", "1190"), 8192));
        byte[] headers = new Bits().put(48, 16).put(300, 13).put(0, 3).put(200, 13).put(0, 3).put(100, 13)
                .put(0, 3).toBytes();
        ByteBuf p = packet(true, 0, 0, concat(headers, pattern(1, 600)));
        double overhead = overheadPerFrame(d, List.of(p), 3);
        assertTrue(overhead <= 40, overhead + " bytes per frame besides its array");
    }

    @Test
    void rfc3640FragmentedUnit() {
        Mpeg4GenericDepacketizer d = new Mpeg4GenericDepacketizer(params("MPEG4-GENERIC", 48000,
                Map.of("mode", "AAC-hbr", "config", "1190"), 8192));
        byte[] header = new Bits().put(16, 16).put(3000, 13).put(0, 3).toBytes();
        List<ByteBuf> packets = List.of(packet(false, 0, 0, concat(header, pattern(1, 1200))),
                                        packet(false, 0, 0, concat(header, pattern(2, 1200))),
                                        packet(true, 0, 0, concat(header, pattern(3, 600))));
        double overhead = overheadPerFrame(d, packets, 1);
        assertTrue(overhead <= 40, overhead + " bytes per frame besides its array");
    }

    @Test
    void latmWithTheSameInBandConfigInEveryPacket() {
        Mp4aLatmDepacketizer d = new Mp4aLatmDepacketizer(params("MP4A-LATM", 48000, Map.of("cpresent", "1"),
                                                                 8192));
        Bits element = new Bits().put(0, 1).put(0, 1).put(1, 1).put(0, 6).put(0, 4).put(0, 3).put(0x1190, 16)
                .put(0, 3).put(0xFF, 8).put(0, 1).put(0, 1);
        element.put(255, 8).put(45, 8).bytes(pattern(1, 300));
        double overhead = overheadPerFrame(d, List.of(packet(true, 0, 0, element.toBytes())), 1);
        assertTrue(overhead <= 40, overhead + " bytes per frame besides its array");
    }
}
