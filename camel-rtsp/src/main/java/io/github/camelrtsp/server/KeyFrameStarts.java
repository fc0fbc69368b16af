package io.github.camelrtsp.server;

import io.netty.buffer.ByteBuf;

/**
 * Finds the RTP packets of a video stream where a decoder can start: the first packet of an access unit that holds a
 * parameter set or begins a key picture. The RTP framing and the "once per access unit" rule live here; each codec
 * says what its payload holds. One instance per stream, fed every packet in order; not thread safe.
 */
public abstract class KeyFrameStarts {

    /** The payload holds nothing a decoder can start at. */
    protected static final int NONE = 0;
    /** The payload begins a key picture (IDR, IRAP). */
    protected static final int KEY_PICTURE = 1;
    /** The payload holds a parameter set (SPS, VPS). */
    protected static final int PARAMETER_SET = 2;

    private final int payloadHeaderLength;
    private boolean startSeen;
    private long startTimestamp;

    /** @param payloadHeaderLength bytes of payload header a packet needs before it can be classified */
    protected KeyFrameStarts(int payloadHeaderLength) {
        this.payloadHeaderLength = payloadHeaderLength;
    }

    /** A detector for the encoding name of an rtpmap ({@code H264}, {@code H265}), or null for other formats. */
    public static KeyFrameStarts forEncoding(String encoding) {
        if ("H264".equalsIgnoreCase(encoding)) {
            return new H264KeyFrames();
        }
        if ("H265".equalsIgnoreCase(encoding)) {
            return new H265KeyFrames();
        }
        return null;
    }

    /**
     * Tells whether {@code rtpPacket} (a whole RTP packet, between reader and writer index; no index is moved) starts
     * a key frame. Packets too short to hold a payload header are not start points.
     */
    public final boolean isKeyFrameStart(ByteBuf rtpPacket) {
        int start = rtpPacket.readerIndex();
        int end = rtpPacket.writerIndex();
        if (end - start < 12 + payloadHeaderLength || (rtpPacket.getUnsignedByte(start) >>> 6) != 2) {
            return false;
        }
        int b0 = rtpPacket.getUnsignedByte(start);
        int payload = start + 12 + 4 * (b0 & 0x0F);
        if ((b0 & 0x10) != 0) {
            if (payload + 4 > end) {
                return false;
            }
            payload += 4 + 4 * rtpPacket.getUnsignedShort(payload + 2);
        }
        if (payload + payloadHeaderLength > end || classify(rtpPacket, payload, end) == NONE) {
            return false;
        }
        long timestamp = rtpPacket.getUnsignedInt(start + 4);
        boolean sameUnit = startSeen && timestamp == startTimestamp;
        startSeen = true;
        startTimestamp = timestamp;
        return !sameUnit;
    }

    /**
     * What the payload starting at {@code payload} (ending before {@code end}, at least the payload header long)
     * holds: {@link #NONE}, {@link #KEY_PICTURE} or {@link #PARAMETER_SET}.
     */
    protected abstract int classify(ByteBuf buf, int payload, int end);
}
