package io.github.camelrtsp.format;

import java.util.Map;

/**
 * Splits whole frames of one payload format into RTP packets: the mirror of a {@link Depacketizer}, used by the
 * embedded server and by publishing. Not thread safe; one per outgoing stream.
 * <p>
 * Each packet handed to the sink is a complete RTP packet (header and payload) in a new buffer that the sink owns
 * and must release. The sequence number continues across frames; the timestamp is the frame's RTP timestamp; the
 * marker bit is set as the payload format defines (last packet of a video frame).
 */
public interface Packetizer {

    /** Receives the packets of a frame, in order; owns each buffer. */
    @FunctionalInterface
    interface PacketSink {
        void onPacket(io.netty.buffer.ByteBuf rtpPacket);
    }

    /**
     * Packetizes one frame.
     *
     * @param frame the frame in the layout the matching depacketizer emits (Annex B, ADTS, JPEG, ...)
     * @param sink  receives the packets
     * @throws IllegalArgumentException when the frame is not in the expected layout (nothing was sent)
     */
    void packetize(MediaFrame frame, PacketSink sink);

    /** The rtpmap value for the SDP, e.g. {@code H264/90000} or {@code MPEG4-GENERIC/44100/2}. */
    String rtpMap();

    /** The fmtp parameters for the SDP (may be empty; for H.264 known only after parameter sets were seen). */
    Map<String, String> formatParameters();

    /** The next sequence number that will be used. */
    int nextSequenceNumber();
}
