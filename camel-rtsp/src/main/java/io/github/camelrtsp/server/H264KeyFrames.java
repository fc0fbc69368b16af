package io.github.camelrtsp.server;

import io.netty.buffer.ByteBuf;

/**
 * Finds the packets of an H.264 RTP stream (RFC 6184) where a decoder can start: the first packet of an access unit
 * that holds an SPS (NAL type 7), or, when no SPS precedes it in that access unit, the first packet of an IDR slice
 * (NAL type 5: a single NAL unit packet or a FU-A with the start bit). STAP-A aggregates are searched for SPS and IDR.
 * One instance per stream, fed every packet in order; not thread safe.
 */
public final class H264KeyFrames {

    private static final int NAL_IDR = 5;
    private static final int NAL_SPS = 7;
    private static final int STAP_A = 24;
    private static final int FU_A = 28;

    private boolean startSeen;
    private long startTimestamp;

    /** Creates a detector. */
    public H264KeyFrames() {
    }

    /**
     * Tells whether {@code rtpPacket} (a whole RTP packet, between reader and writer index; no index is moved) starts
     * a key frame. Packets too short to hold a payload are not start points.
     */
    public boolean isKeyFrameStart(ByteBuf rtpPacket) {
        int start = rtpPacket.readerIndex();
        int end = rtpPacket.writerIndex();
        if (end - start < 13 || (rtpPacket.getUnsignedByte(start) >>> 6) != 2) {
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
        if (payload >= end) {
            return false;
        }
        long timestamp = rtpPacket.getUnsignedInt(start + 4);
        int kind = kind(rtpPacket, payload, end);
        if (kind == NAL_SPS) {
            boolean sameUnit = startSeen && timestamp == startTimestamp;
            startSeen = true;
            startTimestamp = timestamp;
            return !sameUnit;
        }
        if (kind == NAL_IDR) {
            if (startSeen && timestamp == startTimestamp) {
                return false;
            }
            startSeen = true;
            startTimestamp = timestamp;
            return true;
        }
        return false;
    }

    /** Returns 7 when the payload holds an SPS, 5 when it starts an IDR slice, 0 otherwise. */
    private static int kind(ByteBuf buf, int payload, int end) {
        int type = buf.getUnsignedByte(payload) & 0x1F;
        if (type == NAL_SPS || type == NAL_IDR) {
            return type;
        }
        if (type == FU_A) {
            if (payload + 1 >= end) {
                return 0;
            }
            int fu = buf.getUnsignedByte(payload + 1);
            return (fu & 0x80) != 0 && (fu & 0x1F) == NAL_IDR ? NAL_IDR : 0;
        }
        if (type == STAP_A) {
            int pos = payload + 1;
            int found = 0;
            while (pos + 2 < end) {
                int size = buf.getUnsignedShort(pos);
                if (size == 0 || pos + 2 + size > end) {
                    break;
                }
                int inner = buf.getUnsignedByte(pos + 2) & 0x1F;
                if (inner == NAL_SPS) {
                    return NAL_SPS;
                }
                if (inner == NAL_IDR) {
                    found = NAL_IDR;
                }
                pos += 2 + size;
            }
            return found;
        }
        return 0;
    }
}
