package io.github.camelrtsp.server;

import io.netty.buffer.ByteBuf;

/**
 * Receives what RTSP clients publish into a path with ANNOUNCE and RECORD. Register one with
 * {@link RtspServer#acceptPublishers(String, PublishListener)}. Every method is called on a Netty event loop and must
 * return quickly without blocking.
 */
public interface PublishListener {

    /**
     * A publisher started recording into {@code stream}; its tracks are the media sections of the publisher's
     * ANNOUNCE SDP (track {@code i} is the {@code i}-th media section).
     */
    void onPublishStart(ServerStream stream);

    /**
     * One RTP packet the publisher sent on {@code track}. The buffer is valid during the call only: retain (or copy)
     * it to keep it.
     */
    void onRtpPacket(ServerStream stream, int track, ByteBuf rtpPacket);

    /**
     * The publisher stopped: TEARDOWN, connection lost, session timeout or the server stopping.
     *
     * @param reason short text for logs
     */
    void onPublishStop(ServerStream stream, String reason);
}
