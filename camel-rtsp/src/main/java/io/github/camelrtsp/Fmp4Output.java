package io.github.camelrtsp;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import io.github.camelrtsp.client.RtspSessionInfo;
import io.github.camelrtsp.format.Depacketizer;
import io.github.camelrtsp.media.FrameAssembler;
import io.github.camelrtsp.media.TimedFrame;
import io.github.camelrtsp.mp4.Fmp4Fragment;
import io.github.camelrtsp.mp4.Fmp4Segmenter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * output=fmp4 for one consumer: one {@link Fmp4Segmenter} per playing session, whose segments are numbered from 0
 * per consumer start and queued for the route. A new session (reconnect) first emits the previous session's
 * segment in progress. Thread safe (frames come from I/O threads, stop from a Camel thread).
 */
final class Fmp4Output {

    /** Sample bytes at which a segment is closed early, bounding memory per consumer. */
    static final long MAX_SEGMENT_BYTES = 128L * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(Fmp4Output.class);

    private final RtspEndpoint endpoint;
    private final Predicate<CapturedMedia> queue;
    private final AtomicLong sequence = new AtomicLong();
    private Fmp4Segmenter segmenter;
    private String sessionId;
    private long segmentsNotQueued;
    private long segmentsRouted;
    private long framesSkippedBefore;
    private long cutBySizeBefore;
    private long mismatchesBefore;
    private long fragmentSegment;
    private boolean segmentBroken;
    private long fragmentsRouted;
    private long fragmentsNotQueued;

    Fmp4Output(RtspEndpoint endpoint, Predicate<CapturedMedia> queue) {
        this.endpoint = endpoint;
        this.queue = queue;
    }

    /** Resets the segment numbering (consumer start). */
    synchronized void reset() {
        sequence.set(0);
        segmenter = null;
        segmentsNotQueued = 0;
        segmentsRouted = 0;
        framesSkippedBefore = 0;
        cutBySizeBefore = 0;
        fragmentSegment = 0;
        mismatchesBefore = 0;
        segmentBroken = false;
        fragmentsRouted = 0;
        fragmentsNotQueued = 0;
    }

    /** A session started playing: ends the previous session's segment and segments this one. */
    synchronized void onPlaying(RtspSessionInfo session, FrameAssembler assembler) {
        if (segmenter != null) {
            segmenter.flush();
            framesSkippedBefore += segmenter.framesSkipped();
            cutBySizeBefore += segmenter.segmentsCutBySize();
            mismatchesBefore += segmenter.fragmentMismatches();
        }
        segmenter = null;
        sessionId = session.sessionId();
        RtspConfiguration cfg = endpoint.getConfiguration();
        boolean fragments = cfg.isFragmentDelivery();
        try {
            segmenter = new Fmp4Segmenter(session.tracks(), index -> {
                Depacketizer d = assembler.depacketizer(index);
                return d != null ? d.codecConfig() : null;
            }, cfg.getSegmentDuration(), cfg.getFragmentDuration(), MAX_SEGMENT_BYTES, s -> {
                long n;
                if (fragments) {
                    n = fragmentSegment; // its pieces were routed as they completed
                    if (segmentBroken) {
                        segmentsNotQueued++;
                    } else {
                        segmentsRouted++;
                    }
                } else {
                    n = sequence.getAndIncrement();
                    if (queue.test(new CapturedSegment(s, n, sessionId))) {
                        segmentsRouted++;
                    } else {
                        segmentsNotQueued++;
                    }
                }
                LOG.debug("{}: segment {} of {} ms, {} video and {} audio frames, {} bytes", endpoint.sanitizedUri(),
                        n, s.duration().toMillis(), s.videoFrames(), s.audioFrames(), s.data().length);
            }, fragments ? this::onFragment : null, endpoint.sanitizedUri());
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: output=fmp4 cannot record this session: {}", endpoint.sanitizedUri(), e.getMessage());
        }
    }

    /**
     * fmp4Delivery=fragment: routes a piece of the segment in progress. Once a piece of a segment is not queued,
     * the rest of that segment is not routed either (counted), so what a route concatenates is never a broken file;
     * routing resumes with the next segment's init segment.
     */
    private void onFragment(Fmp4Fragment f) {
        if (f.withInit()) {
            fragmentSegment = sequence.getAndIncrement();
            segmentBroken = false;
        }
        if (segmentBroken) {
            fragmentsNotQueued++;
        } else if (queue.test(new CapturedFragment(f, fragmentSegment, sessionId))) {
            fragmentsRouted++;
        } else {
            fragmentsNotQueued++;
            segmentBroken = true;
            LOG.warn("{}: fragment {} of segment {} not queued (route too slow or stopping); the rest of that segment"
                     + " is not routed", endpoint.sanitizedUri(), f.index(), fragmentSegment);
        }
    }

    /** A frame of the session in play. */
    synchronized void onFrame(TimedFrame frame) {
        if (segmenter != null) {
            segmenter.onFrame(frame);
        } else {
            framesSkippedBefore++; // the session has no track MP4 can carry (warned at its start)
        }
    }

    /** Forgets the segment in progress (consumer stop: the route no longer takes exchanges). */
    synchronized void stop() {
        segmenter = null;
    }

    /** Segments queued for the route since the consumer started. */
    synchronized long segmentsQueued() {
        return segmentsRouted;
    }

    /** Segments the queue did not take (route too slow or stopping) since the consumer started. */
    synchronized long segmentsNotQueued() {
        return segmentsNotQueued;
    }

    /** Frames not put into any segment since the consumer started (see {@link Fmp4Segmenter#framesSkipped()}). */
    synchronized long framesSkipped() {
        return framesSkippedBefore + (segmenter != null ? segmenter.framesSkipped() : 0);
    }

    /** Segments closed early at the size limit since the consumer started. */
    synchronized long segmentsCutBySize() {
        return cutBySizeBefore + (segmenter != null ? segmenter.segmentsCutBySize() : 0);
    }

    /** fmp4Delivery=fragment: fragments queued for the route since the consumer started. */
    synchronized long fragmentsQueued() {
        return fragmentsRouted;
    }

    /** fmp4Delivery=fragment: fragments not routed (not queued, or after one of their segment was not). */
    synchronized long fragmentsNotQueued() {
        return fragmentsNotQueued;
    }

    /** fmp4Delivery=fragment: see {@link Fmp4Segmenter#fragmentMismatches()}, since the consumer started. */
    synchronized long fragmentMismatches() {
        return mismatchesBefore + (segmenter != null ? segmenter.fragmentMismatches() : 0);
    }
}
