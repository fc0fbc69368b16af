package io.github.camelrtsp.rtp;

import io.netty.buffer.ByteBuf;

/**
 * An RTP packet header (RFC 3550 5.1) read in place over a buffer. Reusable: {@link #wrap(ByteBuf)} parses the next
 * packet into the same instance, so the per-packet path allocates nothing.
 */
public final class RtpPacket {

    /** API outline; the rtp package work replaces this body. */
    public RtpPacket wrap(ByteBuf buf) {
        throw new IllegalStateException("outline");
    }

    public boolean marker() {
        return false;
    }

    public int payloadType() {
        return 0;
    }

    public int sequenceNumber() {
        return 0;
    }

    public long timestamp() {
        return 0;
    }

    public long ssrc() {
        return 0;
    }

    /** The payload as a slice of the wrapped buffer (no copy, not retained). */
    public ByteBuf payload() {
        return null;
    }

    public int payloadLength() {
        return 0;
    }

    /** A copy of the payload. */
    public byte[] copyPayload() {
        return new byte[0];
    }
}
