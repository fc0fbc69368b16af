package io.github.camelrtsp.format.h265;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.annexb.AnnexBDepacketizer;
import io.github.camelrtsp.format.annexb.NalUnitKind;
import io.netty.buffer.ByteBuf;

/**
 * H.265 over RTP (RFC 7798) to Annex B access units. Reads single NAL unit packets (types 0-47), aggregation packets
 * (AP, 48) and fragmentation units (FU, 49); PACI packets (50) and the unspecified types 51-63 are skipped and
 * counted. When the fmtp {@code sprop-max-don-diff} is above 0 the DONL/DOND fields are read and removed, and NAL
 * units sent out of decoding order (which would need reordering) make their packet skipped. Parameter sets come from
 * {@code sprop-vps}, {@code sprop-sps}, {@code sprop-pps} and from the stream. Key frames are IDR_W_RADL, IDR_N_LP,
 * CRA and BLA access units; the rest (boundaries, parameter sets in front of key frames, loss, RASL pictures after a
 * start at a CRA, a CRA that resumes after a gap handed over as a BLA) is described in {@link AnnexBDepacketizer}.
 */
public final class H265Depacketizer extends AnnexBDepacketizer {

    private static final Logger LOG = LoggerFactory.getLogger(H265Depacketizer.class);

    static final int AP = 48;
    static final int FU = 49;
    static final int PACI = 50;

    static final int CRA_NUT = 21;
    static final int BLA_W_LP = 16;

    private final boolean donPresent;
    private int lastDon = -1;

    /**
     * @param parameters the track's parameters: codec {@code H265}; fmtp {@code sprop-vps}, {@code sprop-sps},
     *                   {@code sprop-pps} (optional, base64, comma-separated lists allowed) and
     *                   {@code sprop-max-don-diff} (optional, 0 to 32767, default 0)
     * @throws IllegalArgumentException if the codec is not H265, {@code sprop-max-don-diff} is not a number within
     *                                  0..32767, or {@code maxFrameSize} is not positive
     */
    public H265Depacketizer(FormatParameters parameters) {
        super(checkCodec(parameters), LOG, 2, true);
        this.donPresent = maxDonDiff(fmtp(parameters, "sprop-max-don-diff")) > 0;
        addParameterSets("sprop-vps", fmtp(parameters, "sprop-vps"));
        addParameterSets("sprop-sps", fmtp(parameters, "sprop-sps"));
        addParameterSets("sprop-pps", fmtp(parameters, "sprop-pps"));
    }

    private static FormatParameters checkCodec(FormatParameters parameters) {
        if (!"H265".equalsIgnoreCase(parameters.codec())) {
            throw new IllegalArgumentException("not an H265 track: " + parameters.codec());
        }
        return parameters;
    }

    private static int maxDonDiff(String value) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        int v;
        try {
            v = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sprop-max-don-diff '" + value + "' is not a number", e);
        }
        if (v < 0 || v > 32767) {
            throw new IllegalArgumentException("sprop-max-don-diff " + v + " is not within 0..32767");
        }
        return v;
    }

    @Override
    public void reset() {
        super.reset();
        lastDon = -1;
    }

    @Override
    protected void depacketize(ByteBuf buf, int index, int length) {
        if (length < 2) {
            skipPacket(true, "payload shorter than the 2-byte payload header");
            return;
        }
        int header = buf.getUnsignedShort(index);
        if ((header & 0x07) == 0) {
            skipPacket(true, "payload header with TID 0");
            return;
        }
        int type = nalType(header);
        if (type < AP) {
            single(header, buf, index, length);
        } else if (type == AP) {
            aggregation(buf, index, length);
        } else if (type == FU) {
            fragmentationUnit(header, buf, index, length);
        } else if (type == PACI) {
            skipPacket(true, "PACI packets are not supported");
        } else {
            skipPacket(false, "unspecified packet type", type);
        }
    }

    private void single(int header, ByteBuf buf, int index, int length) {
        if (!donPresent) {
            nalUnit(buf, index, length);
            return;
        }
        if (length < 4) {
            skipPacket(true, "single NAL unit packet too short for its DONL");
            return;
        }
        if (acceptDon(buf.getUnsignedShort(index + 2))) {
            // the NAL unit is the payload header followed by what comes after the DONL
            fragment(header, true, true, buf, index + 4, length - 4);
        }
    }

    private void aggregation(ByteBuf buf, int index, int length) {
        int end = index + length;
        int pos = index + 2;
        int don = lastDon;
        int units = 0;
        while (pos < end) {
            if (donPresent) {
                if (units == 0) {
                    if (pos + 2 > end) {
                        skipPacket(true, "AP with a truncated DONL");
                        return;
                    }
                    int first = buf.getUnsignedShort(pos);
                    if (!inDecodingOrder(don, first)) {
                        skipPacket(true, "AP with NAL units out of decoding order, DON", first);
                        return;
                    }
                    don = first;
                    pos += 2;
                } else {
                    if (pos + 1 > end) {
                        skipPacket(true, "AP with a truncated DOND");
                        return;
                    }
                    don = (don + buf.getUnsignedByte(pos) + 1) & 0xFFFF;
                    pos += 1;
                }
            }
            if (pos + 2 > end) {
                skipPacket(true, "AP with a truncated NAL unit size");
                return;
            }
            int size = buf.getUnsignedShort(pos);
            if (size < 2) {
                skipPacket(true, "AP with a NAL unit shorter than its header, size", size);
                return;
            }
            if (pos + 2 + size > end) {
                skipPacket(true, "AP NAL unit running past the end of the packet, size", size);
                return;
            }
            int inner = nalType(buf.getUnsignedShort(pos + 2));
            if (inner >= AP) {
                skipPacket(true, "AP holding a NAL unit of type", inner);
                return;
            }
            pos += 2 + size;
            units++;
        }
        if (units == 0) {
            skipPacket(true, "AP without any NAL unit");
            return;
        }
        if (donPresent) {
            lastDon = don;
        }
        pos = index + 2;
        for (int i = 0; i < units; i++) {
            if (donPresent) {
                pos += i == 0 ? 2 : 1;
            }
            int size = buf.getUnsignedShort(pos);
            nalUnit(buf, pos + 2, size);
            pos += 2 + size;
        }
    }

    private void fragmentationUnit(int header, ByteBuf buf, int index, int length) {
        if (length < 3) {
            skipPacket(true, "FU shorter than its three header bytes");
            return;
        }
        int fuHeader = buf.getUnsignedByte(index + 2);
        boolean start = (fuHeader & 0x80) != 0;
        int fuType = fuHeader & 0x3F;
        if (fuType >= AP) {
            skipPacket(true, "FU fragment of a NAL unit of type", fuType);
            return;
        }
        int data = index + 3;
        if (start && donPresent) {
            if (length < 5) {
                skipPacket(true, "FU start fragment too short for its DONL");
                return;
            }
            if (!acceptDon(buf.getUnsignedShort(data))) {
                return;
            }
            data += 2;
        }
        int nalHeader = header & 0x81FF | fuType << 9;
        fragment(nalHeader, start, (fuHeader & 0x40) != 0, buf, data, index + length - data);
    }

    private boolean acceptDon(int don) {
        if (!inDecodingOrder(lastDon, don)) {
            skipPacket(true, "NAL unit out of decoding order (interleaved sending is not supported), DON", don);
            return false;
        }
        lastDon = don;
        return true;
    }

    /** A DON equal to or behind the last one means the sender interleaves; a forward jump is loss or omission. */
    private static boolean inDecodingOrder(int last, int don) {
        if (last < 0) {
            return true;
        }
        int diff = (don - last) & 0xFFFF;
        return diff != 0 && diff < 0x8000;
    }

    /** A CRA where decoding resumes after a gap becomes a BLA_W_LP: same slice syntax, no link to what was lost. */
    @Override
    protected int resumedCraHeader(int header) {
        return nalType(header) == CRA_NUT ? header & 0x81FF | BLA_W_LP << 9 : header;
    }

    @Override
    protected int nalType(int header) {
        return header >>> 9 & 0x3F;
    }

    @Override
    protected NalUnitKind kindOf(int nalType) {
        if (nalType <= 5 || nalType >= 10 && nalType <= 15 || nalType >= 22 && nalType <= 31) {
            return NalUnitKind.SLICE;
        }
        switch (nalType) {
            case 6:
            case 7:
                return NalUnitKind.DECODABLE_LEADING_SLICE;
            case 8:
            case 9:
                return NalUnitKind.SKIPPED_LEADING_SLICE;
            case 16:
            case 17:
            case 18:
                return NalUnitKind.BLA_SLICE;
            case 19:
            case 20:
                return NalUnitKind.IDR_SLICE;
            case 21:
                return NalUnitKind.CRA_SLICE;
            case 32:
                return NalUnitKind.VIDEO_PARAMETER_SET;
            case 33:
                return NalUnitKind.SEQUENCE_PARAMETER_SET;
            case 34:
                return NalUnitKind.PICTURE_PARAMETER_SET;
            case 35:
                return NalUnitKind.ACCESS_UNIT_DELIMITER;
            default:
                return NalUnitKind.OTHER;
        }
    }
}
