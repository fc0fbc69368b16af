package io.github.camelrtsp.format.lpcm;

import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.passthrough.WholePayloadDepacketizer;
import io.netty.buffer.ByteBuf;

/**
 * Uncompressed linear PCM of RFC 3551: L16 (4.5.11) and L8 (4.5.10). Each packet's payload is one frame.
 * <p>
 * Frame body: the payload as is, in network order as RFC 3551 sends it, channels interleaved per sample instant
 * (RFC 3551 4.1: left then right for stereo).
 * <ul>
 * <li>L16: signed 16-bit two's complement samples, big-endian; bodies concatenate into what ffmpeg reads with
 * {@code -f s16be -ar <clock rate> -ac <channels>}.</li>
 * <li>L8: unsigned 8-bit samples with an offset of 128 (0 is the most negative value); ffmpeg reads them with
 * {@code -f u8}.</li>
 * </ul>
 * The sample rate is the RTP clock rate. {@code sampleCount} is the payload length divided by bytes per sample times
 * channels; a payload that is not a whole number of sample instants is skipped as malformed.
 */
public final class LpcmDepacketizer extends WholePayloadDepacketizer {

    private final int channels;
    private final int bytesPerSample;
    private final int bytesPerInstant;

    /**
     * @param parameters codec L16 or L8 (any case); channels null for one
     * @throws IllegalArgumentException for another codec or a channel count below 1
     */
    public LpcmDepacketizer(FormatParameters parameters) {
        super(parameters);
        String codec = codecName(parameters);
        if (codec.equals("L16")) {
            bytesPerSample = 2;
        } else if (codec.equals("L8")) {
            bytesPerSample = 1;
        } else {
            throw new IllegalArgumentException("linear PCM depacketizer needs codec L16 or L8, not "
                                               + parameters.codec());
        }
        this.channels = channelsOf(parameters);
        this.bytesPerInstant = bytesPerSample * channels;
    }

    /** Channels per sample instant. */
    public int channels() {
        return channels;
    }

    /** 2 for L16, 1 for L8. */
    public int bytesPerSample() {
        return bytesPerSample;
    }

    @Override
    protected int sampleCount(ByteBuf buf, int index, int length) {
        return wholeSamples(length, bytesPerInstant);
    }

    @Override
    protected String problem(int code) {
        return "payload length is not a whole number of samples for every channel";
    }
}
