package io.github.camelrtsp.format.passthrough;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.camelrtsp.format.BasePacketizer;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.PacketizerParameters;
import io.netty.buffer.ByteBuf;

/**
 * Base of the sample-based audio formats of RFC 3551 (G.711, G.722, L16/L8), the mirror of
 * {@link WholePayloadDepacketizer}: a frame is a whole number of units of {@code bytesPerUnit} bytes (one RTP clock
 * tick for all channels together) and goes out as one packet when it fits in the MTU. A larger frame is split on
 * unit boundaries into packets of the largest whole number of units that fits; each packet's timestamp is the
 * frame's plus the units before it, so the receiver sees a continuous stream.
 * <p>
 * The marker bit follows RFC 3551 4.1 (first packet of a talkspurt): it is set on the first packet sent and on the
 * first packet of a frame flagged {@code discontinuity}, never elsewhere.
 */
public abstract class SampleFramePacketizer extends BasePacketizer {

    private final String encodingName;
    private final int channels;
    private final int bytesPerUnit;
    private final int unitsPerPacket;
    private final Map<String, String> formatParameters;
    private boolean started;

    /**
     * @param parameters   the stream's parameters; its fmtp is announced as given
     * @param encodingName the encoding name of the rtpmap (e.g. {@code PCMU})
     * @param bytesPerUnit payload bytes per RTP clock tick, all channels together
     * @throws IllegalArgumentException if the MTU cannot carry one unit, or for the reasons of
     *                                  {@link BasePacketizer#BasePacketizer}
     */
    protected SampleFramePacketizer(PacketizerParameters parameters, String encodingName, int bytesPerUnit) {
        super(parameters, bytesPerUnit);
        this.encodingName = encodingName;
        this.channels = channelsOf(parameters);
        this.bytesPerUnit = bytesPerUnit;
        this.unitsPerPacket = maxPayload() / bytesPerUnit;
        this.formatParameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters.fmtp()));
    }

    /** Channels per sample instant (1 when the parameters give none). */
    public final int channels() {
        return channels;
    }

    /** Payload bytes per RTP clock tick, all channels together. */
    public final int bytesPerUnit() {
        return bytesPerUnit;
    }

    /**
     * Sends the frame as one or more packets.
     *
     * @throws IllegalArgumentException if the frame is empty or not a whole number of units (nothing is sent)
     */
    @Override
    public final void packetize(MediaFrame frame, PacketSink sink) {
        byte[] data = frameData(frame);
        if (data.length % bytesPerUnit != 0) {
            throw new IllegalArgumentException(encodingName + " frame of " + data.length + " bytes is not a whole "
                                               + "number of " + bytesPerUnit + "-byte sample instants");
        }
        boolean marker = !started || frame.discontinuity();
        started = true;
        int chunk = unitsPerPacket * bytesPerUnit;
        for (int offset = 0; offset < data.length; offset += chunk) {
            int length = Math.min(chunk, data.length - offset);
            ByteBuf packet = newPacket(marker, frame.rtpTimestamp() + offset / bytesPerUnit, length);
            packet.writeBytes(data, offset, length);
            marker = false;
            sink.onPacket(packet);
        }
    }

    /** {@code <encoding>/<clock rate>}, with {@code /<channels>} above one channel. */
    @Override
    public String rtpMap() {
        return rtpMap(encodingName, parameters().clockRate(), channels, false);
    }

    /** The fmtp given in the parameters (these formats define none of their own). */
    @Override
    public Map<String, String> formatParameters() {
        return formatParameters;
    }
}
