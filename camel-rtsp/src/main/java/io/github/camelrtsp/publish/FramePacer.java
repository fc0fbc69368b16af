package io.github.camelrtsp.publish;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases frames at their presentation times, relative to the first frame, in the order they were offered: a file or
 * burst source is spread out to real time, a live source (whose frames arrive in real time already) goes through
 * without added latency.
 * <p>
 * Timing: the first frame fixes the anchor {@code arrival - presentation time}; a frame is due at anchor plus its
 * presentation time. A frame that arrives after its due time is released at once. A frame that arrives early moves the
 * anchor earlier, as far as a budget allows: the jitter allowance (default 200 ms) plus 1% of the presentation time
 * since the anchor was set. Network jitter and clock drift of a live source stay within that budget, so its frames
 * never wait; a source faster than real time exhausts it and is then paced at its presentation times. A frame more
 * than the resync interval (default 3 s) late or early (a stall, a jump of the timeline) sets a new anchor.
 * <p>
 * Frames are released in offer order, head of line: a frame due later holds back the frames behind it (B-frames and
 * interleaved tracks therefore keep their order). Release runs on the given executor (e.g. a Netty event loop); offer
 * may be called from any thread and never blocks. The queue is bounded: a frame offered to a full queue is dropped,
 * counted and handed to the drop callback.
 *
 * @param <T> the frame type
 */
public final class FramePacer<T> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FramePacer.class);

    /** Default jitter allowance: how much earlier than the first frame a live frame may arrive without waiting. */
    public static final long DEFAULT_JITTER_MICROS = 200_000;

    /** Default resync interval: a frame this much late or early starts a new timeline anchor. */
    public static final long DEFAULT_RESYNC_MICROS = 3_000_000;

    /** Share of the elapsed presentation time the anchor may move earlier (clock drift of a live source): 1/100. */
    private static final int DRIFT_DIVISOR = 100;

    private final ScheduledExecutorService executor;
    private final int capacity;
    private final long jitterNanos;
    private final long resyncNanos;
    private final Consumer<? super T> release;
    private final Consumer<? super T> drop;
    private final LongSupplier nanoClock;
    private final Runnable drainTask = this::drain;

    private final ArrayDeque<Entry<T>> queue = new ArrayDeque<>();
    private boolean scheduled;
    private boolean closed;
    private boolean anchored;
    /** arrival - presentation time, in nanoseconds: a frame is due at anchor + presentation time. */
    private long anchor;
    /** The anchor as last set by a resync, and the presentation time it was set at. */
    private long anchorStart;
    private long anchorStartPts;
    private long released;
    private long dropped;
    private long resyncs;

    private record Entry<T>(T item, long dueNanos) {
    }

    /**
     * A pacer with the default jitter allowance and resync interval.
     *
     * @param executor runs the releases (one at a time); a Netty event loop or any scheduled executor
     * @param capacity largest number of frames waiting
     * @param release  receives each frame when it is due, on the executor
     * @param drop     receives each frame dropped (queue full, pacer closed), on the calling thread
     */
    public FramePacer(ScheduledExecutorService executor, int capacity, Consumer<? super T> release,
                      Consumer<? super T> drop) {
        this(executor, capacity, DEFAULT_JITTER_MICROS, DEFAULT_RESYNC_MICROS, release, drop, System::nanoTime);
    }

    /**
     * A pacer with explicit timing parameters.
     *
     * @param jitterMicros how much earlier than the anchor a frame may arrive and still go at once (0 paces strictly)
     * @param resyncMicros how late or early a frame must be to start a new anchor
     * @param nanoClock    the monotonic clock, in nanoseconds
     * @throws IllegalArgumentException if the capacity is not positive, the jitter negative or the resync interval
     *                                  not positive
     */
    public FramePacer(ScheduledExecutorService executor, int capacity, long jitterMicros, long resyncMicros,
                      Consumer<? super T> release, Consumer<? super T> drop, LongSupplier nanoClock) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.release = Objects.requireNonNull(release, "release");
        this.drop = Objects.requireNonNull(drop, "drop");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        if (capacity <= 0) {
            throw new IllegalArgumentException("pacer capacity must be positive: " + capacity);
        }
        if (jitterMicros < 0 || resyncMicros <= 0) {
            throw new IllegalArgumentException("jitter must be >= 0 and resync > 0 (microseconds): " + jitterMicros
                                               + ", " + resyncMicros);
        }
        this.capacity = capacity;
        this.jitterNanos = jitterMicros * 1000;
        this.resyncNanos = resyncMicros * 1000;
    }

    /**
     * Queues a frame to be released at its presentation time.
     *
     * @param presentationMicros the frame's presentation time in microseconds, on the timeline of all frames offered
     * @param item               the frame
     * @return true when queued; false when dropped (queue full or pacer closed: the drop callback has been called)
     */
    public boolean offer(long presentationMicros, T item) {
        Objects.requireNonNull(item, "item");
        boolean accepted;
        boolean schedule = false;
        synchronized (this) {
            if (closed || queue.size() >= capacity) {
                dropped++;
                accepted = false;
            } else {
                long now = nanoClock.getAsLong();
                queue.addLast(new Entry<>(item, dueTime(presentationMicros * 1000, now)));
                schedule = !scheduled;
                scheduled = true;
                accepted = true;
            }
        }
        if (!accepted) {
            drop.accept(item);
            return false;
        }
        if (schedule) {
            submit(0);
        }
        return true;
    }

    /** Due time of a frame arriving now; moves or resets the anchor as the class description says. */
    private long dueTime(long ptsNanos, long now) {
        long candidate = now - ptsNanos;
        if (!anchored) {
            resync(candidate, ptsNanos);
            return now;
        }
        long due = anchor + ptsNanos;
        if (Math.abs(due - now) > resyncNanos) {
            resyncs++;
            LOG.debug("frame {} ms off its pacing time: new anchor", (now - due) / 1_000_000);
            resync(candidate, ptsNanos);
            return now;
        }
        if (candidate < anchor) {
            long floor = anchorStart - jitterNanos - Math.max(0, ptsNanos - anchorStartPts) / DRIFT_DIVISOR;
            anchor = Math.max(candidate, Math.min(anchor, floor));
            due = anchor + ptsNanos;
        }
        return due;
    }

    private void resync(long candidate, long ptsNanos) {
        anchored = true;
        anchor = candidate;
        anchorStart = candidate;
        anchorStartPts = ptsNanos;
    }

    private void submit(long delayNanos) {
        try {
            if (delayNanos <= 0) {
                executor.execute(drainTask);
            } else {
                executor.schedule(drainTask, delayNanos, TimeUnit.NANOSECONDS);
            }
        } catch (RejectedExecutionException e) {
            LOG.debug("pacer executor rejected the release task: dropping the queued frames");
            close();
        }
    }

    /** Releases the frames that are due; schedules itself for the next one. */
    private void drain() {
        while (true) {
            T item;
            long wait;
            synchronized (this) {
                Entry<T> head = queue.peekFirst();
                if (head == null || closed) {
                    scheduled = false;
                    return;
                }
                wait = head.dueNanos - nanoClock.getAsLong();
                if (wait > 0) {
                    item = null;
                } else {
                    queue.pollFirst();
                    released++;
                    item = head.item;
                }
            }
            if (item == null) {
                submit(wait);
                return;
            }
            try {
                release.accept(item);
            } catch (RuntimeException e) {
                LOG.warn("releasing a paced frame failed: {}", e.toString());
            }
        }
    }

    /** Forgets the timing anchor: the next frame offered goes at once and anchors the timeline (e.g. after a reconnect). */
    public synchronized void resetTiming() {
        anchored = false;
    }

    /** Frames waiting. */
    public synchronized int queued() {
        return queue.size();
    }

    /** Frames released so far. */
    public synchronized long released() {
        return released;
    }

    /** Frames dropped so far (queue full or closed). */
    public synchronized long dropped() {
        return dropped;
    }

    /** How often a frame far off its time started a new anchor. */
    public synchronized long resyncs() {
        return resyncs;
    }

    /** Drops every waiting frame (handing each to the drop callback) and refuses new ones. */
    @Override
    public void close() {
        List<T> waiting = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (Entry<T> e : queue) {
                waiting.add(e.item);
            }
            dropped += waiting.size();
            queue.clear();
        }
        for (T item : waiting) {
            drop.accept(item);
        }
    }
}
