package io.github.camelrtsp.client;

import io.github.camelrtsp.rtp.RtcpFormatException;
import io.github.camelrtsp.rtp.RtcpListener;
import io.github.camelrtsp.rtp.RtcpParser;
import io.github.camelrtsp.rtp.RtpFormatException;
import io.github.camelrtsp.rtp.RtpPacket;
import io.github.camelrtsp.rtp.SenderReport;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Receives the RTP and RTCP of one track, on the client's event loop. */
final class TrackReceiver implements RtcpListener {

    private static final Logger LOG = LoggerFactory.getLogger(TrackReceiver.class);
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    final MediaTrack track;
    private final RtspMediaListener listener;
    private final RtpPacket packet = new RtpPacket();
    /** Interleaved channels chosen by the server (TCP), or -1. */
    int rtpChannel = -1;
    int rtcpChannel = -1;
    /** Local UDP media channels (UDP), or null. */
    UdpMediaChannels udp;
    private long malformed;
    private long lastMalformedLog;
    private long lastRtcpNanos;
    private long rtcpArrivalNanos;

    TrackReceiver(MediaTrack track, RtspMediaListener listener) {
        this.track = track;
        this.listener = listener;
    }

    /** Handles one RTP packet; returns true when it was valid and delivered. */
    boolean onRtp(ByteBuf buf, long nowNanos) {
        try {
            packet.wrap(buf);
        } catch (RtpFormatException e) {
            malformed++;
            if (nowNanos - lastMalformedLog > LOG_INTERVAL_NANOS) {
                lastMalformedLog = nowNanos;
                LOG.warn("{}: dropped malformed RTP packet ({}); {} malformed so far", track, e.getMessage(),
                        malformed);
            }
            return false;
        }
        if (!track.statistics().onPacket(packet.sequenceNumber(), packet.timestamp(), packet.ssrc(), nowNanos,
                packet.payloadLength())) {
            return false;
        }
        listener.onRtpPacket(track, packet);
        return true;
    }

    void onRtcp(ByteBuf buf, long nowNanos) {
        rtcpArrivalNanos = nowNanos;
        try {
            RtcpParser.parse(buf, this);
        } catch (RtcpFormatException e) {
            malformed++;
            if (nowNanos - lastMalformedLog > LOG_INTERVAL_NANOS) {
                lastMalformedLog = nowNanos;
                LOG.warn("{}: ignored malformed RTCP packet ({})", track, e.getMessage());
            }
        }
    }

    @Override
    public void onSenderReport(SenderReport sr) {
        track.statistics().onSenderReport(sr, rtcpArrivalNanos);
    }

    @Override
    public void onBye(java.util.List<Long> ssrcs, String reason) {
        LOG.info("{}: server sent RTCP BYE{}", track, reason == null || reason.isEmpty() ? "" : " (" + reason + ")");
    }

    long malformed() {
        return malformed;
    }

    boolean rtcpDue(long nowNanos, long intervalNanos) {
        if (nowNanos - lastRtcpNanos >= intervalNanos) {
            lastRtcpNanos = nowNanos;
            return true;
        }
        return false;
    }

    void close() {
        if (udp != null) {
            udp.close();
            udp = null;
        }
    }
}
