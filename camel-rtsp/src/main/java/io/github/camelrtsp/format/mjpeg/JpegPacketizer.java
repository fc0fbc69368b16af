package io.github.camelrtsp.format.mjpeg;

import java.util.Arrays;
import java.util.Map;

import io.github.camelrtsp.format.BasePacketizer;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.PacketizerParameters;
import io.netty.buffer.ByteBuf;

/**
 * RTP/JPEG packets (RFC 2435) from baseline JPEG images, e.g. as {@link JpegDepacketizer} emits them or as an MJPEG
 * camera or encoder writes them.
 * <p>
 * What RFC 2435 can carry is checked before anything is sent, and anything else is rejected with an
 * {@link IllegalArgumentException}: a baseline (SOF0) image of three 8-bit components, the first (luminance) sampled
 * 2x1 (type 0, 4:2:2) or 2x2 (type 1, 4:2:0) and both chrominance components 1x1 sharing one quantization table,
 * one interleaved scan over all three with Huffman tables 0 for luminance and 1 for chrominance, and those tables, if
 * the image defines them at all, equal to the typical tables of ITU T.81 Annex K.3 that RFC 2435 implies (an image
 * without DHT, as MJPEG often is, is taken to use them). Progressive, lossless, arithmetic-coded, grayscale and 4:4:4
 * images, and optimized Huffman tables, cannot be carried.
 * <p>
 * Every frame is sent with Q=255 and its two quantization tables in-band in the first packet (8- or 16-bit as the
 * DQT gives them). A restart interval (DRI) selects type 64/65 with a restart marker header in every packet (F=L=1,
 * count 0x3FFF, as fragments are not aligned to restart intervals). The payload is the entropy-coded data after the
 * SOS header up to, not including, EOI, cut into packets at the fragment offsets the MTU allows; the marker bit is
 * set on the last packet of the frame, and all packets carry the frame's timestamp.
 * <p>
 * Width and height are sent in 8-pixel units, rounded up (a decoder then shows at most 7 extra rows or columns of the
 * padding the scan already codes). A dimension above 2040 pixels is sent as 0; the real size is then given by
 * {@link #xDimensions()}, to be announced in the SDP attribute {@code a=x-dimensions:<width>,<height>}.
 */
public final class JpegPacketizer extends BasePacketizer {

    private static final int MAIN_HEADER = 8;
    private static final int RESTART_HEADER = 4;
    private static final int QUANT_HEADER = 4;
    private static final int MAX_TABLES_BYTES = 4 * JpegTables.COEFFICIENTS;
    private static final int MAX_SCAN = 1 << 24;
    private static final int MAX_UNITS = 255;

    private static final int SOF0 = 0xC0;
    private static final int DHT = 0xC4;
    private static final int DAC = 0xCC;
    private static final int DQT = 0xDB;
    private static final int DRI = 0xDD;
    private static final int SOS = 0xDA;
    private static final int EOI = 0xD9;

    private static final byte[][] STANDARD_HUFFMAN = {
        concat(JpegTables.DC_LUMA_BITS, JpegTables.DC_LUMA_VALUES),
        concat(JpegTables.DC_CHROMA_BITS, JpegTables.DC_CHROMA_VALUES),
        concat(JpegTables.AC_LUMA_BITS, JpegTables.AC_LUMA_VALUES),
        concat(JpegTables.AC_CHROMA_BITS, JpegTables.AC_CHROMA_VALUES),
    };

    // the image being sent, filled by parse
    private final int[] tableOffset = new int[4];
    private final boolean[] tableWide = new boolean[4];
    private final int[] componentId = new int[3];
    private final int[] componentTable = new int[3];
    private int width;
    private int height;
    private int type;
    private int restartInterval;
    private int scanStart;
    private int scanEnd;
    private String xDimensions;

    /**
     * @param parameters codec JPEG, clock rate 90000 (RFC 2435; usually payload type 26)
     * @throws IllegalArgumentException for another codec or clock rate, or an MTU that cannot carry the first
     *                                  packet's headers with two 16-bit tables and a byte of scan data
     */
    public JpegPacketizer(PacketizerParameters parameters) {
        super(parameters, MAIN_HEADER + RESTART_HEADER + QUANT_HEADER + MAX_TABLES_BYTES + 1);
        if (parameters.codec() == null || !parameters.codec().trim().equalsIgnoreCase("JPEG")) {
            throw new IllegalArgumentException("RFC 2435 packetizer needs codec JPEG, not " + parameters.codec());
        }
        if (parameters.clockRate() != 90_000) {
            throw new IllegalArgumentException("RTP/JPEG clock rate must be 90000, not " + parameters.clockRate());
        }
    }

    /**
     * The size for the SDP attribute {@code x-dimensions} ({@code <width>,<height>}) when the last frame sent had a
     * dimension above 2040 pixels, which the RFC 2435 header cannot hold; null otherwise.
     */
    public String xDimensions() {
        return xDimensions;
    }

    /**
     * Sends one JPEG image.
     *
     * @throws IllegalArgumentException if the data is not a complete JPEG image RFC 2435 can carry (nothing is sent)
     */
    @Override
    public void packetize(MediaFrame frame, PacketSink sink) {
        byte[] jpeg = frameData(frame);
        parse(jpeg);
        int lumaTable = componentTable[0];
        int chromaTable = componentTable[1];
        int lumaBytes = tableWide[lumaTable] ? 2 * JpegTables.COEFFICIENTS : JpegTables.COEFFICIENTS;
        int chromaBytes = tableWide[chromaTable] ? 2 * JpegTables.COEFFICIENTS : JpegTables.COEFFICIENTS;
        int precision = (tableWide[lumaTable] ? 1 : 0) | (tableWide[chromaTable] ? 2 : 0);
        int widthUnits = width > 8 * MAX_UNITS ? 0 : (width + 7) / 8;
        int heightUnits = height > 8 * MAX_UNITS ? 0 : (height + 7) / 8;
        xDimensions = widthUnits == 0 || heightUnits == 0 ? width + "," + height : null;
        int fixed = MAIN_HEADER + (restartInterval > 0 ? RESTART_HEADER : 0);
        int fullType = restartInterval > 0 ? type + 64 : type;
        int scanLength = scanEnd - scanStart;
        int offset = 0;
        do {
            boolean first = offset == 0;
            int headers = fixed + (first ? QUANT_HEADER + lumaBytes + chromaBytes : 0);
            int chunk = Math.min(maxPayload() - headers, scanLength - offset);
            boolean last = offset + chunk == scanLength;
            ByteBuf packet = newPacket(last, frame.rtpTimestamp(), headers + chunk);
            packet.writeByte(0); // type-specific: progressive frame
            packet.writeMedium(offset);
            packet.writeByte(fullType);
            packet.writeByte(255); // Q: tables in-band in every frame
            packet.writeByte(widthUnits);
            packet.writeByte(heightUnits);
            if (restartInterval > 0) {
                packet.writeShort(restartInterval);
                packet.writeShort(0xFFFF); // F=1, L=1, restart count 0x3FFF
            }
            if (first) {
                packet.writeByte(0); // MBZ
                packet.writeByte(precision);
                packet.writeShort(lumaBytes + chromaBytes);
                packet.writeBytes(jpeg, tableOffset[lumaTable], lumaBytes);
                packet.writeBytes(jpeg, tableOffset[chromaTable], chromaBytes);
            }
            packet.writeBytes(jpeg, scanStart + offset, chunk);
            offset += chunk;
            sink.onPacket(packet);
        } while (offset < scanLength);
    }

    /** {@code JPEG/90000}. */
    @Override
    public String rtpMap() {
        return "JPEG/90000";
    }

    /** Empty: RFC 2435 defines no fmtp parameters (see {@link #xDimensions()} for large images). */
    @Override
    public Map<String, String> formatParameters() {
        return Map.of();
    }

    /** Reads the marker segments up to SOS and finds the scan data; fails on anything RFC 2435 cannot carry. */
    private void parse(byte[] d) {
        if (d.length < 4 || (d[0] & 0xFF) != 0xFF || (d[1] & 0xFF) != 0xD8) {
            throw new IllegalArgumentException("not a JPEG image: no SOI marker");
        }
        Arrays.fill(tableOffset, -1);
        width = 0;
        restartInterval = 0;
        int p = 2;
        while (true) {
            while (p + 1 < d.length && (d[p] & 0xFF) == 0xFF && (d[p + 1] & 0xFF) == 0xFF) {
                p++; // fill bytes
            }
            if (p + 4 > d.length) {
                throw new IllegalArgumentException("JPEG ends at byte " + p + " before its scan (no SOS)");
            }
            if ((d[p] & 0xFF) != 0xFF) {
                throw new IllegalArgumentException("no JPEG marker at byte " + p);
            }
            int marker = d[p + 1] & 0xFF;
            if (marker == 0xD8 || marker == EOI || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                throw new IllegalArgumentException(String.format("unexpected JPEG marker FF%02X at byte %d before SOS",
                                                                 marker, p));
            }
            int length = u16(d, p + 2);
            int body = p + 4;
            int end = p + 2 + length;
            if (length < 2 || end > d.length) {
                throw new IllegalArgumentException(String.format("JPEG segment FF%02X at byte %d of length %d runs "
                                                                 + "past the %d-byte image", marker, p, length,
                                                                 d.length));
            }
            if (marker == DQT) {
                readDqt(d, body, end);
            } else if (marker == SOF0) {
                readSof(d, body, end);
            } else if (marker == DHT) {
                readDht(d, body, end);
            } else if (marker == DRI) {
                if (length != 4) {
                    throw new IllegalArgumentException("DRI segment of length " + length + " is not 4");
                }
                restartInterval = u16(d, body);
            } else if (marker == SOS) {
                readSos(d, body, end);
                scanStart = end;
                break;
            } else if (marker == DAC) {
                throw new IllegalArgumentException("arithmetic-coded JPEG cannot be carried by RFC 2435");
            } else if (marker >= 0xC1 && marker <= 0xCF && marker != 0xC8) {
                throw new IllegalArgumentException(String.format("JPEG frame type SOF%d (FF%02X) is not baseline; "
                                                                 + "RFC 2435 carries baseline (SOF0) images only",
                                                                 marker - 0xC0, marker));
            }
            p = end;
        }
        if (width == 0) {
            throw new IllegalArgumentException("JPEG without SOF0 before its scan");
        }
        scanEnd = findEoi(d, scanStart);
        if (scanEnd == scanStart) {
            throw new IllegalArgumentException("JPEG with empty scan data");
        }
        if (scanEnd - scanStart > MAX_SCAN) {
            throw new IllegalArgumentException("JPEG scan of " + (scanEnd - scanStart) + " bytes exceeds the 24-bit "
                                               + "RFC 2435 fragment offset");
        }
    }

    private void readDqt(byte[] d, int p, int end) {
        while (p < end) {
            int pq = (d[p] & 0xFF) >>> 4;
            int tq = d[p] & 0x0F;
            int size = pq == 0 ? JpegTables.COEFFICIENTS : 2 * JpegTables.COEFFICIENTS;
            if (pq > 1 || tq > 3) {
                throw new IllegalArgumentException("DQT table with precision " + pq + " and id " + tq + " is invalid");
            }
            if (p + 1 + size > end) {
                throw new IllegalArgumentException("DQT table " + tq + " runs past its segment");
            }
            tableOffset[tq] = p + 1;
            tableWide[tq] = pq == 1;
            p += 1 + size;
        }
    }

    private void readSof(byte[] d, int p, int end) {
        if (end - p < 6 + 3 * 3) {
            throw new IllegalArgumentException("SOF0 segment too short for three components");
        }
        if ((d[p] & 0xFF) != 8) {
            throw new IllegalArgumentException("JPEG sample precision " + (d[p] & 0xFF) + " is not 8");
        }
        height = u16(d, p + 1);
        width = u16(d, p + 3);
        int components = d[p + 5] & 0xFF;
        if (components != 3) {
            throw new IllegalArgumentException("JPEG with " + components + " components; RFC 2435 carries YCbCr "
                                               + "(three components)");
        }
        if (width == 0 || height == 0) {
            throw new IllegalArgumentException("JPEG size " + width + "x" + height + " (a height of 0 needs DNL, "
                                               + "which RFC 2435 cannot carry)");
        }
        int[] sampling = new int[3];
        for (int i = 0; i < 3; i++) {
            componentId[i] = d[p + 6 + 3 * i] & 0xFF;
            sampling[i] = d[p + 7 + 3 * i] & 0xFF;
            componentTable[i] = d[p + 8 + 3 * i] & 0xFF;
            if (componentTable[i] > 3) {
                throw new IllegalArgumentException("JPEG component quantization table " + componentTable[i]);
            }
        }
        if (sampling[1] != 0x11 || sampling[2] != 0x11 || (sampling[0] != 0x21 && sampling[0] != 0x22)) {
            throw new IllegalArgumentException(String.format("JPEG sampling factors %02x/%02x/%02x: RFC 2435 "
                                                             + "carries 21/11/11 (4:2:2) and 22/11/11 (4:2:0) only",
                                                             sampling[0], sampling[1], sampling[2]));
        }
        type = sampling[0] == 0x22 ? JpegHeaderWriter.TYPE_YUV420 : JpegHeaderWriter.TYPE_YUV422;
        if (componentTable[1] != componentTable[2]) {
            throw new IllegalArgumentException("JPEG chrominance components use quantization tables "
                                               + componentTable[1] + " and " + componentTable[2]
                                               + "; RFC 2435 has one table for both");
        }
    }

    private static void readDht(byte[] d, int p, int end) {
        while (p < end) {
            if (p + 17 > end) {
                throw new IllegalArgumentException("DHT table header runs past its segment");
            }
            int tc = (d[p] & 0xFF) >>> 4;
            int th = d[p] & 0x0F;
            int symbols = 0;
            for (int i = 1; i <= 16; i++) {
                symbols += d[p + i] & 0xFF;
            }
            int next = p + 17 + symbols;
            if (tc > 1 || th > 3 || next > end) {
                throw new IllegalArgumentException("DHT table class " + tc + " id " + th + " is invalid or runs "
                                                   + "past its segment");
            }
            if (th < 2) {
                byte[] standard = STANDARD_HUFFMAN[2 * tc + th];
                if (!Arrays.equals(d, p + 1, next, standard, 0, standard.length)) {
                    throw new IllegalArgumentException("JPEG Huffman table (class " + tc + ", id " + th + ") is not "
                                                       + "the ITU T.81 Annex K.3 table that RFC 2435 implies "
                                                       + "(optimized Huffman tables cannot be carried)");
                }
            }
            p = next;
        }
    }

    private void readSos(byte[] d, int p, int end) {
        int components = d[p] & 0xFF;
        if (components != 3 || end - p != 1 + 2 * 3 + 3) {
            throw new IllegalArgumentException("JPEG scan over " + components + " components; RFC 2435 carries one "
                                               + "interleaved scan over all three");
        }
        if (width == 0) {
            throw new IllegalArgumentException("JPEG scan before SOF0");
        }
        for (int i = 0; i < 3; i++) {
            int id = d[p + 1 + 2 * i] & 0xFF;
            int tables = d[p + 2 + 2 * i] & 0xFF;
            if (id != componentId[i]) {
                throw new IllegalArgumentException("JPEG scan component order differs from the frame's");
            }
            int expected = i == 0 ? 0x00 : 0x11;
            if (tables != expected) {
                throw new IllegalArgumentException(String.format("JPEG scan component %d uses Huffman tables %02x; "
                                                                 + "RFC 2435 needs 00 for luminance, 11 for "
                                                                 + "chrominance", i + 1, tables));
            }
            if (tableOffset[componentTable[i]] < 0) {
                throw new IllegalArgumentException("JPEG quantization table " + componentTable[i] + " not defined");
            }
        }
        int ss = d[p + 7] & 0xFF;
        int se = d[p + 8] & 0xFF;
        int approximation = d[p + 9] & 0xFF;
        if (ss != 0 || se != 63 || approximation != 0) {
            throw new IllegalArgumentException("JPEG scan with spectral selection " + ss + ".." + se
                                               + " or successive approximation is not sequential");
        }
    }

    /**
     * Index of the EOI marker ending the scan that starts at {@code from}: 0xFF in entropy-coded data is followed by
     * a stuffed 0x00, a restart marker or fill bytes; any other marker must be EOI.
     */
    private static int findEoi(byte[] d, int from) {
        int i = from;
        while (i + 1 < d.length) {
            if ((d[i] & 0xFF) != 0xFF) {
                i++;
                continue;
            }
            int next = d[i + 1] & 0xFF;
            if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
                i += 2;
            } else if (next == 0xFF) {
                i++;
            } else if (next == EOI) {
                return i;
            } else {
                throw new IllegalArgumentException(String.format("JPEG marker FF%02X after the scan; RFC 2435 "
                                                                 + "carries a single scan ended by EOI", next));
            }
        }
        throw new IllegalArgumentException("JPEG without EOI after its scan");
    }

    private static int u16(byte[] d, int p) {
        return (d[p] & 0xFF) << 8 | d[p + 1] & 0xFF;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
