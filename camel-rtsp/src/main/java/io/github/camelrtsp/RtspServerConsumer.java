package io.github.camelrtsp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.github.camelrtsp.client.MediaTrack;
import io.github.camelrtsp.client.RtspSessionInfo;
import io.github.camelrtsp.format.Depacketizer;
import io.github.camelrtsp.media.FrameAssembler;
import io.github.camelrtsp.media.TimedFrame;
import io.github.camelrtsp.rtp.RtpFormatException;
import io.github.camelrtsp.rtp.RtpPacket;
import io.github.camelrtsp.rtp.RtpReceiverStatistics;
import io.github.camelrtsp.server.PublishListener;
import io.github.camelrtsp.server.RtspServer;
import io.github.camelrtsp.server.ServerStream;
import io.github.camelrtsp.server.ServerTrack;
import io.netty.buffer.ByteBuf;
import org.apache.camel.Processor;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the endpoint's path on the shared embedded server for publishers (ANNOUNCE/RECORD) and routes what they send:
 * one exchange per frame (output=frame, rebuilt by the same {@link FrameAssembler} as the rtsp consumer) or per RTP
 * packet, with the same body and headers as the rtsp consumer.
 * <p>
 * Packets arrive on a Netty I/O thread; they are parsed in place, assembled into frames there, and the frame (or the
 * payload) is copied once into the bounded queue of a {@link MediaDelivery}. The publisher is not slowed down when
 * the route falls behind: beyond {@code maxQueueSize} waiting items, further ones are dropped, counted and logged.
 * Duplicate packets are removed; packets are not reordered, so a publisher over UDP whose packets arrive out of order
 * shows that as loss (frames flagged as discontinuity). When the consumer stops, a publisher still recording is
 * disconnected.
 */
@ManagedResource(description = "Managed RTSP server consumer")
public class RtspServerConsumer extends DefaultConsumer implements PublishListener {

    private static final Logger LOG = LoggerFactory.getLogger(RtspServerConsumer.class);
    private static final long MALFORMED_LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final RtspServerEndpoint endpoint;
    private final boolean frameOutput;
    private final MediaDelivery delivery = new MediaDelivery(this, MediaDelivery.UNCONTROLLED);
    private final Map<ServerStream, Publication> publications = new ConcurrentHashMap<>();
    private final LongAdder publishers = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final AtomicLong lastMalformedLog = new AtomicLong(System.nanoTime() - MALFORMED_LOG_INTERVAL_NANOS);

    private volatile RtspServer server;
    private volatile String url;

    /** Creates the consumer of an endpoint; started by Camel with its route. */
    public RtspServerConsumer(RtspServerEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.frameOutput = endpoint.getConfiguration().isFrameOutput();
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
        try {
            url = s.url(endpoint.getPath());
            delivery.start(url, cfg.getMaxQueueSize(), endpoint.getComponent().deliveryExecutor());
            s.acceptPublishers(endpoint.getPath(), this);
            if (cfg.hasCredentials()) {
                s.setCredentials(endpoint.getPath(), cfg.getUsername(), cfg.getPassword());
            }
        } catch (RuntimeException e) {
            endpoint.getComponent().release(s);
            throw e;
        }
        server = s;
        LOG.info("Accepting RTSP publishers on {} (output={}, maxQueueSize={}, credentials={})", url,
                cfg.getOutput(), cfg.getMaxQueueSize(), cfg.hasCredentials() ? "user " + cfg.getUsername() : "none");
    }

    @Override
    protected void doStop() throws Exception {
        RtspServer s = server;
        server = null;
        if (s != null) {
            s.stopAcceptingPublishers(endpoint.getPath());
            // a publisher still recording has nobody to record for: disconnect it, it may come back when we do
            for (ServerStream recording : List.copyOf(publications.keySet())) {
                recording.remove();
            }
            if (endpoint.getConfiguration().hasCredentials()) {
                s.setCredentials(endpoint.getPath(), null, null);
            }
            endpoint.getComponent().release(s);
        }
        publications.clear();
        delivery.stop();
        super.doStop();
    }

    // ---- PublishListener: called on Netty I/O threads, must not block ----

    @Override
    public void onPublishStart(ServerStream stream) {
        Publication p = new Publication(stream, endpoint.getConfiguration().getMaxFrameSize());
        publications.put(stream, p);
        publishers.increment();
        LOG.info("{}: a publisher started recording {} track(s) {}", url, p.tracks.length, List.of(p.tracks));
    }

    @Override
    public void onRtpPacket(ServerStream stream, int track, ByteBuf rtpPacket) {
        Publication p = publications.get(stream);
        if (p == null || !isRunAllowed() || track < 0 || track >= p.tracks.length) {
            delivery.discard();
            return;
        }
        p.onRtpPacket(track, rtpPacket);
    }

    @Override
    public void onPublishStop(ServerStream stream, String reason) {
        Publication p = publications.remove(stream);
        if (p != null) {
            LOG.info("{}: the publisher stopped ({})", url, reason);
        }
    }

    /** The embedded server while the consumer runs, else null. */
    RtspServer server() {
        return server;
    }

    /** The frame assembler of the publication on {@code stream} (output=frame), or null. */
    FrameAssembler frameAssembler(ServerStream stream) {
        Publication p = publications.get(stream);
        return p != null ? p.assembler : null;
    }

    private void countMalformed(RtpFormatException e) {
        malformed.increment();
        long now = System.nanoTime();
        long last = lastMalformedLog.get();
        if (now - last >= MALFORMED_LOG_INTERVAL_NANOS && lastMalformedLog.compareAndSet(last, now)) {
            LOG.warn("{}: dropped a malformed RTP packet from the publisher ({}); {} so far", url, e.getMessage(),
                    malformed.sum());
        }
    }

    /** One publisher recording into the path: its tracks as the rtsp consumer sees them, and its assembler. */
    private final class Publication {
        final MediaTrack[] tracks;
        final FrameAssembler assembler;
        final RtpPacket packet = new RtpPacket();

        Publication(ServerStream stream, int maxFrameSize) {
            List<ServerTrack> announced = stream.tracks();
            tracks = new MediaTrack[announced.size()];
            for (int i = 0; i < tracks.length; i++) {
                tracks[i] = mediaTrack(i, announced.get(i));
            }
            assembler = frameOutput
                    ? new FrameAssembler(new RtspSessionInfo(null, null, List.of(tracks), "", Map.of()), maxFrameSize,
                            this::onFrame)
                    : null;
        }

        /** A frame completed by the assembler (on the I/O thread, under this publication's lock). */
        private void onFrame(TimedFrame frame) {
            MediaTrack track = frame.track();
            Depacketizer d = assembler.depacketizer(track.index());
            delivery.enqueue(new CapturedFrame(frame, null, d != null ? d.codecConfig() : null,
                    track.statistics().packetsLost(), System.nanoTime()));
        }

        /** Packets of one publisher come from one I/O thread at a time; the lock only orders a change of thread. */
        synchronized void onRtpPacket(int index, ByteBuf buf) {
            try {
                packet.wrap(buf);
            } catch (RtpFormatException e) {
                countMalformed(e);
                return;
            }
            MediaTrack track = tracks[index];
            if (!track.statistics().onPacket(packet.sequenceNumber(), packet.timestamp(), packet.ssrc(),
                    System.nanoTime(), packet.payloadLength())) {
                return; // duplicate or stray: counted by the statistics
            }
            if (assembler != null) {
                assembler.onRtpPacket(track, packet);
                return;
            }
            if (delivery.isFull()) {
                delivery.drop();
                return;
            }
            delivery.enqueue(new CapturedPacket(index, track.mediaType(), track.codec(), null, packet.payloadType(),
                    packet.sequenceNumber(), packet.timestamp(), packet.ssrc(), packet.marker(),
                    track.statistics().packetsLost(), packet.copyPayload()));
        }
    }

    /** The track of an announced media section, as the rtsp consumer's tracks look. */
    static MediaTrack mediaTrack(int index, ServerTrack t) {
        String[] rtpmap = t.rtpmap().split("/");
        Integer channels = rtpmap.length > 2 ? Integer.valueOf(rtpmap[2]) : null;
        return new MediaTrack(index, t.mediaType(), rtpmap[0].toUpperCase(Locale.ROOT), t.payloadType(),
                t.clockRate(), channels, t.fmtp(), null, new RtpReceiverStatistics(t.clockRate(), true));
    }

    // ---- counters (JMX) ----

    /** The URL publishers use. */
    @ManagedAttribute(description = "URL publishers record into")
    public String getUrl() {
        return url;
    }

    /** Publishers recording now. */
    @ManagedAttribute(description = "Publishers recording into the path now")
    public int getPublishers() {
        return publications.size();
    }

    /** Publishers that started recording since the consumer started. */
    @ManagedAttribute(description = "Publishers that started recording")
    public long getPublishersStarted() {
        return publishers.sum();
    }

    /** Frames or packets handed to the route. */
    @ManagedAttribute(description = "Frames or packets handed to the route")
    public long getPacketsDelivered() {
        return delivery.delivered();
    }

    /** Frames or packets dropped because the queue was full. */
    @ManagedAttribute(description = "Frames or packets dropped because the queue was full")
    public long getPacketsDropped() {
        return delivery.dropped();
    }

    /** Packets received while stopping or with no publication, not routed. */
    @ManagedAttribute(description = "Packets received while the consumer was stopping, not routed")
    public long getPacketsDiscarded() {
        return delivery.discarded();
    }

    /** Malformed RTP packets dropped. */
    @ManagedAttribute(description = "Malformed RTP packets from publishers, dropped")
    public long getMalformedPackets() {
        return malformed.sum();
    }

    /** Items waiting for the route now. */
    @ManagedAttribute(description = "Frames or packets waiting for the route")
    public int getQueueSize() {
        return delivery.queueSize();
    }

    /** Per-track counters of the current publications, one line per track. */
    List<String> trackStatistics() {
        List<String> lines = new ArrayList<>();
        for (Publication p : publications.values()) {
            for (MediaTrack t : p.tracks) {
                RtpReceiverStatistics st = t.statistics();
                lines.add(t + ": packets received=" + st.packetsReceived() + " lost=" + st.packetsLost()
                          + " duplicated=" + st.packetsDuplicated());
            }
        }
        return lines;
    }
}
