package io.github.camelrtsp.server;

import io.netty.buffer.ByteBuf;

/**
 * Finds the packets of an H.265 RTP stream (RFC 7798) where a decoder can start: the first packet of an access unit
 * that holds a VPS or SPS (NAL types 32, 33), or, when none precedes it in that access unit, the first packet of an
 * IRAP picture (NAL types 16-21: BLA, IDR, CRA): a single NAL unit packet, an aggregation packet (type 48) holding
 * one, or a fragmentation unit (type 49) with the start bit.
 */
public final class H265KeyFrames extends KeyFrameStarts {

    private static final int AP = 48;
    private static final int FU = 49;

    /** Creates a detector. */
    public H265KeyFrames() {
        super(2);
    }

    private static int nalType(ByteBuf buf, int at) {
        return (buf.getUnsignedByte(at) >>> 1) & 0x3F;
    }

    private static int nalKind(int type) {
        if (type >= 16 && type <= 21) {
            return KEY_PICTURE;
        }
        return type == 32 || type == 33 ? PARAMETER_SET : NONE;
    }

    @Override
    protected int classify(ByteBuf buf, int payload, int end) {
        int type = nalType(buf, payload);
        if (type == FU) {
            if (payload + 2 >= end) {
                return NONE;
            }
            int fu = buf.getUnsignedByte(payload + 2);
            return (fu & 0x80) != 0 && nalKind(fu & 0x3F) == KEY_PICTURE ? KEY_PICTURE : NONE;
        }
        if (type == AP) {
            int pos = payload + 2;
            int found = NONE;
            while (pos + 2 < end) {
                int size = buf.getUnsignedShort(pos);
                if (size < 2 || pos + 2 + size > end) {
                    break;
                }
                found = Math.max(found, nalKind(nalType(buf, pos + 2)));
                pos += 2 + size;
            }
            return found;
        }
        return nalKind(type);
    }
}
