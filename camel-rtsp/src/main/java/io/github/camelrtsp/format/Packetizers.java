package io.github.camelrtsp.format;

import java.util.Locale;
import java.util.Objects;

import io.github.camelrtsp.format.aac.Mpeg4GenericPacketizer;
import io.github.camelrtsp.format.g711.G711Packetizer;
import io.github.camelrtsp.format.g722.G722Packetizer;
import io.github.camelrtsp.format.h264.H264Packetizer;
import io.github.camelrtsp.format.h265.H265Packetizer;
import io.github.camelrtsp.format.lpcm.LpcmPacketizer;
import io.github.camelrtsp.format.mjpeg.JpegPacketizer;
import io.github.camelrtsp.format.opus.OpusPacketizer;

/** Chooses the packetizer of an outgoing track from its encoding name: the mirror of {@link Depacketizers}. */
public final class Packetizers {

    private Packetizers() {
    }

    /**
     * Creates the packetizer for {@code p.codec()}: H264, H265, JPEG, MPEG4-GENERIC, OPUS, PCMU, PCMA, G722, L16 and
     * L8. The encoding name is matched ignoring case and surrounding white space.
     *
     * @throws NullPointerException     if {@code p} is null
     * @throws IllegalArgumentException if the codec is missing or has no packetizer (the message names it), or the
     *                                  chosen packetizer rejects the parameters
     */
    public static Packetizer create(PacketizerParameters p) {
        Objects.requireNonNull(p, "packetizer parameters");
        String codec = p.codec() == null ? "" : p.codec().trim().toUpperCase(Locale.ROOT);
        switch (codec) {
            case "H264":
                return new H264Packetizer(p);
            case "H265":
                return new H265Packetizer(p);
            case "JPEG":
                return new JpegPacketizer(p);
            case "MPEG4-GENERIC":
                return new Mpeg4GenericPacketizer(p);
            case "OPUS":
                return new OpusPacketizer(p);
            case "PCMU":
            case "PCMA":
                return new G711Packetizer(p);
            case "G722":
                return new G722Packetizer(p);
            case "L16":
            case "L8":
                return new LpcmPacketizer(p);
            default:
                throw new IllegalArgumentException("no packetizer for codec '" + p.codec() + "' (supported: H264, "
                        + "H265, JPEG, MPEG4-GENERIC, OPUS, PCMU, PCMA, G722, L16, L8)");
        }
    }
}
