package io.github.camelrtsp.format.h264;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelrtsp.format.PacketizerParameters;
import io.github.camelrtsp.format.annexb.AnnexBPacketizer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Annex B access units to H.264 over RTP (RFC 6184), packetization mode 1 (non-interleaved): parameter sets and other
 * NAL units outside the coded picture start a STAP-A (type 24) that takes the following NAL units while they fit, a
 * NAL unit that fits the MTU goes in a single NAL unit packet, a larger one is cut into FU-A (type 28) fragments. The
 * access unit is sent as given (access unit delimiters and SEI included), only start codes and trailing zero bytes
 * are removed; see {@link AnnexBPacketizer} for the rules common with H.265.
 * <p>
 * {@link #formatParameters()}: {@code packetization-mode=1}; {@code profile-level-id} from the latest SPS (else as
 * given in the fmtp at creation); {@code sprop-parameter-sets} (base64 SPS,PPS) once both are known from the fmtp at
 * creation or from the frames, the latest of each.
 */
public final class H264Packetizer extends AnnexBPacketizer {

    private static final Logger LOG = LoggerFactory.getLogger(H264Packetizer.class);
    private static final Pattern PROFILE_LEVEL_ID = Pattern.compile("[0-9A-Fa-f]{6}");

    static final int STAP_A = 24;
    static final int FU_A = 28;
    private static final int SPS_TYPE = 7;
    private static final int PPS_TYPE = 8;

    private final String givenProfileLevelId;

    /**
     * Packets come from {@link ByteBufAllocator#DEFAULT}.
     *
     * @param parameters codec {@code H264}, clock rate 90000, MTU of at least 15; fmtp {@code sprop-parameter-sets}
     *                   and {@code profile-level-id} optional
     * @throws IllegalArgumentException if a parameter is out of range or the codec is not H264
     */
    public H264Packetizer(PacketizerParameters parameters) {
        this(parameters, ByteBufAllocator.DEFAULT);
    }

    /**
     * @param parameters as for {@link #H264Packetizer(PacketizerParameters)}
     * @param allocator  where packet buffers come from (e.g. the channel's allocator)
     * @throws IllegalArgumentException if a parameter is out of range or the codec is not H264
     */
    public H264Packetizer(PacketizerParameters parameters, ByteBufAllocator allocator) {
        super(parameters, "H264", 1, allocator, LOG);
        addParameterSets("sprop-parameter-sets", fmtp(parameters.fmtp(), "sprop-parameter-sets"));
        String given = fmtp(parameters.fmtp(), "profile-level-id");
        this.givenProfileLevelId = given != null && PROFILE_LEVEL_ID.matcher(given).matches() ? given : null;
        String mode = fmtp(parameters.fmtp(), "packetization-mode");
        if (mode != null && !"1".equals(mode)) {
            LOG.warn("H264: fmtp packetization-mode={} given; this packetizer sends packetization-mode=1", mode);
        }
    }

    /**
     * {@code packetization-mode}, {@code profile-level-id} (when an SPS or a given value is known) and
     * {@code sprop-parameter-sets} (when both SPS and PPS are known); a new unmodifiable map on every call.
     */
    @Override
    public Map<String, String> formatParameters() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("packetization-mode", "1");
        byte[] sps = parameterSet(SPS);
        byte[] pps = parameterSet(PPS);
        if (sps != null && sps.length >= 4) {
            out.put("profile-level-id", hex(sps, 1, 4));
        } else if (givenProfileLevelId != null) {
            out.put("profile-level-id", givenProfileLevelId);
        }
        if (sps != null && pps != null) {
            out.put("sprop-parameter-sets", base64(sps) + "," + base64(pps));
        }
        return Collections.unmodifiableMap(out);
    }

    @Override
    protected int nalType(int header) {
        return header & 0x1F;
    }

    @Override
    protected String unsendable(int header) {
        if ((header & 0x80) != 0) {
            return "forbidden_zero_bit is set";
        }
        int type = header & 0x1F;
        if (type == 0 || type >= STAP_A) {
            return "NAL unit type " + type + " is reserved for RTP packet structures or undefined";
        }
        return null;
    }

    @Override
    protected boolean isCodedSlice(int nalType) {
        return nalType >= 1 && nalType <= 5;
    }

    @Override
    protected int parameterSetSlot(int nalType) {
        return nalType == SPS_TYPE ? SPS : nalType == PPS_TYPE ? PPS : -1;
    }

    /** F is the OR of the aggregated F bits, NRI their maximum (RFC 6184 section 5.7). */
    @Override
    protected int aggregationHeader(int previous, int header) {
        if (previous < 0) {
            return header & 0xE0 | STAP_A;
        }
        int f = (previous | header) & 0x80;
        int nri = Math.max(previous & 0x60, header & 0x60);
        return f | nri | STAP_A;
    }

    @Override
    protected void writeFragmentHeaders(ByteBuf out, int nalHeader, boolean start, boolean end) {
        out.writeByte(nalHeader & 0xE0 | FU_A);
        out.writeByte((start ? 0x80 : 0) | (end ? 0x40 : 0) | nalHeader & 0x1F);
    }
}
