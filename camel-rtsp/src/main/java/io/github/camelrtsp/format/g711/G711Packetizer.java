package io.github.camelrtsp.format.g711;

import java.util.Locale;

import io.github.camelrtsp.format.PacketizerParameters;
import io.github.camelrtsp.format.passthrough.SampleFramePacketizer;

/**
 * G.711 (RFC 3551 4.5.14) PCMU or PCMA packets from frames as {@link G711Depacketizer} emits them: one byte per
 * sample, channels interleaved. A frame larger than the MTU is split on sample-instant boundaries with the timestamps
 * advanced by the samples before each packet ({@link SampleFramePacketizer}).
 */
public final class G711Packetizer extends SampleFramePacketizer {

    /**
     * @param parameters codec PCMU or PCMA (any case); channels null for one; usually payload type 0 (PCMU) or 8
     *                   (PCMA) and clock rate 8000
     * @throws IllegalArgumentException for another codec, a channel count below 1 or an MTU without room for a sample
     */
    public G711Packetizer(PacketizerParameters parameters) {
        super(parameters, codec(parameters), channelsOf(parameters));
    }

    private static String codec(PacketizerParameters p) {
        String codec = p.codec() == null ? "" : p.codec().trim().toUpperCase(Locale.ROOT);
        if (!codec.equals("PCMU") && !codec.equals("PCMA")) {
            throw new IllegalArgumentException("G.711 packetizer needs codec PCMU or PCMA, not " + p.codec());
        }
        return codec;
    }
}
