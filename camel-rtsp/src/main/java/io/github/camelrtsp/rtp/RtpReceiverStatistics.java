package io.github.camelrtsp.rtp;

/** Receiver-side statistics of one RTP stream (RFC 3550 A.1, A.3, A.8). API outline. */
public final class RtpReceiverStatistics {

    public RtpReceiverStatistics(int clockRate) {
    }

    /** Records a packet; returns false for a duplicate or a packet from a stale source that must not be delivered. */
    public boolean onPacket(int sequenceNumber, long rtpTimestamp, long ssrc, long arrivalNanos) {
        return true;
    }

    public long packetsReceived() {
        return 0;
    }

    /** Cumulative packets lost (never negative). */
    public long packetsLost() {
        return 0;
    }
}
