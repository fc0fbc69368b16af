package io.github.camelrtsp.publish;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.github.camelrtsp.server.ServerTrack;

/**
 * Learns the tracks of a publication from its first frames, so that the SDP can be written before anything is sent.
 * <p>
 * Each source track index ({@link PublishFrame#track()}) becomes one outgoing track, in the order of the indexes,
 * with payload type {@code 96 + index} (static types for PCMU, PCMA, G722). A video track has started with its first
 * key frame (whose parameter sets the SDP then carries: an H.264/H.265 key frame must hold them); an audio track with
 * its first frame. Frames of a track before it started are skipped and counted; from then on they are kept, in
 * arrival order, in a bounded buffer (the oldest is dropped and counted when it is full).
 * <p>
 * The set of tracks is complete, and {@link #ready()} true, once every track seen has started and either
 * {@code expectedTracks} tracks were seen or {@code collectTimeout} has passed since the first frame (so a source
 * with fewer tracks than expected is still published). The kept frames
 * are then handed out by the call that completed the set (video frames before their track's first kept key frame
 * left out, counted as skipped); later frames of the known tracks are handed out at once; frames of a track that
 * appears later, or whose codec changed, are skipped and counted.
 * <p>
 * Not thread safe: one thread (or one lock) feeds it.
 */
public final class PublishTracks {

    /** Largest number of tracks: payload types 96..127. */
    public static final int MAX_TRACKS = 32;

    private final int expectedTracks;
    private final long collectTimeoutNanos;
    private final int mtu;
    private final int maxPending;
    private final LongSupplier nanoClock;

    private final TreeMap<Integer, PublishTrack> tracks = new TreeMap<>();
    private final TreeMap<Integer, String> codecs = new TreeMap<>();
    private final Set<Integer> started = new HashSet<>();
    private final ArrayDeque<PublishFrame> pending = new ArrayDeque<>();
    private long firstFrameNanos;
    private boolean seenFrame;
    private boolean ready;
    private long skipped;
    private long pendingDropped;

    /**
     * @param expectedTracks       number of tracks to wait for; 0 or less to wait {@code collectTimeoutMillis}
     * @param collectTimeoutMillis how long after the first frame new tracks may still appear
     * @param mtu                  largest RTP packet of the tracks
     * @param maxPending           most frames kept while the set is incomplete
     * @param nanoClock            monotonic clock in nanoseconds
     * @throws IllegalArgumentException if the timeout is negative, the buffer size not positive or more than
     *                                  {@link #MAX_TRACKS} tracks are expected
     */
    public PublishTracks(int expectedTracks, long collectTimeoutMillis, int mtu, int maxPending,
                         LongSupplier nanoClock) {
        if (collectTimeoutMillis < 0 || maxPending <= 0 || expectedTracks > MAX_TRACKS) {
            throw new IllegalArgumentException("invalid publish track settings: expected " + expectedTracks
                                               + " tracks, timeout " + collectTimeoutMillis + " ms, buffer "
                                               + maxPending + " frames");
        }
        this.expectedTracks = expectedTracks;
        this.collectTimeoutNanos = collectTimeoutMillis * 1_000_000L;
        this.mtu = mtu;
        this.maxPending = maxPending;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /**
     * Feeds one frame.
     *
     * @param frame  the frame
     * @param format its track's format, asked for only when the track is new
     * @return the frames to send now, in order: empty while the set is incomplete or when the frame was skipped; the
     *         kept frames when this frame completed the set; else this frame
     * @throws IllegalArgumentException if the format of a new track cannot be published (nothing is kept)
     */
    public List<PublishFrame> offer(PublishFrame frame, Supplier<TrackFormat> format) {
        Objects.requireNonNull(frame, "frame");
        if (ready) {
            String codec = codecs.get(frame.track());
            if (codec == null || !codec.equalsIgnoreCase(frame.codec())) {
                skipped++;
                return List.of();
            }
            return List.of(frame);
        }
        long now = nanoClock.getAsLong();
        if (!seenFrame) {
            seenFrame = true;
            firstFrameNanos = now;
        }
        PublishTrack track = tracks.get(frame.track());
        if (track == null) {
            if (tracks.size() >= MAX_TRACKS) {
                skipped++;
                return List.of();
            }
            TrackFormat f = Objects.requireNonNull(format.get(), "format");
            track = new PublishTrack(f, PublishTrack.payloadTypeFor(f, frame.track()), mtu);
            tracks.put(frame.track(), track);
            codecs.put(frame.track(), frame.codec());
        } else if (!codecs.get(frame.track()).equalsIgnoreCase(frame.codec())) {
            skipped++;
            return List.of();
        }
        if (!started.contains(frame.track())) {
            if (track.format().isVideo() && !frame.keyFrame()) {
                skipped++;
                return List.of();
            }
            track.learn(frame.data());
            if (!track.hasParameterSets()) {
                skipped++;
                return List.of();
            }
            started.add(frame.track());
        }
        if (pending.size() >= maxPending) {
            pending.pollFirst();
            pendingDropped++;
        }
        pending.addLast(frame);
        return complete(now);
    }

    /**
     * Completes the set if it is due (for a caller's timer: the timeout may pass while no frame arrives).
     *
     * @return the kept frames to send when this call completed the set, else an empty list
     */
    public List<PublishFrame> poll() {
        if (ready || !seenFrame) {
            return List.of();
        }
        return complete(nanoClock.getAsLong());
    }

    private List<PublishFrame> complete(long now) {
        boolean enough = (expectedTracks > 0 && tracks.size() >= expectedTracks)
                         || now - firstFrameNanos >= collectTimeoutNanos;
        if (!enough || started.size() < tracks.size()) {
            return List.of();
        }
        ready = true;
        List<PublishFrame> out = new ArrayList<>(pending.size());
        Set<Integer> keyed = new HashSet<>();
        for (PublishFrame f : pending) {
            PublishTrack t = tracks.get(f.track());
            if (t.format().isVideo() && !keyed.contains(f.track())) {
                if (!f.keyFrame()) {
                    skipped++;
                    continue;
                }
                keyed.add(f.track());
            }
            out.add(f);
        }
        pending.clear();
        return out;
    }

    /** Whether the set of tracks is complete. */
    public boolean ready() {
        return ready;
    }

    /** Nanoseconds until the collect timeout completes the set (0 when due or ready; -1 before the first frame). */
    public long nanosUntilTimeout() {
        if (!seenFrame) {
            return -1;
        }
        return ready ? 0 : Math.max(0, firstFrameNanos + collectTimeoutNanos - nanoClock.getAsLong());
    }

    /** The outgoing track of a source track index, or null. */
    public PublishTrack track(int sourceTrack) {
        return tracks.get(sourceTrack);
    }

    /** The outgoing tracks, by source track index (the SDP order). */
    public Map<Integer, PublishTrack> tracks() {
        return Collections.unmodifiableMap(tracks);
    }

    /** The SDP media sections of the tracks, in order. */
    public List<ServerTrack> serverTracks() {
        List<ServerTrack> list = new ArrayList<>(tracks.size());
        for (PublishTrack t : tracks.values()) {
            list.add(t.serverTrack());
        }
        return list;
    }

    /** The position of a source track in the SDP (its {@code trackID}), or -1. */
    public int sdpIndex(int sourceTrack) {
        if (!tracks.containsKey(sourceTrack)) {
            return -1;
        }
        return tracks.headMap(sourceTrack).size();
    }

    /** Frames skipped: before their track started, of unknown tracks, of a changed codec, before a key frame. */
    public long framesSkipped() {
        return skipped;
    }

    /** Kept frames dropped because the buffer was full while the set was incomplete. */
    public long pendingDropped() {
        return pendingDropped;
    }

    /** Frames kept while the set is incomplete. */
    public int pendingFrames() {
        return pending.size();
    }
}
