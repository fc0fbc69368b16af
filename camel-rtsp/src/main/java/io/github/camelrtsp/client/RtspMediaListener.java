package io.github.camelrtsp.client;

import io.github.camelrtsp.rtp.RtpPacket;

/**
 * Receives what an {@link RtspStreamClient} gets. All callbacks run on a Netty I/O thread: they must return quickly
 * and never block.
 */
public interface RtspMediaListener {

    /** The session is playing (after each successful connect or reconnect). */
    default void onPlaying(RtspSessionInfo session) {
    }

    /**
     * One RTP packet of a track. The packet and the buffer behind it are only valid during the call: copy what must
     * be kept.
     */
    void onRtpPacket(MediaTrack track, RtpPacket packet);

    /**
     * The session plays again without a new session: after a PAUSE, or from another position (a PLAY with Range);
     * {@code session.rtpInfo()} holds the new PLAY answer's RTP-Info, whose rtptime is where playback resumes.
     */
    default void onReplaying(RtspSessionInfo session) {
    }

    /** The client changed state; {@code cause} may be null. */
    default void onStateChanged(ClientState state, String reason, Throwable cause) {
    }
}
