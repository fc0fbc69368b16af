package io.github.camelrtsp.server;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelrtsp.message.InterleavedFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;

/**
 * One RTSP session: the tracks set up, where their RTP/RTCP go, and the per-track delivery state (waiting for a key
 * frame). {@link #offer} runs under the stream lock on the publisher's thread; requests run on the connection's
 * event loop. A publisher session (SETUP with {@code mode=record} after ANNOUNCE) owns its stream instead: once
 * RECORD ran, {@link #receive} hands the packets it sends to the stream's {@link PublishListener} and players, and
 * closing it removes the stream.
 */
final class ServerSession {

    private static final Logger LOG = LoggerFactory.getLogger(ServerSession.class);

    /** Where one track goes: an interleaved channel pair, or UDP destinations. */
    record TrackTransport(boolean tcp, int rtpChannel, int rtcpChannel, InetSocketAddress rtpAddress,
                          InetSocketAddress rtcpAddress) {
    }

    private final RtspServer server;
    private final String id;
    private final ServerStream stream;
    private final ServerConnection connection;
    private final TrackTransport[] transports;
    private final boolean publisher;
    /** Publisher only: key frame detectors per track (null: every packet is a start) and last sequence. */
    private final KeyFrameStarts[] keyFrames;
    private final int[] lastSeq;
    private volatile boolean recording;
    /** Guarded by the stream lock. */
    private final boolean[] waitingForStart;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean playing;
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile long behindSinceNanos;

    ServerSession(RtspServer server, String id, ServerStream stream, ServerConnection connection, boolean publisher) {
        this.server = server;
        this.id = id;
        this.stream = stream;
        this.connection = connection;
        this.transports = new TrackTransport[stream.tracks().size()];
        this.waitingForStart = new boolean[transports.length];
        this.publisher = publisher;
        this.keyFrames = new KeyFrameStarts[transports.length];
        this.lastSeq = new int[transports.length];
        if (publisher) {
            for (int i = 0; i < transports.length; i++) {
                lastSeq[i] = -1;
                String rtpmap = stream.tracks().get(i).rtpmap();
                keyFrames[i] = KeyFrameStarts.forEncoding(rtpmap.substring(0, rtpmap.indexOf('/')));
            }
        }
    }

    boolean isPublisher() {
        return publisher;
    }

    boolean isRecording() {
        return recording;
    }

    /** Publisher: starts handing packets on; false when it already records. */
    boolean startRecording() {
        if (recording) {
            return false;
        }
        recording = true;
        return true;
    }

    /** Number of tracks set up. */
    int setUpCount() {
        int n = 0;
        for (TrackTransport t : transports) {
            if (t != null) {
                n++;
            }
        }
        return n;
    }

    /** Removes one set-up track (per-track TEARDOWN); its UDP addresses are released. */
    void removeTrack(int track) {
        TrackTransport t;
        synchronized (stream) {
            t = transports[track];
            transports[track] = null;
        }
        if (t != null && !t.tcp()) {
            server.releaseUdpPeer(this, t.rtpAddress(), t.rtcpAddress());
        }
        LOG.debug("Session {} on {}: track {} torn down", id, stream.path(), track);
    }

    /** Returns the track whose interleaved RTP channel is {@code channel}, or -1. */
    int trackOfRtpChannel(int channel) {
        for (int i = 0; i < transports.length; i++) {
            TrackTransport t = transports[i];
            if (t != null && t.tcp() && t.rtpChannel() == channel) {
                return i;
            }
        }
        return -1;
    }

    /** Returns the track whose UDP RTP address is {@code address}, or -1. */
    int trackOfRtpAddress(InetSocketAddress address) {
        for (int i = 0; i < transports.length; i++) {
            TrackTransport t = transports[i];
            if (t != null && !t.tcp() && address.equals(t.rtpAddress())) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Publisher: one RTP packet it sent for {@code track} (-1 when the channel or address belongs to no track). The
     * buffer stays owned by the caller. After RECORD the packet goes to the listener as it came, then a copy (the
     * only one) to the stream's players, with a key frame start detected for H.264 and H.265 and the publisher's
     * sequence gaps kept so players see the losses. Anything else is dropped and counted.
     */
    void receive(int track, ByteBuf packet, ByteBufAllocator alloc) {
        touch();
        int at = packet.readerIndex();
        int len = packet.readableBytes();
        if (track < 0 || !recording || closed.get()) {
            server.dropRecordPacket(this, track < 0 ? "no track is set up for it" : "not recording");
            return;
        }
        if (len < 12 || len > 65535 || (packet.getUnsignedByte(at) >>> 6) != 2) {
            server.dropRecordPacket(this, "not an RTP packet (" + len + " bytes)");
            return;
        }
        KeyFrameStarts detector = keyFrames[track];
        boolean key = detector == null || detector.isKeyFrameStart(packet);
        int seq = packet.getUnsignedShort(at + 2);
        int last = lastSeq[track];
        if (last >= 0) {
            int gap = (seq - last) & 0xFFFF;
            if (gap > 1 && gap < 0x8000) {
                stream.advanceSequence(track, gap - 1);
            }
        }
        lastSeq[track] = seq;
        server.stats.recordedPackets.increment();
        PublishListener listener = stream.publishListener();
        try {
            listener.onRtpPacket(stream, track, packet);
        } catch (RuntimeException e) {
            server.listenerWarn.warn("PublishListener of {} failed on a packet: {}", stream.path(), e.toString());
        }
        ByteBuf copy = alloc.buffer(len);
        copy.writeBytes(packet, at, len);
        stream.publish(track, copy, key);
    }

    String id() {
        return id;
    }

    ServerStream stream() {
        return stream;
    }

    ServerConnection connection() {
        return connection;
    }

    boolean isPlaying() {
        return playing;
    }

    boolean isClosed() {
        return closed.get();
    }

    boolean isSetUp(int track) {
        return transports[track] != null;
    }

    boolean hasUdp() {
        for (TrackTransport t : transports) {
            if (t != null && !t.tcp()) {
                return true;
            }
        }
        return false;
    }

    TrackTransport transport(int track) {
        return transports[track];
    }

    void setUp(int track, TrackTransport transport) {
        transports[track] = transport;
    }

    /** Returns the track whose interleaved RTCP channel is {@code channel}, or -1. */
    int trackOfRtcpChannel(int channel) {
        for (int i = 0; i < transports.length; i++) {
            TrackTransport t = transports[i];
            if (t != null && t.tcp() && (t.rtcpChannel() == channel || t.rtpChannel() == channel)) {
                return i;
            }
        }
        return -1;
    }

    /** True when {@code channel} is used by one of this session's tracks. */
    boolean usesChannel(int channel) {
        return trackOfRtcpChannel(channel) >= 0;
    }

    void touch() {
        lastActivityNanos = System.nanoTime();
    }

    long lastActivityNanos() {
        return lastActivityNanos;
    }

    long behindSinceNanos() {
        return behindSinceNanos;
    }

    /** Called under the stream lock before the session joins the playing list: video waits for a key frame. */
    void resetForPlay() {
        for (int i = 0; i < transports.length; i++) {
            waitingForStart[i] = stream.tracks().get(i).isVideo();
        }
        behindSinceNanos = 0;
        playing = true;
    }

    void pause() {
        playing = false;
        stream.stopPlaying(this);
    }

    /** Sends one published packet (under the stream lock); {@code start} tells whether a decoder can start here. */
    void offer(int track, ByteBuf packet, boolean start) {
        TrackTransport t = transports[track];
        if (t == null) {
            return;
        }
        if (waitingForStart[track]) {
            if (!start) {
                return;
            }
            waitingForStart[track] = false;
        }
        Channel channel = t.tcp() ? connection.channel() : server.udpRtpChannel();
        if (!channel.isWritable()) {
            if (!channel.isActive()) {
                return; // closing: the session ends when the close is handled
            }
            fellBehind(track);
            return;
        }
        if (behindSinceNanos != 0 && t.tcp()) {
            LOG.debug("Session {} caught up after {} ms", id, (System.nanoTime() - behindSinceNanos) / 1_000_000);
        }
        behindSinceNanos = 0;
        if (t.tcp()) {
            channel.writeAndFlush(new InterleavedFrame(t.rtpChannel(), packet.retainedDuplicate()),
                    channel.voidPromise());
        } else {
            channel.writeAndFlush(new DatagramPacket(packet.retainedDuplicate(), t.rtpAddress()),
                    channel.voidPromise());
        }
    }

    private void fellBehind(int track) {
        server.stats.droppedPackets.increment();
        if (stream.tracks().get(track).isVideo()) {
            waitingForStart[track] = true;
        }
        long now = System.nanoTime();
        if (behindSinceNanos == 0) {
            behindSinceNanos = now;
            server.stats.keyFrameSkips.increment();
            server.skipWarn.warn("Session {} on {} ({}) is behind: skipping to the next key frame",
                    id, stream.path(), connection.remote());
        } else if (now - behindSinceNanos > server.options().maxBehind().toNanos()) {
            disconnectSlow();
        }
    }

    /** Closes the connection of a session that stayed behind too long; counted once. */
    void disconnectSlow() {
        if (!closed.get()) {
            server.stats.slowDisconnects.increment();
            LOG.warn("Session {} on {} ({}) stayed behind for more than {} ms: closing its connection", id,
                    stream.path(), connection.remote(), server.options().maxBehind().toMillis());
            closeConnection("slow client");
        }
    }

    /** Sends an RTCP compound of {@code track} (under the stream lock), unless that track has not started yet. */
    void sendSenderReport(int track, ByteBuf compound) {
        TrackTransport t = transports[track];
        if (t == null || waitingForStart[track]) {
            return;
        }
        Channel channel = t.tcp() ? connection.channel() : server.udpRtcpChannel();
        if (!channel.isWritable()) {
            return;
        }
        if (t.tcp()) {
            channel.writeAndFlush(new InterleavedFrame(t.rtcpChannel(), compound.retainedDuplicate()),
                    channel.voidPromise());
        } else {
            channel.writeAndFlush(new DatagramPacket(compound.retainedDuplicate(), t.rtcpAddress()),
                    channel.voidPromise());
        }
        server.stats.senderReports.increment();
    }

    /** Ends the session and frees what it holds; idempotent, any thread. */
    void close(String reason) {
        if (closed.compareAndSet(false, true)) {
            playing = false;
            stream.stopPlaying(this);
            server.forget(this);
            connection.forget(this);
            server.stats.sessionsTornDown.increment();
            LOG.debug("Session {} on {} closed: {}", id, stream.path(), reason);
            if (publisher) {
                server.publisherGone(this, reason);
            }
        }
    }

    /** Ends the session and closes its RTSP connection. */
    void closeConnection(String reason) {
        close(reason);
        connection.channel().close();
    }
}
