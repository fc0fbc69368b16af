package io.github.camelrtsp.format.annexb;

import java.lang.management.ManagementFactory;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.camelrtsp.format.Depacketizer;
import io.github.camelrtsp.format.FrameSink;
import io.github.camelrtsp.format.h264.H264Depacketizer;
import io.github.camelrtsp.format.h265.H265Depacketizer;
import io.github.camelrtsp.rtp.RtpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import static io.github.camelrtsp.format.annexb.NalTestSupport.parameters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Per packet the depacketizers allocate nothing; per frame they allocate the frame's array and the {@code MediaFrame}
 * record, nothing in proportion to the number of packets.
 */
class AllocationPerFrameTest {

    private static final int FRAMES = 2000;
    private static final int PACKETS_PER_FRAME = 10;
    private static final int FRAGMENT = 1000;

    private long framesSeen;
    private long bytesSeen;

    @Test
    void h264AllocatesOnlyTheFramePerFrame() {
        measure(new H264Depacketizer(parameters("H264", 1 << 20, Map.of())), false);
    }

    @Test
    void h265AllocatesOnlyTheFramePerFrame() {
        measure(new H265Depacketizer(parameters("H265", 1 << 20, Map.of())), true);
    }

    private void measure(Depacketizer d, boolean hevc) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "JVM cannot measure thread allocation");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        ByteBuf buf = Unpooled.buffer(1500);
        RtpPacket packet = new RtpPacket();
        FrameSink sink = f -> {
            framesSeen++;
            bytesSeen += f.data().length;
        };
        int seq = run(d, hevc, buf, packet, sink, 0, 0); // warm up: JIT and the assembly buffer's final size
        long id = Thread.currentThread().getId();
        framesSeen = 0;
        bytesSeen = 0;
        long before = threads.getThreadAllocatedBytes(id);
        run(d, hevc, buf, packet, sink, seq, FRAMES);
        long allocated = threads.getThreadAllocatedBytes(id) - before;

        assertEquals(FRAMES, framesSeen);
        assertEquals(0, d.framesDropped() + d.packetsSkipped());
        long overhead = allocated - bytesSeen;
        // array header and MediaFrame: some tens of bytes per frame; a small object per packet would be hundreds
        assertTrue(overhead < 100L * FRAMES, overhead + " bytes beyond the frames' data for " + FRAMES + " frames");
    }

    /** Sends FRAMES frames of one parameter-set-free P slice in PACKETS_PER_FRAME fragments; returns the next seq. */
    private static int run(Depacketizer d, boolean hevc, ByteBuf buf, RtpPacket packet, FrameSink sink, int seq,
                           int firstFrame) {
        // start with a key frame carrying its parameter sets, so that what follows is emitted
        if (firstFrame == 0) {
            byte[][] sets = hevc
                    ? new byte[][] {{0x40, 0x01, 0x0C}, {0x42, 0x01, 0x01}, {0x44, 0x01, (byte) 0xC1}}
                    : new byte[][] {{0x67, 0x42, 0x1E}, {0x68, (byte) 0xCE}};
            for (byte[] set : sets) {
                buf.clear();
                RtpPacket.writeHeader(buf, false, 96, seq++, 0, 1);
                buf.writeBytes(set);
                d.onPacket(packet.wrap(buf), false, sink);
            }
            buf.clear();
            RtpPacket.writeHeader(buf, true, 96, seq++, 0, 1);
            buf.writeBytes(hevc ? new byte[] {0x26, 0x01, (byte) 0xAF, 0x11} : new byte[] {0x65, (byte) 0x88, 0x11});
            d.onPacket(packet.wrap(buf), false, sink);
        }
        for (int f = 1; f <= FRAMES; f++) {
            long ts = 3000L * (firstFrame + f);
            for (int i = 0; i < PACKETS_PER_FRAME; i++) {
                boolean start = i == 0;
                boolean end = i == PACKETS_PER_FRAME - 1;
                buf.clear();
                RtpPacket.writeHeader(buf, end, 96, seq++, ts, 1);
                if (hevc) {
                    buf.writeByte(49 << 1).writeByte(0x01).writeByte((start ? 0x80 : 0) | (end ? 0x40 : 0) | 1);
                } else {
                    buf.writeByte(0x40 | 28).writeByte((start ? 0x80 : 0) | (end ? 0x40 : 0) | 1);
                }
                buf.writeByte(0xAF);
                buf.writerIndex(buf.writerIndex() + FRAGMENT - 1);
                d.onPacket(packet.wrap(buf), false, sink);
            }
        }
        return seq;
    }
}
