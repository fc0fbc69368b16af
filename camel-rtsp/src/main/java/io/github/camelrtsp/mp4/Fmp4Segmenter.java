package io.github.camelrtsp.mp4;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.IntFunction;

import io.github.camelrtsp.client.MediaTrack;
import io.github.camelrtsp.format.RateLimitedLog;
import io.github.camelrtsp.format.annexb.AnnexBNalUnits;
import io.github.camelrtsp.media.TimedFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts the timed frames of one session into self-contained fragmented MP4 segments ({@link Fmp4Segment}), each
 * starting with its own init segment, so every segment plays on its own and consecutive segments play back to back.
 * <p>
 * Tracks: the first H.264 or H.265 video track, and every AAC (MPEG4-GENERIC, MP4A-LATM), Opus, PCMU and PCMA audio
 * track. Other tracks (MJPEG, G.722, L16, metadata, a second video track) are left out, logged once at start.
 * The video track leads when there is one, else the first audio track.
 * <p>
 * Cut rules:
 * <ul>
 * <li>A segment starts at a key frame of the leading track (every audio frame is one) and is cut at the first key
 *     frame at least {@code segmentDuration} after its start. H.264/H.265 frames before the first key frame are
 *     skipped and counted. A key frame whose parameter sets differ from the segment's starts a new segment (a new
 *     init segment is needed).</li>
 * <li>Frames of the other tracks go to the segment whose time span holds their presentation time (those that
 *     arrived before the cut frame but lie after it move to the new segment); a segment that was cut waits until every other track has delivered a frame past the cut (or the leading track is
 *     {@value #FOLLOWER_WAIT_MICROS} microseconds past it), so audio at the boundary is neither lost nor
 *     duplicated. Frames older than the segment in progress are skipped and counted.</li>
 * <li>Discontinuity (data lost, frame dropped, timeline jump) on the leading track: the segment is closed before
 *     that frame and the next segment starts at the next key frame (video frames in between are skipped and
 *     counted). On another track it only stretches that track's previous sample to the next one's time.</li>
 * <li>Memory is bounded: a segment whose samples reach {@code maxSegmentBytes} is closed early (counted in
 *     {@link #segmentsCutBySize()}), and the next one starts at the next key frame.</li>
 * </ul>
 * Timing: each segment's media time starts at 0 at its first leading frame; sample times are the frames'
 * presentation times in the track's timescale (90 kHz for video, the sample rate for audio). Video in decode order
 * gets as decode times its presentation times sorted, and composition offsets (trun version 1) for the difference;
 * with B-frames, where a frame can be decoded after its presentation time, all presentation times of the segment
 * (every track) are moved later by the largest such lag (the reorder delay, typically one or two frames), so offsets
 * are never negative and players need neither negative offsets nor an edit list; the segment's first picture is
 * then shown at that delay, and audio keeps its place relative to it. A sample lasts until the next sample of its track; the last one of a
 * segment until the frame that cut it, else as long as the sample before it (audio: its sample count).
 * <p>
 * With {@code fragmentDuration} 0 a segment is one {@code moof} + {@code mdat}; otherwise it is split into fragments
 * of that duration by decode time, each holding the samples of every track in its time span. With a fragment sink
 * (fragment delivery) each such time span is also handed out as soon as every track has passed its end, the first
 * with the init segment; the pieces of a segment concatenated are the segment's bytes, and for the same frames the
 * same bytes as without a fragment sink, unless a piece already handed out would have to change (see
 * {@link #fragmentMismatches()}), or audio of a piece handed out lies after the key frame that cuts the segment (it
 * then stays in that segment instead of moving to the next). Not thread safe: feed it from one thread (the session's
 * I/O thread).
 */
public final class Fmp4Segmenter {

    /** How far the leading track may run past a cut before the cut segment is closed without the other tracks. */
    public static final long FOLLOWER_WAIT_MICROS = 1_000_000;
    private static final Logger LOG = LoggerFactory.getLogger(Fmp4Segmenter.class);
    private static final long DEFAULT_VIDEO_TICKS = 3_000; // one frame at 30 fps in 90 kHz

    private final String subject;
    private final TrackState[] byIndex;
    private final List<TrackState> included = new ArrayList<>();
    private final TrackState leader;
    private final IntFunction<byte[]> codecConfigs;
    private final long segmentDurationMicros;
    private final long fragmentDurationMicros;
    private final long maxSegmentBytes;
    private final Consumer<Fmp4Segment> sink;
    private final Consumer<Fmp4Fragment> fragmentSink;
    private final RateLimitedLog problems;

    private Building current;
    private Building closing;
    private long segmentsEmitted;
    private long segmentsCutBySize;
    private long framesSkipped;
    private long fragmentMismatches;
    private boolean waitForKey = true;

    /** Per track: what it is and what the current segment knows of it. */
    private static final class TrackState {
        final MediaTrack track;
        final String codec;
        final boolean video;
        SampleEntry format;
        long lastPts = Long.MIN_VALUE;
        long lastDurationTicks;

        TrackState(MediaTrack track, String codec, boolean video) {
            this.track = track;
            this.codec = codec;
            this.video = video;
        }
    }

    /** A frame kept for a segment, already in MP4 sample layout. */
    private record Pending(byte[] data, long pts, boolean sync, int sampleCount) {
    }

    /** A segment being filled. */
    private final class Building {
        final long startPts;
        final Instant startWall;
        final List<TrackState> tracks;
        final SampleEntry[] formats;
        final List<List<Pending>> samples = new ArrayList<>();
        final long[] nextPts;
        final boolean[] passed;
        long bytes;
        long endPts = Long.MIN_VALUE;
        boolean cutBySize;
        /** Fragment delivery: time slots of fragmentDuration already delivered, and the bytes delivered. */
        int slotsDelivered;
        Resume deliveredState;
        final List<byte[]> delivered = new ArrayList<>();
        int deliveredBytes;
        boolean mismatched;
        long leaderMaxPts = Long.MIN_VALUE;

        Building(long startPts, Instant startWall, List<TrackState> tracks) {
            this.startPts = startPts;
            this.startWall = startWall;
            this.tracks = tracks;
            this.formats = new SampleEntry[tracks.size()];
            this.nextPts = new long[tracks.size()];
            this.passed = new boolean[tracks.size()];
            Arrays.fill(nextPts, Long.MIN_VALUE);
            for (int i = 0; i < tracks.size(); i++) {
                formats[i] = tracks.get(i).format;
                samples.add(new ArrayList<>());
            }
        }

        int slot(TrackState t) {
            return tracks.indexOf(t);
        }

        void add(TrackState t, Pending p) {
            int slot = slot(t);
            if (slot == 0) {
                leaderMaxPts = Math.max(leaderMaxPts, p.pts);
            }
            samples.get(slot).add(p);
            bytes += p.data.length;
        }

        /** Whether every non-leading track has been seen past the end, or the leader is far past it. */
        boolean complete(long leaderPts) {
            if (leaderPts - endPts >= FOLLOWER_WAIT_MICROS || leaderPts < startPts) {
                return true; // waited long enough, or the timeline jumped back
            }
            for (int i = 0; i < tracks.size(); i++) {
                if (tracks.get(i) != leader && !passed[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * @param tracks                 the session's tracks
     * @param codecConfigs           codec configuration by track index (AAC AudioSpecificConfig, OpusHead), or null
     * @param segmentDurationMillis  target segment duration; segments are cut at the first key frame after it
     * @param fragmentDurationMillis fragment duration inside a segment, 0 for one fragment per segment
     * @param maxSegmentBytes        sample bytes at which a segment is closed early
     * @param sink                   receives each finished segment, on the calling thread
     * @param subject                what log lines are about (a sanitized URI)
     */
    public Fmp4Segmenter(List<MediaTrack> tracks, IntFunction<byte[]> codecConfigs, long segmentDurationMillis,
                         long fragmentDurationMillis, long maxSegmentBytes, Consumer<Fmp4Segment> sink,
                         String subject) {
        this(tracks, codecConfigs, segmentDurationMillis, fragmentDurationMillis, maxSegmentBytes, sink, null,
             subject);
    }

    /**
     * A segmenter that also delivers each segment piece by piece while it is being recorded: as soon as every track
     * has passed the end of the next {@code fragmentDuration} time slot, {@code fragmentSink} receives the bytes of
     * the segment up to the end of that slot (the first piece starting with the init segment); when the segment ends
     * it receives the rest, and then {@code sink} the whole segment, whose bytes are the pieces concatenated.
     *
     * @param fragmentSink receives the pieces, on the calling thread; null for whole segments only (then the same as
     *                     the other constructor)
     * @throws IllegalArgumentException also when fragmentSink is given and fragmentDurationMillis is 0
     * @see #Fmp4Segmenter(List, IntFunction, long, long, long, Consumer, String)
     */
    public Fmp4Segmenter(List<MediaTrack> tracks, IntFunction<byte[]> codecConfigs, long segmentDurationMillis,
                         long fragmentDurationMillis, long maxSegmentBytes, Consumer<Fmp4Segment> sink,
                         Consumer<Fmp4Fragment> fragmentSink, String subject) {
        if (fragmentSink != null && fragmentDurationMillis <= 0) {
            throw new IllegalArgumentException("fragment delivery needs a positive fragmentDuration");
        }
        this.fragmentSink = fragmentSink;
        if (segmentDurationMillis <= 0 || fragmentDurationMillis < 0 || maxSegmentBytes <= 0) {
            throw new IllegalArgumentException("segmentDuration must be positive, fragmentDuration not negative,"
                    + " maxSegmentBytes positive");
        }
        this.codecConfigs = codecConfigs;
        this.segmentDurationMicros = segmentDurationMillis * 1000;
        this.fragmentDurationMicros = fragmentDurationMillis * 1000;
        this.maxSegmentBytes = maxSegmentBytes;
        this.sink = sink;
        this.subject = subject;
        this.problems = new RateLimitedLog(LOG, subject + " fmp4");
        int max = 0;
        for (MediaTrack t : tracks) {
            max = Math.max(max, t.index() + 1);
        }
        byIndex = new TrackState[max];
        TrackState video = null;
        List<String> left = new ArrayList<>();
        for (MediaTrack t : tracks) {
            String codec = t.codec() == null ? "" : t.codec().toUpperCase(Locale.ROOT);
            boolean isVideo = codec.equals("H264") || codec.equals("H265");
            boolean isAudio = codec.equals("MPEG4-GENERIC") || codec.equals("MP4A-LATM") || codec.equals("OPUS")
                              || codec.equals("PCMU") || codec.equals("PCMA");
            if (isVideo && video == null) {
                video = new TrackState(t, codec, true);
                byIndex[t.index()] = video;
                included.add(0, video);
            } else if (isAudio) {
                TrackState s = new TrackState(t, codec, false);
                byIndex[t.index()] = s;
                included.add(s);
            } else {
                left.add(t.toString());
            }
        }
        if (included.isEmpty()) {
            throw new IllegalArgumentException("no track of " + tracks + " can be put into MP4 (H.264, H.265, AAC,"
                    + " Opus, PCMU, PCMA)");
        }
        leader = included.get(0);
        if (!left.isEmpty()) {
            LOG.info("{}: output=fmp4 leaves out track(s) {}: MP4 segments carry one H.264/H.265 video track and"
                     + " AAC, Opus, PCMU and PCMA audio", subject, left);
        }
    }

    /**
     * Feeds one frame of the session; may emit the segments it completes. Bad media does not throw: malformed frames
     * are skipped, counted and logged.
     */
    public void onFrame(TimedFrame frame) {
        int index = frame.track().index();
        TrackState t = index < byIndex.length ? byIndex[index] : null;
        if (t == null) {
            return;
        }
        try {
            if (t == leader) {
                onLeaderFrame(t, frame);
            } else {
                onFollowerFrame(t, frame);
            }
            if (fragmentSink != null) {
                deliverReadyFragments();
            }
        } catch (Mp4FormatException e) {
            framesSkipped++;
            if (t == leader && current != null && t.video) {
                // the frames after a skipped video frame may depend on it: end the segment before it
                closeCurrent(Long.MIN_VALUE);
                waitForKey = true;
            }
            problems.warn("track " + index + " (" + t.codec + "): " + e.getMessage() + "; frame skipped");
        }
    }

    private void onLeaderFrame(TrackState t, TimedFrame frame) {
        long pts = frame.presentationTimeMicros();
        boolean key = frame.frame().keyFrame();
        if (current != null && (frame.discontinuity() || (!t.video && pts <= t.lastPts))) {
            // close what we have; the next segment starts at the next key frame
            closeCurrent(Long.MIN_VALUE);
            waitForKey = true;
        }
        if (closing != null && closing.complete(pts)) {
            finish(closing);
            closing = null;
        }
        SampleEntry format = null;
        if (key && t.video) {
            format = videoFormat(t, frame.frame().data());
        }
        if (current == null || waitForKey) {
            if (!key) {
                framesSkipped++;
                return;
            }
            start(t, frame, format);
            return;
        }
        byte[] data = t.format != null ? t.format.sampleData(frame.frame().data()) : null;
        boolean formatChanged = format != null && !format.sameConfiguration(current.formats[0]);
        boolean due = key && pts - current.startPts >= segmentDurationMicros;
        boolean full = current.bytes + (data != null ? data.length : 0) > maxSegmentBytes;
        if (due || formatChanged || (full && key)) {
            current.cutBySize = full && !due && !formatChanged;
            closeCurrent(pts);
            start(t, frame, format);
            moveLateSamples();
            return;
        }
        if (full) {
            current.cutBySize = true;
            closeCurrent(pts);
            waitForKey = true;
            framesSkipped++;
            return;
        }
        t.lastPts = pts;
        current.add(t, new Pending(data, pts, key, frame.frame().sampleCount()));
    }

    private void onFollowerFrame(TrackState t, TimedFrame frame) {
        long pts = frame.presentationTimeMicros();
        if (frame.discontinuity()) {
            t.lastPts = Long.MIN_VALUE; // the timeline may have jumped back (new SSRC): place it by time again
        }
        if (t.format == null) {
            t.format = audioFormat(t);
            if (t.format == null) {
                framesSkipped++;
                return;
            }
        }
        if (pts <= t.lastPts) {
            framesSkipped++;
            problems.warn("track " + t.track.index() + " (" + t.codec + "): presentation time " + pts
                          + " us not after " + t.lastPts + " us; frame skipped");
            return;
        }
        Building target = null;
        if (closing != null && closing.slot(t) >= 0 && pts >= closing.startPts && pts < closing.endPts) {
            target = closing;
        } else if (current != null && current.slot(t) >= 0 && pts >= current.startPts) {
            target = current;
        }
        int closingSlot = closing != null ? closing.slot(t) : -1;
        if (closingSlot >= 0 && !closing.passed[closingSlot] && (pts >= closing.endPts || pts < closing.startPts)) {
            closing.passed[closingSlot] = true;
            if (pts >= closing.endPts) {
                closing.nextPts[closingSlot] = pts;
            }
        }
        if (target == null) {
            framesSkipped++;
        } else {
            byte[] data = t.format.sampleData(frame.frame().data());
            if (target.bytes + data.length > maxSegmentBytes) {
                framesSkipped++;
                problems.warn("segment reached " + maxSegmentBytes + " bytes; audio frame skipped");
            } else {
                t.lastPts = pts;
                target.add(t, new Pending(data, pts, true, frame.frame().sampleCount()));
            }
        }
        if (closing != null && closing.complete(leader.lastPts)) {
            finish(closing);
            closing = null;
        }
    }

    private void start(TrackState t, TimedFrame frame, SampleEntry videoFormat) {
        if (t.video) {
            if (videoFormat == null) {
                framesSkipped++;
                waitForKey = true;
                return;
            }
            t.format = videoFormat;
        } else if (t.format == null) {
            t.format = audioFormat(t);
            if (t.format == null) {
                framesSkipped++;
                return;
            }
        }
        List<TrackState> tracks = new ArrayList<>();
        for (TrackState s : included) {
            if (s != t && s.format == null && !s.video) {
                s.format = audioFormat(s);
            }
            if (s.format != null) {
                tracks.add(s);
            }
        }
        Instant wall = frame.wallClock() != null ? frame.wallClock() : Instant.now();
        current = new Building(frame.presentationTimeMicros(), wall, tracks);
        waitForKey = false;
        byte[] data = t.format.sampleData(frame.frame().data());
        t.lastPts = frame.presentationTimeMicros();
        current.add(t, new Pending(data, frame.presentationTimeMicros(), true, frame.frame().sampleCount()));
    }

    /**
     * Frames of the other tracks that arrived before the cut frame but lie after it in time move from the cut
     * segment to the new one.
     */
    private void moveLateSamples() {
        if (closing == null || current == null) {
            return;
        }
        for (int i = 1; i < closing.tracks.size(); i++) {
            List<Pending> list = closing.samples.get(i);
            int from = list.size();
            // samples already delivered in a fragment stay where they went out
            int delivered = closing.deliveredState != null ? closing.deliveredState.next[i] : 0;
            while (from > delivered && list.get(from - 1).pts >= closing.endPts) {
                from--;
            }
            if (from == list.size()) {
                continue;
            }
            List<Pending> late = new ArrayList<>(list.subList(from, list.size()));
            list.subList(from, list.size()).clear();
            closing.nextPts[i] = late.get(0).pts;
            closing.passed[i] = true;
            TrackState t = closing.tracks.get(i);
            for (Pending p : late) {
                closing.bytes -= p.data.length;
                if (current.slot(t) >= 0) {
                    current.add(t, p);
                } else {
                    framesSkipped++;
                }
            }
        }
        if (closing.complete(leader.lastPts)) {
            finish(closing);
            closing = null;
        }
    }

    /** Ends the current segment at {@code endPts} (MIN_VALUE: unknown); it waits in closing for late tracks. */
    private void closeCurrent(long endPts) {
        if (current == null) {
            return;
        }
        if (closing != null) {
            finish(closing);
        }
        Building b = current;
        current = null;
        if (endPts == Long.MIN_VALUE) {
            List<Pending> lead = b.samples.get(0);
            endPts = lead.isEmpty() ? b.startPts : lead.stream().mapToLong(Pending::pts).max().getAsLong() + 1;
        }
        b.endPts = endPts;
        if (b.cutBySize) {
            segmentsCutBySize++;
            problems.warn("segment reached " + maxSegmentBytes + " bytes before a key frame; cut early, next segment"
                          + " starts at the next key frame");
        }
        if (b.tracks.size() == 1) {
            finish(b);
        } else {
            closing = b;
        }
    }

    /** Emits the segments in progress (e.g. when the session ends); later frames start a new segment. */
    public void flush() {
        if (closing != null) {
            finish(closing);
            closing = null;
        }
        if (current != null) {
            Building b = current;
            current = null;
            finish(b);
        }
        waitForKey = true;
    }

    /** A segment written out, complete or as far as its samples go. */
    private record Rendered(byte[] data, List<Integer> slotEnds, List<Resume> slotStates, long durationTicks,
                            int video, int audio, int fragments) {
    }

    /**
     * Where writing stands after a time slot: samples written per track, the slot that comes next, fragments written
     * (the last mfhd sequence number).
     */
    private record Resume(int[] next, int slot, int sequence) {
    }

    /**
     * Writes the segment from the samples it has. {@code last}: the segment is complete (the durations found are
     * remembered for the next segment).
     */
    private Rendered render(Building b, boolean last) {
        return render(b, last, null);
    }

    /**
     * Writes the segment, or with {@code from} only its fragments from that point on (no init segment): the samples
     * not yet written go into the slots from {@code from.slot()}, whatever slot their decode time now falls in.
     */
    private Rendered render(Building b, boolean last, Resume from) {
        List<long[]> decodeTimes = new ArrayList<>();
        List<List<Fmp4Writer.Sample>> samples = new ArrayList<>();
        long durationTicks = 0;
        int video = 0;
        int audio = 0;
        long delay = reorderDelay(b);
        for (int i = 0; i < b.tracks.size(); i++) {
            TrackState t = b.tracks.get(i);
            SampleEntry f = b.formats[i];
            List<Pending> list = b.samples.get(i);
            long[] times = new long[list.size()];
            long[] sorted = new long[list.size()];
            for (int k = 0; k < list.size(); k++) {
                times[k] = ticks(list.get(k).pts - b.startPts, f.timescale());
                sorted[k] = times[k];
            }
            Arrays.sort(sorted);
            long endTicks = Long.MIN_VALUE;
            if (i == 0 && b.endPts != Long.MIN_VALUE && b.endPts > b.startPts) {
                endTicks = ticks(b.endPts - b.startPts, f.timescale());
            } else if (i > 0 && b.nextPts[i] != Long.MIN_VALUE) {
                endTicks = ticks(b.nextPts[i] - b.startPts, f.timescale());
            }
            List<Fmp4Writer.Sample> out = new ArrayList<>(list.size());
            for (int k = 0; k < list.size(); k++) {
                long duration;
                if (k + 1 < list.size()) {
                    duration = sorted[k + 1] - sorted[k];
                } else if (endTicks != Long.MIN_VALUE && endTicks > sorted[k]) {
                    duration = endTicks - sorted[k];
                } else {
                    duration = nominalTicks(t, f, list.get(k));
                }
                if (last && (k + 1 < list.size() || endTicks != Long.MIN_VALUE)) {
                    t.lastDurationTicks = duration;
                }
                long offset = times[k] - sorted[k] + (i == 0 ? delay : 0);
                out.add(new Fmp4Writer.Sample(list.get(k).data, duration, list.get(k).sync,
                        (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, offset))));
            }
            if (i == 0 && !list.isEmpty()) {
                long end = sorted[sorted.length - 1] + out.get(out.size() - 1).duration();
                durationTicks = end;
            }
            if (t.video) {
                video += list.size();
            } else {
                audio += list.size();
            }
            if (i > 0 && delay > 0) {
                // the other tracks move with the video's presentation times
                long shift = Math.round((double) delay * f.timescale() / b.formats[0].timescale());
                for (int k = 0; k < sorted.length; k++) {
                    sorted[k] += shift;
                }
            }
            decodeTimes.add(sorted);
            samples.add(out);
        }
        List<SampleEntry> formats = Arrays.asList(b.formats);
        BoxWriter w = new BoxWriter((int) Math.min(Integer.MAX_VALUE - 64, b.bytes + 4096));
        if (from == null) {
            Fmp4Writer.writeInit(w, formats);
        }
        List<Integer> slotEnds = new ArrayList<>();
        List<Resume> slotStates = new ArrayList<>();
        int fragments = writeFragments(w, b, decodeTimes, samples, from, slotEnds, slotStates);
        return new Rendered(w.toByteArray(), slotEnds, slotStates, durationTicks, video, audio, fragments);
    }

    private void finish(Building b) {
        if (b.samples.get(0).isEmpty()) {
            return;
        }
        Rendered r = render(b, true);
        byte[] data = r.data;
        if (fragmentSink != null) {
            if (b.slotsDelivered > 0 && !matchesDelivered(b, r)) {
                Rendered rest = render(b, false, b.deliveredState);
                if (rest.data.length > 0) {
                    deliver(b, rest.data);
                }
                data = concat(b.delivered, b.deliveredBytes); // the pieces delivered are what the segment is
            } else {
                int from = b.slotsDelivered == 0 ? 0 : r.slotEnds.get(b.slotsDelivered - 1);
                if (from < data.length) {
                    deliver(b, Arrays.copyOfRange(data, from, data.length));
                }
            }
        }
        Duration duration = Duration.ofNanos(r.durationTicks * 1_000_000_000L / b.formats[0].timescale());
        segmentsEmitted++;
        sink.accept(new Fmp4Segment(data, b.startWall, duration, b.startPts, r.video, r.audio, r.fragments,
                b.cutBySize));
    }

    /**
     * Fragment delivery: delivers the time slots of the segment in progress that every track has passed. A slot is
     * passed when the leading track has a frame at least the reorder delay past its end and every other track a frame
     * past its end (or the leading track is {@value #FOLLOWER_WAIT_MICROS} microseconds past it). A segment waiting
     * for late tracks of the previous one delivers nothing until that one is finished, so pieces stay in order.
     */
    private void deliverReadyFragments() {
        Building b = current;
        if (b == null || closing != null || b.samples.get(0).isEmpty()) {
            return;
        }
        long leaderRel = b.leaderMaxPts - b.startPts;
        if (leaderRel < (b.slotsDelivered + 1) * fragmentDurationMicros) {
            return; // the common case, checked without looking at the samples
        }
        long delayMicros = reorderDelay(b) * 1_000_000L / b.formats[0].timescale();
        int ready = b.slotsDelivered;
        while (true) {
            long end = (ready + 1) * fragmentDurationMicros;
            if (leaderRel < end + delayMicros) {
                break;
            }
            if (leaderRel < end + FOLLOWER_WAIT_MICROS && !allFollowersPast(b, end)) {
                break;
            }
            ready++;
        }
        if (ready == b.slotsDelivered) {
            return;
        }
        Rendered r = b.mismatched ? null : render(b, false);
        int from = 0;
        int base = 0;
        if (b.slotsDelivered > 0 && (r == null || !matchesDelivered(b, r))) {
            r = render(b, false, b.deliveredState);
            base = b.slotsDelivered;
        } else if (b.slotsDelivered > 0) {
            from = r.slotEnds.get(b.slotsDelivered - 1);
        }
        int last = Math.min(ready - base, r.slotEnds.size()) - 1;
        if (last < b.slotsDelivered - base) {
            return; // no slot written past those delivered (every sample of them already went out)
        }
        int to = r.slotEnds.get(last);
        b.deliveredState = r.slotStates.get(last);
        b.slotsDelivered = base + last + 1;
        if (to > from) {
            deliver(b, Arrays.copyOfRange(r.data, from, to));
        }
    }

    private static boolean allFollowersPast(Building b, long end) {
        for (int i = 1; i < b.tracks.size(); i++) {
            List<Pending> list = b.samples.get(i);
            if (list.isEmpty() || list.get(list.size() - 1).pts - b.startPts < end) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code r} starts with the pieces delivered. When it does not (the B-frame reorder delay grew, or decode
     * times moved as frames arrived), the segment goes on from what was delivered: the rest is written after the
     * samples already delivered, none left out; counted once per segment and logged.
     */
    private boolean matchesDelivered(Building b, Rendered r) {
        if (b.mismatched) {
            return false;
        }
        boolean same = r.slotEnds.size() >= b.slotsDelivered && r.slotEnds.get(b.slotsDelivered - 1) == b.deliveredBytes;
        int pos = 0;
        for (int i = 0; same && i < b.delivered.size(); i++) {
            byte[] piece = b.delivered.get(i);
            same = Arrays.equals(piece, 0, piece.length, r.data, pos, pos + piece.length);
            pos += piece.length;
        }
        if (!same) {
            b.mismatched = true;
            fragmentMismatches++;
            problems.warn("a fragment already delivered would be written differently now (B-frame reorder delay"
                          + " grew, or decode times moved); the segment goes on from what was delivered");
        }
        return same;
    }

    private void deliver(Building b, byte[] piece) {
        boolean first = b.delivered.isEmpty();
        int index = b.delivered.size();
        b.delivered.add(piece);
        b.deliveredBytes += piece.length;
        fragmentSink.accept(new Fmp4Fragment(piece, index, first, b.startWall, b.startPts));
    }

    private static byte[] concat(List<byte[]> pieces, int length) {
        byte[] out = new byte[length];
        int pos = 0;
        for (byte[] p : pieces) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }

    /**
     * How far B-frames reorder the leading track, in its ticks: the largest amount by which a frame's decode time
     * (the presentation times sorted) lies after its presentation time. Presentation times of every track are moved
     * later by it, so that composition offsets are never negative.
     */
    private static long reorderDelay(Building b) {
        List<Pending> list = b.samples.get(0);
        int timescale = b.formats[0].timescale();
        long[] times = new long[list.size()];
        for (int k = 0; k < times.length; k++) {
            times[k] = ticks(list.get(k).pts - b.startPts, timescale);
        }
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        long delay = 0;
        for (int k = 0; k < times.length; k++) {
            delay = Math.max(delay, sorted[k] - times[k]);
        }
        return delay;
    }

    /** Writes the fragments; {@code slotEnds} gets the write position after each fragmentDuration time slot. */
    private int writeFragments(BoxWriter w, Building b, List<long[]> decodeTimes,
                               List<List<Fmp4Writer.Sample>> samples, Resume resume, List<Integer> slotEnds,
                               List<Resume> slotStates) {
        int n = b.tracks.size();
        int[] next = resume != null ? resume.next.clone() : new int[n];
        int slot = resume != null ? resume.slot : 0;
        long fragmentStart = slot * fragmentDurationMicros;
        int sequence = resume != null ? resume.sequence : 0;
        while (true) {
            boolean any = false;
            for (int i = 0; i < n; i++) {
                any |= next[i] < samples.get(i).size();
            }
            if (!any) {
                return sequence;
            }
            long fragmentEnd = fragmentDurationMicros == 0 ? Long.MAX_VALUE : fragmentStart + fragmentDurationMicros;
            List<Fmp4Writer.TrackRun> runs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int timescale = b.formats[i].timescale();
                long[] dts = decodeTimes.get(i);
                int from = next[i];
                int to = from;
                while (to < dts.length && (fragmentEnd == Long.MAX_VALUE
                                           || dts[to] * 1_000_000L / timescale < fragmentEnd)) {
                    to++;
                }
                if (to > from) {
                    runs.add(new Fmp4Writer.TrackRun(i + 1, dts[from], samples.get(i).subList(from, to)));
                }
                next[i] = to;
            }
            if (!runs.isEmpty()) {
                Fmp4Writer.writeFragment(w, ++sequence, runs);
            }
            slotEnds.add(w.position());
            slotStates.add(new Resume(next.clone(), ++slot, sequence));
            fragmentStart = fragmentEnd;
        }
    }

    private long nominalTicks(TrackState t, SampleEntry f, Pending p) {
        if (t.lastDurationTicks > 0) {
            return t.lastDurationTicks;
        }
        if (!t.video && p.sampleCount > 0) {
            // sample counts are at the codec's rate, which is the timescale (48 kHz for Opus)
            return p.sampleCount;
        }
        return t.video ? DEFAULT_VIDEO_TICKS : Math.max(1, f.timescale() / 50);
    }

    private static long ticks(long micros, int timescale) {
        return Math.floorDiv(micros * timescale + 500_000, 1_000_000);
    }

    private SampleEntry videoFormat(TrackState t, byte[] annexB) {
        boolean h265 = t.codec.equals("H265");
        List<byte[]> vps = new ArrayList<>();
        List<byte[]> sps = new ArrayList<>();
        List<byte[]> pps = new ArrayList<>();
        AnnexBNalUnits units = new AnnexBNalUnits();
        int n = units.scan(annexB, 0, annexB.length);
        for (int i = 0; i < n; i++) {
            int type = NalSamples.nalType(annexB[units.start(i)], h265);
            List<byte[]> target = null;
            if (h265 && type == 32) {
                target = vps;
            } else if (h265 ? type == 33 : type == 7) {
                target = sps;
            } else if (h265 ? type == 34 : type == 8) {
                target = pps;
            }
            if (target != null) {
                byte[] unit = Arrays.copyOfRange(annexB, units.start(i), units.end(i));
                if (target.stream().noneMatch(u -> Arrays.equals(u, unit))) {
                    target.add(unit); // senders repeat parameter sets; keep each once
                }
            }
        }
        if (sps.isEmpty() || pps.isEmpty() || (h265 && vps.isEmpty())) {
            if (t.format != null) {
                return t.format; // a key frame without its parameter sets: keep the known ones
            }
            throw new Mp4FormatException("key frame without parameter sets");
        }
        return h265 ? SampleEntry.h265(vps, sps, pps) : SampleEntry.h264(sps, pps);
    }

    private SampleEntry audioFormat(TrackState t) {
        byte[] config = codecConfigs != null ? codecConfigs.apply(t.track.index()) : null;
        try {
            return switch (t.codec) {
                case "MPEG4-GENERIC", "MP4A-LATM" -> config != null ? SampleEntry.aac(config) : null;
                case "OPUS" -> config != null ? SampleEntry.opus(config) : null;
                case "PCMU", "PCMA" -> SampleEntry.g711(t.codec.equals("PCMU"), t.track.clockRate(),
                        t.track.channels() != null ? t.track.channels() : 1);
                default -> null;
            };
        } catch (Mp4FormatException e) {
            problems.warn("track " + t.track.index() + " (" + t.codec + "): " + e.getMessage());
            return null;
        }
    }

    /** Segments emitted so far. */
    public long segmentsEmitted() {
        return segmentsEmitted;
    }

    /** Segments closed early because they reached the size limit. */
    public long segmentsCutBySize() {
        return segmentsCutBySize;
    }

    /**
     * Frames not put into any segment: video before the first key frame or after a discontinuity, malformed
     * frames, frames older than the segment in progress, frames of tracks whose configuration is unknown.
     */
    public long framesSkipped() {
        return framesSkipped;
    }

    /**
     * Fragment delivery: segments in which a fragment already delivered would have been written differently once
     * more frames arrived (the segment then continues from what was delivered).
     */
    public long fragmentMismatches() {
        return fragmentMismatches;
    }

    @Override
    public String toString() {
        return "Fmp4Segmenter[" + subject + ", tracks=" + included.size() + "]";
    }
}
