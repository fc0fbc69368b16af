package io.github.camelrtsp.format;

import java.util.Locale;
import java.util.Objects;

import io.github.camelrtsp.format.aac.Mp4aLatmDepacketizer;
import io.github.camelrtsp.format.aac.Mpeg4GenericDepacketizer;
import io.github.camelrtsp.format.g711.G711Depacketizer;
import io.github.camelrtsp.format.g722.G722Depacketizer;
import io.github.camelrtsp.format.h264.H264Depacketizer;
import io.github.camelrtsp.format.h265.H265Depacketizer;
import io.github.camelrtsp.format.lpcm.LpcmDepacketizer;
import io.github.camelrtsp.format.mjpeg.JpegDepacketizer;
import io.github.camelrtsp.format.opus.OpusDepacketizer;
import io.github.camelrtsp.format.passthrough.PassthroughDepacketizer;
import io.github.camelrtsp.sdp.RtpMap;

/** Chooses the depacketizer of a track from its encoding name. */
public final class Depacketizers {

    private Depacketizers() {
    }

    /**
     * Creates the depacketizer for a track: H264, H265, JPEG, MPEG4-GENERIC, MP4A-LATM, OPUS, PCMU, PCMA, G722, L16
     * and L8 get their own; any other encoding gets a {@link PassthroughDepacketizer} (one frame per RTP payload).
     * <p>
     * Tolerated: the encoding name in any case and with surrounding white space (e.g. {@code opus}); it is passed on
     * upper-cased and trimmed. A missing (null or blank) encoding name is taken from the RFC 3551 static payload type
     * table when the payload type has an entry (e.g. 0 is PCMU, 8 is PCMA), with the table's clock rate and
     * channels where the parameters have none; else the track is passed through.
     *
     * @throws NullPointerException     if {@code p} is null
     * @throws IllegalArgumentException if the chosen depacketizer rejects the parameters (for example a maximum
     *                                  frame size that is not positive)
     */
    public static Depacketizer create(FormatParameters p) {
        Objects.requireNonNull(p, "format parameters");
        FormatParameters normalized = normalize(p);
        String codec = normalized.codec() == null ? "" : normalized.codec();
        switch (codec) {
            case "H264":
                return new H264Depacketizer(normalized);
            case "H265":
                return new H265Depacketizer(normalized);
            case "JPEG":
                return new JpegDepacketizer(normalized);
            case "MPEG4-GENERIC":
                return new Mpeg4GenericDepacketizer(normalized);
            case "MP4A-LATM":
                return new Mp4aLatmDepacketizer(normalized);
            case "OPUS":
                return new OpusDepacketizer(normalized);
            case "PCMU":
            case "PCMA":
                return new G711Depacketizer(normalized);
            case "G722":
                return new G722Depacketizer(normalized);
            case "L16":
            case "L8":
                return new LpcmDepacketizer(normalized);
            default:
                return new PassthroughDepacketizer(normalized);
        }
    }

    /** The parameters with the codec trimmed and upper-cased, or filled in from the static table; same if unchanged. */
    static FormatParameters normalize(FormatParameters p) {
        String codec = p.codec();
        if (codec == null || codec.isBlank()) {
            RtpMap known = RtpMap.staticPayloadType(p.payloadType());
            if (known == null) {
                return p;
            }
            int clockRate = p.clockRate() > 0 ? p.clockRate() : known.clockRate();
            Integer channels = p.channels() != null ? p.channels() : known.channels();
            return new FormatParameters(known.codec(), p.payloadType(), clockRate, channels, p.fmtp(),
                                        p.maxFrameSize());
        }
        String upper = codec.trim().toUpperCase(Locale.ROOT);
        if (upper.equals(codec)) {
            return p;
        }
        return new FormatParameters(upper, p.payloadType(), p.clockRate(), p.channels(), p.fmtp(), p.maxFrameSize());
    }
}
