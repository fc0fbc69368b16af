package io.github.camelrtsp.server;

import static io.github.camelrtsp.server.TestMedia.rtp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.Packetizer;
import io.github.camelrtsp.format.PacketizerParameters;
import io.github.camelrtsp.format.Packetizers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

class H265KeyFramesTest {

    /** The first byte of a NAL unit header of {@code type} (layer 0, so the second byte is 0x01). */
    private static int h(int type) {
        return type << 1;
    }

    @Test
    void parameterSetsStartTheAccessUnitAndItsIrapDoesNotStartAgain() {
        H265KeyFrames k = new H265KeyFrames();
        assertTrue(k.isKeyFrameStart(rtp(1000, h(32), 1, 0x0C)), "VPS");
        assertFalse(k.isKeyFrameStart(rtp(1000, h(33), 1, 0x01)), "SPS of the same access unit");
        assertFalse(k.isKeyFrameStart(rtp(1000, h(49), 1, 0x80 | 19, 0xAF)), "FU start of the IDR after the VPS");
        assertFalse(k.isKeyFrameStart(rtp(4000, h(1), 1, 0xD0)), "TRAIL_R");
        assertTrue(k.isKeyFrameStart(rtp(7000, h(49), 1, 0x80 | 21, 0xAF)), "FU start of a CRA without VPS");
        assertFalse(k.isKeyFrameStart(rtp(7000, h(49), 1, 21, 0xAF)), "FU middle");
        assertFalse(k.isKeyFrameStart(rtp(7000, h(49), 1, 0x40 | 21, 0xAF)), "FU end");
        assertTrue(k.isKeyFrameStart(rtp(10000, h(16), 1, 0xAF)), "single BLA_W_LP NAL unit");
        assertTrue(k.isKeyFrameStart(rtp(13000, h(20), 1, 0xAF)), "single IDR_N_LP NAL unit");
        assertFalse(k.isKeyFrameStart(rtp(16000, h(22), 1, 0xAF)), "reserved IRAP type 22 is not a start");
        assertFalse(k.isKeyFrameStart(rtp(19000, h(49), 1, 0x80 | 1, 0xAF)), "FU start of a TRAIL_R");
    }

    @Test
    void aggregationPacketsAreSearched() {
        H265KeyFrames k = new H265KeyFrames();
        assertTrue(k.isKeyFrameStart(rtp(1, h(48), 1, 0, 3, h(32), 1, 0x0C, 0, 3, h(34), 1, 0xC1)), "AP with VPS");
        assertFalse(k.isKeyFrameStart(rtp(2, h(48), 1, 0, 3, h(39), 1, 0x05, 0, 3, h(1), 1, 0xD0)),
                "AP of SEI + TRAIL_R");
        assertTrue(k.isKeyFrameStart(rtp(3, h(48), 1, 0, 3, h(39), 1, 0x05, 0, 3, h(19), 1, 0xAF)), "AP with IDR");
    }

    @Test
    void malformedPacketsAreNotStarts() {
        H265KeyFrames k = new H265KeyFrames();
        assertFalse(k.isKeyFrameStart(Unpooled.buffer().writeZero(5)));
        assertFalse(k.isKeyFrameStart(rtp(1)), "no payload");
        assertFalse(k.isKeyFrameStart(rtp(1, h(19))), "half a payload header");
        assertFalse(k.isKeyFrameStart(rtp(1, h(49), 1)), "FU without FU header");
        assertFalse(k.isKeyFrameStart(rtp(1, h(48), 1, 0x10, 0, h(32), 1)), "AP size past the end");
        ByteBuf withCsrc = Unpooled.buffer().writeByte(0x81).writeByte(96).writeShort(1).writeInt(5).writeInt(1)
                .writeInt(9).writeByte(h(19)).writeByte(1).writeByte(0xAF);
        assertTrue(k.isKeyFrameStart(withCsrc), "payload found after a CSRC");
        assertEquals(0, withCsrc.readerIndex());
    }

    /**
     * An x265 stream with an IRAP every 5 pictures, cut into packets by the project's H.265 packetizer (APs for the
     * parameter sets, FUs for large slices): the detector marks exactly the first packet of each IRAP access unit.
     */
    @Test
    void packetizerOutputHasOneStartPerIrapAccessUnit() throws IOException {
        byte[] annexB = TestMedia.h265Gop5("h265-keyframes");
        List<byte[]> units = FileMediaSource.splitAccessUnits(annexB, "H265");
        boolean[] irap = FileMediaSource.keyFrames(annexB, "H265");
        assertEquals(30, units.size());
        Packetizer packetizer = Packetizers.create(new PacketizerParameters("H265", 96, 90000, null, Map.of(),
                0x1234, 1, 600));
        H265KeyFrames k = new H265KeyFrames();
        boolean[] started = new boolean[units.size()];
        List<String> misplaced = new ArrayList<>();
        long fragments = 0;
        for (int i = 0; i < units.size(); i++) {
            int unit = i;
            List<ByteBuf> packets = new ArrayList<>();
            packetizer.packetize(new MediaFrame(unit * 9000L, units.get(unit), irap[unit], false, 0), packets::add);
            for (int p = 0; p < packets.size(); p++) {
                ByteBuf packet = packets.get(p);
                if (((packet.getUnsignedByte(12) >> 1) & 0x3F) == 49) {
                    fragments++;
                }
                if (k.isKeyFrameStart(packet)) {
                    started[unit] = true;
                    if (p != 0) {
                        misplaced.add("access unit " + unit + " packet " + p);
                    }
                }
                packet.release();
            }
        }
        assertTrue(fragments > 0, "the 600-byte MTU makes the packetizer fragment slices");
        assertTrue(misplaced.isEmpty(), misplaced.toString());
        assertArrayEquals(irap, started);
        int count = 0;
        for (boolean b : irap) {
            count += b ? 1 : 0;
        }
        assertEquals(6, count);
    }
}
