package io.github.camelrtsp.format.h264;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.annexb.AnnexBDepacketizer;
import io.github.camelrtsp.format.annexb.NalUnitKind;
import io.netty.buffer.ByteBuf;

/**
 * H.264 over RTP (RFC 6184) to Annex B access units. Reads single NAL unit packets (types 1-23), STAP-A (24) and
 * FU-A (28), i.e. packetization modes 0 and 1; the interleaved mode's STAP-B, MTAP16, MTAP24 and FU-B are skipped
 * and counted, as are the undefined types 0, 30 and 31. Parameter sets come from the fmtp
 * {@code sprop-parameter-sets} and from the stream. Frame boundaries, key frames (access units with an IDR slice,
 * always sent with SPS and PPS in front), loss handling and AUD removal are described in
 * {@link AnnexBDepacketizer}.
 */
public final class H264Depacketizer extends AnnexBDepacketizer {

    private static final Logger LOG = LoggerFactory.getLogger(H264Depacketizer.class);

    static final int STAP_A = 24;
    static final int STAP_B = 25;
    static final int MTAP16 = 26;
    static final int MTAP24 = 27;
    static final int FU_A = 28;
    static final int FU_B = 29;

    /**
     * @param parameters the track's parameters: codec {@code H264}; fmtp {@code sprop-parameter-sets} (optional,
     *                   base64 NAL units separated by commas) and {@code packetization-mode} (only logged)
     * @throws IllegalArgumentException if the codec is not H264 or {@code maxFrameSize} is not positive
     */
    public H264Depacketizer(FormatParameters parameters) {
        super(checkCodec(parameters), LOG, 1, false);
        addParameterSets("sprop-parameter-sets", fmtp(parameters, "sprop-parameter-sets"));
        if ("2".equals(fmtp(parameters, "packetization-mode"))) {
            LOG.warn("{}: packetization-mode=2 (interleaved) is not supported; STAP-B, MTAP and FU-B packets will "
                     + "be skipped", trackName());
        }
    }

    private static FormatParameters checkCodec(FormatParameters parameters) {
        if (!"H264".equalsIgnoreCase(parameters.codec())) {
            throw new IllegalArgumentException("not an H264 track: " + parameters.codec());
        }
        return parameters;
    }

    @Override
    protected void depacketize(ByteBuf buf, int index, int length) {
        int type = buf.getUnsignedByte(index) & 0x1F;
        if (type >= 1 && type <= 23) {
            nalUnit(buf, index, length);
        } else if (type == STAP_A) {
            stapA(buf, index, length);
        } else if (type == FU_A) {
            fuA(buf, index, length);
        } else if (type == STAP_B || type == MTAP16 || type == MTAP24 || type == FU_B) {
            skipPacket(true, "interleaved packetization (STAP-B, MTAP or FU-B) is not supported, packet type", type);
        } else {
            skipPacket(false, "undefined packet type", type);
        }
    }

    private void stapA(ByteBuf buf, int index, int length) {
        int end = index + length;
        int pos = index + 1;
        if (pos == end) {
            skipPacket(true, "STAP-A without any NAL unit");
            return;
        }
        while (pos < end) {
            if (pos + 2 > end) {
                skipPacket(true, "STAP-A with a truncated NAL unit size");
                return;
            }
            int size = buf.getUnsignedShort(pos);
            if (size == 0) {
                skipPacket(true, "STAP-A with an empty NAL unit");
                return;
            }
            if (pos + 2 + size > end) {
                skipPacket(true, "STAP-A NAL unit running past the end of the packet, size", size);
                return;
            }
            int inner = buf.getUnsignedByte(pos + 2) & 0x1F;
            if (inner == 0 || inner > 23) {
                skipPacket(true, "STAP-A holding a NAL unit of type", inner);
                return;
            }
            pos += 2 + size;
        }
        pos = index + 1;
        while (pos < end) {
            int size = buf.getUnsignedShort(pos);
            nalUnit(buf, pos + 2, size);
            pos += 2 + size;
        }
    }

    private void fuA(ByteBuf buf, int index, int length) {
        if (length < 2) {
            skipPacket(true, "FU-A shorter than its two header bytes");
            return;
        }
        int indicator = buf.getUnsignedByte(index);
        int fuHeader = buf.getUnsignedByte(index + 1);
        int type = fuHeader & 0x1F;
        if (type == 0 || type > 23) {
            skipPacket(true, "FU-A fragment of a NAL unit of type", type);
            return;
        }
        fragment(indicator & 0xE0 | type, (fuHeader & 0x80) != 0, (fuHeader & 0x40) != 0, buf, index + 2,
                length - 2);
    }

    @Override
    protected int nalType(int header) {
        return header & 0x1F;
    }

    @Override
    protected NalUnitKind kindOf(int nalType) {
        switch (nalType) {
            case 1:
            case 2:
            case 3:
            case 4:
                return NalUnitKind.SLICE;
            case 5:
                return NalUnitKind.IDR_SLICE;
            case 7:
                return NalUnitKind.SEQUENCE_PARAMETER_SET;
            case 8:
                return NalUnitKind.PICTURE_PARAMETER_SET;
            case 9:
                return NalUnitKind.ACCESS_UNIT_DELIMITER;
            default:
                return NalUnitKind.OTHER;
        }
    }
}
