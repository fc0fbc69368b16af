package io.github.camelrtsp.format.opus;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.camelrtsp.format.BasePacketizer;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.PacketizerParameters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Opus packets (RFC 7587) from frames as {@link OpusDepacketizer} emits them: each frame is one Opus packet (RFC 6716
 * 3) and goes out as one RTP packet, as RFC 7587 4.2 requires; Opus packets cannot be split across RTP packets.
 * <p>
 * The frame's framing is checked with {@link OpusPackets#sampleCount} before anything is sent. The RTP clock is always
 * 48000 Hz and the rtpmap always {@code opus/48000/2} (RFC 7587 7). The marker bit is set on the first packet and on
 * the packet of a frame flagged {@code discontinuity} (the start of a talkspurt, RFC 3551 4.1).
 */
public final class OpusPacketizer extends BasePacketizer {

    private final Map<String, String> formatParameters;
    private boolean started;

    /**
     * @param parameters codec OPUS (any case), clock rate 48000; channels 2 announce {@code sprop-stereo=1}, 1 or
     *                   null {@code sprop-stereo=0}, unless the fmtp gives {@code sprop-stereo}; the other fmtp
     *                   entries are announced as given
     * @throws IllegalArgumentException for another codec or clock rate, channels other than 1 or 2, or an MTU without
     *                                  room for a payload
     */
    public OpusPacketizer(PacketizerParameters parameters) {
        super(parameters, 1);
        if (parameters.codec() == null || !parameters.codec().trim().equalsIgnoreCase("OPUS")) {
            throw new IllegalArgumentException("Opus packetizer needs codec OPUS, not " + parameters.codec());
        }
        if (parameters.clockRate() != OpusPackets.CLOCK_RATE) {
            throw new IllegalArgumentException("Opus RTP clock rate must be 48000 (RFC 7587 4.1), not "
                                               + parameters.clockRate());
        }
        int channels = channelsOf(parameters);
        if (channels > 2) {
            throw new IllegalArgumentException("RFC 7587 carries mono or stereo Opus, not " + channels + " channels");
        }
        Map<String, String> fmtp = new LinkedHashMap<>(parameters.fmtp());
        if (fmtp(fmtp, "sprop-stereo") == null) {
            fmtp.put("sprop-stereo", channels == 2 ? "1" : "0");
        }
        this.formatParameters = Collections.unmodifiableMap(fmtp);
    }

    /**
     * Sends the Opus packet of the frame as one RTP packet.
     *
     * @throws IllegalArgumentException if the frame is not a valid Opus packet (RFC 6716 3.4) or does not fit in the
     *                                  MTU (nothing is sent)
     */
    @Override
    public void packetize(MediaFrame frame, PacketSink sink) {
        byte[] data = frameData(frame);
        int samples = OpusPackets.sampleCount(Unpooled.wrappedBuffer(data), 0, data.length);
        if (samples < 0) {
            throw new IllegalArgumentException(OpusPackets.describe(samples) + " (" + data.length + " bytes)");
        }
        if (data.length > maxPayload()) {
            throw new IllegalArgumentException("Opus packet of " + data.length + " bytes does not fit in the "
                                               + maxPayload() + " bytes an MTU of " + parameters().mtu()
                                               + " leaves, and RFC 7587 does not fragment Opus packets");
        }
        boolean marker = !started || frame.discontinuity();
        started = true;
        ByteBuf packet = newPacket(marker, frame.rtpTimestamp(), data.length);
        packet.writeBytes(data);
        sink.onPacket(packet);
    }

    /** Always {@code opus/48000/2} (RFC 7587 7: the channel count is 2 whatever the stream carries). */
    @Override
    public String rtpMap() {
        return "opus/48000/2";
    }

    /** The fmtp given in the parameters, with {@code sprop-stereo} added from the channel count when not given. */
    @Override
    public Map<String, String> formatParameters() {
        return formatParameters;
    }
}
