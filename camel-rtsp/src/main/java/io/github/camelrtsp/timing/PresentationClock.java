package io.github.camelrtsp.timing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.github.camelrtsp.headers.RtpInfoHeader;
import io.github.camelrtsp.rtp.SenderReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presentation times for the tracks of one RTSP session: turns each track's 32-bit RTP timestamps into microseconds
 * on one timeline shared by all tracks, so that audio and video can be played in sync, and into wall-clock instants
 * where the sender reports them.
 *
 * <p><b>What a presentation time is.</b> {@link #presentationTimeMicros(Track, long)} gives microseconds on the
 * session's timeline; 0 is about the start of playback. Within a track it follows the RTP timestamps exactly (at the
 * nominal clock rate), extended to 64 bits, so the wrap-around of the 32-bit timestamp is invisible and the time
 * keeps growing. It is <em>not</em> forced to grow from frame to frame: RTP timestamps are presentation times, so
 * video with B-frames, delivered in decode order, gives times that go back and forth by a few frames, exactly as
 * the encoder made them; audio times grow. Times may be negative, for frames presented before the instant the
 * timeline was anchored to (for example leading B-frames).
 *
 * <p><b>How tracks are aligned.</b> Each track's timeline is anchored by the best information available, in this
 * order:
 * <ol>
 * <li>RTCP sender reports ({@link #onSenderReport}): each ties the track's RTP clock to the sender's wall clock
 * (NTP), which is shared by all tracks of a sender. This is what RFC 3550 lip sync relies on. The first report of
 * the session fixes which wall-clock instant is which presentation time, so that the track it belongs to keeps its
 * times; every other track is then placed on the wall clock.</li>
 * <li>The {@code RTP-Info} header of the PLAY response ({@link #onRtpInfo}): the {@code rtptime} of each track is
 * the same instant, playback start, which becomes presentation time 0 (or, if frames were already timed, the time
 * the first track given RTP-Info already had there). An entry without a usable {@code rtptime} (absent or
 * {@code -1}) is ignored.</li>
 * <li>Otherwise a track starts at its first frame, at the session's latest presentation time so far: 0 for the
 * tracks whose first frames come together at the start, later for a track that starts later.</li>
 * </ol>
 *
 * <p><b>Never backwards.</b> Sender reports usually arrive a few seconds after the first frames, so a track may have
 * to be moved once it has been timed. A correction of at most {@code syncTolerance} is not made (the track is just
 * marked as aligned): that keeps the timeline steady against the jitter of sender reports and slow clock drift,
 * while lip sync stays within the tolerance. A larger correction that moves the track later is made as a forward
 * jump of that track. One that would move the track earlier is made by moving every <em>other</em> timed track later
 * by the same amount instead, which gives the same relative alignment. So a track's times never jump backwards;
 * after a jump, {@link #takeDiscontinuity(Track)} returns true once for each track that jumped. A correction larger
 * than {@code maxCorrection} is not made at all: such a report contradicts the other tracks (senders with unrelated
 * wall clocks per track exist), so it is counted in {@link #rejectedReports()} and logged as a warning, at most once
 * per 10 s.
 *
 * <p><b>Restarts.</b> A timestamp that jumps back more than {@link #MAX_BACKWARD_STEP} or ahead more than
 * {@link #MAX_FORWARD_STEP} from the track's previous frame means the sender restarted (a new SSRC, an encoder
 * restart); the track is then re-anchored at the session's latest presentation time, flagged as a discontinuity,
 * and waits for a new sender report. A caller that knows about the restart (an SSRC change) calls
 * {@link #restart(Track)}.
 *
 * <p><b>Wall clock.</b> {@link #wallClock(Track, long)} gives the sender's wall-clock instant of a timestamp from the
 * last sender report of that track, or null before one arrived. It is what the sender says; a sender whose clock was
 * never set reports instants near 1900.
 *
 * <p><b>Threads.</b> All methods are synchronized; the tracks of one session may be fed from different threads.
 * {@link #presentationTimeMicros} allocates nothing.
 */
public final class PresentationClock {

    /** Default largest correction that is not made. */
    public static final Duration DEFAULT_SYNC_TOLERANCE = Duration.ofMillis(40);
    /** Default largest correction that is made; a sender report that needs more is rejected. */
    public static final Duration DEFAULT_MAX_CORRECTION = Duration.ofSeconds(10);
    /** A timestamp further back than this from the track's previous frame is taken as a restart. */
    public static final Duration MAX_BACKWARD_STEP = Duration.ofSeconds(5);
    /** A timestamp further ahead than this from the track's previous frame is taken as a restart. */
    public static final Duration MAX_FORWARD_STEP = Duration.ofSeconds(60);
    /** Largest accepted RTP clock rate. */
    public static final int MAX_CLOCK_RATE = 1_000_000_000;

    /** What a track's presentation times are currently anchored by, from the weakest to the strongest. */
    public enum Alignment {
        /** Not anchored yet: no frame timed and no alignment information. */
        NONE,
        /** Anchored at the track's first frame. */
        FIRST_FRAME,
        /** Anchored by the RTP-Info of the PLAY response. */
        RTP_INFO,
        /** Anchored by an RTCP sender report. */
        SENDER_REPORT
    }

    private static final Logger LOG = LoggerFactory.getLogger(PresentationClock.class);
    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    /** One track of the session, with its own RTP clock. Create it with {@link PresentationClock#addTrack}. */
    public static final class Track {
        private final PresentationClock owner;
        private final String name;
        private final int clockRate;
        private final long maxBackwardTicks;
        private final long maxForwardTicks;

        // extension of the 32-bit timestamps to 64 bits
        private boolean haveReference;
        private long lastTimestamp;
        private long lastExtended;

        // presentation time = anchorMicros + (extended - anchorExtended) at the clock rate
        private Alignment alignment = Alignment.NONE;
        private long anchorExtended;
        private long anchorMicros;

        private boolean timed;
        private boolean jumped;
        private SenderReport lastReport;

        private Track(PresentationClock owner, String name, int clockRate) {
            this.owner = owner;
            this.name = name;
            this.clockRate = clockRate;
            this.maxBackwardTicks = MAX_BACKWARD_STEP.toSeconds() * clockRate;
            this.maxForwardTicks = MAX_FORWARD_STEP.toSeconds() * clockRate;
        }

        /** The name given at creation, for logs. */
        public String name() {
            return name;
        }

        /** The RTP clock rate in Hz. */
        public int clockRate() {
            return clockRate;
        }

        private long extend(long timestamp, boolean update) {
            if (!haveReference) {
                haveReference = true;
                lastTimestamp = timestamp;
                lastExtended = timestamp;
                return timestamp;
            }
            long extended = lastExtended + (int) (timestamp - lastTimestamp);
            if (update) {
                lastTimestamp = timestamp;
                lastExtended = extended;
            }
            return extended;
        }

        private long map(long extended) {
            return anchorMicros + ticksToMicros(extended - anchorExtended, clockRate);
        }

        private void anchor(long extended, long micros, Alignment by) {
            anchorExtended = extended;
            anchorMicros = micros;
            alignment = by;
        }

        /** Restarted and waiting for its first frame: alignment information is not used until then. */
        private boolean awaitingRestart() {
            return timed && alignment == Alignment.NONE;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final long syncToleranceMicros;
    private final long maxCorrectionMicros;
    private final List<Track> tracks = new ArrayList<>();

    /** Wall clock (µs since 1900) minus presentation time, once the first sender report fixed it. */
    private boolean wallOriginKnown;
    private long wallOriginMicros;
    /** Presentation time of the RTP-Info instant, once the first RTP-Info fixed it. */
    private boolean playOriginKnown;
    private long playOriginMicros;
    /** Latest presentation time given out on any track. */
    private boolean anyTimed;
    private long latestMicros;

    private long realignments;
    private long rejectedReports;
    private long restarts;
    private long lastRejectLog;
    private boolean rejectLogged;
    private long lastRestartLog;
    private boolean restartLogged;

    /** A clock with {@link #DEFAULT_SYNC_TOLERANCE} and {@link #DEFAULT_MAX_CORRECTION}. */
    public PresentationClock() {
        this(DEFAULT_SYNC_TOLERANCE, DEFAULT_MAX_CORRECTION);
    }

    /**
     * A clock with the given bounds for corrections (see the class description).
     *
     * @param syncTolerance largest correction that is not made, at least 0
     * @param maxCorrection largest correction that is made, at least {@code syncTolerance}
     * @throws IllegalArgumentException if a bound is negative or {@code maxCorrection < syncTolerance}
     */
    public PresentationClock(Duration syncTolerance, Duration maxCorrection) {
        Objects.requireNonNull(syncTolerance, "syncTolerance");
        Objects.requireNonNull(maxCorrection, "maxCorrection");
        if (syncTolerance.isNegative() || maxCorrection.compareTo(syncTolerance) < 0) {
            throw new IllegalArgumentException("sync tolerance " + syncTolerance + " and max correction "
                                               + maxCorrection + " must satisfy 0 <= tolerance <= max correction");
        }
        Duration limit = Duration.ofDays(365);
        this.syncToleranceMicros = micros(syncTolerance.compareTo(limit) > 0 ? limit : syncTolerance);
        this.maxCorrectionMicros = micros(maxCorrection.compareTo(limit) > 0 ? limit : maxCorrection);
    }

    private static long micros(Duration d) {
        return d.getSeconds() * MICROS_PER_SECOND + d.getNano() / 1000;
    }

    /**
     * Adds a track of the session.
     *
     * @param name      a name for logs, e.g. the media type or control URL
     * @param clockRate the track's RTP clock rate in Hz, 1..{@value #MAX_CLOCK_RATE}
     * @throws IllegalArgumentException if the clock rate is out of range
     */
    public synchronized Track addTrack(String name, int clockRate) {
        Objects.requireNonNull(name, "name");
        if (clockRate <= 0 || clockRate > MAX_CLOCK_RATE) {
            throw new IllegalArgumentException("RTP clock rate " + clockRate + " is not within 1.." + MAX_CLOCK_RATE);
        }
        Track track = new Track(this, name, clockRate);
        tracks.add(track);
        return track;
    }

    /**
     * The presentation time of a frame of the track. Call it once for each frame given out, in the order the frames
     * are given out (decode order): the call also advances the track's timestamp extension and the session's latest
     * time, and anchors the track at its first frame if nothing else anchored it.
     *
     * @param track        a track of this clock
     * @param rtpTimestamp the frame's RTP timestamp, unsigned 32-bit
     * @return microseconds on the session timeline (see the class description)
     * @throws IllegalArgumentException if the track is not of this clock or the timestamp is out of range
     */
    public synchronized long presentationTimeMicros(Track track, long rtpTimestamp) {
        check(track);
        checkTimestamp(rtpTimestamp);
        if (track.haveReference && track.timed) {
            long step = (int) (rtpTimestamp - track.lastTimestamp);
            if (step < -track.maxBackwardTicks || step > track.maxForwardTicks) {
                restartTrack(track, "its RTP timestamp jumped by " + step + " ticks");
            }
        }
        long extended = track.extend(rtpTimestamp, true);
        if (track.alignment == Alignment.NONE) {
            track.anchor(extended, sessionNow(), Alignment.FIRST_FRAME);
        }
        long micros = track.map(extended);
        track.timed = true;
        if (!anyTimed || micros > latestMicros) {
            anyTimed = true;
            latestMicros = micros;
        }
        return micros;
    }

    /**
     * Whether the track's presentation times jumped forward (a correction or a restart) since the last call; the
     * flag is cleared by reading it. A caller may mark the next frame of the track as a discontinuity.
     */
    public synchronized boolean takeDiscontinuity(Track track) {
        check(track);
        boolean jumped = track.jumped;
        track.jumped = false;
        return jumped;
    }

    /**
     * Uses a sender report of the track's current source for alignment (see the class description) and for
     * {@link #wallClock}. Reports of another SSRC than the track's current one must not be passed.
     *
     * @return true if the report was used for alignment or confirmed it, false if it was rejected as contradicting
     *         the other tracks or the track is waiting for its first frame after a restart
     */
    public synchronized boolean onSenderReport(Track track, SenderReport report) {
        check(track);
        Objects.requireNonNull(report, "report");
        track.lastReport = report;
        if (track.awaitingRestart()) {
            return false;
        }
        long extended = track.extend(report.rtpTimestamp(), false);
        long wallMicros = ntpToMicros(report.ntpTimestamp());
        if (!wallOriginKnown) {
            // the first report: keep this track's times where they are
            long at = track.alignment != Alignment.NONE ? track.map(extended) : sessionNow();
            wallOriginMicros = wallMicros - at;
            wallOriginKnown = true;
            track.anchor(extended, at, Alignment.SENDER_REPORT);
            if (LOG.isDebugEnabled()) {
                LOG.debug("Track {}: first sender report ties presentation time {} us to wall clock {}", track, at,
                          report.ntpInstant());
            }
            return true;
        }
        return align(track, extended, wallMicros - wallOriginMicros, Alignment.SENDER_REPORT);
    }

    /**
     * Uses the {@code rtptime} of the track's RTP-Info entry for alignment. Ignored if the track is already
     * anchored by RTP-Info or a sender report.
     *
     * @param rtptime the RTP timestamp of the first packet after PLAY, unsigned 32-bit
     * @return true if it was used
     * @throws IllegalArgumentException if the track is not of this clock or the timestamp is out of range
     */
    public synchronized boolean onRtpInfo(Track track, long rtptime) {
        check(track);
        checkTimestamp(rtptime);
        if (track.alignment.compareTo(Alignment.RTP_INFO) >= 0 || track.awaitingRestart()) {
            return false;
        }
        long extended = track.extend(rtptime, false);
        if (!playOriginKnown) {
            playOriginMicros = track.alignment != Alignment.NONE ? track.map(extended) : anyTimed ? latestMicros : 0;
            playOriginKnown = true;
        }
        return align(track, extended, playOriginMicros, Alignment.RTP_INFO);
    }

    /**
     * Uses the track's entry of a parsed RTP-Info header; an entry without {@code rtptime} (absent, or an invalid
     * value such as {@code -1}) is ignored.
     *
     * @return true if it was used
     */
    public synchronized boolean onRtpInfo(Track track, RtpInfoHeader.Entry entry) {
        check(track);
        Objects.requireNonNull(entry, "entry");
        if (entry.rtptime() == null) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("Track {}: RTP-Info entry {} has no usable rtptime", track, entry);
            }
            return false;
        }
        return onRtpInfo(track, entry.rtptime());
    }

    /**
     * The sender's wall-clock instant of a timestamp of the track, from the track's last sender report; null until
     * one arrived (and again after a restart). Valid for timestamps within 2^31 ticks of the report.
     *
     * @throws IllegalArgumentException if the track is not of this clock or the timestamp is out of range
     */
    public synchronized Instant wallClock(Track track, long rtpTimestamp) {
        check(track);
        checkTimestamp(rtpTimestamp);
        SenderReport report = track.lastReport;
        if (report == null) {
            return null;
        }
        long ticks = (int) (rtpTimestamp - report.rtpTimestamp());
        long seconds = Math.floorDiv(ticks, track.clockRate);
        long rest = Math.floorMod(ticks, track.clockRate);
        return report.ntpInstant().plusSeconds(seconds).plusNanos(rest * NANOS_PER_SECOND / track.clockRate);
    }

    /**
     * Tells the clock that the track's source restarted (for example its SSRC changed): its next frame is anchored at
     * the session's latest presentation time and flagged as a discontinuity, and its last sender report is forgotten.
     */
    public synchronized void restart(Track track) {
        check(track);
        restartTrack(track, "its source restarted");
    }

    /**
     * Re-anchors the track after playback resumed or moved (a PLAY after PAUSE, or with a new Range) without a new
     * session: the {@code rtptime} of the new PLAY answer's RTP-Info becomes the session's latest presentation time,
     * so times continue from where they were instead of jumping with the media position. The next frame is flagged
     * as a discontinuity; sender reports tie the tracks to the wall clock afresh. Give every track of the session its
     * entry of the same RTP-Info: they then stay aligned.
     *
     * @param rtptime the RTP timestamp of the first packet after the PLAY, unsigned 32-bit
     */
    public synchronized void rebase(Track track, long rtptime) {
        check(track);
        checkTimestamp(rtptime);
        track.haveReference = true;
        track.lastTimestamp = rtptime;
        track.lastExtended = rtptime;
        track.anchor(rtptime, sessionNow(), Alignment.RTP_INFO);
        track.lastReport = null;
        track.jumped |= track.timed;
        wallOriginKnown = false;
    }

    /** What the track's presentation times are anchored by. */
    public synchronized Alignment alignment(Track track) {
        check(track);
        return track.alignment;
    }

    /** How often a track's presentation times were corrected (each correction counted once). */
    public synchronized long realignments() {
        return realignments;
    }

    /** Sender reports not used because the correction they asked for was larger than {@code maxCorrection}. */
    public synchronized long rejectedReports() {
        return rejectedReports;
    }

    /** How often a track restarted (a timestamp jump or {@link #restart(Track)}). */
    public synchronized long restarts() {
        return restarts;
    }

    /** Re-anchors a track, making every presentation time it gives from now on at least its last one. */
    private boolean align(Track track, long extended, long micros, Alignment by) {
        if (!track.timed) {
            track.anchor(extended, micros, by);
            return true;
        }
        long current = track.map(track.lastExtended);
        long proposed = micros + ticksToMicros(track.lastExtended - extended, track.clockRate);
        long correction = proposed - current;
        if (Math.abs(correction) <= syncToleranceMicros) {
            if (by.compareTo(track.alignment) > 0) {
                track.alignment = by;
            }
            return true;
        }
        if (Math.abs(correction) > maxCorrectionMicros) {
            if (by == Alignment.SENDER_REPORT) {
                rejectedReports++;
            }
            long now = System.nanoTime();
            if (!rejectLogged || now - lastRejectLog >= LOG_INTERVAL_NANOS) {
                rejectLogged = true;
                lastRejectLog = now;
                LOG.warn("Track {}: {} would move its presentation times by {} ms, more than the {} ms allowed; "
                         + "not used ({} sender reports rejected so far)", track, describe(by), correction / 1000,
                         maxCorrectionMicros / 1000, rejectedReports);
            }
            return false;
        }
        realignments++;
        if (correction > 0) {
            track.anchor(extended, micros, by);
            track.jumped = true;
        } else {
            long shift = -correction;
            for (Track other : tracks) {
                if (other != track && other.alignment != Alignment.NONE) {
                    other.anchorMicros += shift;
                    other.jumped |= other.timed;
                }
            }
            wallOriginMicros -= shift;
            playOriginMicros += shift;
            latestMicros += shift;
            track.anchor(extended, micros + shift, by);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("Track {}: {} corrects its presentation times by {} us{}", track, describe(by), correction,
                      correction > 0 ? "" : " (the other tracks moved forward instead)");
        }
        return true;
    }

    private void restartTrack(Track track, String why) {
        restarts++;
        long now = System.nanoTime();
        if (!restartLogged || now - lastRestartLog >= LOG_INTERVAL_NANOS) {
            restartLogged = true;
            lastRestartLog = now;
            LOG.info("Track {}: {}; presentation times continue from {} us ({} restarts so far)", track, why,
                     sessionNow(), restarts);
        }
        track.haveReference = false;
        track.alignment = Alignment.NONE;
        track.lastReport = null;
        track.jumped |= track.timed;
    }

    /** The latest presentation time given out, or 0 before the first. */
    private long sessionNow() {
        return anyTimed ? latestMicros : 0;
    }

    private void check(Track track) {
        Objects.requireNonNull(track, "track");
        if (track.owner != this) {
            throw new IllegalArgumentException("track " + track + " belongs to another PresentationClock");
        }
    }

    private static void checkTimestamp(long rtpTimestamp) {
        if (rtpTimestamp < 0 || rtpTimestamp > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("RTP timestamp " + rtpTimestamp + " is not unsigned 32-bit");
        }
    }

    private static String describe(Alignment by) {
        return by == Alignment.SENDER_REPORT ? "a sender report" : "RTP-Info";
    }

    /** Converts RTP ticks to microseconds, rounding down. */
    static long ticksToMicros(long ticks, int clockRate) {
        long seconds = Math.floorDiv(ticks, clockRate);
        long rest = Math.floorMod(ticks, clockRate);
        return seconds * MICROS_PER_SECOND + rest * MICROS_PER_SECOND / clockRate;
    }

    /** Converts a 64-bit NTP timestamp to microseconds since 1900, rounding down. */
    static long ntpToMicros(long ntp) {
        long seconds = ntp >>> 32;
        long fraction = ntp & 0xFFFF_FFFFL;
        return seconds * MICROS_PER_SECOND + ((fraction * MICROS_PER_SECOND) >>> 32);
    }
}
