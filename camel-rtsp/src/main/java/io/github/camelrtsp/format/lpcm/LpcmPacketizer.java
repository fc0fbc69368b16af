package io.github.camelrtsp.format.lpcm;

import java.util.Locale;

import io.github.camelrtsp.format.PacketizerParameters;
import io.github.camelrtsp.format.passthrough.SampleFramePacketizer;

/**
 * Linear PCM packets (RFC 3551 L16 and L8) from frames as {@link LpcmDepacketizer} emits them: network-order samples,
 * channels interleaved per sample instant. The sample rate is the RTP clock rate. A frame larger than the MTU is split
 * on sample-instant boundaries (never inside a sample or between the channels of one instant), each packet's timestamp
 * advanced by the instants before it.
 */
public final class LpcmPacketizer extends SampleFramePacketizer {

    /**
     * @param parameters codec L16 or L8 (any case); channels null for one
     * @throws IllegalArgumentException for another codec, a channel count below 1 or an MTU without room for one
     *                                  sample instant
     */
    public LpcmPacketizer(PacketizerParameters parameters) {
        super(parameters, codec(parameters), bytesPerSample(codec(parameters)) * channelsOf(parameters));
    }

    private static String codec(PacketizerParameters p) {
        String codec = p.codec() == null ? "" : p.codec().trim().toUpperCase(Locale.ROOT);
        if (!codec.equals("L16") && !codec.equals("L8")) {
            throw new IllegalArgumentException("linear PCM packetizer needs codec L16 or L8, not " + p.codec());
        }
        return codec;
    }

    private static int bytesPerSample(String codec) {
        return codec.equals("L16") ? 2 : 1;
    }
}
