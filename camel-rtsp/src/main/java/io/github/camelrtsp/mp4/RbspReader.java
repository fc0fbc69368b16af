package io.github.camelrtsp.mp4;

/**
 * Reads bits of a NAL unit's payload (RBSP) with emulation prevention bytes ({@code 00 00 03}) skipped: fixed-width
 * fields and Exp-Golomb codes (H.264 / H.265 7.2, 9.2). Reading past the end throws {@link Mp4FormatException}.
 */
final class RbspReader {

    private final byte[] rbsp;
    private final int length;
    private long bit;

    /** Reads {@code nal} from {@code offset} (the byte after the NAL unit header). */
    RbspReader(byte[] nal, int offset) {
        rbsp = new byte[Math.max(0, nal.length - offset)];
        int n = 0;
        int zeros = 0;
        for (int i = offset; i < nal.length; i++) {
            int b = nal[i] & 0xFF;
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            rbsp[n++] = (byte) b;
        }
        length = n;
    }

    /** Reads one bit. */
    int bit() {
        if (bit >= (long) length * 8) {
            throw new Mp4FormatException("parameter set truncated after " + length + " bytes");
        }
        int b = (rbsp[(int) (bit >>> 3)] >>> (7 - (int) (bit & 7))) & 1;
        bit++;
        return b;
    }

    /** Reads {@code n} bits (at most 32) as an unsigned value. */
    long bits(int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 1) | bit();
        }
        return v;
    }

    /** Reads {@code n} bits (at most 31). */
    int u(int n) {
        return (int) bits(n);
    }

    /** Skips {@code n} bits. */
    void skip(long n) {
        for (long i = 0; i < n; i++) {
            bit();
        }
    }

    /** Reads an unsigned Exp-Golomb code. */
    int ue() {
        int zeros = 0;
        while (bit() == 0) {
            zeros++;
            if (zeros > 31) {
                throw new Mp4FormatException("Exp-Golomb code longer than 32 bits");
            }
        }
        long v = (1L << zeros) - 1 + bits(zeros);
        if (v > Integer.MAX_VALUE) {
            throw new Mp4FormatException("Exp-Golomb value out of range: " + v);
        }
        return (int) v;
    }

    /** Reads a signed Exp-Golomb code. */
    int se() {
        int k = ue();
        return (k & 1) != 0 ? (k + 1) / 2 : -(k / 2);
    }
}
