package io.github.camelrtsp.server;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelrtsp.headers.RtpInfoHeader;
import io.github.camelrtsp.rtp.RtcpWriter;
import io.github.camelrtsp.rtp.SenderReport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A path of an {@link RtspServer} and the live media published on it. {@link #publish(int, ByteBuf, boolean)} hands
 * each RTP packet to every playing session without copying it: the stream writes its own SSRC, sequence number and
 * payload type into the packet in place, then each session gets a retained duplicate.
 */
public final class ServerStream {

    private static final Logger LOG = LoggerFactory.getLogger(ServerStream.class);
    private static final ServerSession[] NONE = new ServerSession[0];
    /** How long a least-delayed packet keeps anchoring a track's RTP clock before a newer one takes over. */
    private static final long ANCHOR_WINDOW_NANOS = 2_000_000_000L;

    private final RtspServer server;
    private final String path;
    private final List<ServerTrack> tracks;
    private final TrackState[] state;
    private final long sdpSessionId;
    private final WarnLimiter rejectWarn = new WarnLimiter(LOG, 10_000);
    private volatile ServerSession[] playing = NONE;
    private volatile boolean removed;
    private final PublishListener publishListener;
    private final String[] trackPaths;

    /**
     * Per-track sender state; guarded by the stream's lock. The RTP clock of a track (for sender reports and
     * RTP-Info) is anchored on the packet of the last {@link #ANCHOR_WINDOW_NANOS} whose timestamp was furthest ahead
     * of its publish time: publish jitter (a restreamed camera) and B-frames, whose timestamps step back, delay a
     * packet against its timestamp but never advance it, so the least delayed packet gives a steady mapping.
     */
    static final class TrackState {
        final long ssrc;
        final int clockRate;
        int nextSeq;
        boolean hasPacket;
        long anchorTimestamp;
        long anchorNanos;
        long candidateTimestamp;
        long candidateNanos;
        long windowStartNanos;
        long packetCount;
        long octetCount;

        TrackState(long ssrc, int seq, int clockRate) {
            this.ssrc = ssrc;
            this.nextSeq = seq;
            this.clockRate = clockRate;
        }

        /** Takes the timestamp of a packet published at {@code nanos} into the clock anchor. */
        void observe(long timestamp, long nanos) {
            if (!hasPacket) {
                hasPacket = true;
                anchorTimestamp = candidateTimestamp = timestamp;
                anchorNanos = candidateNanos = windowStartNanos = nanos;
                return;
            }
            if (lead(timestamp, nanos, candidateTimestamp, candidateNanos) > 0) {
                candidateTimestamp = timestamp;
                candidateNanos = nanos;
            }
            if (lead(timestamp, nanos, anchorTimestamp, anchorNanos) > 0) {
                anchorTimestamp = timestamp;
                anchorNanos = nanos;
            }
            if (nanos - windowStartNanos >= ANCHOR_WINDOW_NANOS) {
                anchorTimestamp = candidateTimestamp;
                anchorNanos = candidateNanos;
                candidateTimestamp = timestamp;
                candidateNanos = nanos;
                windowStartNanos = nanos;
            }
        }

        /** The RTP time of this track at {@code nanos} (System.nanoTime), by the anchor; needs a packet first. */
        long rtpTimeAt(long nanos) {
            long ticks = Math.floorDiv(nanos - anchorNanos, 1000L) * clockRate / 1_000_000L;
            return (anchorTimestamp + ticks) & 0xFFFF_FFFFL;
        }

        /** How much earlier than {@code (refTimestamp, refNanos)} predicts the packet came, in nanoseconds. */
        private long lead(long timestamp, long nanos, long refTimestamp, long refNanos) {
            long ticks = (int) (timestamp - refTimestamp);
            return ticks * 1_000_000_000L / clockRate - (nanos - refNanos);
        }
    }

    ServerStream(RtspServer server, String path, List<ServerTrack> tracks) {
        this(server, path, tracks, null, null);
    }

    /** A stream a publisher announced: {@code trackPaths} are the paths its SETUPs name, per track. */
    ServerStream(RtspServer server, String path, List<ServerTrack> tracks, PublishListener listener,
            String[] trackPaths) {
        this.publishListener = listener;
        this.trackPaths = trackPaths == null ? null : trackPaths.clone();
        this.server = server;
        this.path = path;
        this.tracks = List.copyOf(tracks);
        this.state = new TrackState[this.tracks.size()];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < state.length; i++) {
            state[i] = new TrackState(random.nextLong(1, 0x1_0000_0000L), random.nextInt(0x10000),
                    this.tracks.get(i).clockRate());
        }
        this.sdpSessionId = random.nextLong(1, Long.MAX_VALUE);
    }

    /** The path clients use, e.g. {@code /live}. */
    public String path() {
        return path;
    }

    /** The tracks, in the order of the SDP (track {@code i} is {@code trackID=i}). */
    public List<ServerTrack> tracks() {
        return tracks;
    }

    /** Sessions currently playing this stream. */
    public int playingSessions() {
        return playing.length;
    }

    /** True once {@link #remove()} ran. */
    public boolean isRemoved() {
        return removed;
    }

    /**
     * Sends one RTP packet of track {@code track} to every playing session. Thread safe. The stream takes
     * ownership of {@code rtpPacket} in all cases (it is released, also when an exception is thrown) and rewrites
     * its SSRC, sequence number and payload type in place.
     *
     * @param keyFrameStart true on the first packet of a video key frame (sessions start video there); ignored for
     *                      other media, where every packet is a start point
     * @throws IllegalArgumentException if the track does not exist or the buffer is not an RTP packet of 12 to
     *                                  65535 bytes (counted in {@link ServerStatistics#rejectedPackets()})
     */
    public void publish(int track, ByteBuf rtpPacket, boolean keyFrameStart) {
        try {
            if (track < 0 || track >= state.length) {
                throw reject("no track " + track + " on " + path + " (it has " + state.length + ")");
            }
            int len = rtpPacket.readableBytes();
            int at = rtpPacket.readerIndex();
            if (len < 12 || len > 65535 || (rtpPacket.getUnsignedByte(at) >>> 6) != 2) {
                throw reject("not an RTP packet of 12..65535 bytes (version 2) on " + path + " track " + track
                             + ": " + len + " bytes");
            }
            if (removed) {
                return;
            }
            synchronized (this) {
                TrackState s = state[track];
                rtpPacket.setShort(at + 2, s.nextSeq);
                s.nextSeq = (s.nextSeq + 1) & 0xFFFF;
                rtpPacket.setInt(at + 8, (int) s.ssrc);
                rtpPacket.setByte(at + 1, (rtpPacket.getUnsignedByte(at + 1) & 0x80) | tracks.get(track).payloadType());
                s.observe(rtpPacket.getUnsignedInt(at + 4), System.nanoTime());
                s.packetCount++;
                s.octetCount += len - 12;
                boolean start = keyFrameStart || !tracks.get(track).isVideo();
                for (ServerSession session : playing) {
                    session.offer(track, rtpPacket, start);
                }
            }
        } finally {
            rtpPacket.release();
        }
    }

    private IllegalArgumentException reject(String message) {
        server.stats.rejectedPackets.increment();
        rejectWarn.warn("Published packet refused: {}", message);
        return new IllegalArgumentException(message);
    }

    /** Removes the stream from the server; its sessions are torn down and their connections closed. Idempotent. */
    public void remove() {
        server.removeStream(this);
    }

    void markRemovedAndClose() {
        ServerSession[] sessions;
        synchronized (this) {
            removed = true;
            sessions = playing;
            playing = NONE;
        }
        for (ServerSession s : sessions) {
            s.closeConnection("stream " + path + " removed");
        }
    }

    /** The listener when a publisher announced this stream, else null. */
    PublishListener publishListener() {
        return publishListener;
    }

    /** The track a publisher's SETUP path names (its SDP control), or -1. */
    int trackOfPublisherPath(String path) {
        if (trackPaths != null) {
            for (int i = 0; i < trackPaths.length; i++) {
                if (path.equals(trackPaths[i])) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Skips {@code n} sequence numbers of {@code track}, so that players see a loss the publisher's stream had. */
    synchronized void advanceSequence(int track, int n) {
        TrackState s = state[track];
        s.nextSeq = (s.nextSeq + n) & 0xFFFF;
    }

    long sdpSessionId() {
        return sdpSessionId;
    }

    long ssrc(int track) {
        return state[track].ssrc;
    }

    /**
     * Starts forwarding to {@code session}: under the stream lock, builds the RTP-Info entries (next sequence number
     * and the RTP time of now per set-up track), lets {@code beforeStart} send the PLAY response, then adds the
     * session, so that no packet can overtake the response on the connection.
     */
    void startPlaying(ServerSession session, String baseUrl, Consumer<String> beforeStart) {
        synchronized (this) {
            List<RtpInfoHeader.Entry> entries = new ArrayList<>();
            long now = System.nanoTime();
            for (int i = 0; i < state.length; i++) {
                if (!session.isSetUp(i)) {
                    continue;
                }
                TrackState s = state[i];
                Long rtptime = s.hasPacket ? rtpTimeAt(i, now) : null;
                entries.add(new RtpInfoHeader.Entry(baseUrl + "trackID=" + i, s.nextSeq, rtptime, null));
            }
            session.resetForPlay();
            beforeStart.accept(RtpInfoHeader.format(entries));
            if (!removed) {
                ServerSession[] next = Arrays.copyOf(playing, playing.length + 1);
                next[next.length - 1] = session;
                playing = next;
            }
        }
    }

    /** Stops forwarding to {@code session}; no effect when it is not playing. */
    synchronized void stopPlaying(ServerSession session) {
        ServerSession[] cur = playing;
        for (int i = 0; i < cur.length; i++) {
            if (cur[i] == session) {
                ServerSession[] next = new ServerSession[cur.length - 1];
                System.arraycopy(cur, 0, next, 0, i);
                System.arraycopy(cur, i + 1, next, i, cur.length - i - 1);
                playing = next;
                return;
            }
        }
    }

    private long rtpTimeAt(int track, long nanos) {
        return state[track].rtpTimeAt(nanos);
    }

    /** Sends an RTCP sender report (plus SDES CNAME) per track that has media to every session playing it. */
    void sendSenderReports(ByteBufAllocator alloc, String cname) {
        synchronized (this) {
            if (playing.length == 0) {
                return;
            }
            long nanos = System.nanoTime();
            Instant wall = server.wallClock(nanos);
            for (int i = 0; i < state.length; i++) {
                TrackState s = state[i];
                if (!s.hasPacket) {
                    continue;
                }
                SenderReport sr = new SenderReport(s.ssrc, SenderReport.instantToNtp(wall), rtpTimeAt(i, nanos),
                        s.packetCount & 0xFFFF_FFFFL, s.octetCount & 0xFFFF_FFFFL);
                ByteBuf compound = alloc.buffer(64);
                try {
                    RtcpWriter.writeSenderReport(compound, sr);
                    RtcpWriter.writeSdesCname(compound, s.ssrc, cname);
                    for (ServerSession session : playing) {
                        session.sendSenderReport(i, compound);
                    }
                } finally {
                    compound.release();
                }
            }
        }
    }
}
