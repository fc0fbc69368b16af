package io.github.camelrtsp.format.g711;

import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.passthrough.WholePayloadDepacketizer;
import io.netty.buffer.ByteBuf;

/**
 * G.711 (RFC 3551 4.5.14): PCMU (µ-law) and PCMA (A-law), 8 bits per sample. Each packet's payload is one frame.
 * <p>
 * Frame body: the payload as is, one byte per sample, channels interleaved (RFC 3551 4.1) when there are several.
 * Bodies concatenate into the raw stream ffmpeg reads with {@code -f mulaw -ar 8000} (PCMU) or
 * {@code -f alaw -ar 8000} (PCMA). {@code sampleCount} is the payload length divided by the channel count; a
 * payload that is not a whole number of samples for every channel is skipped as malformed.
 */
public final class G711Depacketizer extends WholePayloadDepacketizer {

    private final int channels;
    private final boolean aLaw;

    /**
     * @param parameters codec PCMU or PCMA (any case); channels null for one
     * @throws IllegalArgumentException for another codec or a channel count below 1
     */
    public G711Depacketizer(FormatParameters parameters) {
        super(parameters);
        String codec = codecName(parameters);
        if (!codec.equals("PCMU") && !codec.equals("PCMA")) {
            throw new IllegalArgumentException("G.711 depacketizer needs codec PCMU or PCMA, not "
                                               + parameters.codec());
        }
        this.aLaw = codec.equals("PCMA");
        this.channels = channelsOf(parameters);
    }

    /** True for PCMA (A-law), false for PCMU (µ-law). */
    public boolean aLaw() {
        return aLaw;
    }

    /** Channels per sample instant. */
    public int channels() {
        return channels;
    }

    @Override
    protected int sampleCount(ByteBuf buf, int index, int length) {
        return wholeSamples(length, channels);
    }

    @Override
    protected String problem(int code) {
        return "payload length is not a multiple of the channel count";
    }
}
