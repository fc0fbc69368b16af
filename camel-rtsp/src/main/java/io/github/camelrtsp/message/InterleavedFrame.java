package io.github.camelrtsp.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One packet interleaved in the RTSP TCP connection (RFC 2326 section 10.12): {@code $}, a one-byte channel, a
 * two-byte length, then the payload. Reference counted: whoever receives it releases it.
 */
public class InterleavedFrame extends DefaultByteBufHolder {

    /** The largest payload the two-byte length field can describe. */
    public static final int MAX_PAYLOAD = 0xFFFF;

    private final int channel;

    /**
     * Creates a frame that takes ownership of {@code payload}.
     *
     * @param channel channel number 0..255
     * @param payload the packet (for example RTP or RTCP), not copied
     * @throws IllegalArgumentException for a channel outside 0..255
     */
    public InterleavedFrame(int channel, ByteBuf payload) {
        super(payload);
        if (channel < 0 || channel > 255) {
            throw new IllegalArgumentException("interleaved channel must be 0..255: " + channel);
        }
        this.channel = channel;
    }

    /** Returns the channel number. */
    public int channel() {
        return channel;
    }

    @Override
    public InterleavedFrame copy() {
        return replace(content().copy());
    }

    @Override
    public InterleavedFrame duplicate() {
        return replace(content().duplicate());
    }

    @Override
    public InterleavedFrame retainedDuplicate() {
        return replace(content().retainedDuplicate());
    }

    @Override
    public InterleavedFrame replace(ByteBuf content) {
        return new InterleavedFrame(channel, content);
    }

    @Override
    public InterleavedFrame retain() {
        super.retain();
        return this;
    }

    @Override
    public InterleavedFrame retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public InterleavedFrame touch() {
        super.touch();
        return this;
    }

    @Override
    public InterleavedFrame touch(Object hint) {
        super.touch(hint);
        return this;
    }

    /** Equal when the channel and the readable payload bytes are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof InterleavedFrame && ((InterleavedFrame) o).channel == channel && super.equals(o);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + channel;
    }

    @Override
    public String toString() {
        return "InterleavedFrame[channel=" + channel + ", " + content().readableBytes() + " bytes]";
    }
}
