package io.github.camelrtsp.format.aac;

import io.netty.buffer.ByteBuf;

/**
 * Reads big-endian bit fields in place from a byte range of a buffer (MSB first, as MPEG-4 Audio and RFC 3640 write
 * them). Reading past the end of the range throws {@link AacFormatException}. Reusable through {@link #reset}.
 */
final class BitReader {

    private ByteBuf buf;
    private int start;
    private long limit;
    private long pos;

    /** Reads {@code bitLength} bits starting at byte index {@code start} of {@code buf}. */
    BitReader reset(ByteBuf buf, int start, long bitLength) {
        this.buf = buf;
        this.start = start;
        this.limit = bitLength;
        this.pos = 0;
        return this;
    }

    /** Bits read so far, from the start of the range. */
    long position() {
        return pos;
    }

    /** Moves to bit {@code position} of the range (at most its length). */
    void seek(long position) {
        if (position < 0 || position > limit) {
            throw new AacFormatException("bit position " + position + " outside 0.." + limit);
        }
        pos = position;
    }

    /** Bits left before the end of the range. */
    long remaining() {
        return limit - pos;
    }

    /** The buffer read. */
    ByteBuf buffer() {
        return buf;
    }

    /** Absolute byte index in {@link #buffer()} where the range starts. */
    int startIndex() {
        return start;
    }

    /** Reads one bit. */
    boolean bit() {
        return read(1) != 0;
    }

    /** Reads an unsigned field of {@code n} bits, 0 to 31. */
    int readInt(int n) {
        return (int) read(n);
    }

    /** Reads an unsigned field of {@code n} bits, 0 to 57. */
    long read(int n) {
        if (n < 0 || n > 57) {
            throw new IllegalArgumentException("cannot read " + n + " bits at once");
        }
        need(n);
        long value = 0;
        while (n > 0) {
            int b = buf.getUnsignedByte(start + (int) (pos >>> 3));
            int offset = (int) (pos & 7);
            int available = 8 - offset;
            int take = Math.min(available, n);
            value = (value << take) | ((b >>> (available - take)) & ((1 << take) - 1));
            pos += take;
            n -= take;
        }
        return value;
    }

    /** Skips {@code n} bits. */
    void skip(long n) {
        if (n < 0) {
            throw new AacFormatException("negative skip of " + n + " bits");
        }
        need(n);
        pos += n;
    }

    /** Moves to the next byte boundary counted from {@code originBit} (a position of this reader). */
    void alignFrom(long originBit) {
        long misalignment = (pos - originBit) & 7;
        if (misalignment != 0) {
            skip(8 - misalignment);
        }
    }

    private void need(long n) {
        if (n > limit - pos) {
            throw new AacFormatException("needs " + n + " more bits at bit " + pos + " of " + limit);
        }
    }
}
