package io.github.camelrtsp.media;

import java.util.List;
import java.util.function.Consumer;

import io.github.camelrtsp.client.MediaTrack;
import io.github.camelrtsp.client.RtspSessionInfo;
import io.github.camelrtsp.format.Depacketizer;
import io.github.camelrtsp.format.Depacketizers;
import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.FrameSink;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.headers.RtpInfoHeader;
import io.github.camelrtsp.rtp.RtpPacket;
import io.github.camelrtsp.rtp.SenderReport;
import io.github.camelrtsp.timing.PresentationClock;

/**
 * Turns the RTP packets of one playing session into timed frames: one depacketizer per track, loss detection from
 * sequence gaps, and a presentation clock shared by the tracks (aligned by RTCP sender reports or RTP-Info).
 * Packets must come in sequence order with duplicates removed, as {@link io.github.camelrtsp.client
 * .RtspStreamClient} delivers them, on one thread.
 */
public final class FrameAssembler {

    private final PresentationClock clock = new PresentationClock();
    private final TrackState[] tracks;
    private final Consumer<TimedFrame> sink;

    /** Per-track counters, readable from any thread. */
    public static final class TrackCounters {
        volatile long framesEmitted;
        volatile long bytesEmitted;
        volatile long gaps;

        public long framesEmitted() {
            return framesEmitted;
        }

        public long bytesEmitted() {
            return bytesEmitted;
        }

        /** Sequence gaps seen in delivered packets (each one loss event). */
        public long gaps() {
            return gaps;
        }
    }

    private final class TrackState {
        final MediaTrack track;
        final Depacketizer depacketizer;
        final PresentationClock.Track clockTrack;
        final TrackCounters counters = new TrackCounters();
        final FrameSink frameSink = this::onFrame;
        int lastSeq = -1;
        long ssrc = -1;
        SenderReport lastReport;

        TrackState(MediaTrack track, int maxFrameSize) {
            this.track = track;
            this.depacketizer = Depacketizers.create(new FormatParameters(track.codec(), track.payloadType(),
                    track.clockRate(), track.channels(), track.formatParameters(), maxFrameSize));
            this.clockTrack = clock.addTrack("track " + track.index(), track.clockRate());
        }

        void onFrame(MediaFrame frame) {
            long pts = clock.presentationTimeMicros(clockTrack, frame.rtpTimestamp());
            boolean jump = clock.takeDiscontinuity(clockTrack);
            counters.framesEmitted++;
            counters.bytesEmitted += frame.data().length;
            sink.accept(new TimedFrame(track, frame, pts, clock.wallClock(clockTrack, frame.rtpTimestamp()),
                    frame.discontinuity() || jump));
        }
    }

    /**
     * @param session      the session as it started playing
     * @param maxFrameSize the largest frame accepted, in bytes
     * @param sink         receives every completed frame, on the calling thread
     */
    public FrameAssembler(RtspSessionInfo session, int maxFrameSize, Consumer<TimedFrame> sink) {
        this.sink = sink;
        int max = 0;
        for (MediaTrack t : session.tracks()) {
            max = Math.max(max, t.index() + 1);
        }
        tracks = new TrackState[max];
        for (MediaTrack t : session.tracks()) {
            TrackState state = new TrackState(t, maxFrameSize);
            tracks[t.index()] = state;
            RtpInfoHeader.Entry info = session.rtpInfo().get(t.index());
            if (info != null) {
                clock.onRtpInfo(state.clockTrack, info);
            }
        }
    }

    /** Feeds one packet of a track of this session. */
    public void onRtpPacket(MediaTrack track, RtpPacket packet) {
        TrackState t = track.index() < tracks.length ? tracks[track.index()] : null;
        if (t == null) {
            return;
        }
        int seq = packet.sequenceNumber();
        boolean lost = t.lastSeq >= 0 && seq != ((t.lastSeq + 1) & 0xFFFF);
        t.lastSeq = seq;
        if (packet.ssrc() != t.ssrc) {
            if (t.ssrc != -1) {
                // the camera restarted its encoder: old partial frames and time anchors are void
                t.depacketizer.reset();
                clock.restart(t.clockTrack);
                lost = true;
            }
            t.ssrc = packet.ssrc();
        }
        if (lost) {
            t.counters.gaps++;
        }
        SenderReport report = track.statistics().lastSenderReport();
        if (report != null && report != t.lastReport && report.ssrc() == t.ssrc) {
            t.lastReport = report;
            clock.onSenderReport(t.clockTrack, report);
        }
        t.depacketizer.onPacket(packet, lost, t.frameSink);
    }

    /**
     * Playback resumed or moved within the session (see {@link PresentationClock#rebase}): partial frames are
     * dropped and each track with an RTP-Info entry carrying rtptime is re-anchored so that presentation times
     * continue; its next frame is a discontinuity. Call it on the thread that feeds the packets, before the first
     * packet after the new PLAY.
     *
     * @param rtpInfo the new PLAY answer's RTP-Info per track index
     * @return how many tracks were re-anchored
     */
    public int rebase(java.util.Map<Integer, RtpInfoHeader.Entry> rtpInfo) {
        int rebased = 0;
        for (TrackState t : tracks) {
            if (t == null) {
                continue;
            }
            t.depacketizer.reset();
            t.lastSeq = -1;
            RtpInfoHeader.Entry e = rtpInfo.get(t.track.index());
            if (e != null && e.rtptime() != null) {
                clock.rebase(t.clockTrack, e.rtptime());
                rebased++;
            } else {
                clock.restart(t.clockTrack);
            }
        }
        return rebased;
    }

    /** The depacketizer of a track (for its counters), or null. */
    public Depacketizer depacketizer(int trackIndex) {
        return trackIndex < tracks.length && tracks[trackIndex] != null ? tracks[trackIndex].depacketizer : null;
    }

    /** Counters of a track, or null. */
    public TrackCounters counters(int trackIndex) {
        return trackIndex < tracks.length && tracks[trackIndex] != null ? tracks[trackIndex].counters : null;
    }

    /** The tracks this assembler handles. */
    public List<MediaTrack> tracks() {
        java.util.ArrayList<MediaTrack> list = new java.util.ArrayList<>();
        for (TrackState t : tracks) {
            if (t != null) {
                list.add(t.track);
            }
        }
        return list;
    }
}
