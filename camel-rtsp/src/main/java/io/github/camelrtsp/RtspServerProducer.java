package io.github.camelrtsp;

import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import io.github.camelrtsp.publish.PublishFrame;
import io.github.camelrtsp.publish.PublishTrack;
import io.github.camelrtsp.publish.PublishTracks;
import io.github.camelrtsp.publish.TrackFormat;
import io.github.camelrtsp.server.RtspServer;
import io.github.camelrtsp.server.ServerStream;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the frames routed to it on the endpoint's path of the shared embedded server: each exchange is one frame with
 * the headers the rtsp consumer sets (so {@code from("rtsp://camera/...").to("rtsp-server:live")} restreams a camera),
 * which the producer packetizes and hands to every RTSP client playing the path.
 * <p>
 * The stream (and its SDP) is created once the tracks are known, as {@link PublishTracks} decides: every track seen
 * has started (a video track with a key frame carrying its parameter sets, an audio track with its first frame) and
 * either {@code expectedTracks} tracks were seen or {@code trackTimeout} has passed since the first frame. Frames
 * routed meanwhile are kept (at most {@link #MAX_PENDING_FRAMES}) and served when the stream is created, from the
 * first key frame of each video track. Until then the path does not exist: DESCRIBE is answered 404 Not Found. A
 * track that shows up after the stream was created, or whose codec changes, is not served (counted, logged). When the
 * producer stops, the stream is removed and its players disconnected.
 */
@ManagedResource(description = "Managed RTSP server producer")
public class RtspServerProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(RtspServerProducer.class);

    /** Frames kept while the tracks are being learnt. */
    static final int MAX_PENDING_FRAMES = 300;
    private static final long SKIP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final RtspServerEndpoint endpoint;
    private final LongAdder framesSent = new LongAdder();

    // guarded by this
    private RtspServer server;
    private PublishTracks tracks;
    private ServerStream stream;
    private ScheduledFuture<?> timeout;
    private long loggedSkipped;
    private long lastSkipLogNanos;

    /** Creates the producer of an endpoint. */
    public RtspServerProducer(RtspServerEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public RtspServerEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        RtspServerConfiguration cfg = endpoint.getConfiguration();
        cfg.validate();
        RtspServer s = endpoint.getComponent().acquire(cfg);
        if (cfg.hasCredentials()) {
            s.setCredentials(endpoint.getPath(), cfg.getUsername(), cfg.getPassword());
        }
        synchronized (this) {
            server = s;
            tracks = new PublishTracks(cfg.getExpectedTracks(), cfg.getTrackTimeout(), PublishTrack.DEFAULT_MTU,
                    MAX_PENDING_FRAMES, System::nanoTime);
            stream = null;
            loggedSkipped = 0;
            lastSkipLogNanos = System.nanoTime() - SKIP_LOG_INTERVAL_NANOS;
        }
        LOG.info("Serving routed frames on {} once the tracks are known (expectedTracks={}, trackTimeout={} ms,"
                 + " credentials={})", s.url(endpoint.getPath()), cfg.getExpectedTracks(), cfg.getTrackTimeout(),
                cfg.hasCredentials() ? "user " + cfg.getUsername() : "none");
    }

    @Override
    protected void doStop() throws Exception {
        RtspServer s;
        ServerStream st;
        synchronized (this) {
            s = server;
            st = stream;
            server = null;
            stream = null;
            if (timeout != null) {
                timeout.cancel(false);
                timeout = null;
            }
        }
        if (st != null) {
            st.remove();
        }
        if (s != null) {
            if (endpoint.getConfiguration().hasCredentials()) {
                s.setCredentials(endpoint.getPath(), null, null);
            }
            endpoint.getComponent().release(s);
        }
        super.doStop();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        PublishFrame frame = PublishFrame.fromHeaders(in.getHeaders(), in.getBody(byte[].class));
        offer(frame, () -> TrackFormat.fromHeaders(in.getHeaders()));
    }

    private synchronized void offer(PublishFrame frame, Supplier<TrackFormat> format) {
        if (server == null) {
            throw new IllegalStateException("rtsp-server producer " + endpoint.getPath() + " is not started");
        }
        List<PublishFrame> out = tracks.offer(frame, format);
        if (stream == null) {
            if (!tracks.ready()) {
                scheduleTimeout();
                logSkipped();
                return;
            }
            createStream();
        }
        send(out);
        logSkipped();
    }

    /** Completes the tracks when trackTimeout passes without a frame arriving. */
    private void scheduleTimeout() {
        long delay = tracks.nanosUntilTimeout();
        if (timeout != null || delay < 0) {
            return;
        }
        timeout = endpoint.getComponent().ioGroup().schedule(this::onTimeout, delay + 1_000_000,
                TimeUnit.NANOSECONDS);
    }

    private synchronized void onTimeout() {
        timeout = null;
        if (server == null || stream != null) {
            return;
        }
        try {
            List<PublishFrame> out = tracks.poll();
            if (tracks.ready()) {
                createStream();
                send(out);
            } else {
                scheduleTimeout();
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: could not create the stream: {}", endpoint.getPath(), e.getMessage(), e);
        }
    }

    private void createStream() {
        stream = server.createStream(endpoint.getPath(), tracks.serverTracks());
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
        LOG.info("Serving {} with {} track(s) {}", server.url(endpoint.getPath()), stream.tracks().size(),
                stream.tracks());
    }

    private void send(List<PublishFrame> frames) {
        ServerStream s = stream;
        for (PublishFrame f : frames) {
            PublishTrack t = tracks.track(f.track());
            int index = tracks.sdpIndex(f.track());
            boolean[] first = {f.keyFrame() && t.format().isVideo()};
            t.send(f.data(), f.presentationMicros(), f.keyFrame(), f.discontinuity(), f.sampleCount(), buf -> {
                boolean keyStart = first[0];
                first[0] = false;
                s.publish(index, buf, keyStart);
            });
            framesSent.increment();
        }
    }

    private void logSkipped() {
        long skipped = tracks.framesSkipped() + tracks.pendingDropped();
        long now = System.nanoTime();
        if (skipped > loggedSkipped && tracks.ready() && now - lastSkipLogNanos >= SKIP_LOG_INTERVAL_NANOS) {
            lastSkipLogNanos = now;
            LOG.warn("{}: {} routed frames were not served so far (a track that appeared after the stream was"
                     + " created, a changed codec, video before a key frame, or the buffer full while the tracks"
                     + " were learnt)", endpoint.getPath(), skipped);
            loggedSkipped = skipped;
        }
    }

    /** The stream once created, else null. */
    synchronized ServerStream stream() {
        return stream;
    }

    /** The server while started, else null. */
    synchronized RtspServer server() {
        return server;
    }

    /** Frames packetized and served. */
    @ManagedAttribute(description = "Frames served")
    public long getFramesSent() {
        return framesSent.sum();
    }

    /** Frames not served: of tracks that are not part of the stream, before a key frame, or dropped while waiting. */
    @ManagedAttribute(description = "Routed frames that were not served")
    public synchronized long getFramesNotServed() {
        return tracks != null ? tracks.framesSkipped() + tracks.pendingDropped() : 0;
    }

    /** Players of the stream now. */
    @ManagedAttribute(description = "RTSP clients playing the stream")
    public synchronized int getPlayers() {
        return stream != null ? stream.playingSessions() : 0;
    }
}
