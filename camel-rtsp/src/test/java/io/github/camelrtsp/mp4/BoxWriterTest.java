package io.github.camelrtsp.mp4;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BoxWriterTest {

    @Test
    void nestedBoxesGetTheirSizesPatched() {
        BoxWriter w = new BoxWriter(1); // grows as needed
        int outer = w.box("moov");
        int inner = w.fullBox("mvhd", 1, 0x000102);
        w.u32(0xCAFEBABEL).u64(0x0102030405060708L).u16(0xABCD).u24(0x123456).u8(0x7F);
        w.end(inner);
        int empty = w.box("free");
        w.end(empty);
        w.end(outer);
        byte[] b = w.toByteArray();
        assertEquals(8 + 12 + 4 + 8 + 2 + 3 + 1 + 8, b.length);
        assertEquals(b.length, w.position());
        Boxes.Box moov = Boxes.parse(b).find("moov");
        assertEquals(b.length, moov.size());
        Boxes.Box mvhd = moov.find("mvhd");
        assertEquals(12 + 18, mvhd.size());
        assertArrayEquals(new byte[] {1, 0, 1, 2, (byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 1, 2, 3, 4, 5, 6,
            7, 8, (byte) 0xAB, (byte) 0xCD, 0x12, 0x34, 0x56, 0x7F}, java.util.Arrays.copyOfRange(b, 16, 38));
        assertEquals(8, moov.find("free").size());
    }

    @Test
    void rejectsBadFourCcAndPatchesOutsideTheData() {
        BoxWriter w = new BoxWriter(16);
        assertThrows(IllegalArgumentException.class, () -> w.box("toolong"));
        w.u16(1);
        assertThrows(IndexOutOfBoundsException.class, () -> w.patchU32(0, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> w.patchU32(-1, 5));
    }

    @Test
    void zerosAndByteRanges() {
        BoxWriter w = new BoxWriter(4);
        w.zeros(3).bytes(new byte[] {9, 8, 7, 6}, 1, 2);
        assertArrayEquals(new byte[] {0, 0, 0, 8, 7}, w.toByteArray());
    }
}
