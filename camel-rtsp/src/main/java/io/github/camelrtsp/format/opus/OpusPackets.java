package io.github.camelrtsp.format.opus;

import io.netty.buffer.ByteBuf;

/**
 * Reads the framing of one Opus packet (RFC 6716 3.1 and 3.2) in place: its duration from the TOC byte and, for
 * frame count code 3, the frame count byte, after checking the packet against the rules of RFC 6716 3.4 (R1-R7) so
 * that a decoder will accept its framing. No allocation.
 */
public final class OpusPackets {

    /** Opus always counts time at 48 kHz, whatever the audio bandwidth (RFC 7587 4.1). */
    public static final int CLOCK_RATE = 48_000;
    /** Longest frame in bytes (RFC 6716 3.4 R2). */
    public static final int MAX_FRAME_BYTES = 1275;
    /** Longest packet in 48 kHz samples: 120 ms (RFC 6716 3.4 R5). */
    public static final int MAX_PACKET_SAMPLES = 5760;

    /** Returned by {@link #sampleCount} for an empty packet (R1). */
    public static final int ERR_EMPTY = -1;
    /** Returned by {@link #sampleCount} when a frame is longer than 1275 bytes (R2, R6, R7). */
    public static final int ERR_FRAME_TOO_LONG = -2;
    /** Returned by {@link #sampleCount} for a code 1 packet whose two frames cannot have the same size (R3). */
    public static final int ERR_CODE1_ODD = -3;
    /** Returned by {@link #sampleCount} when the packet ends inside its length or count bytes (R4, R6, R7). */
    public static final int ERR_TRUNCATED = -4;
    /** Returned by {@link #sampleCount} when a code 2 first frame length runs past the packet (R4). */
    public static final int ERR_CODE2_LENGTH = -5;
    /** Returned by {@link #sampleCount} for a code 3 packet that declares no frame (R5). */
    public static final int ERR_NO_FRAMES = -6;
    /** Returned by {@link #sampleCount} for a code 3 packet longer than 120 ms (R5). */
    public static final int ERR_TOO_LONG_DURATION = -7;
    /** Returned by {@link #sampleCount} when the padding runs past the packet (R6, R7). */
    public static final int ERR_PADDING = -8;
    /** Returned by {@link #sampleCount} for a constant bitrate code 3 packet not divisible into equal frames (R6). */
    public static final int ERR_CBR_SIZE = -9;
    /** Returned by {@link #sampleCount} when the frame lengths of a variable bitrate code 3 packet exceed it (R7). */
    public static final int ERR_VBR_LENGTHS = -10;

    private static final int[] SILK_FRAME_SAMPLES = {480, 960, 1920, 2880};

    private OpusPackets() {
    }

    /**
     * Samples per channel at 48 kHz of each frame of a packet with this TOC byte (RFC 6716 table 2): SILK-only
     * configurations 0-11 last 10, 20, 40 or 60 ms, hybrid 12-15 last 10 or 20 ms, CELT-only 16-31 last 2.5, 5, 10
     * or 20 ms.
     */
    public static int samplesPerFrame(int toc) {
        int config = (toc >> 3) & 0x1F;
        if (config < 12) {
            return SILK_FRAME_SAMPLES[config & 3];
        }
        if (config < 16) {
            return (config & 1) == 0 ? 480 : 960;
        }
        return 120 << (config & 3);
    }

    /**
     * Checks the packet's framing and returns its duration.
     *
     * @param buf    buffer holding the packet
     * @param index  absolute index of the TOC byte
     * @param length packet length in bytes
     * @return samples per channel at 48 kHz (number of frames times {@link #samplesPerFrame(int)}), or one of the
     *         negative {@code ERR_} codes when the packet breaks a rule of RFC 6716 3.4 ({@link #describe(int)})
     */
    public static int sampleCount(ByteBuf buf, int index, int length) {
        if (length < 1) {
            return ERR_EMPTY;
        }
        int toc = buf.getUnsignedByte(index);
        int frameSamples = samplesPerFrame(toc);
        int afterToc = length - 1;
        switch (toc & 3) {
            case 0:
                return afterToc > MAX_FRAME_BYTES ? ERR_FRAME_TOO_LONG : frameSamples;
            case 1:
                if ((afterToc & 1) != 0) {
                    return ERR_CODE1_ODD;
                }
                return afterToc / 2 > MAX_FRAME_BYTES ? ERR_FRAME_TOO_LONG : 2 * frameSamples;
            case 2:
                return checkCode2(buf, index, length, frameSamples);
            default:
                return checkCode3(buf, index, length, frameSamples);
        }
    }

    private static int checkCode2(ByteBuf buf, int index, int length, int frameSamples) {
        int pos = 1;
        if (pos >= length) {
            return ERR_TRUNCATED;
        }
        int first = buf.getUnsignedByte(index + pos++);
        if (first >= 252) {
            if (pos >= length) {
                return ERR_TRUNCATED;
            }
            first += 4 * buf.getUnsignedByte(index + pos++);
        }
        int rest = length - pos;
        if (first > rest) {
            return ERR_CODE2_LENGTH;
        }
        return rest - first > MAX_FRAME_BYTES ? ERR_FRAME_TOO_LONG : 2 * frameSamples;
    }

    private static int checkCode3(ByteBuf buf, int index, int length, int frameSamples) {
        int pos = 1;
        if (pos >= length) {
            return ERR_TRUNCATED;
        }
        int countByte = buf.getUnsignedByte(index + pos++);
        int frames = countByte & 0x3F;
        if (frames == 0) {
            return ERR_NO_FRAMES;
        }
        if (frames * frameSamples > MAX_PACKET_SAMPLES) {
            return ERR_TOO_LONG_DURATION;
        }
        int padding = 0;
        if ((countByte & 0x40) != 0) {
            int value;
            do {
                if (pos >= length) {
                    return ERR_TRUNCATED;
                }
                value = buf.getUnsignedByte(index + pos++);
                padding += value == 255 ? 254 : value;
            } while (value == 255);
        }
        int end = length - padding;
        if (end < pos) {
            return ERR_PADDING;
        }
        if ((countByte & 0x80) == 0) {
            int data = end - pos;
            if (data % frames != 0) {
                return ERR_CBR_SIZE;
            }
            return data / frames > MAX_FRAME_BYTES ? ERR_FRAME_TOO_LONG : frames * frameSamples;
        }
        int sum = 0;
        for (int i = 1; i < frames; i++) {
            if (pos >= end) {
                return ERR_TRUNCATED;
            }
            int frameLength = buf.getUnsignedByte(index + pos++);
            if (frameLength >= 252) {
                if (pos >= end) {
                    return ERR_TRUNCATED;
                }
                frameLength += 4 * buf.getUnsignedByte(index + pos++);
            }
            sum += frameLength;
        }
        int last = end - pos - sum;
        if (last < 0) {
            return ERR_VBR_LENGTHS;
        }
        return last > MAX_FRAME_BYTES ? ERR_FRAME_TOO_LONG : frames * frameSamples;
    }

    /** What a negative code of {@link #sampleCount} means; a constant text. */
    public static String describe(int code) {
        switch (code) {
            case ERR_EMPTY:
                return "empty Opus packet";
            case ERR_FRAME_TOO_LONG:
                return "Opus frame longer than 1275 bytes";
            case ERR_CODE1_ODD:
                return "Opus code 1 packet with an odd number of frame bytes";
            case ERR_TRUNCATED:
                return "Opus packet ends inside its frame count or length bytes";
            case ERR_CODE2_LENGTH:
                return "Opus code 2 first frame length runs past the packet";
            case ERR_NO_FRAMES:
                return "Opus code 3 packet with a frame count of 0";
            case ERR_TOO_LONG_DURATION:
                return "Opus code 3 packet longer than 120 ms";
            case ERR_PADDING:
                return "Opus padding runs past the packet";
            case ERR_CBR_SIZE:
                return "Opus constant bitrate code 3 packet not divisible into equal frames";
            case ERR_VBR_LENGTHS:
                return "Opus variable bitrate frame lengths run past the packet";
            default:
                return code >= 0 ? "valid Opus packet" : "malformed Opus packet";
        }
    }
}
