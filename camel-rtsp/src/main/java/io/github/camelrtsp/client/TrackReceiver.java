package io.github.camelrtsp.client;

import io.github.camelrtsp.rtp.RtcpFormatException;
import io.github.camelrtsp.rtp.RtcpListener;
import io.github.camelrtsp.rtp.RtcpParser;
import io.github.camelrtsp.rtp.RtpFormatException;
import io.github.camelrtsp.rtp.RtpPacket;
import io.github.camelrtsp.rtp.RtpReorderBuffer;
import io.github.camelrtsp.rtp.SenderReport;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
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
    private final RtpReorderBuffer.Output deliver = this::deliverInOrder;
    private RtpReorderBuffer reorder;
    private EventLoop loop;
    private boolean flushScheduled;
    /** Set when PLAY was answered: packets before that (servers that send early) are not delivered. */
    boolean active;
    private long early;
    private long malformed;
    private long lastMalformedLog;
    private long lastRtcpNanos;
    private long rtcpArrivalNanos;

    TrackReceiver(MediaTrack track, RtspMediaListener listener) {
        this.track = track;
        this.listener = listener;
    }

    /**
     * Handles one RTP packet; returns true when it was valid and accepted (delivered now, or held for reordering).
     * Over UDP the packet goes through a reorder buffer, so the listener always sees sequence order.
     */
    boolean onRtp(ByteBuf buf, long nowNanos) {
        if (!active) {
            if (early++ == 0) {
                LOG.debug("{}: RTP before the PLAY answer is not delivered", track);
            }
            return false;
        }
        if (!accept(buf, nowNanos)) {
            return false;
        }
        if (reorder == null) {
            listener.onRtpPacket(track, packet);
        } else {
            reorder.add(buf, packet.sequenceNumber(), nowNanos, deliver);
            scheduleReorderFlush();
        }
        return true;
    }

    private void deliverInOrder(ByteBuf buf, boolean lostBefore) {
        try {
            packet.wrap(buf);
        } catch (RtpFormatException e) {
            return; // validated on arrival
        }
        listener.onRtpPacket(track, packet);
    }

    private void scheduleReorderFlush() {
        if (reorder.size() == 0 || flushScheduled || loop == null) {
            return;
        }
        long delay = Math.max(0, reorder.nextDeadline() - System.nanoTime());
        flushScheduled = true;
        loop.schedule(() -> {
            flushScheduled = false;
            if (reorder != null) {
                reorder.flushExpired(System.nanoTime(), deliver);
                scheduleReorderFlush();
            }
        }, delay, TimeUnit.NANOSECONDS);
    }

    /** Sets up reordering for UDP media; {@code loop} runs the timed release of packets held for a gap. */
    void enableReordering(EventLoop loop, int maxPackets, Duration maxDelay) {
        this.loop = loop;
        this.reorder = new RtpReorderBuffer(maxPackets, maxDelay);
    }

    RtpReorderBuffer reorderBuffer() {
        return reorder;
    }

    private boolean accept(ByteBuf buf, long nowNanos) {
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
        if (reorder != null) {
            reorder.reset();
            reorder = null;
        }
        if (udp != null) {
            udp.close();
            udp = null;
        }
    }
}
