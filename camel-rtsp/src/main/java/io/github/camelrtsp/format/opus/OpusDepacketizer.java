package io.github.camelrtsp.format.opus;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.passthrough.WholePayloadDepacketizer;
import io.netty.buffer.ByteBuf;

/**
 * Opus (RFC 7587): each RTP payload is exactly one Opus packet, which is one frame.
 * <p>
 * Frame body: the Opus packet as is (TOC byte, optional frame count and length bytes, one or more Opus frames;
 * RFC 6716 3). There is no raw Opus stream format, so to store bodies put them into a container, e.g. one Ogg Opus
 * packet each (RFC 7845) with {@link #codecConfig()} as identification header. {@code sampleCount} is the packet's
 * duration in samples per channel at 48 kHz, read from the TOC byte (and the frame count byte of code 3 packets);
 * packets whose framing breaks RFC 6716 3.4 are skipped as malformed ({@link OpusPackets#sampleCount}).
 * <p>
 * The RTP clock of Opus is always 48000 Hz (RFC 7587 4.1); an SDP saying otherwise is logged once at WARN and
 * otherwise ignored.
 */
public final class OpusDepacketizer extends WholePayloadDepacketizer {

    private static final Logger LOG = LoggerFactory.getLogger(OpusDepacketizer.class);
    private static final int OPUS_HEAD_LENGTH = 19;

    private final int channels;
    private final byte[] opusHead;

    /**
     * Creates the depacketizer; fmtp {@code sprop-stereo=1} makes {@link #codecConfig()} announce two channels, and
     * {@code sprop-maxcapturerate} gives its input sample rate.
     */
    public OpusDepacketizer(FormatParameters parameters) {
        super(parameters);
        if (parameters.clockRate() != OpusPackets.CLOCK_RATE) {
            LOG.warn("{}: Opus RTP clock rate is {} Hz by RFC 7587, not {}; RTP timestamps and sample counts are "
                     + "read as 48 kHz", describe(parameters), OpusPackets.CLOCK_RATE, parameters.clockRate());
        }
        this.channels = "1".equals(fmtp(parameters.fmtp(), "sprop-stereo")) ? 2 : 1;
        int captureRate = positiveInt(fmtp(parameters.fmtp(), "sprop-maxcapturerate"), OpusPackets.CLOCK_RATE);
        this.opusHead = opusHead(channels, captureRate);
    }

    /** Channels the sender announced: 2 with {@code sprop-stereo=1}, else 1. */
    public int channels() {
        return channels;
    }

    /**
     * An Ogg Opus identification header (RFC 7845 5.1, 19 bytes, "OpusHead"): version 1, {@link #channels()},
     * pre-skip 0 (RTP does not carry the encoder delay), input sample rate from {@code sprop-maxcapturerate} (else
     * 48000), gain 0, channel mapping family 0. A new copy on each call.
     */
    @Override
    public byte[] codecConfig() {
        return opusHead.clone();
    }

    @Override
    protected int sampleCount(ByteBuf buf, int index, int length) {
        return OpusPackets.sampleCount(buf, index, length);
    }

    @Override
    protected String problem(int code) {
        return OpusPackets.describe(code);
    }

    private static byte[] opusHead(int channels, int inputRate) {
        ByteBuffer head = ByteBuffer.allocate(OPUS_HEAD_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        head.put("OpusHead".getBytes(StandardCharsets.US_ASCII));
        head.put((byte) 1);
        head.put((byte) channels);
        head.putShort((short) 0);
        head.putInt(inputRate);
        head.putShort((short) 0);
        head.put((byte) 0);
        return head.array();
    }

    private static String fmtp(Map<String, String> fmtp, String key) {
        if (fmtp == null) {
            return null;
        }
        String value = fmtp.get(key);
        if (value == null) {
            for (Map.Entry<String, String> e : fmtp.entrySet()) {
                if (key.equalsIgnoreCase(e.getKey())) {
                    value = e.getValue();
                    break;
                }
            }
        }
        return value == null ? null : value.trim();
    }

    private static int positiveInt(String text, int fallback) {
        if (text == null || text.isEmpty() || text.length() > 9) {
            return fallback;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return fallback;
            }
        }
        int value = Integer.parseInt(text);
        return value > 0 ? value : fallback;
    }
}
