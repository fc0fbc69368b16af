package io.github.camelrtsp.server;

import io.netty.buffer.ByteBuf;

/**
 * Finds the packets of an H.264 RTP stream (RFC 6184) where a decoder can start: the first packet of an access unit
 * that holds an SPS (NAL type 7), or, when no SPS precedes it in that access unit, the first packet of an IDR slice
 * (NAL type 5: a single NAL unit packet or a FU-A with the start bit). STAP-A aggregates are searched for SPS and IDR.
 */
public final class H264KeyFrames extends KeyFrameStarts {

    private static final int NAL_IDR = 5;
    private static final int NAL_SPS = 7;
    private static final int STAP_A = 24;
    private static final int FU_A = 28;

    /** Creates a detector. */
    public H264KeyFrames() {
        super(1);
    }

    @Override
    protected int classify(ByteBuf buf, int payload, int end) {
        int type = buf.getUnsignedByte(payload) & 0x1F;
        if (type == FU_A) {
            if (payload + 1 >= end) {
                return NONE;
            }
            int fu = buf.getUnsignedByte(payload + 1);
            return (fu & 0x80) != 0 && (fu & 0x1F) == NAL_IDR ? KEY_PICTURE : NONE;
        }
        if (type == STAP_A) {
            int pos = payload + 1;
            int found = NONE;
            while (pos + 2 < end) {
                int size = buf.getUnsignedShort(pos);
                if (size == 0 || pos + 2 + size > end) {
                    break;
                }
                found = Math.max(found, nalKind(buf.getUnsignedByte(pos + 2) & 0x1F));
                pos += 2 + size;
            }
            return found;
        }
        return nalKind(type);
    }

    private static int nalKind(int type) {
        return type == NAL_SPS ? PARAMETER_SET : type == NAL_IDR ? KEY_PICTURE : NONE;
    }
}
