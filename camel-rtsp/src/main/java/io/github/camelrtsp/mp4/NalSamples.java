package io.github.camelrtsp.mp4;

import io.github.camelrtsp.format.annexb.AnnexBNalUnits;

/** Frame body conversions into MP4 samples. */
final class NalSamples {

    private NalSamples() {
    }

    /**
     * Annex B access unit to 4-byte length-prefixed NAL units, leaving out access unit delimiters and parameter sets
     * (they are in the sample entry); one copy.
     */
    static byte[] toLengthPrefixed(byte[] annexB, boolean h265) {
        AnnexBNalUnits units = new AnnexBNalUnits();
        int n = units.scan(annexB, 0, annexB.length);
        int size = 0;
        for (int i = 0; i < n; i++) {
            if (keep(annexB[units.start(i)], h265)) {
                size += 4 + units.length(i);
            }
        }
        byte[] out = new byte[size];
        int p = 0;
        for (int i = 0; i < n; i++) {
            int start = units.start(i);
            int len = units.length(i);
            if (keep(annexB[start], h265)) {
                out[p++] = (byte) (len >>> 24);
                out[p++] = (byte) (len >>> 16);
                out[p++] = (byte) (len >>> 8);
                out[p++] = (byte) len;
                System.arraycopy(annexB, start, out, p, len);
                p += len;
            }
        }
        return out;
    }

    /** The NAL unit type of a NAL unit's first byte. */
    static int nalType(byte header, boolean h265) {
        return h265 ? (header >> 1) & 0x3F : header & 0x1F;
    }

    private static boolean keep(byte header, boolean h265) {
        int type = nalType(header, h265);
        if (h265) {
            return type < 32 || type > 35; // VPS, SPS, PPS, AUD
        }
        return type != 7 && type != 8 && type != 9;
    }

    /**
     * The raw AAC frame of an ADTS frame: the body without its 7-byte header (9 with CRC).
     *
     * @throws Mp4FormatException if the body does not start with a valid ADTS header
     */
    static byte[] stripAdts(byte[] adts) {
        if (adts.length < 7 || (adts[0] & 0xFF) != 0xFF || (adts[1] & 0xF6) != 0xF0) {
            throw new Mp4FormatException("not an ADTS frame");
        }
        int header = (adts[1] & 0x01) != 0 ? 7 : 9;
        int frameLength = ((adts[3] & 0x03) << 11) | ((adts[4] & 0xFF) << 3) | ((adts[5] & 0xE0) >>> 5);
        if (frameLength < header || frameLength > adts.length) {
            throw new Mp4FormatException("ADTS frame length " + frameLength + " does not fit the " + adts.length
                    + " bytes");
        }
        byte[] raw = new byte[frameLength - header];
        System.arraycopy(adts, header, raw, 0, raw.length);
        return raw;
    }
}
