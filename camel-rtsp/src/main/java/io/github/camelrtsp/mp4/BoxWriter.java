package io.github.camelrtsp.mp4;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes ISO BMFF (ISO/IEC 14496-12) boxes into a growable big-endian buffer. A box is opened with {@link #box} or
 * {@link #fullBox}, which write a placeholder size, and closed with {@link #end}, which patches the size in; boxes
 * nest. Not thread safe.
 */
public final class BoxWriter {

    private byte[] buf;
    private int pos;

    /** A writer with an initial capacity in bytes. */
    public BoxWriter(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    /** Opens a box of a four-character type; returns its offset, to pass to {@link #end}. */
    public int box(String type) {
        byte[] code = fourCcBytes(type);
        int start = pos;
        u32(0);
        bytes(code);
        return start;
    }

    /** Opens a full box (version and 24 bits of flags after the type); returns its offset. */
    public int fullBox(String type, int version, int flags) {
        int start = box(type);
        u8(version);
        u24(flags);
        return start;
    }

    /** Closes the box opened at {@code start}, writing its size. */
    public void end(int start) {
        patchU32(start, pos - start);
    }

    /** Writes a four-character code. */
    public BoxWriter fourCc(String code) {
        return bytes(fourCcBytes(code));
    }

    private static byte[] fourCcBytes(String code) {
        byte[] b = code.getBytes(StandardCharsets.ISO_8859_1);
        if (b.length != 4) {
            throw new IllegalArgumentException("not a four-character code: '" + code + "'");
        }
        return b;
    }

    /** Writes the low 8 bits. */
    public BoxWriter u8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
        return this;
    }

    /** Writes the low 16 bits. */
    public BoxWriter u16(int v) {
        ensure(2);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
        return this;
    }

    /** Writes the low 24 bits. */
    public BoxWriter u24(int v) {
        ensure(3);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
        return this;
    }

    /** Writes the low 32 bits. */
    public BoxWriter u32(long v) {
        ensure(4);
        buf[pos++] = (byte) (v >>> 24);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
        return this;
    }

    /** Writes 64 bits. */
    public BoxWriter u64(long v) {
        u32(v >>> 32);
        return u32(v);
    }

    /** Writes {@code n} zero bytes. */
    public BoxWriter zeros(int n) {
        ensure(n);
        Arrays.fill(buf, pos, pos + n, (byte) 0);
        pos += n;
        return this;
    }

    /** Writes all of {@code b}. */
    public BoxWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    /** Writes {@code length} bytes of {@code b} from {@code offset}. */
    public BoxWriter bytes(byte[] b, int offset, int length) {
        ensure(length);
        System.arraycopy(b, offset, buf, pos, length);
        pos += length;
        return this;
    }

    /** Overwrites 32 bits at {@code offset} (already written). */
    public void patchU32(int offset, long v) {
        if (offset < 0 || offset + 4 > pos) {
            throw new IndexOutOfBoundsException("patch at " + offset + " outside the " + pos + " bytes written");
        }
        buf[offset] = (byte) (v >>> 24);
        buf[offset + 1] = (byte) (v >>> 16);
        buf[offset + 2] = (byte) (v >>> 8);
        buf[offset + 3] = (byte) v;
    }

    /** Bytes written so far. */
    public int position() {
        return pos;
    }

    /** A copy of the bytes written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    private void ensure(int n) {
        if (n < 0 || pos + n < 0) {
            throw new IllegalArgumentException("MP4 data too large");
        }
        if (pos + n > buf.length) {
            long grown = Math.max((long) buf.length * 2, (long) pos + n);
            if (grown > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("MP4 data too large: " + grown + " bytes");
            }
            buf = Arrays.copyOf(buf, (int) grown);
        }
    }
}
