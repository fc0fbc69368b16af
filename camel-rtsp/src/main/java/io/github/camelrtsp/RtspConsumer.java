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
import java.util.concurrent.atomic.AtomicReference;

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
 * Packets arrive on a Netty I/O thread; the consumer copies the payload once, queues the packet and returns at once
 * (the queue and its delivery are {@link MediaDelivery}, shared with the {@code rtsp-server} consumer).
 * A single drain task per consumer, run by the component's shared delivery pool, routes the queued packets in
 * arrival order, one exchange at a time, using Camel's asynchronous routing engine. When the route falls behind the
 * queue fills: over TCP the consumer stops reading from the camera at {@code maxQueueSize} and resumes at half of it;
 * over UDP packets beyond {@code maxQueueSize} are dropped, counted and logged at most once every 10 seconds.
 */
@ManagedResource(description = "Managed RTSP consumer")
public class RtspConsumer extends DefaultConsumer implements RtspMediaListener, Suspendable {

    private static final Logger LOG = LoggerFactory.getLogger(RtspConsumer.class);

    /** Added to the request timeout (which bounds TEARDOWN) when waiting for the client to stop. */
    private static final long STOP_MARGIN_MILLIS = 2_000;

    private final RtspEndpoint endpoint;
    private volatile FrameAssembler frames;
    private final boolean frameOutput;
    private final Fmp4Output fmp4;
    private final MediaDelivery delivery = new MediaDelivery(this, new MediaDelivery.Source() {
        @Override
        public boolean flowControlled() {
            return transportInUse == TransportMode.TCP;
        }

        @Override
        public void pauseReading() {
            RtspStream s = stream;
            if (s != null) {
                s.pauseReading();
            }
        }

        @Override
        public void resumeReading() {
            RtspStream s = stream;
            if (s != null) {
                s.resumeReading();
            }
        }
    });
    private final AtomicReference<ClientState> lastReportedState = new AtomicReference<>();
    private final Queue<RtspStreamException> reports = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean reporting = new AtomicBoolean();

    /** Suspended by Camel: packets are not routed, and the server paused the session unless it refused. */
    private volatile boolean suspended;
    private volatile boolean pausedOnServer;
    /** Completes with whether the server accepted the PAUSE of the last suspend. */
    private volatile CompletableFuture<Boolean> pauseAnswer = CompletableFuture.completedFuture(false);
    private volatile TransportMode transportInUse;
    private volatile String sessionId;
    private volatile RtspStream stream;
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
        transportInUse = cfg.transportMode();
        sessionId = null;
        lastReportedState.set(null);
        delivery.start(endpoint.sanitizedUri(), cfg.getMaxQueueSize(), endpoint.getComponent().deliveryExecutor());
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
        delivery.stop();
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
            delivery.discard();
            return;
        }
        if (frameOutput || fmp4 != null) {
            // frames are assembled on the I/O thread; a full queue is handled when a frame is complete
            FrameAssembler assembler = frames;
            if (assembler != null) {
                assembler.onRtpPacket(track, packet);
            } else {
                delivery.discard();
            }
            return;
        }
        if (delivery.isFull()) {
            // full: do not even copy the payload
            delivery.drop();
            return;
        }
        RtpReceiverStatistics stats = track.statistics();
        enqueue(new CapturedPacket(track.index(), track.mediaType(), track.codec(), sessionId, packet.payloadType(),
                packet.sequenceNumber(), packet.timestamp(), packet.ssrc(), packet.marker(),
                stats != null ? stats.packetsLost() : 0, packet.copyPayload()));
    }

    /** A frame completed by the assembler (on the I/O thread, within the call of the packet that completed it). */
    private void onFrame(TimedFrame frame) {
        FrameAssembler assembler = frames;
        byte[] config = null;
        if (assembler != null) {
            Depacketizer d = assembler.depacketizer(frame.track().index());
            config = d != null ? d.codecConfig() : null;
        }
        RtpReceiverStatistics stats = frame.track().statistics();
        enqueue(new CapturedFrame(frame, sessionId, config, stats != null ? stats.packetsLost() : 0,
                System.nanoTime()));
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
        ExecutorService ex = delivery.executor();
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
        return delivery.enqueue(packet);
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
        return delivery.delivered();
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
        return delivery.dropped();
    }

    /** Packets received while stopping or stopped, not routed. */
    @ManagedAttribute(description = "Packets received while the consumer was stopping, not routed")
    public long getPacketsDiscarded() {
        return delivery.discarded();
    }

    /** Packets waiting for the route now. */
    @ManagedAttribute(description = "Packets waiting for the route")
    public int getQueueSize() {
        return delivery.queueSize();
    }

    /** Whether reading from the camera is paused now. */
    @ManagedAttribute(description = "Whether reading from the camera is paused because the route is behind")
    public boolean isReadingPaused() {
        return delivery.readingPaused();
    }

    /** How often reading was paused. */
    @ManagedAttribute(description = "How many times reading was paused because the route was behind")
    public long getReadPauses() {
        return delivery.readPauses();
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
