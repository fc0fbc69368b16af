package io.github.camelrtsp.format;

import io.github.camelrtsp.rtp.RtpPacket;

/**
 * Rebuilds whole frames of one RTP payload format from packets. Packets come in sequence order with duplicates
 * already removed, on one thread; a depacketizer is not thread safe.
 * <p>
 * A frame with missing packets is never emitted as if it were whole: it is dropped and counted in
 * {@link #framesDropped()}, and the next emitted frame carries {@code discontinuity=true}. Frames are bounded by
 * the maximum frame size given at creation; an oversized frame is dropped and counted, never buffered without bound.
 */
public interface Depacketizer {

    /**
     * Feeds one packet.
     *
     * @param packet the packet (valid only during the call)
     * @param lost   true when one or more packets of this track were lost right before this one
     * @param sink   receives the frames completed by this packet (zero, one or several)
     */
    void onPacket(RtpPacket packet, boolean lost, FrameSink sink);

    /** Forgets any partial frame (e.g. after a reconnect); the next frame is flagged as a discontinuity. */
    void reset();

    /** Frames dropped because packets were missing, a frame was too large, or the payload was malformed. */
    long framesDropped();

    /** Packets skipped because their payload structure is unsupported or malformed (each logged at most rarely). */
    long packetsSkipped();

    /** Codec parameters for users: e.g. AAC's AudioSpecificConfig; may be null. */
    default byte[] codecConfig() {
        return null;
    }
}
