package io.github.camelrtsp.server;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.camelrtsp.format.Depacketizer;
import io.github.camelrtsp.format.Depacketizers;
import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.rtp.RtpPacket;
import io.netty.buffer.ByteBuf;

/**
 * A {@link PublishListener} for tests: counts starts, stops and packets, and rebuilds the frames of every track with
 * the project's depacketizers (video from its first key frame on), so that a test can write them to a file and let
 * ffprobe decode them.
 */
public final class PublishRecorder implements PublishListener {

    final AtomicInteger starts = new AtomicInteger();
    /** The reasons of the publisher stops seen so far. */
    public final List<String> stops = new CopyOnWriteArrayList<>();
    /** Sequence gaps seen (at most 20). */
    public final List<String> errors = new CopyOnWriteArrayList<>();
    final AtomicLong packets = new AtomicLong();
    private volatile Track[] tracks = new Track[0];
    volatile ServerStream stream;

    /** The frames rebuilt on one track. */
    static final class Track {
        final ServerTrack track;
        final Depacketizer depacketizer;
        final RtpPacket rtp = new RtpPacket();
        final List<MediaFrame> frames = new ArrayList<>();
        int lastSeq = -1;
        long packets;

        Track(ServerTrack track) {
            this.track = track;
            String[] map = track.rtpmap().split("/");
            Integer channels = map.length > 2 ? Integer.valueOf(map[2]) : null;
            this.depacketizer = Depacketizers.create(new FormatParameters(map[0].toUpperCase(), track.payloadType(),
                    track.clockRate(), channels, track.fmtp(), 4 * 1024 * 1024));
        }
    }

    @Override
    public void onPublishStart(ServerStream stream) {
        Track[] t = new Track[stream.tracks().size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = new Track(stream.tracks().get(i));
        }
        tracks = t;
        this.stream = stream;
        starts.incrementAndGet();
    }

    @Override
    public void onRtpPacket(ServerStream stream, int track, ByteBuf rtpPacket) {
        packets.incrementAndGet();
        Track t = tracks[track];
        synchronized (t) {
            t.packets++;
            t.rtp.wrap(rtpPacket);
            int seq = t.rtp.sequenceNumber();
            boolean lost = t.lastSeq >= 0 && seq != ((t.lastSeq + 1) & 0xFFFF);
            if (lost && errors.size() < 20) {
                errors.add("track " + track + ": seq " + seq + " after " + t.lastSeq);
            }
            t.lastSeq = seq;
            t.depacketizer.onPacket(t.rtp, lost, frame -> {
                if (!t.frames.isEmpty() || frame.keyFrame()) {
                    t.frames.add(frame);
                }
            });
        }
    }

    @Override
    public void onPublishStop(ServerStream stream, String reason) {
        stops.add(reason);
    }

    int trackCount() {
        return tracks.length;
    }

    ServerTrack track(int i) {
        return tracks[i].track;
    }

    long packets(int track) {
        Track t = tracks[track];
        synchronized (t) {
            return t.packets;
        }
    }

    /** Frames rebuilt on {@code track} so far. */
    public int frames(int track) {
        Track[] t = tracks;
        if (track >= t.length) {
            return 0;
        }
        synchronized (t[track]) {
            return t[track].frames.size();
        }
    }

    /** The index of the first track whose rtpmap starts with {@code encoding}, or -1. */
    public int trackOf(String encoding) {
        Track[] t = tracks;
        for (int i = 0; i < t.length; i++) {
            if (t[i].track.rtpmap().toUpperCase().startsWith(encoding.toUpperCase() + "/")) {
                return i;
            }
        }
        return -1;
    }

    /** The first {@code count} frames of a track, concatenated (Annex B, ADTS: the formats are self-delimiting). */
    public byte[] concat(int track, int count) {
        Track t = tracks[track];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        synchronized (t) {
            for (int i = 0; i < count && i < t.frames.size(); i++) {
                out.writeBytes(t.frames.get(i).data());
            }
        }
        return out.toByteArray();
    }
}
