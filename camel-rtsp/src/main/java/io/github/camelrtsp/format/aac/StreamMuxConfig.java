package io.github.camelrtsp.format.aac;

import io.netty.buffer.Unpooled;

/**
 * The parts of a LATM StreamMuxConfig (ISO/IEC 14496-3 1.7.3) that a single-stream MP4A-LATM payload needs: one
 * program with one layer, all streams with the same time framing, frame length type 0 (lengths in
 * PayloadLengthInfo), audioMuxVersion 0 or 1 (audioMuxVersionA 0).
 *
 * @param audioMuxVersion     0 or 1
 * @param numSubFrames        PayloadMux elements per AudioMuxElement, minus one
 * @param audioSpecificConfig the single stream's config
 * @param otherDataBits       bits of other data after the payloads of each AudioMuxElement
 */
record StreamMuxConfig(int audioMuxVersion, int numSubFrames, AudioSpecificConfig audioSpecificConfig,
                       long otherDataBits) {

    /** Bits after the AudioSpecificConfig for frame length type 0: type, buffer fullness, two presence flags. */
    private static final int MINIMAL_TAIL_BITS = 3 + 8 + 1 + 1;
    private static final int SYNC_EXTENSION = 0x2B7;

    /**
     * Parses a StreamMuxConfig written in hexadecimal (fmtp {@code config} of MP4A-LATM). Tolerates what some
     * payloaders (GStreamer's rtpmp4apay) write: the StreamMuxConfig header followed by a whole AudioSpecificConfig
     * and nothing else. The config may then end right after the AudioSpecificConfig with only zero padding left, or
     * carry the AudioSpecificConfig's backward-compatible sync extension where frame length type and buffer
     * fullness belong (that extension starts with bits that would be the reserved frame length type 2); the fields
     * after the AudioSpecificConfig then take their usual values: frame length type 0, no other data, no CRC.
     *
     * @throws IllegalArgumentException if the config is invalid or describes a structure not supported
     */
    static StreamMuxConfig parseHex(String hex) {
        byte[] bytes = AudioSpecificConfig.hexBytes(hex);
        BitReader r = new BitReader().reset(Unpooled.wrappedBuffer(bytes), 0, bytes.length * 8L);
        try {
            return read(r, true);
        } catch (AacFormatException e) {
            throw new IllegalArgumentException("MP4A-LATM config " + hex + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a StreamMuxConfig at the reader's position.
     *
     * @param lenient whether the payloader forms described at {@link #parseHex(String)} are accepted
     * @throws AacFormatException if the bits are truncated, invalid, or describe an unsupported structure
     */
    static StreamMuxConfig read(BitReader r, boolean lenient) {
        int version = r.readInt(1);
        if (version == 1 && r.bit()) {
            throw new AacFormatException("unsupported StreamMuxConfig: audioMuxVersionA 1");
        }
        if (version == 1) {
            latmValue(r); // taraBufferFullness
        }
        boolean sameTimeFraming = r.bit();
        int numSubFrames = r.readInt(6);
        int numProgram = r.readInt(4);
        int numLayer = r.readInt(3);
        if (!sameTimeFraming) {
            throw new AacFormatException("unsupported StreamMuxConfig: allStreamsSameTimeFraming 0");
        }
        if (numProgram != 0 || numLayer != 0) {
            throw new AacFormatException("unsupported StreamMuxConfig: " + (numProgram + 1) + " program(s), "
                                         + (numLayer + 1) + " layer(s); only one stream is supported");
        }
        AudioSpecificConfig asc;
        if (version == 0) {
            long ascStart = r.position();
            asc = AudioSpecificConfig.read(r, -1);
            if (!asc.complete()) {
                throw new AacFormatException("unsupported StreamMuxConfig: the length of the AudioSpecificConfig of "
                                             + "object type " + asc.audioObjectType() + " cannot be determined");
            }
            if (lenient && startsWithSyncExtension(r)) {
                r.seek(ascStart);
                asc = AudioSpecificConfig.read(r, ascStart + r.remaining());
                if (onlyZeroBitsLeft(r)) {
                    return new StreamMuxConfig(version, numSubFrames, asc, 0);
                }
                throw new AacFormatException("bits left after the AudioSpecificConfig and its sync extension");
            }
        } else {
            long length = latmValue(r);
            long start = r.position();
            if (length > r.remaining()) {
                throw new AacFormatException("AudioSpecificConfig length " + length + " runs past the config");
            }
            asc = AudioSpecificConfig.read(r, start + length);
            if (r.position() > start + length) {
                throw new AacFormatException("AudioSpecificConfig is longer than its signalled " + length + " bits");
            }
            r.seek(start + length);
        }
        if (lenient && r.remaining() < MINIMAL_TAIL_BITS && onlyZeroBitsLeft(r)) {
            return new StreamMuxConfig(version, numSubFrames, asc, 0);
        }
        int frameLengthType = r.readInt(3);
        if (frameLengthType != 0) {
            throw new AacFormatException("unsupported StreamMuxConfig: frameLengthType " + frameLengthType);
        }
        r.skip(8); // latmBufferFullness
        long otherDataBits = 0;
        if (r.bit()) {
            if (version == 1) {
                otherDataBits = latmValue(r);
            } else {
                boolean escape;
                do {
                    escape = r.bit();
                    otherDataBits = (otherDataBits << 8) + r.readInt(8);
                    if (otherDataBits > Integer.MAX_VALUE) {
                        throw new AacFormatException("otherDataLenBits too large");
                    }
                } while (escape);
            }
        }
        if (r.bit()) {
            r.skip(8); // crcCheckSum
        }
        return new StreamMuxConfig(version, numSubFrames, asc, otherDataBits);
    }

    private static long latmValue(BitReader r) {
        int bytes = r.readInt(2) + 1;
        return r.read(8 * bytes);
    }

    private static boolean startsWithSyncExtension(BitReader r) {
        if (r.remaining() < 16) {
            return false;
        }
        long mark = r.position();
        boolean sync = r.readInt(11) == SYNC_EXTENSION;
        r.seek(mark);
        return sync;
    }

    private static boolean onlyZeroBitsLeft(BitReader r) {
        long mark = r.position();
        boolean zero = true;
        while (r.remaining() > 0) {
            if (r.bit()) {
                zero = false;
            }
        }
        r.seek(mark);
        return zero;
    }
}
