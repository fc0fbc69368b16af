package io.github.camelrtsp;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.github.camelrtsp.client.ClientState;
import io.github.camelrtsp.client.RtspClientOptions;
import io.github.camelrtsp.client.RtspPublishClient;
import io.github.camelrtsp.format.RateLimitedLog;
import io.github.camelrtsp.publish.PublishFrame;
import io.github.camelrtsp.publish.PublishTracks;
import io.github.camelrtsp.publish.TrackFormat;
import io.netty.channel.EventLoop;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.DefaultAsyncProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code rtsp:} producer with {@code publish=true}: publishes the frames of the exchanges to an RTSP server with
 * ANNOUNCE and RECORD, so that {@code from("rtsp://camera...").to("rtsp://mediaserver/relay?publish=true")} relays
 * a camera.
 * <p>
 * Each exchange is one frame: the body and the headers of the consumer's frame exchanges. The tracks are learnt from
 * the first frames ({@link PublishTracks}: a video track starts with a key frame carrying its parameter sets, an audio
 * track with its first frame; options publishTracks and publishTrackTimeout say when the set is complete); frames
 * before that are kept (bounded) and sent once RECORD is answered. Then frames are released at their presentation
 * times ({@link io.github.camelrtsp.publish.FramePacer}): a live source goes through at once, a faster source is
 * paced, because its exchange completes only when its frame was sent. The producer never blocks a thread; frames it
 * cannot send (server too slow, reconnecting, queue full) are dropped and counted, not failed. An exchange fails when
 * its headers are missing or invalid, when its frame is not in its codec's layout, or when the client gave up
 * (maxReconnectAttempts).
 */
@ManagedResource(description = "Managed RTSP publish producer")
public class RtspPublishProducer extends DefaultAsyncProducer {

    private static final Logger LOG = LoggerFactory.getLogger(RtspPublishProducer.class);

    private final RtspEndpoint endpoint;
    private final Object lock = new Object();
    private final LongAdder framesSkipped = new LongAdder();
    private final RateLimitedLog skipLog;

    // guarded by lock
    private PublishTracks tracks;
    private RtspPublishClient client;
    private boolean timerScheduled;
    private RtspClientOptions options;
    private EventLoop timerLoop;
    /** The tracks of the last client started, kept after stop for statistics. */
    private volatile PublishTracks announced;

    /** A producer for the endpoint's server URL. */
    public RtspPublishProducer(RtspEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.skipLog = new RateLimitedLog(LOG, "publish to " + endpoint.sanitizedUri());
    }

    @Override
    public RtspEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        RtspConfiguration c = endpoint.getConfiguration();
        c.validate();
        RtspClientOptions o = endpoint.createClientOptions();
        synchronized (lock) {
            options = o;
            tracks = new PublishTracks(c.getPublishTracks(), c.getPublishTrackTimeout(), c.getPublishMtu(),
                                       c.getPublishQueueSize(), System::nanoTime);
            client = null;
            timerScheduled = false;
            timerLoop = endpoint.getComponent().ioGroup().next();
        }
        LOG.info("Publishing to {} once the tracks are known ({})", endpoint.sanitizedUri(),
                 c.getPublishTracks() > 0 ? c.getPublishTracks() + " tracks"
                                          : "tracks seen within " + c.getPublishTrackTimeout() + " ms");
    }

    @Override
    protected void doStop() throws Exception {
        RtspPublishClient c;
        synchronized (lock) {
            c = client;
            client = null;
            tracks = null;
        }
        if (c != null) {
            long wait = endpoint.getConfiguration().getRequestTimeout() + 1000;
            try {
                c.stop().get(wait, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                LOG.warn("Publishing to {} did not stop within {} ms", endpoint.sanitizedUri(), wait);
            }
        }
        super.doStop();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Message in = exchange.getIn();
        Map<String, Object> headers = in.getHeaders();
        PublishFrame frame;
        try {
            frame = PublishFrame.fromHeaders(headers, in.getBody(byte[].class));
        } catch (IllegalArgumentException e) {
            exchange.setException(new IllegalArgumentException("cannot publish the exchange to "
                                                               + endpoint.sanitizedUri() + ": " + e.getMessage(), e));
            callback.done(true);
            return true;
        }
        RtspPublishClient c;
        PublishTracks known;
        synchronized (lock) {
            known = tracks;
            if (known == null) {
                exchange.setException(new IllegalStateException("the publish producer is not started"));
                callback.done(true);
                return true;
            }
            c = client;
            if (c == null) {
                try {
                    List<PublishFrame> ready = tracks.offer(frame, () -> TrackFormat.fromHeaders(headers));
                    afterOffer(ready);
                } catch (IllegalArgumentException e) {
                    exchange.setException(new IllegalArgumentException("cannot publish to " + endpoint.sanitizedUri()
                                                                       + ": " + e.getMessage(), e));
                }
                callback.done(true);
                return true;
            }
        }
        if (c.state() == ClientState.FAILED) {
            exchange.setException(new RtspStreamException(endpoint.sanitizedUri(), ClientState.FAILED,
                                                           "publishing gave up: " + c.stateReason(), null));
            callback.done(true);
            return true;
        }
        if (known.track(frame.track()) == null) {
            framesSkipped.increment();
            skipLog.warn("frame of track " + frame.track() + " which is not announced: skipped");
            callback.done(true);
            return true;
        }
        // the client calls back on its event loop (or here): the rest of the route runs on the delivery pool
        Executor executor = endpoint.getComponent().deliveryExecutor();
        c.send(frame, error -> executor.execute(() -> {
            if (error != null) {
                exchange.setException(new IllegalArgumentException("cannot publish the frame to "
                                                                   + endpoint.sanitizedUri() + ": "
                                                                   + error.getMessage(), error));
            }
            callback.done(false);
        }));
        return false;
    }

    /** With the lock held: starts the client once the tracks are complete, else makes sure the timer will check. */
    private void afterOffer(List<PublishFrame> ready) {
        if (tracks.ready()) {
            startClient(ready);
        } else if (!timerScheduled && tracks.nanosUntilTimeout() >= 0) {
            timerScheduled = true;
            scheduleTimer();
        }
    }

    private void scheduleTimer() {
        long delay = Math.max(1, tracks.nanosUntilTimeout() / 1_000_000L + 5);
        PublishTracks current = tracks;
        timerLoop.schedule(() -> {
            synchronized (lock) {
                if (tracks != current || client != null) {
                    return;
                }
                List<PublishFrame> ready = tracks.poll();
                if (tracks.ready()) {
                    startClient(ready);
                } else {
                    // tracks still waiting for a key frame: check again shortly
                    scheduleTimer();
                }
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    private void startClient(List<PublishFrame> ready) {
        RtspConfiguration c = endpoint.getConfiguration();
        client = new RtspPublishClient(options, endpoint.getComponent().ioGroup(), tracks, c.getPublishQueueSize(),
                                       c.getPublishWriteBufferSize(), (state, reason, cause) -> {
                                           if (state == ClientState.FAILED) {
                                               LOG.error("Publishing to {} failed: {}", endpoint.sanitizedUri(),
                                                         reason);
                                           }
                                       });
        announced = tracks;
        LOG.info("Tracks to publish to {}: {}", endpoint.sanitizedUri(), tracks.serverTracks());
        client.start();
        for (PublishFrame f : ready) {
            client.send(f, null);
        }
        framesSkipped.add(tracks.framesSkipped());
    }

    // ---- JMX -----------------------------------------------------------------------------------------------------

    /** State of the publishing client: IDLE until the tracks are known, PLAYING while recording. */
    @ManagedAttribute(description = "State of the publishing client (PLAYING while recording)")
    public String getState() {
        RtspPublishClient c = client;
        return c == null ? ClientState.IDLE.name() : c.state().name();
    }

    /** Frames sent to the server. */
    @ManagedAttribute(description = "Frames sent")
    public long getFramesSent() {
        RtspPublishClient c = client;
        return c == null ? 0 : c.framesSent();
    }

    /** Frames dropped (queue full, not connected, server too slow, video waiting for a key frame). */
    @ManagedAttribute(description = "Frames dropped")
    public long getFramesDropped() {
        RtspPublishClient c = client;
        return c == null ? 0 : c.framesDropped();
    }

    /** Frames skipped while learning the tracks or because their track is not announced. */
    @ManagedAttribute(description = "Frames skipped (before their track started, or of tracks not announced)")
    public long getFramesSkipped() {
        return framesSkipped.sum();
    }

    /** Reconnects of the publishing client. */
    @ManagedAttribute(description = "Reconnects")
    public long getReconnects() {
        RtspPublishClient c = client;
        return c == null ? 0 : c.reconnects();
    }

    /** The tracks announced by the last client started, or null (tests: per-track frame counts). */
    PublishTracks announcedTracks() {
        return announced;
    }

    /** The publishing client, or null before the tracks are known (tests). */
    RtspPublishClient client() {
        synchronized (lock) {
            return client;
        }
    }
}
