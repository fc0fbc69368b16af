package io.github.camelrtsp.format.mjpeg;

/**
 * The fixed tables an RFC 2435 receiver needs to rebuild a baseline JPEG image: the example quantization tables of
 * ITU T.81 Annex K.1 with the Q scaling of RFC 2435 Appendix A, the zig-zag order, and the typical Huffman tables of
 * ITU T.81 Annex K.3 that RFC 2435 types 0/1 use.
 */
final class JpegTables {

    /** Number of coefficients of one 8x8 quantization table. */
    static final int COEFFICIENTS = 64;

    /**
     * {@code ZIGZAG[k]} is the natural (row-major) index of the k-th coefficient in zig-zag order, the order in which
     * DQT segments and the RFC 2435 quantization table header list the coefficients.
     */
    static final int[] ZIGZAG = zigzag();

    /** ITU T.81 Table K.1, luminance quantization table, natural order. */
    private static final int[] LUMA_NATURAL = {
        16, 11, 10, 16, 24, 40, 51, 61,
        12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56,
        14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77,
        24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101,
        72, 92, 95, 98, 112, 100, 103, 99,
    };

    /** ITU T.81 Table K.2, chrominance quantization table, natural order. */
    private static final int[] CHROMA_NATURAL = {
        17, 18, 24, 47, 99, 99, 99, 99,
        18, 21, 26, 66, 99, 99, 99, 99,
        24, 26, 56, 99, 99, 99, 99, 99,
        47, 66, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
    };

    /** Table K.3: code counts per length 1..16 of the luminance DC table. */
    static final byte[] DC_LUMA_BITS = bytes(0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0);
    /** Table K.3: symbols of the luminance DC table. */
    static final byte[] DC_LUMA_VALUES = bytes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    /** Table K.4: code counts per length 1..16 of the chrominance DC table. */
    static final byte[] DC_CHROMA_BITS = bytes(0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0);
    /** Table K.4: symbols of the chrominance DC table. */
    static final byte[] DC_CHROMA_VALUES = bytes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    /** Table K.5: code counts per length 1..16 of the luminance AC table. */
    static final byte[] AC_LUMA_BITS = bytes(0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d);
    /** Table K.5: symbols (run/size) of the luminance AC table, in code order. */
    static final byte[] AC_LUMA_VALUES = bytes(
        0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
        0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
        0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
        0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
        0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
        0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
        0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
        0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
        0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
        0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
        0xf9, 0xfa);
    /** Table K.6: code counts per length 1..16 of the chrominance AC table. */
    static final byte[] AC_CHROMA_BITS = bytes(0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77);
    /** Table K.6: symbols (run/size) of the chrominance AC table, in code order. */
    static final byte[] AC_CHROMA_VALUES = bytes(
        0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
        0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
        0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
        0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
        0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
        0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
        0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
        0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
        0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
        0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
        0xf9, 0xfa);

    private JpegTables() {
    }

    /**
     * Fills {@code out[0..63]} (luminance, table 0) and {@code out[64..127]} (chrominance, table 1) in zig-zag order
     * with the tables RFC 2435 Appendix A derives from a Q value of 0..127: Q is limited to 1..99, turned into a
     * percentage scale (5000/Q below 50, 200-2Q from 50 on), and each Annex K coefficient is scaled by it with
     * rounding and limited to 1..255.
     */
    static void scaledTables(int q, int[] out) {
        int factor = Math.max(1, Math.min(99, q));
        int scale = factor < 50 ? 5000 / factor : 200 - 2 * factor;
        for (int k = 0; k < COEFFICIENTS; k++) {
            int natural = ZIGZAG[k];
            out[k] = scaleOne(LUMA_NATURAL[natural], scale);
            out[COEFFICIENTS + k] = scaleOne(CHROMA_NATURAL[natural], scale);
        }
    }

    private static int scaleOne(int base, int scale) {
        int value = (base * scale + 50) / 100;
        return Math.max(1, Math.min(255, value));
    }

    /** Walks the 8x8 block along its anti-diagonals, alternating direction, as T.81 Figure A.6 orders it. */
    private static int[] zigzag() {
        int[] order = new int[COEFFICIENTS];
        int k = 0;
        for (int diagonal = 0; diagonal < 15; diagonal++) {
            int first = Math.max(0, diagonal - 7);
            int last = Math.min(7, diagonal);
            for (int i = first; i <= last; i++) {
                // even diagonals run bottom-left to top-right (row falls), odd ones top-right to bottom-left
                int row = (diagonal % 2 == 0) ? diagonal - i : i;
                int col = diagonal - row;
                order[k++] = row * 8 + col;
            }
        }
        return order;
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
