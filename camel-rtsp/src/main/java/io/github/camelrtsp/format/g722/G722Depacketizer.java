package io.github.camelrtsp.format.g722;

import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.passthrough.WholePayloadDepacketizer;
import io.netty.buffer.ByteBuf;

/**
 * G.722 (RFC 3551 4.5.2): 64 kbit/s wideband audio, sampled at 16 kHz, 4 bits per sample. Each packet's payload is
 * one frame.
 * <p>
 * Frame body: the payload as is, G.722 codewords (one byte per two 16 kHz samples), channels interleaved by byte when
 * there are several. Bodies concatenate into the raw stream ffmpeg reads with {@code -f g722}.
 * <p>
 * {@code sampleCount} counts RTP clock units, not decoded samples: RFC 3551 sets G.722's RTP clock to 8000 Hz
 * although it samples at 16 kHz, so one byte per channel is one clock unit and {@code sampleCount} is the payload
 * length divided by the channel count. A decoder produces twice that many 16 kHz samples per channel. A payload
 * that is not a whole number of bytes for every channel is skipped as malformed.
 */
public final class G722Depacketizer extends WholePayloadDepacketizer {

    private final int channels;

    /**
     * @param parameters codec G722; channels null for one
     * @throws IllegalArgumentException for a channel count below 1
     */
    public G722Depacketizer(FormatParameters parameters) {
        super(parameters);
        this.channels = channelsOf(parameters);
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
