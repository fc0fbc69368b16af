package io.github.camelrtsp.format.mjpeg;

/**
 * Writes the marker segments that turn an RFC 2435 scan into a self-contained baseline JFIF image: SOI, APP0 (JFIF
 * 1.02, 1:1 pixels), DQT, SOF0, DHT, DRI (only with a restart interval) and SOS. The scan data and EOI follow.
 * <p>
 * Components are numbered 1 (Y), 2 (Cb), 3 (Cr) as RFC 2435 section 4.1 prescribes; Y uses quantization and Huffman
 * tables 0, the chrominance components tables 1.
 */
final class JpegHeaderWriter {

    /** RFC 2435 type 0 (and 64): chrominance halved horizontally, luminance sampled 2x1 (4:2:2). */
    static final int TYPE_YUV422 = 0;
    /** RFC 2435 type 1 (and 65): chrominance halved both ways, luminance sampled 2x2 (4:2:0). */
    static final int TYPE_YUV420 = 1;

    private static final int SOI = 0xD8;
    private static final int APP0 = 0xE0;
    private static final int DQT = 0xDB;
    private static final int SOF0 = 0xC0;
    private static final int DHT = 0xC4;
    private static final int DRI = 0xDD;
    private static final int SOS = 0xDA;

    /** The JFIF APP0 segment: version 1.02, no density units, 1:1 aspect, no thumbnail. */
    private static final byte[] APP0_SEGMENT = {
        (byte) 0xFF, (byte) APP0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 2, 0, 0, 1, 0, 1, 0, 0,
    };

    /** The whole DHT segment with the four Annex K tables, built once. */
    private static final byte[] DHT_SEGMENT = buildDht();

    /** Length of SOF0 with three components, marker included. */
    private static final int SOF_LENGTH = 2 + 8 + 3 * 3;
    /** Length of SOS with three components, marker included. */
    private static final int SOS_LENGTH = 2 + 6 + 2 * 3;
    /** Length of a DRI segment, marker included. */
    private static final int DRI_LENGTH = 6;

    private JpegHeaderWriter() {
    }

    /**
     * Bytes {@link #write} produces for these tables and restart interval.
     *
     * @param tables          128 coefficients, table 0 then table 1, zig-zag order
     * @param restartInterval MCUs per restart interval, 0 for none
     */
    static int headerLength(int[] tables, int restartInterval) {
        return 2 + APP0_SEGMENT.length + dqtLength(tables) + SOF_LENGTH + DHT_SEGMENT.length
               + (restartInterval > 0 ? DRI_LENGTH : 0) + SOS_LENGTH;
    }

    /**
     * Writes the header at {@code out[0..]} and returns the number of bytes written, which equals
     * {@link #headerLength}. A table with a coefficient above 255 is written with 16-bit precision (Pq=1), any other
     * with 8-bit precision.
     *
     * @param type            {@link #TYPE_YUV422} or {@link #TYPE_YUV420}
     * @param width           image width in pixels, 1..65535
     * @param height          image height in pixels, 1..65535
     * @param tables          128 coefficients, table 0 then table 1, zig-zag order
     * @param restartInterval MCUs per restart interval, 0 for none
     */
    static int write(byte[] out, int type, int width, int height, int[] tables, int restartInterval) {
        int p = 0;
        out[p++] = (byte) 0xFF;
        out[p++] = (byte) SOI;
        System.arraycopy(APP0_SEGMENT, 0, out, p, APP0_SEGMENT.length);
        p += APP0_SEGMENT.length;
        p = writeDqt(out, p, tables);
        p = writeSof(out, p, type, width, height);
        System.arraycopy(DHT_SEGMENT, 0, out, p, DHT_SEGMENT.length);
        p += DHT_SEGMENT.length;
        if (restartInterval > 0) {
            out[p++] = (byte) 0xFF;
            out[p++] = (byte) DRI;
            out[p++] = 0;
            out[p++] = 4;
            out[p++] = (byte) (restartInterval >>> 8);
            out[p++] = (byte) restartInterval;
        }
        return writeSos(out, p);
    }

    private static int dqtLength(int[] tables) {
        return 4 + tableBytes(tables, 0) + tableBytes(tables, JpegTables.COEFFICIENTS);
    }

    /** Pq/Tq byte plus the coefficients of the table starting at {@code from}. */
    private static int tableBytes(int[] tables, int from) {
        return 1 + (wide(tables, from) ? 2 : 1) * JpegTables.COEFFICIENTS;
    }

    private static boolean wide(int[] tables, int from) {
        for (int i = from; i < from + JpegTables.COEFFICIENTS; i++) {
            if (tables[i] > 255) {
                return true;
            }
        }
        return false;
    }

    private static int writeDqt(byte[] out, int p, int[] tables) {
        int length = dqtLength(tables) - 2;
        out[p++] = (byte) 0xFF;
        out[p++] = (byte) DQT;
        out[p++] = (byte) (length >>> 8);
        out[p++] = (byte) length;
        for (int id = 0; id < 2; id++) {
            int from = id * JpegTables.COEFFICIENTS;
            boolean wide = wide(tables, from);
            out[p++] = (byte) ((wide ? 0x10 : 0) | id);
            for (int i = from; i < from + JpegTables.COEFFICIENTS; i++) {
                if (wide) {
                    out[p++] = (byte) (tables[i] >>> 8);
                }
                out[p++] = (byte) tables[i];
            }
        }
        return p;
    }

    private static int writeSof(byte[] out, int p, int type, int width, int height) {
        out[p++] = (byte) 0xFF;
        out[p++] = (byte) SOF0;
        out[p++] = 0;
        out[p++] = (byte) (SOF_LENGTH - 2);
        out[p++] = 8;
        out[p++] = (byte) (height >>> 8);
        out[p++] = (byte) height;
        out[p++] = (byte) (width >>> 8);
        out[p++] = (byte) width;
        out[p++] = 3;
        out[p++] = 1;
        out[p++] = (byte) (type == TYPE_YUV420 ? 0x22 : 0x21);
        out[p++] = 0;
        out[p++] = 2;
        out[p++] = 0x11;
        out[p++] = 1;
        out[p++] = 3;
        out[p++] = 0x11;
        out[p++] = 1;
        return p;
    }

    private static int writeSos(byte[] out, int p) {
        out[p++] = (byte) 0xFF;
        out[p++] = (byte) SOS;
        out[p++] = 0;
        out[p++] = (byte) (SOS_LENGTH - 2);
        out[p++] = 3;
        out[p++] = 1;
        out[p++] = 0x00;
        out[p++] = 2;
        out[p++] = 0x11;
        out[p++] = 3;
        out[p++] = 0x11;
        out[p++] = 0;
        out[p++] = 63;
        out[p++] = 0;
        return p;
    }

    private static byte[] buildDht() {
        byte[][] parts = {
            JpegTables.DC_LUMA_BITS, JpegTables.DC_LUMA_VALUES, JpegTables.AC_LUMA_BITS, JpegTables.AC_LUMA_VALUES,
            JpegTables.DC_CHROMA_BITS, JpegTables.DC_CHROMA_VALUES, JpegTables.AC_CHROMA_BITS,
            JpegTables.AC_CHROMA_VALUES,
        };
        // Tc/Th: class 0 = DC, 1 = AC; destination 0 = luminance, 1 = chrominance
        int[] classAndId = {0x00, 0x10, 0x01, 0x11};
        int length = 2;
        for (byte[] part : parts) {
            length += part.length;
        }
        length += classAndId.length;
        byte[] out = new byte[2 + length];
        int p = 0;
        out[p++] = (byte) 0xFF;
        out[p++] = (byte) DHT;
        out[p++] = (byte) (length >>> 8);
        out[p++] = (byte) length;
        for (int t = 0; t < classAndId.length; t++) {
            out[p++] = (byte) classAndId[t];
            byte[] bits = parts[2 * t];
            byte[] values = parts[2 * t + 1];
            System.arraycopy(bits, 0, out, p, bits.length);
            p += bits.length;
            System.arraycopy(values, 0, out, p, values.length);
            p += values.length;
        }
        return out;
    }
}
