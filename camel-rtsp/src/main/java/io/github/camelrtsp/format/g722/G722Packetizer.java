package io.github.camelrtsp.format.g722;

import io.github.camelrtsp.format.PacketizerParameters;
import io.github.camelrtsp.format.passthrough.SampleFramePacketizer;

/**
 * G.722 (RFC 3551 4.5.2) packets from frames as {@link G722Depacketizer} emits them: G.722 codewords, one byte per
 * channel per tick of the 8000 Hz RTP clock (two 16 kHz samples). A frame larger than the MTU is split on byte
 * boundaries of all channels, each packet's timestamp advanced by the bytes per channel before it.
 */
public final class G722Packetizer extends SampleFramePacketizer {

    /**
     * @param parameters codec G722; clock rate 8000 (RFC 3551 fixes it although G.722 samples at 16 kHz); channels
     *                   null for one; usually payload type 9
     * @throws IllegalArgumentException for another codec or clock rate, a channel count below 1 or an MTU without
     *                                  room for one byte per channel
     */
    public G722Packetizer(PacketizerParameters parameters) {
        super(check(parameters), "G722", channelsOf(parameters));
    }

    private static PacketizerParameters check(PacketizerParameters p) {
        if (p.codec() == null || !p.codec().trim().equalsIgnoreCase("G722")) {
            throw new IllegalArgumentException("G.722 packetizer needs codec G722, not " + p.codec());
        }
        if (p.clockRate() != 8000) {
            throw new IllegalArgumentException("G.722 RTP clock rate must be 8000 (RFC 3551 4.5.2), not "
                                               + p.clockRate());
        }
        return p;
    }
}
