package io.github.camelrtsp;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded queue between Netty I/O threads and a consumer's route, shared by the {@code rtsp} and
 * {@code rtsp-server} consumers.
 * <p>
 * I/O threads {@link #enqueue(CapturedMedia) enqueue} captured packets or frames and return at once. A single drain
 * task per consumer, run by a shared delivery pool, routes the queued items in arrival order, one exchange at a time,
 * using Camel's asynchronous routing engine. When the route falls behind the queue fills: with a flow-controlled
 * source (RTSP over TCP) reading is paused at {@code maxQueueSize} and resumed at half of it; otherwise items beyond
 * {@code maxQueueSize} are dropped, counted and logged at most once every 10 seconds.
 */
final class MediaDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(MediaDelivery.class);

    /** At most one log line about dropped items per this interval. */
    static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Items one drain run routes before yielding its delivery thread to other consumers. */
    static final int DRAIN_BATCH = 64;

    /** What the delivery needs from the source that feeds it. */
    interface Source {

        /** Whether the source honours {@link #pauseReading()} now (RTSP over TCP); false drops on a full queue. */
        boolean flowControlled();

        /** Stops reading from the network until {@link #resumeReading()}. */
        void pauseReading();

        /** Reads from the network again. */
        void resumeReading();
    }

    /** A source without flow control: a full queue drops. */
    static final Source UNCONTROLLED = new Source() {
        @Override
        public boolean flowControlled() {
            return false;
        }

        @Override
        public void pauseReading() {
            // nothing to pause
        }

        @Override
        public void resumeReading() {
            // nothing to resume
        }
    };

    private final DefaultConsumer consumer;
    private final Source source;
    private final Queue<CapturedMedia> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder discarded = new LongAdder();
    private final AtomicLong droppedSinceLog = new AtomicLong();
    private final AtomicLong lastDropLogNanos = new AtomicLong(System.nanoTime() - DROP_LOG_INTERVAL_NANOS);
    private final Object flowLock = new Object();

    private volatile String label = "";
    private volatile boolean readingPaused;
    private volatile long readPauses;
    private volatile long discardedBeforeStart;
    private volatile int maxQueueSize = 2;
    private volatile int resumeAt = 1;
    private volatile int overflowLimit = 4;
    private volatile ExecutorService executor;

    /**
     * @param consumer the consumer whose route gets the exchanges
     * @param source   flow control of the source feeding the queue
     */
    MediaDelivery(DefaultConsumer consumer, Source source) {
        this.consumer = consumer;
        this.source = source;
    }

    /**
     * Prepares a (re)start of the consumer.
     *
     * @param label        the sanitized URI shown in logs and set as {@link RtspConstants#RTSP_URI}
     * @param maxQueueSize items that may wait for the route
     * @param executor     the delivery pool
     */
    void start(String label, int maxQueueSize, ExecutorService executor) {
        this.label = label;
        this.maxQueueSize = maxQueueSize;
        this.resumeAt = maxQueueSize / 2;
        // with flow control a few items still arrive after reading paused (the rest of the buffer read last):
        // accept them up to twice the queue size, beyond that the source is not honouring the pause
        this.overflowLimit = maxQueueSize * 2;
        this.readingPaused = false;
        this.discardedBeforeStart = discarded.sum();
        this.executor = executor;
    }

    /** The label set by {@link #start(String, int, ExecutorService)}. */
    String label() {
        return label;
    }

    /** Empties the queue when the consumer stopped; logs how many received items were not routed. */
    void stop() {
        int left = 0;
        while (queue.poll() != null) {
            queued.decrementAndGet();
            left++;
        }
        discarded.add(left);
        long notRouted = discarded.sum() - discardedBeforeStart;
        if (notRouted > 0) {
            LOG.info("{}: {} received packets were not routed because the consumer stopped", label, notRouted);
        }
        readingPaused = false;
    }

    /** The pool the consumer runs its route and exception handling on, or null when not started. */
    ExecutorService executor() {
        return executor;
    }

    /** True when nothing more can be queued: the next packet would be dropped (checked before copying it). */
    boolean isFull() {
        return queued.get() >= (source.flowControlled() ? overflowLimit : maxQueueSize);
    }

    /** Counts an item that arrived while the consumer cannot route (stopping, stopped, not yet playing). */
    void discard() {
        discarded.increment();
    }

    /** Counts an item dropped because the queue was full ({@link #isFull()}), logged rate-limited. */
    void drop() {
        countDrop(source.flowControlled());
    }

    /**
     * Queues an item for the route (any thread). Returns false when it was dropped: without flow control when
     * {@code maxQueueSize} items wait; with flow control only past twice that, as reading is paused at
     * {@code maxQueueSize}.
     */
    boolean enqueue(CapturedMedia item) {
        if (!consumer.isRunAllowed()) {
            discarded.increment();
            return false;
        }
        boolean flow = source.flowControlled();
        int n = queued.incrementAndGet();
        if (n > (flow ? overflowLimit : maxQueueSize)) {
            queued.decrementAndGet();
            countDrop(flow);
            return false;
        }
        queue.offer(item);
        if (flow && n >= maxQueueSize && !readingPaused) {
            pauseReading();
        }
        scheduleDrain();
        return true;
    }

    private void pauseReading() {
        synchronized (flowLock) {
            if (!readingPaused && queued.get() >= maxQueueSize) {
                readingPaused = true;
                readPauses++;
                source.pauseReading();
                LOG.debug("{}: route is behind, {} packets queued: paused reading", label, queued.get());
            }
        }
    }

    private void resumeReading() {
        synchronized (flowLock) {
            if (readingPaused && queued.get() <= resumeAt) {
                readingPaused = false;
                source.resumeReading();
                LOG.debug("{}: {} packets queued: resumed reading", label, queued.get());
            }
        }
    }

    private void countDrop(boolean flow) {
        dropped.increment();
        droppedSinceLog.incrementAndGet();
        long now = System.nanoTime();
        long last = lastDropLogNanos.get();
        if (now - last >= DROP_LOG_INTERVAL_NANOS && lastDropLogNanos.compareAndSet(last, now)) {
            long n = droppedSinceLog.getAndSet(0);
            if (flow) {
                LOG.warn("{}: dropped {} RTP packets ({} in total): {} packets queued although reading is paused",
                        label, n, dropped.sum(), queued.get());
            } else {
                LOG.warn("{}: the route is too slow: dropped {} RTP packets ({} in total) as {} packets were queued",
                        label, n, dropped.sum(), maxQueueSize);
            }
        }
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            submitDrain();
        }
    }

    private void submitDrain() {
        ExecutorService ex = executor;
        try {
            if (ex == null) {
                throw new RejectedExecutionException("no delivery executor");
            }
            ex.execute(drainTask);
        } catch (RejectedExecutionException e) {
            drainScheduled.set(false);
            if (consumer.isRunAllowed()) {
                LOG.warn("{}: could not schedule delivery ({}); {} packets wait", label, e.getMessage(), queued.get());
            }
        }
    }

    /** One drain run: routes up to {@link #DRAIN_BATCH} items in order, then yields the thread. */
    private void drain() {
        boolean asyncPending = false;
        try {
            for (int budget = DRAIN_BATCH; budget > 0 && !asyncPending; budget--) {
                CapturedMedia p = queue.poll();
                if (p == null) {
                    break;
                }
                int n = queued.decrementAndGet();
                if (readingPaused && n <= resumeAt) {
                    resumeReading();
                }
                if (!consumer.isRunAllowed()) {
                    discarded.increment();
                    continue;
                }
                asyncPending = !route(p);
            }
        } catch (RuntimeException e) {
            LOG.error("{}: unexpected error while routing RTP packets", label, e);
        } finally {
            if (!asyncPending) {
                drainScheduled.set(false);
                if (!queue.isEmpty() && consumer.isRunAllowed()) {
                    scheduleDrain();
                }
            }
        }
    }

    /** Routes one item; false when the route goes on asynchronously and its callback resumes the drain. */
    private boolean route(CapturedMedia p) {
        Exchange exchange = consumer.createExchange(false);
        Message in = exchange.getIn();
        in.setHeader(RtspConstants.RTSP_URI, label);
        p.writeTo(in);
        try {
            return consumer.getAsyncProcessor().process(exchange, doneSync -> {
                done(exchange);
                if (!doneSync) {
                    // the drain stays scheduled while the exchange is in flight: continue it on a delivery thread
                    submitDrain();
                }
            });
        } catch (RuntimeException e) {
            exchange.setException(e);
            done(exchange);
            return true;
        }
    }

    private void done(Exchange exchange) {
        delivered.increment();
        try {
            if (exchange.getException() != null) {
                consumer.getExceptionHandler().handleException("Error processing RTP packet", exchange,
                        exchange.getException());
            }
        } finally {
            consumer.releaseExchange(exchange, false);
        }
    }

    /** Items handed to the route so far. */
    long delivered() {
        return delivered.sum();
    }

    /** Items dropped because the queue was full. */
    long dropped() {
        return dropped.sum();
    }

    /** Items received while the consumer could not route them. */
    long discarded() {
        return discarded.sum();
    }

    /** Items waiting for the route now. */
    int queueSize() {
        return Math.max(0, queued.get());
    }

    /** Whether reading is paused now. */
    boolean readingPaused() {
        return readingPaused;
    }

    /** How often reading was paused. */
    long readPauses() {
        return readPauses;
    }
}
