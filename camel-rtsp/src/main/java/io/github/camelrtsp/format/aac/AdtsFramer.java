package io.github.camelrtsp.format.aac;

import io.netty.buffer.ByteBuf;

/**
 * Turns raw AAC access units into ADTS frames (ISO/IEC 13818-7 / 14496-3 1.A.2): a 7-byte header without CRC
 * (MPEG-4 id, profile = object type - 1, the core sampling frequency index, channel configuration, frame length,
 * buffer fullness 0x7FF, one raw data block), then, for channel configuration 0, the config's program config element,
 * then the access unit. Each frame is one new array, filled with a single copy of the access unit.
 */
final class AdtsFramer {

    /** Length of an ADTS header without CRC. */
    static final int HEADER_LENGTH = 7;

    /** Largest ADTS frame: the frame length field has 13 bits. */
    static final int MAX_FRAME_LENGTH = 8191;

    private final AudioSpecificConfig config;
    private final byte[] prefix;
    private final int maxFrameLength;

    /**
     * @param config       a config for which {@link AudioSpecificConfig#adtsIncompatibility()} is null
     * @param maxFrameSize largest frame the caller accepts, header included
     */
    AdtsFramer(AudioSpecificConfig config, int maxFrameSize) {
        String problem = config.adtsIncompatibility();
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        this.config = config;
        byte[] pce = config.adtsProgramConfigElement();
        int pceLength = config.channelConfiguration() == 0 && pce != null ? pce.length : 0;
        this.prefix = new byte[HEADER_LENGTH + pceLength];
        int profile = config.audioObjectType() - 1;
        int frequency = config.adtsSamplingFrequencyIndex();
        int channels = config.channelConfiguration();
        prefix[0] = (byte) 0xFF;
        prefix[1] = (byte) 0xF1; // sync, MPEG-4, layer 0, no CRC
        prefix[2] = (byte) ((profile << 6) | (frequency << 2) | (channels >> 2));
        prefix[3] = (byte) ((channels & 3) << 6);
        prefix[5] = (byte) 0x1F; // buffer fullness 0x7FF (variable rate), high bits
        prefix[6] = (byte) 0xFC; // buffer fullness low bits, one raw data block
        if (pceLength > 0) {
            System.arraycopy(pce, 0, prefix, HEADER_LENGTH, pceLength);
        }
        this.maxFrameLength = Math.min(MAX_FRAME_LENGTH, maxFrameSize);
    }

    /** The config the frames describe. */
    AudioSpecificConfig config() {
        return config;
    }

    /** Bytes a frame adds to its access unit (header and program config element). */
    int overhead() {
        return prefix.length;
    }

    /** Largest access unit that still makes a frame within the ADTS limit and the caller's maximum frame size. */
    int maxAccessUnitLength() {
        return maxFrameLength - prefix.length;
    }

    /** Whether an access unit of {@code length} bytes fits in a frame. */
    boolean fits(int length) {
        return length > 0 && length <= maxAccessUnitLength();
    }

    /** An ADTS frame holding the {@code length} bytes of {@code src} at index {@code index}. */
    byte[] frame(ByteBuf src, int index, int length) {
        byte[] out = start(length);
        src.getBytes(index, out, prefix.length, length);
        return out;
    }

    /**
     * An ADTS frame holding the {@code length} bytes that start {@code bitOffset} bits after byte index {@code index}
     * of {@code src} (LATM payloads need not be byte aligned).
     */
    byte[] frame(ByteBuf src, int index, long bitOffset, int length) {
        int shift = (int) (bitOffset & 7);
        int from = index + (int) (bitOffset >>> 3);
        if (shift == 0) {
            return frame(src, from, length);
        }
        byte[] out = start(length);
        int at = prefix.length;
        int current = src.getUnsignedByte(from);
        for (int i = 0; i < length; i++) {
            int next = src.getUnsignedByte(from + i + 1);
            out[at + i] = (byte) ((current << shift) | (next >>> (8 - shift)));
            current = next;
        }
        return out;
    }

    private byte[] start(int length) {
        int frameLength = prefix.length + length;
        byte[] out = new byte[frameLength];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        out[3] = (byte) (out[3] | (frameLength >>> 11));
        out[4] = (byte) (frameLength >>> 3);
        out[5] = (byte) (out[5] | ((frameLength & 7) << 5));
        return out;
    }
}
