package io.github.camelrtsp.format.h265;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelrtsp.format.PacketizerParameters;
import io.github.camelrtsp.format.annexb.AnnexBPacketizer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Annex B access units to H.265 over RTP (RFC 7798), without DONL (sprop-max-don-diff 0): parameter sets and other
 * NAL units outside the coded picture start an aggregation packet (AP, type 48) that takes the following NAL units
 * while they fit, a NAL unit that fits the MTU goes in a single NAL unit packet, a larger one is cut into
 * fragmentation units (FU, type 49). The access unit is sent as given, only start codes and trailing zero bytes are
 * removed; see {@link AnnexBPacketizer} for the rules common with H.264.
 * <p>
 * {@link #formatParameters()}: {@code sprop-vps}, {@code sprop-sps}, {@code sprop-pps} (base64) once known from the
 * fmtp at creation or from the frames, the latest of each; and, read from the SPS's profile_tier_level,
 * {@code profile-space} (when not 0), {@code tier-flag}, {@code profile-id} and {@code level-id}.
 */
public final class H265Packetizer extends AnnexBPacketizer {

    private static final Logger LOG = LoggerFactory.getLogger(H265Packetizer.class);

    static final int AP = 48;
    static final int FU = 49;
    private static final int VPS_TYPE = 32;
    private static final int SPS_TYPE = 33;
    private static final int PPS_TYPE = 34;

    /** SPS bytes up to general_level_idc, after the 2-byte NAL unit header and emulation prevention removed. */
    private static final int PTL_BYTES = 13;

    /**
     * Packets come from {@link ByteBufAllocator#DEFAULT}.
     *
     * @param parameters codec {@code H265}, clock rate 90000, MTU of at least 16; fmtp {@code sprop-vps},
     *                   {@code sprop-sps}, {@code sprop-pps} optional
     * @throws IllegalArgumentException if a parameter is out of range or the codec is not H265
     */
    public H265Packetizer(PacketizerParameters parameters) {
        this(parameters, ByteBufAllocator.DEFAULT);
    }

    /**
     * @param parameters as for {@link #H265Packetizer(PacketizerParameters)}
     * @param allocator  where packet buffers come from (e.g. the channel's allocator)
     * @throws IllegalArgumentException if a parameter is out of range or the codec is not H265
     */
    public H265Packetizer(PacketizerParameters parameters, ByteBufAllocator allocator) {
        super(parameters, "H265", 2, allocator, LOG);
        for (String key : new String[] {"sprop-vps", "sprop-sps", "sprop-pps"}) {
            addParameterSets(key, fmtp(parameters.fmtp(), key));
        }
        String donDiff = fmtp(parameters.fmtp(), "sprop-max-don-diff");
        if (donDiff != null && !"0".equals(donDiff)) {
            LOG.warn("H265: fmtp sprop-max-don-diff={} given; this packetizer sends without DONL "
                     + "(sprop-max-don-diff 0)", donDiff);
        }
    }

    /**
     * The sprop parameters known so far and the profile, tier and level of the latest SPS; a new unmodifiable map on
     * every call, empty before any parameter set is known.
     */
    @Override
    public Map<String, String> formatParameters() {
        Map<String, String> out = new LinkedHashMap<>();
        byte[] sps = parameterSet(SPS);
        byte[] ptl = sps == null ? null : profileTierLevel(sps);
        if (ptl != null) {
            int profileSpace = (ptl[1] & 0xFF) >>> 6;
            if (profileSpace != 0) {
                out.put("profile-space", Integer.toString(profileSpace));
            }
            out.put("tier-flag", Integer.toString((ptl[1] & 0x20) >>> 5));
            out.put("profile-id", Integer.toString(ptl[1] & 0x1F));
            out.put("level-id", Integer.toString(ptl[12] & 0xFF));
        }
        String[] keys = {"sprop-vps", "sprop-sps", "sprop-pps"};
        for (int slot = VPS; slot <= PPS; slot++) {
            byte[] set = parameterSet(slot);
            if (set != null) {
                out.put(keys[slot], base64(set));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * The first 13 bytes of the SPS's RBSP (from sps_video_parameter_set_id through general_level_idc), emulation
     * prevention bytes removed; null when the SPS is shorter.
     */
    static byte[] profileTierLevel(byte[] sps) {
        byte[] out = new byte[PTL_BYTES];
        int n = 0;
        int zeros = 0;
        for (int i = 2; i < sps.length && n < PTL_BYTES; i++) {
            int b = sps[i] & 0xFF;
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            out[n++] = (byte) b;
        }
        return n == PTL_BYTES ? out : null;
    }

    @Override
    protected int nalType(int header) {
        return header >>> 9 & 0x3F;
    }

    @Override
    protected String unsendable(int header) {
        if ((header & 0x8000) != 0) {
            return "forbidden_zero_bit is set";
        }
        int type = nalType(header);
        if (type >= AP) {
            return "NAL unit type " + type + " is reserved for RTP packet structures or unspecified";
        }
        if ((header & 0x07) == 0) {
            return "nuh_temporal_id_plus1 is 0";
        }
        return null;
    }

    @Override
    protected boolean isCodedSlice(int nalType) {
        return nalType < VPS_TYPE;
    }

    @Override
    protected int parameterSetSlot(int nalType) {
        switch (nalType) {
            case VPS_TYPE:
                return VPS;
            case SPS_TYPE:
                return SPS;
            case PPS_TYPE:
                return PPS;
            default:
                return -1;
        }
    }

    /** F is the OR of the aggregated F bits, LayerId and TID the lowest of the aggregated ones (RFC 7798 4.4.2). */
    @Override
    protected int aggregationHeader(int previous, int header) {
        if (previous < 0) {
            return header & 0x81FF | AP << 9;
        }
        int f = (previous | header) & 0x8000;
        int layerId = Math.min(previous & 0x01F8, header & 0x01F8);
        int tid = Math.min(previous & 0x07, header & 0x07);
        return f | AP << 9 | layerId | tid;
    }

    @Override
    protected void writeFragmentHeaders(ByteBuf out, int nalHeader, boolean start, boolean end) {
        out.writeShort(nalHeader & 0x81FF | FU << 9);
        out.writeByte((start ? 0x80 : 0) | (end ? 0x40 : 0) | nalType(nalHeader));
    }
}
