package io.github.camelrtsp.format.mjpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import javax.imageio.plugins.jpeg.JPEGHuffmanTable;
import javax.imageio.plugins.jpeg.JPEGQTable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks the fixed tables against the JDK's independent copies of ITU T.81 Annex K and against the JDK encoder's
 * IJG quality scaling, which RFC 2435 Appendix A reproduces.
 */
class JpegTablesTest {

    @Test
    void zigzagIsThePermutationOfT81FigureA6() {
        int[] sorted = JpegTables.ZIGZAG.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 64; i++) {
            assertEquals(i, sorted[i], "a permutation of 0..63");
        }
        assertArrayEquals(new int[] {0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5},
                Arrays.copyOf(JpegTables.ZIGZAG, 16));
        assertArrayEquals(new int[] {58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63},
                Arrays.copyOfRange(JpegTables.ZIGZAG, 48, 64));
        for (int k = 1; k < 64; k++) {
            int a = JpegTables.ZIGZAG[k - 1];
            int b = JpegTables.ZIGZAG[k];
            // consecutive coefficients are neighbours (incl. diagonal), as the zig-zag walk never jumps
            assertEquals(true, Math.abs(a / 8 - b / 8) <= 1 && Math.abs(a % 8 - b % 8) <= 1, "step " + k);
        }
    }

    @Test
    void q50GivesTheAnnexKTablesUnscaled() {
        int[] tables = new int[128];
        JpegTables.scaledTables(50, tables);
        int[] luma = JPEGQTable.K1Luminance.getTable();
        int[] chroma = JPEGQTable.K2Chrominance.getTable();
        for (int k = 0; k < 64; k++) {
            assertEquals(luma[JpegTables.ZIGZAG[k]], tables[k], "luma zig-zag " + k);
            assertEquals(chroma[JpegTables.ZIGZAG[k]], tables[64 + k], "chroma zig-zag " + k);
        }
    }

    /** Q values where the percentage scale is an exact float, so the JDK's float scaling is comparable. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 5, 10, 20, 25, 50, 60, 75, 80, 90, 95, 99})
    void scalingMatchesTheJdkIjgScaling(int q) {
        int scalePercent = q < 50 ? 5000 / q : 200 - 2 * q;
        float scale = scalePercent / 100f;
        int[] luma = JPEGQTable.K1Luminance.getScaledInstance(scale, true).getTable();
        int[] chroma = JPEGQTable.K2Chrominance.getScaledInstance(scale, true).getTable();
        int[] tables = new int[128];
        JpegTables.scaledTables(q, tables);
        for (int k = 0; k < 64; k++) {
            assertEquals(luma[JpegTables.ZIGZAG[k]], tables[k], "Q " + q + " luma " + k);
            assertEquals(chroma[JpegTables.ZIGZAG[k]], tables[64 + k], "Q " + q + " chroma " + k);
        }
    }

    @Test
    void qOutsideOneToNinetyNineIsLimitedAsAppendixADoes() {
        int[] q0 = new int[128];
        int[] q1 = new int[128];
        JpegTables.scaledTables(0, q0);
        JpegTables.scaledTables(1, q1);
        assertArrayEquals(q1, q0);
        int[] q99 = new int[128];
        int[] q127 = new int[128];
        JpegTables.scaledTables(99, q99);
        JpegTables.scaledTables(127, q127);
        assertArrayEquals(q99, q127);
        // Q 1: scale 5000 %, every coefficient limited to 255
        assertEquals(255, Arrays.stream(q1).min().getAsInt());
        // Q 99: scale 2 %, small coefficients limited to at least 1
        assertEquals(1, Arrays.stream(q99).min().getAsInt());
    }

    @Test
    void huffmanTablesAreThoseOfAnnexK3() {
        assertHuffman(JPEGHuffmanTable.StdDCLuminance, JpegTables.DC_LUMA_BITS, JpegTables.DC_LUMA_VALUES);
        assertHuffman(JPEGHuffmanTable.StdDCChrominance, JpegTables.DC_CHROMA_BITS, JpegTables.DC_CHROMA_VALUES);
        assertHuffman(JPEGHuffmanTable.StdACLuminance, JpegTables.AC_LUMA_BITS, JpegTables.AC_LUMA_VALUES);
        assertHuffman(JPEGHuffmanTable.StdACChrominance, JpegTables.AC_CHROMA_BITS, JpegTables.AC_CHROMA_VALUES);
    }

    private static void assertHuffman(JPEGHuffmanTable expected, byte[] bits, byte[] values) {
        short[] lengths = expected.getLengths();
        short[] symbols = expected.getValues();
        assertEquals(lengths.length, bits.length);
        for (int i = 0; i < lengths.length; i++) {
            assertEquals(lengths[i], bits[i] & 0xFF, "count of codes of length " + (i + 1));
        }
        assertEquals(symbols.length, values.length);
        for (int i = 0; i < symbols.length; i++) {
            assertEquals(symbols[i], values[i] & 0xFF, "symbol " + i);
        }
    }
}
