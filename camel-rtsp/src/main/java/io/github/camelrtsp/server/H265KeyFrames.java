package io.github.camelrtsp.server;

import io.netty.buffer.ByteBuf;

/**
 * Finds the packets of an H.265 RTP stream (RFC 7798) where a decoder can start: the first packet of an access unit
 * that holds a VPS or SPS (NAL types 32, 33), or, when none precedes it in that access unit, the first packet of an
 * IRAP picture (NAL types 16-21: BLA, IDR, CRA): a single NAL unit packet, an aggregation packet (type 48) holding
 * one, or a fragmentation unit (type 49) with the start bit. One instance per stream, fed every packet in order; not
 * thread safe.
 */
public final class H265KeyFrames {

    private static final int KIND_NONE = 0;
    private static final int KIND_IRAP = 1;
    private static final int KIND_PARAMETER_SET = 2;
    private static final int AP = 48;
    private static final int FU = 49;

    private boolean startSeen;
    private long startTimestamp;

    /** Creates a detector. */
    public H265KeyFrames() {
    }

    /**
     * Tells whether {@code rtpPacket} (a whole RTP packet, between reader and writer index; no index is moved) starts
     * a key frame. Packets too short to hold a payload header are not start points.
     */
    public boolean isKeyFrameStart(ByteBuf rtpPacket) {
        int start = rtpPacket.readerIndex();
        int end = rtpPacket.writerIndex();
        if (end - start < 14 || (rtpPacket.getUnsignedByte(start) >>> 6) != 2) {
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
        if (payload + 2 > end) {
            return false;
        }
        int kind = kind(rtpPacket, payload, end);
        if (kind == KIND_NONE) {
            return false;
        }
        long timestamp = rtpPacket.getUnsignedInt(start + 4);
        boolean sameUnit = startSeen && timestamp == startTimestamp;
        startSeen = true;
        startTimestamp = timestamp;
        return !sameUnit;
    }

    private static int nalType(ByteBuf buf, int at) {
        return (buf.getUnsignedByte(at) >>> 1) & 0x3F;
    }

    private static int classify(int type) {
        if (type >= 16 && type <= 21) {
            return KIND_IRAP;
        }
        return type == 32 || type == 33 ? KIND_PARAMETER_SET : KIND_NONE;
    }

    /** What the payload (2-byte payload header first) holds: a parameter set, an IRAP start, or neither. */
    private static int kind(ByteBuf buf, int payload, int end) {
        int type = nalType(buf, payload);
        if (type == FU) {
            if (payload + 2 >= end) {
                return KIND_NONE;
            }
            int fu = buf.getUnsignedByte(payload + 2);
            return (fu & 0x80) != 0 && classify(fu & 0x3F) == KIND_IRAP ? KIND_IRAP : KIND_NONE;
        }
        if (type == AP) {
            int pos = payload + 2;
            int found = KIND_NONE;
            while (pos + 2 < end) {
                int size = buf.getUnsignedShort(pos);
                if (size < 2 || pos + 2 + size > end) {
                    break;
                }
                found = Math.max(found, classify(nalType(buf, pos + 2)));
                pos += 2 + size;
            }
            return found;
        }
        return classify(type);
    }
}
