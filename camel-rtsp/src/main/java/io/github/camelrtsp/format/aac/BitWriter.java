package io.github.camelrtsp.format.aac;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;

/** Builds a small byte array bit by bit (MSB first); used for configuration bytes, never per packet. */
final class BitWriter {

    private byte[] bytes = new byte[16];
    private long bits;

    /** Appends the low {@code n} bits of {@code value} (n from 0 to 32). */
    BitWriter put(long value, int n) {
        for (int i = n - 1; i >= 0; i--) {
            putBit((int) (value >>> i) & 1);
        }
        return this;
    }

    /** Appends {@code count} bits of {@code buf} starting {@code fromBit} bits after byte index {@code start}. */
    BitWriter copy(ByteBuf buf, int start, long fromBit, long count) {
        for (long i = 0; i < count; i++) {
            long bit = fromBit + i;
            int b = buf.getUnsignedByte(start + (int) (bit >>> 3));
            putBit((b >>> (7 - (int) (bit & 7))) & 1);
        }
        return this;
    }

    /** Pads with zero bits to the next byte boundary. */
    BitWriter align() {
        while ((bits & 7) != 0) {
            putBit(0);
        }
        return this;
    }

    /** Bits written so far. */
    long bitLength() {
        return bits;
    }

    /** The bytes written, the last one padded with zero bits. */
    byte[] toByteArray() {
        return Arrays.copyOf(bytes, (int) ((bits + 7) >>> 3));
    }

    private void putBit(int bit) {
        int index = (int) (bits >>> 3);
        if (index == bytes.length) {
            bytes = Arrays.copyOf(bytes, bytes.length * 2);
        }
        if (bit != 0) {
            bytes[index] |= (byte) (0x80 >>> (int) (bits & 7));
        }
        bits++;
    }
}
