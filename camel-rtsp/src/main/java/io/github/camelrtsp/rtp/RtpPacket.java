package io.github.camelrtsp.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * An RTP packet header (RFC 3550 5.1) read in place over a buffer. Reusable: {@link #wrap(ByteBuf)} parses the next
 * packet into the same instance, so the per-packet path allocates nothing.
 *
 * <p>The instance keeps a reference to the wrapped buffer but never retains or releases it: the packet is valid only
 * as long as the caller keeps that buffer alive and does not change the bytes between its reader and writer index.
 * Not thread-safe; one instance per I/O thread or per connection.
 */
public final class RtpPacket {

    /** Length of the fixed RTP header in bytes. */
    public static final int FIXED_HEADER_LENGTH = 12;

    /** The only RTP version this class reads and writes. */
    public static final int VERSION = 2;

    private ByteBuf buf;
    private int start;
    private int length;
    private int firstByte;
    private int secondByte;
    private int sequenceNumber;
    private long timestamp;
    private long ssrc;
    private int headerLength;
    private int payloadLength;
    private int paddingLength;
    private int extensionProfile = -1;
    private int extensionDataOffset;
    private int extensionDataLength;
    private ByteBuf payloadSlice;

    /**
     * Parses the RTP packet between the reader index and the writer index of {@code buf}. Moves no index and copies
     * nothing; the previous packet of this instance is forgotten.
     *
     * @return this instance
     * @throws RtpFormatException if the bytes are not a valid RTP packet: shorter than 12 bytes, version other than
     *                            2, CSRC list or header extension running past the end, padding count 0 or larger
     *                            than what follows the header. The instance then holds no packet.
     */
    public RtpPacket wrap(ByteBuf buf) {
        this.buf = null;
        this.payloadSlice = null;
        int from = buf.readerIndex();
        int len = buf.readableBytes();
        if (len < FIXED_HEADER_LENGTH) {
            throw new RtpFormatException("RTP packet of " + len + " bytes is shorter than the 12-byte fixed header");
        }
        int b0 = buf.getUnsignedByte(from);
        int version = b0 >>> 6;
        if (version != VERSION) {
            throw new RtpFormatException("RTP version " + version + " is not 2");
        }
        int csrcCount = b0 & 0x0F;
        int header = FIXED_HEADER_LENGTH + 4 * csrcCount;
        if (header > len) {
            throw new RtpFormatException("RTP CSRC list of " + csrcCount + " entries needs " + header
                                         + " header bytes but the packet has " + len);
        }
        int profile = -1;
        int extOffset = 0;
        int extLength = 0;
        if ((b0 & 0x10) != 0) {
            if (header + 4 > len) {
                throw new RtpFormatException("RTP header extension starts at byte " + header
                                             + " but the packet has only " + len + " bytes");
            }
            profile = buf.getUnsignedShort(from + header);
            extLength = 4 * buf.getUnsignedShort(from + header + 2);
            extOffset = header + 4;
            header = extOffset + extLength;
            if (header > len) {
                throw new RtpFormatException("RTP header extension of " + extLength + " bytes ends at byte " + header
                                             + " but the packet has only " + len + " bytes");
            }
        }
        int padding = 0;
        if ((b0 & 0x20) != 0) {
            padding = buf.getUnsignedByte(from + len - 1);
            if (padding == 0) {
                throw new RtpFormatException("RTP padding bit set but the padding count is 0");
            }
            if (padding > len - header) {
                throw new RtpFormatException("RTP padding of " + padding + " bytes is longer than the "
                                             + (len - header) + " bytes after the header");
            }
        }
        this.start = from;
        this.length = len;
        this.firstByte = b0;
        this.secondByte = buf.getUnsignedByte(from + 1);
        this.sequenceNumber = buf.getUnsignedShort(from + 2);
        this.timestamp = buf.getUnsignedInt(from + 4);
        this.ssrc = buf.getUnsignedInt(from + 8);
        this.headerLength = header;
        this.paddingLength = padding;
        this.payloadLength = len - header - padding;
        this.extensionProfile = profile;
        this.extensionDataOffset = extOffset;
        this.extensionDataLength = extLength;
        this.buf = buf;
        return this;
    }

    /** The RTP version field; always 2 after a successful {@link #wrap(ByteBuf)}. */
    public int version() {
        return firstByte >>> 6;
    }

    /** Whether the padding bit is set (the padding itself is excluded from the payload). */
    public boolean padding() {
        return (firstByte & 0x20) != 0;
    }

    /** Whether the packet carries a header extension. */
    public boolean extension() {
        return (firstByte & 0x10) != 0;
    }

    /** Number of CSRC identifiers (0..15). */
    public int csrcCount() {
        return firstByte & 0x0F;
    }

    /**
     * One contributing source identifier, unsigned 32-bit.
     *
     * @throws IndexOutOfBoundsException if {@code index} is not below {@link #csrcCount()}
     */
    public long csrc(int index) {
        if (index < 0 || index >= csrcCount()) {
            throw new IndexOutOfBoundsException("CSRC index " + index + " of " + csrcCount());
        }
        return wrapped().getUnsignedInt(start + FIXED_HEADER_LENGTH + 4 * index);
    }

    /** The marker bit (for video usually: last packet of a frame). */
    public boolean marker() {
        return (secondByte & 0x80) != 0;
    }

    /** Payload type, 0..127. */
    public int payloadType() {
        return secondByte & 0x7F;
    }

    /** Sequence number, 0..65535. */
    public int sequenceNumber() {
        return sequenceNumber;
    }

    /** RTP timestamp, unsigned 32-bit. */
    public long timestamp() {
        return timestamp;
    }

    /** Synchronization source identifier, unsigned 32-bit. */
    public long ssrc() {
        return ssrc;
    }

    /** Length of the whole packet in bytes, header and padding included. */
    public int packetLength() {
        return length;
    }

    /**
     * Offset of the payload from the start of the packet, which is the length of the header with CSRC list and
     * extension. The payload's index in {@link #buffer()} is the buffer's reader index at wrap time plus this.
     */
    public int payloadOffset() {
        return headerLength;
    }

    /**
     * Absolute index of the payload in {@link #buffer()}: with {@link #payloadLength()} it lets a depacketizer read
     * the payload in place without the slice object that {@link #payload()} creates.
     */
    public int payloadIndex() {
        return start + headerLength;
    }

    /** Length of the payload in bytes, padding removed. */
    public int payloadLength() {
        return payloadLength;
    }

    /** Number of padding bytes at the end of the packet, the count byte included; 0 without padding. */
    public int paddingLength() {
        return paddingLength;
    }

    /**
     * The payload (padding removed) as a slice of the wrapped buffer: no copy, and <b>not retained</b>, so it is valid
     * only as long as the wrapped buffer; to keep it longer, take {@code retainedSlice()} of it or use
     * {@link #copyPayload()}.
     * Creates one small slice object on the first call after a wrap and returns the same one afterwards; a path that
     * must not allocate reads {@link #buffer()} at {@link #payloadIndex()} instead.
     */
    public ByteBuf payload() {
        ByteBuf slice = payloadSlice;
        if (slice == null) {
            slice = wrapped().slice(start + headerLength, payloadLength);
            payloadSlice = slice;
        }
        return slice;
    }

    /** A new array with a copy of the payload (padding removed). */
    public byte[] copyPayload() {
        byte[] copy = new byte[payloadLength];
        wrapped().getBytes(start + headerLength, copy);
        return copy;
    }

    /** The buffer last wrapped, or null if the last {@link #wrap(ByteBuf)} failed or none was made. */
    public ByteBuf buffer() {
        return buf;
    }

    /** The 16-bit profile-defined field of the header extension, or -1 without extension. */
    public int extensionProfile() {
        return extensionProfile;
    }

    /**
     * The data of the header extension (after its 4-byte header) as a slice of the wrapped buffer, not retained; an
     * empty buffer without extension.
     */
    public ByteBuf extensionData() {
        ByteBuf wrapped = wrapped();
        if (extensionProfile < 0) {
            return Unpooled.EMPTY_BUFFER;
        }
        return wrapped.slice(start + extensionDataOffset, extensionDataLength);
    }

    /**
     * Writes a 12-byte RTP fixed header (version 2, no padding, no extension, no CSRC) at the writer index of
     * {@code out}. The low 16 bits of {@code seq} and the low 32 bits of {@code ts} and {@code ssrc} are written, so
     * counters may simply be incremented and wrap as RTP expects.
     *
     * @throws IllegalArgumentException if {@code pt} is not within 0..127
     */
    public static void writeHeader(ByteBuf out, boolean marker, int pt, int seq, long ts, long ssrc) {
        if (pt < 0 || pt > 127) {
            throw new IllegalArgumentException("RTP payload type " + pt + " is not within 0..127");
        }
        out.ensureWritable(FIXED_HEADER_LENGTH);
        out.writeByte(VERSION << 6);
        out.writeByte((marker ? 0x80 : 0) | pt);
        out.writeShort(seq);
        out.writeInt((int) ts);
        out.writeInt((int) ssrc);
    }

    private ByteBuf wrapped() {
        ByteBuf b = buf;
        if (b == null) {
            throw new IllegalStateException("no RTP packet wrapped");
        }
        return b;
    }

    @Override
    public String toString() {
        if (buf == null) {
            return "RtpPacket[none]";
        }
        return "RtpPacket[pt=" + payloadType() + ", seq=" + sequenceNumber + ", ts=" + timestamp + ", ssrc="
               + Long.toHexString(ssrc) + (marker() ? ", marker" : "") + ", payload=" + payloadLength + " bytes]";
    }
}
