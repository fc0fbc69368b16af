package io.github.camelrtsp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
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
import io.github.camelrtsp.message.RtspResponse;
import io.github.camelrtsp.format.Depacketizer;
import io.github.camelrtsp.media.FrameAssembler;
import io.github.camelrtsp.media.TimedFrame;
import io.github.camelrtsp.rtp.RtpPacket;
import io.github.camelrtsp.rtp.RtpReceiverStatistics;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Suspendable;
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
public class RtspConsumer extends DefaultConsumer implements RtspMediaListener, Suspendable {

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
    private final Fmp4Output fmp4;
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

    private volatile boolean readingPaused;
    /** Suspended by Camel: packets are not routed, and the server paused the session unless it refused. */
    private volatile boolean suspended;
    private volatile boolean pausedOnServer;
    /** Completes with whether the server accepted the PAUSE of the last suspend. */
    private volatile CompletableFuture<Boolean> pauseAnswer = CompletableFuture.completedFuture(false);
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
        this.fmp4 = endpoint.getConfiguration().isFmp4Output() ? new Fmp4Output(endpoint, this::enqueue) : null;
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
        if (fmp4 != null) {
            fmp4.reset();
        }

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
        if (fmp4 != null) {
            fmp4.stop();
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
        suspended = false;
        pausedOnServer = false;
        super.doStop();
    }

    /**
     * Route suspended: stops routing at once and sends PAUSE, keeping the session (and its keep-alive); does not wait
     * for the answer (Camel also suspends consumers on its way to stopping them). A server that refuses PAUSE (live
     * sources may answer 455, 405 or 501) keeps sending; what arrives is discarded until the route is resumed.
     */
    @Override
    protected void doSuspend() throws Exception {
        suspended = true;
        RtspStream s = stream;
        pausedOnServer = false;
        if (s == null || endpoint.getCamelContext().isStopping()) {
            pauseAnswer = CompletableFuture.completedFuture(false);
            return;
        }
        pauseAnswer = s.pause().handle((resp, error) -> {
            if (error == null && resp.isSuccess()) {
                pausedOnServer = true;
                LOG.info("{}: suspended; session {} paused", endpoint.sanitizedUri(), sessionId);
                return true;
            }
            if (error == null) {
                LOG.warn("{}: suspended, but the server refused PAUSE ({} {}), as live sources may; packets are"
                         + " discarded until the route is resumed", endpoint.sanitizedUri(), resp.statusCode(),
                        resp.reasonPhrase());
            } else {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                LOG.warn("{}: suspended, but PAUSE failed ({}); packets are discarded until the route is resumed",
                        endpoint.sanitizedUri(), cause.getMessage() != null ? cause.getMessage() : cause.toString());
            }
            return false;
        });
    }

    /**
     * Route resumed: routes packets again, and sends PLAY on the same session once the PAUSE was accepted (without
     * waiting for the answer).
     */
    @Override
    protected void doResume() throws Exception {
        CompletableFuture<Boolean> paused = pauseAnswer;
        pauseAnswer = CompletableFuture.completedFuture(false);
        suspended = false;
        RtspConfiguration cfg = endpoint.getConfiguration();
        paused.thenAccept(wasPaused -> {
            RtspStream s = stream;
            if (!wasPaused || s == null || suspended) {
                return;
            }
            pausedOnServer = false;
            s.play(null, cfg.getScale(), cfg.getSpeed()).whenComplete((resp, error) -> {
                if (error != null) {
                    Throwable cause = error instanceof java.util.concurrent.CompletionException
                                      && error.getCause() != null ? error.getCause() : error;
                    LOG.warn("{}: resumed, but PLAY failed: {}", endpoint.sanitizedUri(),
                            cause.getMessage() != null ? cause.getMessage() : cause.toString());
                } else if (!resp.isSuccess()) {
                    LOG.warn("{}: resumed, but the server refused PLAY ({} {})", endpoint.sanitizedUri(),
                            resp.statusCode(), resp.reasonPhrase());
                } else {
                    LOG.info("{}: resumed; session {} plays again", endpoint.sanitizedUri(), sessionId);
                }
            });
        });
    }

    /**
     * Pauses the session in play (for the producer's consumerRouteId control); completes with the server's answer.
     * Packets keep being routed until the server stops sending them.
     */
    public CompletableFuture<RtspResponse> pause() {
        RtspStream s = stream;
        return s != null ? s.pause()
                : CompletableFuture.failedFuture(new IllegalStateException("the rtsp consumer of "
                                                                           + endpoint.sanitizedUri()
                                                                           + " is not started"));
    }

    /**
     * Plays the session again: resumes after {@link #pause()}, or seeks when {@code range} is given (presentation
     * times continue, and the first frame after it is flagged as a discontinuity); null arguments leave the header
     * out. Completes with the server's answer.
     */
    public CompletableFuture<RtspResponse> play(String range, String scale, String speed) {
        RtspStream s = stream;
        return s != null ? s.play(range, scale, speed)
                : CompletableFuture.failedFuture(new IllegalStateException("the rtsp consumer of "
                                                                           + endpoint.sanitizedUri()
                                                                           + " is not started"));
    }

    /** Whether the consumer is suspended (route suspended). */
    @ManagedAttribute(description = "Whether the consumer is suspended; the session is paused unless the server"
                                    + " refused")
    public boolean isSuspendedSession() {
        return suspended;
    }

    // ---- RtspMediaListener: called on Netty I/O threads, must not block ----

    @Override
    public void onPlaying(RtspSessionInfo session) {
        sessionId = session.sessionId();
        transportInUse = session.transport();
        if (frameOutput) {
            frames = new FrameAssembler(session, endpoint.getConfiguration().getMaxFrameSize(), this::onFrame);
        } else if (fmp4 != null) {
            FrameAssembler assembler = new FrameAssembler(session, endpoint.getConfiguration().getMaxFrameSize(),
                    fmp4::onFrame);
            fmp4.onPlaying(session, assembler);
            frames = assembler;
        }
        lastReportedState.set(null);
        LOG.info("{}: playing over {} with {} track(s) {}", endpoint.sanitizedUri(), session.transport(),
                session.tracks().size(), session.tracks());
        if (suspended) {
            // a reconnect while the route is suspended: pause the new session as well
            RtspStream s = stream;
            if (s != null) {
                s.pause().whenComplete((resp, error) -> pausedOnServer = error == null && resp.isSuccess());
            }
        }
    }

    @Override
    public void onReplaying(RtspSessionInfo session) {
        sessionId = session.sessionId();
        FrameAssembler assembler = frames;
        if (assembler != null) {
            int rebased = assembler.rebase(session.rtpInfo());
            LOG.debug("{}: playing again, {} of {} track(s) re-anchored by RTP-Info", endpoint.sanitizedUri(),
                    rebased, session.tracks().size());
        }
    }

    @Override
    public void onRtpPacket(MediaTrack track, RtpPacket packet) {
        if (!isRunAllowed() || suspended) {
            discarded.increment();
            return;
        }
        if (frameOutput || fmp4 != null) {
            // frames are assembled on the I/O thread; a full queue is handled when a frame is complete
            FrameAssembler assembler = frames;
            if (assembler != null) {
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
        enqueue(new CapturedFrame(frame, sessionId, config, stats != null ? stats.packetsLost() : 0));
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

    /**
     * output=fmp4: segments routed, not queued (route too slow), closed early at the size limit, and frames put into
     * no segment (before the first key frame, after a loss until the next key frame, malformed), since the consumer
     * started; with fmp4Delivery=fragment also fragments routed, not routed, and fragment mismatches (see
     * {@link io.github.camelrtsp.mp4.Fmp4Segmenter#fragmentMismatches()}); empty for other outputs.
     */
    @ManagedOperation(description = "output=fmp4: segment and skipped frame counters since the consumer started")
    public List<String> segmentStatistics() {
        Fmp4Output f = fmp4;
        if (f == null) {
            return List.of();
        }
        List<String> stats = List.of("segments queued=" + f.segmentsQueued(),
                "segments not queued=" + f.segmentsNotQueued(), "segments cut by size=" + f.segmentsCutBySize(),
                "frames skipped=" + f.framesSkipped());
        if (!getEndpoint().getConfiguration().isFragmentDelivery()) {
            return stats;
        }
        List<String> all = new ArrayList<>(stats);
        all.add("fragments queued=" + f.fragmentsQueued());
        all.add("fragments not queued=" + f.fragmentsNotQueued());
        all.add("fragment mismatches=" + f.fragmentMismatches());
        return all;
    }

    /** Reconnects of the RTSP client since the consumer started. */
    @ManagedAttribute(description = "Reconnects of the RTSP client since the consumer started")
    public long getReconnects() {
        RtspStream s = stream;
        return s != null ? s.reconnects() : 0;
    }
}
