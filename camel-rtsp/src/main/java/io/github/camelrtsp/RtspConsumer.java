package io.github.camelrtsp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import io.github.camelrtsp.client.ClientState;
import io.github.camelrtsp.client.MediaTrack;
import io.github.camelrtsp.client.RtspClientOptions;
import io.github.camelrtsp.client.RtspMediaListener;
import io.github.camelrtsp.client.RtspSessionInfo;
import io.github.camelrtsp.client.TransportMode;
import io.github.camelrtsp.format.Depacketizer;
import io.github.camelrtsp.media.FrameAssembler;
import io.github.camelrtsp.media.TimedFrame;
import io.github.camelrtsp.rtp.RtpPacket;
import io.github.camelrtsp.rtp.RtpReceiverStatistics;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the endpoint's camera URL and routes one exchange per RTP packet.
 * <p>
 * Packets arrive on a Netty I/O thread; the consumer copies the payload once, queues the packet and returns at once.
 * A single drain task per consumer, run by the component's shared delivery pool, routes the queued packets in
 * arrival order, one exchange at a time, using Camel's asynchronous routing engine. When the route falls behind the
 * queue fills: over TCP the consumer stops reading from the camera at {@code maxQueueSize} and resumes at half of it;
 * over UDP packets beyond {@code maxQueueSize} are dropped, counted and logged at most once every 10 seconds.
 */
@ManagedResource(description = "Managed RTSP consumer")
public class RtspConsumer extends DefaultConsumer implements RtspMediaListener {

    private static final Logger LOG = LoggerFactory.getLogger(RtspConsumer.class);

    /** At most one log line about dropped packets per this interval. */
    static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Packets one drain run routes before yielding its delivery thread to other consumers. */
    static final int DRAIN_BATCH = 64;
    /** Added to the request timeout (which bounds TEARDOWN) when waiting for the client to stop. */
    private static final long STOP_MARGIN_MILLIS = 2_000;

    private final RtspEndpoint endpoint;
    private volatile FrameAssembler frames;
    private final boolean frameOutput;
    private final Queue<CapturedMedia> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder discarded = new LongAdder();
    private final AtomicLong droppedSinceLog = new AtomicLong();
    private final AtomicLong lastDropLogNanos = new AtomicLong(System.nanoTime() - DROP_LOG_INTERVAL_NANOS);
    private final AtomicReference<ClientState> lastReportedState = new AtomicReference<>();
    private final Queue<RtspStreamException> reports = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean reporting = new AtomicBoolean();
    private final Object flowLock = new Object();

    /** When the packet being assembled was handed over (I/O thread only; stamps the frame it completes). */
    private long packetNanos;
    private volatile boolean readingPaused;
    private volatile long readPauses;
    private volatile long discardedBeforeStart;
    private volatile int maxQueueSize;
    private volatile int resumeAt;
    private volatile int overflowLimit;
    private volatile TransportMode transportInUse;
    private volatile String sessionId;
    private volatile RtspStream stream;
    private volatile ExecutorService executor;
    private RtspConsumerHealthCheck healthCheck;

    /** Creates the consumer of an endpoint; started by Camel with its route. */
    public RtspConsumer(RtspEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.frameOutput = endpoint.getConfiguration().isFrameOutput();
    }

    @Override
    public RtspEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        RtspConfiguration cfg = endpoint.getConfiguration();
        cfg.validate();
        maxQueueSize = cfg.getMaxQueueSize();
        resumeAt = maxQueueSize / 2;
        // over TCP a few packets still arrive after reading paused (the rest of the buffer read last):
        // accept them up to twice the queue size, beyond that the client is not honouring the pause
        overflowLimit = maxQueueSize * 2;
        transportInUse = cfg.transportMode();
        sessionId = null;
        lastReportedState.set(null);
        readingPaused = false;
        discardedBeforeStart = discarded.sum();
        executor = endpoint.getComponent().deliveryExecutor();

        healthCheck = new RtspConsumerHealthCheck(this, getRouteId());
        healthCheck.setCamelContext(endpoint.getCamelContext());
        healthCheck.setEnabled(endpoint.getComponent().isHealthCheckConsumerEnabled());
        if (HealthCheckHelper.getHealthCheckRepository(endpoint.getCamelContext(), "consumers") != null) {
            setHealthCheck(healthCheck);
        }

        RtspClientOptions options = endpoint.createClientOptions();
        logStart(cfg, options);
        RtspStream s = endpoint.getComponent().streamFactory().create(options, endpoint.getComponent().ioGroup(), this);
        stream = s;
        s.start();
    }

    private void logStart(RtspConfiguration cfg, RtspClientOptions options) {
        LOG.info("Starting RTSP consumer: {} (transport={}, media={}, output={}, credentials={}, receiveTimeout={} ms,"
                 + " reconnectDelay={}..{} ms, maxReconnectAttempts={}, maxQueueSize={}, camera query parameters={})",
                endpoint.sanitizedUri(), cfg.getTransport(), cfg.getMedia(), cfg.getOutput(),
                options.credentials() != null ? "user " + options.credentials().username() : "none",
                cfg.getReceiveTimeout(), cfg.getReconnectDelay(), cfg.getMaxReconnectDelay(),
                cfg.getMaxReconnectAttempts(), cfg.getMaxQueueSize(), endpoint.cameraQueryKeys());
        if (options.credentials() == null && cfg.getPassword() != null) {
            LOG.warn("{}: a password is configured without a user name; no credentials are sent",
                    endpoint.sanitizedUri());
        }
        for (Map.Entry<String, String> e : endpoint.suspiciousCameraQueryKeys().entrySet()) {
            LOG.warn("{}: query parameter '{}' is not an option of the rtsp endpoint and is sent to the camera as part"
                     + " of its URL; did you mean the option '{}'?", endpoint.sanitizedUri(), e.getKey(), e.getValue());
        }
    }

    @Override
    protected void doStop() throws Exception {
        RtspStream c = stream;
        stream = null;
        if (c != null) {
            long timeout = endpoint.getConfiguration().getRequestTimeout() + STOP_MARGIN_MILLIS;
            try {
                c.stop().get(timeout, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warn("{}: the RTSP client did not stop within {} ms; continuing", endpoint.sanitizedUri(), timeout);
            } catch (ExecutionException e) {
                LOG.debug("{}: error while stopping the RTSP client: {}", endpoint.sanitizedUri(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int left = 0;
        while (queue.poll() != null) {
            queued.decrementAndGet();
            left++;
        }
        discarded.add(left);
        long notRouted = discarded.sum() - discardedBeforeStart;
        if (notRouted > 0) {
            LOG.info("{}: {} received packets were not routed because the consumer stopped", endpoint.sanitizedUri(),
                    notRouted);
        }
        readingPaused = false;
        super.doStop();
    }

    // ---- RtspMediaListener: called on Netty I/O threads, must not block ----

    @Override
    public void onPlaying(RtspSessionInfo session) {
        sessionId = session.sessionId();
        transportInUse = session.transport();
        if (frameOutput) {
            frames = new FrameAssembler(session, endpoint.getConfiguration().getMaxFrameSize(), this::onFrame);
        }
        lastReportedState.set(null);
        LOG.info("{}: playing over {} with {} track(s) {}", endpoint.sanitizedUri(), session.transport(),
                session.tracks().size(), session.tracks());
    }

    @Override
    public void onRtpPacket(MediaTrack track, RtpPacket packet) {
        if (!isRunAllowed()) {
            discarded.increment();
            return;
        }
        if (frameOutput) {
            // frames are assembled on the I/O thread; a full queue is handled when a frame is complete
            FrameAssembler assembler = frames;
            if (assembler != null) {
                packetNanos = System.nanoTime();
                assembler.onRtpPacket(track, packet);
            } else {
                discarded.increment();
            }
            return;
        }
        boolean tcp = transportInUse == TransportMode.TCP;
        if (queued.get() >= (tcp ? overflowLimit : maxQueueSize)) {
            // full: do not even copy the payload
            countDrop(tcp);
            return;
        }
        RtpReceiverStatistics stats = track.statistics();
        enqueue(new CapturedPacket(track.index(), track.mediaType(), track.codec(), sessionId, packet.payloadType(),
                packet.sequenceNumber(), packet.timestamp(), packet.ssrc(), packet.marker(),
                stats != null ? stats.packetsLost() : 0, packet.copyPayload()));
    }

    /** A frame completed by the assembler (on the I/O thread). */
    private void onFrame(TimedFrame frame) {
        FrameAssembler assembler = frames;
        byte[] config = null;
        if (assembler != null) {
            Depacketizer d = assembler.depacketizer(frame.track().index());
            config = d != null ? d.codecConfig() : null;
        }
        RtpReceiverStatistics stats = frame.track().statistics();
        enqueue(new CapturedFrame(frame, sessionId, config, stats != null ? stats.packetsLost() : 0, packetNanos));
    }

    /** The frame assembler of the session in play (output=frame), or null. */
    FrameAssembler frameAssembler() {
        return frames;
    }

    @Override
    public void onStateChanged(ClientState state, String reason, Throwable cause) {
        switch (state) {
            case PLAYING -> lastReportedState.set(null);
            case RECONNECTING, FAILED -> report(state, reason, cause);
            default -> LOG.debug("{}: {} ({})", endpoint.sanitizedUri(), state, reason);
        }
    }

    /**
     * Passes a stream failure to the exception handler once per state: the first RECONNECTING after playing and the
     * final FAILED, not every retry. The handler runs on a delivery thread, in report order, as a bridged error
     * handler routes an exchange and must not do so on an I/O thread.
     */
    private void report(ClientState state, String reason, Throwable cause) {
        if (lastReportedState.getAndSet(state) == state) {
            LOG.debug("{}: {} ({})", endpoint.sanitizedUri(), state, reason);
            return;
        }
        reports.offer(new RtspStreamException(endpoint.sanitizedUri(), state, reason, cause));
        scheduleReports();
    }

    private void scheduleReports() {
        if (!reporting.compareAndSet(false, true)) {
            return;
        }
        ExecutorService ex = executor;
        try {
            if (ex == null) {
                throw new RejectedExecutionException("no delivery executor");
            }
            ex.execute(this::handleReports);
        } catch (RejectedExecutionException e) {
            // shutting down: still say what happened, just not through the handler
            RtspStreamException error;
            while ((error = reports.poll()) != null) {
                LOG.warn("{}", error.getMessage(), error);
            }
            reporting.set(false);
        }
    }

    private void handleReports() {
        try {
            RtspStreamException error;
            while ((error = reports.poll()) != null) {
                try {
                    getExceptionHandler().handleException(error.getMessage(), error);
                } catch (RuntimeException e) {
                    LOG.warn("{}: the exception handler failed on: {}", endpoint.sanitizedUri(), error.getMessage(), e);
                }
            }
        } finally {
            reporting.set(false);
            if (!reports.isEmpty()) {
                scheduleReports();
            }
        }
    }

    // ---- queue and delivery ----

    /**
     * Queues a captured packet for the route (any thread). Returns false when it was dropped: over UDP (or before the
     * transport is known with transport=udp/auto) when {@code maxQueueSize} packets wait; over TCP only past twice
     * that, as reading is paused at {@code maxQueueSize}.
     */
    boolean enqueue(CapturedMedia packet) {
        if (!isRunAllowed()) {
            discarded.increment();
            return false;
        }
        boolean tcp = transportInUse == TransportMode.TCP;
        int n = queued.incrementAndGet();
        if (n > (tcp ? overflowLimit : maxQueueSize)) {
            queued.decrementAndGet();
            countDrop(tcp);
            return false;
        }
        queue.offer(packet);
        if (tcp && n >= maxQueueSize && !readingPaused) {
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
                RtspStream s = stream;
                if (s != null) {
                    s.pauseReading();
                }
                LOG.debug("{}: route is behind, {} packets queued: paused reading", endpoint.sanitizedUri(),
                        queued.get());
            }
        }
    }

    private void resumeReading() {
        synchronized (flowLock) {
            if (readingPaused && queued.get() <= resumeAt) {
                readingPaused = false;
                RtspStream s = stream;
                if (s != null) {
                    s.resumeReading();
                }
                LOG.debug("{}: {} packets queued: resumed reading", endpoint.sanitizedUri(), queued.get());
            }
        }
    }

    private void countDrop(boolean tcp) {
        dropped.increment();
        droppedSinceLog.incrementAndGet();
        long now = System.nanoTime();
        long last = lastDropLogNanos.get();
        if (now - last >= DROP_LOG_INTERVAL_NANOS && lastDropLogNanos.compareAndSet(last, now)) {
            long n = droppedSinceLog.getAndSet(0);
            if (tcp) {
                LOG.warn("{}: dropped {} RTP packets ({} in total): {} packets queued although reading is paused",
                        endpoint.sanitizedUri(), n, dropped.sum(), queued.get());
            } else {
                LOG.warn("{}: the route is too slow: dropped {} RTP packets ({} in total) as {} packets were queued",
                        endpoint.sanitizedUri(), n, dropped.sum(), maxQueueSize);
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
            if (isRunAllowed()) {
                LOG.warn("{}: could not schedule delivery ({}); {} packets wait", endpoint.sanitizedUri(),
                        e.getMessage(), queued.get());
            }
        }
    }

    /** One drain run: routes up to {@link #DRAIN_BATCH} packets in order, then yields the thread. */
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
                if (!isRunAllowed()) {
                    discarded.increment();
                    continue;
                }
                asyncPending = !route(p);
            }
        } catch (RuntimeException e) {
            LOG.error("{}: unexpected error while routing RTP packets", endpoint.sanitizedUri(), e);
        } finally {
            if (!asyncPending) {
                drainScheduled.set(false);
                if (!queue.isEmpty() && isRunAllowed()) {
                    scheduleDrain();
                }
            }
        }
    }

    /** Routes one packet; false when the route goes on asynchronously and its callback resumes the drain. */
    private boolean route(CapturedMedia p) {
        Exchange exchange = createExchange(p);
        try {
            return getAsyncProcessor().process(exchange, doneSync -> {
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

    private Exchange createExchange(CapturedMedia p) {
        Exchange exchange = createExchange(false);
        Message in = exchange.getIn();
        in.setHeader(RtspConstants.RTSP_URI, endpoint.sanitizedUri());
        p.writeTo(in);
        return exchange;
    }

    private void done(Exchange exchange) {
        delivered.increment();
        try {
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Error processing RTP packet", exchange,
                        exchange.getException());
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }

    // ---- state, counters, test hooks ----

    /** The stream of the running consumer, or null when stopped. */
    RtspStream stream() {
        return stream;
    }

    /** The consumer's health check (created on start). */
    RtspConsumerHealthCheck healthCheck() {
        return healthCheck;
    }

    /** State of the RTSP client; IDLE when the consumer is not started. */
    public ClientState state() {
        RtspStream s = stream;
        return s != null ? s.state() : ClientState.IDLE;
    }

    /** Why the client is in its state; never contains credentials. */
    public String stateReason() {
        RtspStream s = stream;
        return s != null ? s.stateReason() : "consumer not started";
    }

    /** State of the RTSP client (JMX). */
    @ManagedAttribute(description = "State of the RTSP client")
    public String getState() {
        return state().name();
    }

    /** Why the client is in its state (JMX). */
    @ManagedAttribute(description = "Why the RTSP client is in its state")
    public String getStateReason() {
        return stateReason();
    }

    /** The sanitized camera URL (JMX). */
    @ManagedAttribute(description = "Camera URL (sanitized)")
    public String getCameraUrl() {
        return endpoint.sanitizedUri();
    }

    /** TCP or UDP as negotiated; the configured value until playing. */
    @ManagedAttribute(description = "Transport of the current session: TCP or UDP (configured value until playing)")
    public String getTransportInUse() {
        TransportMode t = transportInUse;
        return t != null ? t.name() : null;
    }

    /** Packets handed to the route so far. */
    @ManagedAttribute(description = "Packets handed to the route")
    public long getPacketsDelivered() {
        return delivered.sum();
    }

    /**
     * Per-track counters of the session in play, one line per track: packets received, lost, duplicated and
     * reordered (RTP statistics), and with output=frame frames emitted, frames dropped, packets skipped and bytes.
     */
    @ManagedOperation(description = "Per-track packet and frame counters of the session in play")
    public List<String> trackStatistics() {
        RtspStream s = stream;
        RtspSessionInfo session = s != null ? s.session() : null;
        if (session == null) {
            return List.of();
        }
        FrameAssembler assembler = frames;
        List<String> lines = new ArrayList<>();
        for (MediaTrack t : session.tracks()) {
            RtpReceiverStatistics st = t.statistics();
            StringBuilder sb = new StringBuilder().append(t).append(": packets received=")
                    .append(st.packetsReceived()).append(" lost=").append(st.packetsLost()).append(" duplicated=")
                    .append(st.packetsDuplicated()).append(" reordered=").append(st.packetsReordered())
                    .append(" bytes=").append(st.bytesReceived());
            if (assembler != null && assembler.counters(t.index()) != null) {
                Depacketizer d = assembler.depacketizer(t.index());
                sb.append(" frames emitted=").append(assembler.counters(t.index()).framesEmitted())
                        .append(" dropped=").append(d.framesDropped()).append(" packets skipped=")
                        .append(d.packetsSkipped());
            }
            lines.add(sb.toString());
        }
        return lines;
    }

    /** Packets dropped because the queue was full. */
    @ManagedAttribute(description = "Packets dropped because the queue was full")
    public long getPacketsDropped() {
        return dropped.sum();
    }

    /** Packets received while stopping or stopped, not routed. */
    @ManagedAttribute(description = "Packets received while the consumer was stopping, not routed")
    public long getPacketsDiscarded() {
        return discarded.sum();
    }

    /** Packets waiting for the route now. */
    @ManagedAttribute(description = "Packets waiting for the route")
    public int getQueueSize() {
        return Math.max(0, queued.get());
    }

    /** Whether reading from the camera is paused now. */
    @ManagedAttribute(description = "Whether reading from the camera is paused because the route is behind")
    public boolean isReadingPaused() {
        return readingPaused;
    }

    /** How often reading was paused. */
    @ManagedAttribute(description = "How many times reading was paused because the route was behind")
    public long getReadPauses() {
        return readPauses;
    }

    /** Reconnects of the RTSP client since the consumer started. */
    @ManagedAttribute(description = "Reconnects of the RTSP client since the consumer started")
    public long getReconnects() {
        RtspStream s = stream;
        return s != null ? s.reconnects() : 0;
    }
}
