package io.github.camelrtsp.format.annexb;

import java.util.List;

import org.junit.jupiter.api.Test;

import static io.github.camelrtsp.format.annexb.NalTestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The package's helpers: Annex B splitting of SDP parameter sets. */
class AnnexBHelpersTest {

    @Test
    void splitsAtThreeAndFourByteStartCodesAndDropsTrailingZeros() {
        List<byte[]> nals = AnnexBDepacketizer.splitAnnexB(
                bytes(0, 0, 0, 1, 0x67, 0x42, 0, 0, 3, 0x01, 0, 0, 1, 0x68, 0xCE, 0, 0, 0, 0, 1, 0x06, 0x05, 0, 0));
        assertEquals(3, nals.size());
        assertArrayEquals(bytes(0x67, 0x42, 0, 0, 3, 0x01), nals.get(0), "an emulation prevention byte is kept");
        assertArrayEquals(bytes(0x68, 0xCE), nals.get(1));
        assertArrayEquals(bytes(0x06, 0x05), nals.get(2));
    }

    @Test
    void bytesWithoutStartCodeAreOneNalUnit() {
        List<byte[]> nals = AnnexBDepacketizer.splitAnnexB(bytes(0x68, 0xEE, 0x3C, 0x80));
        assertEquals(1, nals.size());
        assertArrayEquals(bytes(0x68, 0xEE, 0x3C, 0x80), nals.get(0));
        assertTrue(AnnexBDepacketizer.splitAnnexB(bytes(0, 0, 0, 1, 0, 0)).isEmpty());
        assertTrue(AnnexBDepacketizer.splitAnnexB(new byte[0]).isEmpty());
    }
}
