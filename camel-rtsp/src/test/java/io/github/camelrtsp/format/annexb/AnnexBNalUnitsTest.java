package io.github.camelrtsp.format.annexb;

import java.util.List;

import org.junit.jupiter.api.Test;

import static io.github.camelrtsp.format.annexb.NalTestSupport.bytes;
import static io.github.camelrtsp.format.annexb.NalTestSupport.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-place Annex B scanner shared by the packetizers and the depacketizers' parameter set parsing. */
class AnnexBNalUnitsTest {

    @Test
    void findsNalUnitsBehindThreeAndFourByteStartCodesWithoutTrailingZeros() {
        byte[] data = concat(bytes(0, 0, 0, 1, 0x67, 0x42), bytes(0, 0, 1, 0x68, 0xCE, 0, 0), bytes(0, 0, 0, 1),
                bytes(0, 0, 1, 0x65, 0x88, 0x03, 0, 0, 0x03, 0x01), bytes(0, 0));
        AnnexBNalUnits units = new AnnexBNalUnits();

        assertEquals(3, units.scan(data, 0, data.length));
        assertTrue(units.beginsWithStartCode());
        assertEquals(4, units.start(0));
        assertEquals(6, units.end(0));
        assertEquals(9, units.start(1));
        assertEquals(2, units.length(1), "trailing zero bytes belong to the next start code");
        assertArrayEquals(bytes(0x65, 0x88, 0x03, 0, 0, 0x03, 0x01),
                java.util.Arrays.copyOfRange(data, units.start(2), units.end(2)), "emulation prevention kept");
        assertThrows(IndexOutOfBoundsException.class, () -> units.start(3));
    }

    @Test
    void bytesBeforeTheFirstStartCodeAreANalUnitAndClearTheStartCodeFlag() {
        AnnexBNalUnits units = new AnnexBNalUnits();
        byte[] data = bytes(0x09, 0xF0, 0, 0, 1, 0x41);
        assertEquals(2, units.scan(data, 0, data.length));
        assertFalse(units.beginsWithStartCode());

        assertEquals(1, units.scan(bytes(0x41, 0x9A), 0, 2));
        assertFalse(units.beginsWithStartCode(), "no start code at all");

        assertEquals(0, units.scan(bytes(0, 0, 0, 1, 0, 0, 1), 0, 7));
        assertTrue(units.beginsWithStartCode());
        assertEquals(0, units.scan(new byte[0], 0, 0));
    }

    @Test
    void scansOnlyTheRangeAndGrowsPastItsInitialCapacity() {
        byte[] one = bytes(0, 0, 1, 0x41, 0x9A);
        byte[][] many = new byte[40][];
        java.util.Arrays.fill(many, one);
        byte[] data = concat(bytes(0x55), concat(many), bytes(0x55));
        AnnexBNalUnits units = new AnnexBNalUnits();
        assertEquals(40, units.scan(data, 1, data.length - 1));
        assertTrue(units.beginsWithStartCode());
        assertEquals(data.length - 3, units.start(39));
        assertEquals(data.length - 1, units.end(39));
        assertThrows(IndexOutOfBoundsException.class, () -> units.scan(data, 2, data.length + 1));
    }

    @Test
    void splitCopiesEachNalUnit() {
        List<byte[]> nals = AnnexBNalUnits.split(bytes(0, 0, 0, 1, 0x67, 0x42, 0, 0, 1, 0x68, 0xCE));
        assertEquals(2, nals.size());
        assertArrayEquals(bytes(0x67, 0x42), nals.get(0));
        assertArrayEquals(bytes(0x68, 0xCE), nals.get(1));
    }
}
