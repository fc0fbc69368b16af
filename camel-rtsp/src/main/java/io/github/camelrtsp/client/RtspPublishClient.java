package io.github.camelrtsp.client;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import io.github.camelrtsp.client.SessionSupport.FallbackToTcpException;
import io.github.camelrtsp.format.Packetizer;
import io.github.camelrtsp.headers.PublicHeader;
import io.github.camelrtsp.headers.TransportHeader;
import io.github.camelrtsp.message.RtspResponse;
import io.github.camelrtsp.publish.FramePacer;
import io.github.camelrtsp.publish.PublishFrame;
import io.github.camelrtsp.publish.PublishTrack;
import io.github.camelrtsp.publish.PublishTracks;
import io.github.camelrtsp.rtp.RtcpWriter;
import io.github.camelrtsp.rtp.SenderReport;
import io.github.camelrtsp.sdp.ControlUrl;
import io.github.camelrtsp.server.SdpWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes media to an RTSP server (RFC 2326 10.3 ANNOUNCE, 10.11 RECORD): OPTIONS, ANNOUNCE with the SDP of the
 * tracks, SETUP of each track with {@code mode=record} (TCP interleaved, or UDP client ports; {@link TransportMode#AUTO}
 * tries UDP and falls back to TCP on 461), RECORD, then RTP packets, RTCP sender reports every 5 s and keep-alive
 * requests.
 * Basic and Digest authentication are answered as for playing. On failure the client reconnects with exponential
 * backoff (the options' reconnect settings) and announces again; video restarts at a key frame after a reconnect.
 * <p>
 * Frames given to {@link #send} go through a {@link FramePacer} (released at their presentation times; a live source
 * is not delayed), then onto the connection's event loop. While connecting after the tracks are known, released frames
 * wait in a bounded queue and go out after RECORD; while waiting to reconnect they are dropped and counted. A slow
 * server never makes the client buffer without bound: when the connection's (or UDP socket's) outbound buffer is above
 * its high water mark, whole frames are dropped and counted, and a video track waits for its next key frame.
 * <p>
 * Thread safe; every callback runs on the event loop.
 */
public final class RtspPublishClient {

    private static final Logger LOG = LoggerFactory.getLogger(RtspPublishClient.class);
    private static final long RTCP_INTERVAL_MS = 5000;
    private static final String SESSION_NAME = "camel-rtsp";

    /** Hears the client's state changes (on the event loop). */
    @FunctionalInterface
    public interface Listener {
        /**
         * The client changed state: {@link ClientState#PLAYING} means RECORD was answered and media is being sent;
         * {@code cause} may be null.
         */
        void onStateChanged(ClientState state, String reason, Throwable cause);
    }

    /** A frame on its way, with what to call when it is done (sent, queued, dropped or rejected). */
    private record Outgoing(PublishFrame frame, Consumer<Throwable> done) {
    }

    private final RtspClientOptions options;
    private final EventLoop loop;
    private final PublishTracks tracks;
    private final Listener listener;
    private final String displayUrl;
    private final String cname = "camel-rtsp-" + Long.toHexString(ThreadLocalRandom.current().nextLong(1, 1L << 48));
    private final long sdpSessionId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    private final FramePacer<Outgoing> pacer;
    private final int maxWaitingFrames;
    private final int writeBufferHighWaterMark;

    /** Outgoing tracks in SDP order, and the SDP index of each source track index. */
    private final PublishTrack[] sendTracks;
    private final Map<Integer, Integer> sdpIndexBySource = new HashMap<>();

    private final LongAdder framesSent = new LongAdder();
    private final LongAdder framesDropped = new LongAdder();
    private final LongAdder framesRejected = new LongAdder();

    private volatile ClientState state = ClientState.IDLE;
    private volatile String stateReason = "not started";
    private volatile long reconnects;
    private volatile boolean useTcp;

    // on the loop
    private boolean stopping;
    private int generation;
    private int failedAttempts;
    private RtspConnection conn;
    private String aggregateUrl;
    private Set<String> serverMethods = Set.of();
    private int sessionTimeoutSeconds = 60;
    private int[] rtpChannel;
    private int[] rtcpChannel;
    private UdpMediaChannels[] udp;
    private Packetizer.PacketSink[] sinks;
    private boolean[] needKey;
    private final ArrayDeque<Outgoing> waiting = new ArrayDeque<>();
    private ScheduledFuture<?> keepAlive;
    private ScheduledFuture<?> senderReports;
    private ScheduledFuture<?> retry;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    /**
     * @param options                  the server URL (rtsp or rtsps, credentials in the options or the URL), the
     *                                 transport, timeouts, reconnect settings and UDP port range
     * @param group                    where the client's event loop comes from
     * @param tracks                   the tracks to announce; must be {@link PublishTracks#ready() ready}
     * @param maxQueuedFrames          most frames waiting in the pacer, and most frames waiting for RECORD
     * @param writeBufferHighWaterMark outbound bytes above which frames are dropped (the low water mark is half)
     * @param listener                 hears state changes; may be null
     * @throws IllegalArgumentException if the tracks are not ready, the URL is malformed or a size is not positive
     */
    public RtspPublishClient(RtspClientOptions options, EventLoopGroup group, PublishTracks tracks,
                             int maxQueuedFrames, int writeBufferHighWaterMark, Listener listener) {
        this.options = Objects.requireNonNull(options, "options");
        this.tracks = Objects.requireNonNull(tracks, "tracks");
        if (!tracks.ready() || tracks.tracks().isEmpty()) {
            throw new IllegalArgumentException("the tracks to publish are not known yet");
        }
        if (maxQueuedFrames <= 0 || writeBufferHighWaterMark <= 0) {
            throw new IllegalArgumentException("queue size and write buffer high water mark must be positive");
        }
        RtspUrls.host(options.url()); // fail fast on a malformed URL
        this.loop = group.next();
        this.listener = listener;
        this.displayUrl = RtspUrls.sanitize(options.url());
        this.useTcp = options.transport() == TransportMode.TCP;
        this.maxWaitingFrames = maxQueuedFrames;
        this.writeBufferHighWaterMark = writeBufferHighWaterMark;
        this.sendTracks = tracks.tracks().values().toArray(new PublishTrack[0]);
        int i = 0;
        for (Integer source : tracks.tracks().keySet()) {
            sdpIndexBySource.put(source, i++);
        }
        this.pacer = new FramePacer<>(loop, maxQueuedFrames, this::release, this::dropped);
    }

    /** Starts connecting; returns at once. */
    public void start() {
        loop.execute(() -> {
            if (state == ClientState.IDLE) {
                connect();
            }
        });
    }

    /**
     * Queues a frame for publishing. Thread safe, never blocks.
     *
     * @param frame a frame of one of the announced tracks
     * @param done  called once, on the event loop or the calling thread, when the frame was sent, is waiting for
     *              RECORD, or was dropped (all with null), or was rejected as not in its format's layout (with the
     *              exception); may be null
     * @return false when the frame was dropped at once (pacer queue full, client stopped or failed)
     */
    public boolean send(PublishFrame frame, Consumer<Throwable> done) {
        Objects.requireNonNull(frame, "frame");
        Consumer<Throwable> callback = done != null ? done : e -> { };
        ClientState s = state;
        if (s == ClientState.STOPPED || s == ClientState.FAILED) {
            framesDropped.increment();
            callback.accept(null);
            return false;
        }
        return pacer.offer(frame.presentationMicros(), new Outgoing(frame, callback));
    }

    /** Sends TEARDOWN (bounded by the request timeout) and closes; completes when closed. */
    public CompletableFuture<Void> stop() {
        try {
            loop.execute(this::doStop);
        } catch (RejectedExecutionException e) {
            // the event loop is gone, and its channels with it
            state = ClientState.STOPPED;
            stateReason = "stopped (event loop shut down)";
            pacer.close();
            stopped.complete(null);
        }
        return stopped;
    }

    /** The client's state; {@link ClientState#PLAYING} while recording. */
    public ClientState state() {
        return state;
    }

    /** Why the client is in its state; never contains credentials. */
    public String stateReason() {
        return stateReason;
    }

    /** The URL with any credentials removed. */
    public String sanitizedUrl() {
        return displayUrl;
    }

    /** The transport of the current or last session. */
    public TransportMode activeTransport() {
        return useTcp ? TransportMode.TCP : TransportMode.UDP;
    }

    /** Number of reconnects since start. */
    public long reconnects() {
        return reconnects;
    }

    /** Frames whose packets were written. */
    public long framesSent() {
        return framesSent.sum();
    }

    /**
     * Frames dropped: pacer queue full, not connected, outbound buffer above its high water mark, video waiting for
     * a key frame, or unknown track.
     */
    public long framesDropped() {
        return framesDropped.sum();
    }

    /** Frames rejected because they were not in their format's layout. */
    public long framesRejected() {
        return framesRejected.sum();
    }

    /** Frames waiting in the pacer. */
    public int framesQueued() {
        return pacer.queued();
    }

    // ---- frames (on the loop) ------------------------------------------------------------------------------------

    private void dropped(Outgoing o) {
        framesDropped.increment();
        o.done.accept(null);
    }

    /** A frame the pacer released. */
    private void release(Outgoing o) {
        if (state == ClientState.PLAYING && conn != null) {
            write(o);
        } else if (state == ClientState.CONNECTING && !stopping) {
            if (waiting.size() >= maxWaitingFrames) {
                dropped(waiting.pollFirst());
            }
            waiting.addLast(o);
        } else {
            dropped(o);
        }
    }

    private void write(Outgoing o) {
        PublishFrame f = o.frame;
        Integer index = sdpIndexBySource.get(f.track());
        if (index == null) {
            dropped(o);
            return;
        }
        int i = index;
        PublishTrack track = sendTracks[i];
        boolean video = track.format().isVideo();
        if (video && needKey[i] && !f.keyFrame()) {
            dropped(o);
            return;
        }
        boolean writable = useTcp ? conn.isWritable() : udp[i] != null && udp[i].rtpWritable();
        if (!writable) {
            if (video) {
                needKey[i] = true;
            }
            dropped(o);
            return;
        }
        try {
            track.send(f.data(), f.presentationMicros(), f.keyFrame(), f.discontinuity(), f.sampleCount(), sinks[i]);
        } catch (IllegalArgumentException e) {
            framesRejected.increment();
            o.done.accept(e);
            return;
        }
        needKey[i] = false;
        if (useTcp) {
            conn.flush();
        } else {
            udp[i].flushRtp();
        }
        framesSent.increment();
        o.done.accept(null);
    }

    // ---- connection cycle (on the loop) -------------------------------------------------------------------------

    private void setState(ClientState newState, String reason, Throwable cause) {
        ClientState old = state;
        state = newState;
        stateReason = reason;
        if (listener != null && (old != newState || cause != null)) {
            try {
                listener.onStateChanged(newState, reason, cause);
            } catch (RuntimeException e) {
                LOG.warn("State listener failed: {}", e.toString());
            }
        }
    }

    private void connect() {
        if (stopping) {
            return;
        }
        int gen = ++generation;
        setState(ClientState.CONNECTING, "connecting to " + displayUrl + " to publish over "
                                         + (useTcp ? "TCP" : "UDP"), null);
        RtspConnection.connect(loop, options, options.url(), new RtspConnection.Listener() {
            @Override
            public void onInterleaved(int channel, ByteBuf payload) {
                // RTCP receiver reports of the server: not used
            }

            @Override
            public void onClosed(Throwable cause) {
                if (gen == generation && !stopping) {
                    fail(cause != null ? cause : new RtspClientException("connection closed"));
                }
            }
        }).thenComposeAsync(c -> {
            if (gen != generation || stopping) {
                c.close();
                throw new CompletionException(new RtspClientException("superseded"));
            }
            conn = c;
            c.channel().config().setWriteBufferWaterMark(
                    new WriteBufferWaterMark(writeBufferHighWaterMark / 2, writeBufferHighWaterMark));
            return negotiate(c, gen);
        }, loop).whenCompleteAsync((ok, error) -> {
            if (gen != generation || stopping) {
                return;
            }
            if (error != null) {
                fail(SessionSupport.unwrap(error));
            }
        }, loop);
    }

    private CompletableFuture<Void> negotiate(RtspConnection c, int gen) {
        String url = options.url();
        return c.request("OPTIONS", url, null).thenComposeAsync(resp -> {
            serverMethods = resp.isSuccess() && resp.headers().get("Public") != null
                    ? PublicHeader.parse(resp.headers().get("Public")) : Set.of();
            InetAddress local = ((java.net.InetSocketAddress) c.channel().localAddress()).getAddress();
            String sdp = SdpWriter.write(tracks.serverTracks(), sdpSessionId, local, SESSION_NAME);
            LOG.debug("ANNOUNCE {} with SDP:\n{}", displayUrl, sdp);
            return c.request("ANNOUNCE", url, h -> h.set("Content-Type", "application/sdp"),
                             sdp.getBytes(StandardCharsets.UTF_8));
        }, loop).thenComposeAsync(resp -> {
            SessionSupport.check("ANNOUNCE", url, resp);
            aggregateUrl = ControlUrl.aggregateUrl(url, "*");
            int n = sendTracks.length;
            rtpChannel = new int[n];
            rtcpChannel = new int[n];
            udp = new UdpMediaChannels[n];
            sinks = new Packetizer.PacketSink[n];
            needKey = new boolean[n];
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            for (int i = 0; i < n; i++) {
                int index = i;
                needKey[i] = true;
                chain = chain.thenComposeAsync(v -> setup(c, index), loop);
            }
            return chain;
        }, loop).thenComposeAsync(v -> c.request("RECORD", aggregateUrl, h -> h.set("Range", "npt=0.000-")), loop)
                .thenAcceptAsync(resp -> {
                    SessionSupport.check("RECORD", aggregateUrl, resp);
                    if (gen != generation || stopping) {
                        return;
                    }
                    failedAttempts = 0;
                    setState(ClientState.PLAYING, "recording to " + displayUrl + " over " + (useTcp ? "TCP" : "UDP")
                            + " (" + sendTracks.length + " track" + (sendTracks.length == 1 ? "" : "s") + ")", null);
                    LOG.info("Publishing to {} over {}: {}", displayUrl, useTcp ? "TCP" : "UDP",
                             List.of(sendTracks));
                    startTimers(c, gen);
                    Outgoing o;
                    while ((o = waiting.pollFirst()) != null) {
                        write(o);
                    }
                }, loop);
    }

    private CompletableFuture<Void> setup(RtspConnection c, int index) {
        String control = ControlUrl.resolve(options.url(), "*", "trackID=" + index);
        if (useTcp) {
            String transport = TransportHeader.tcpInterleaved(2 * index).with("mode", "record").format();
            return c.request("SETUP", control, h -> h.set("Transport", transport))
                    .thenAcceptAsync(resp -> onSetupResponse(c, index, control, resp), loop);
        }
        return UdpMediaChannels.bindForSending(loop, sendTracks[index], options.udpPortMin(), options.udpPortMax())
                .thenComposeAsync(u -> {
                    udp[index] = u;
                    String transport = TransportHeader.udpUnicast(u.rtpPort()).with("mode", "record").format();
                    return c.request("SETUP", control, h -> h.set("Transport", transport))
                            .thenAcceptAsync(resp -> onSetupResponse(c, index, control, resp), loop);
                }, loop);
    }

    private void onSetupResponse(RtspConnection c, int index, String control, RtspResponse resp) {
        if (resp.statusCode() == 461 && options.transport() == TransportMode.AUTO && !useTcp) {
            throw new CompletionException(new FallbackToTcpException("server does not take UDP (461)"));
        }
        SessionSupport.check("SETUP", control, resp);
        sessionTimeoutSeconds = SessionSupport.adoptSession(c, resp, sessionTimeoutSeconds);
        String transportValue = resp.headers().get("Transport");
        TransportHeader th = transportValue == null ? null : TransportHeader.parse(transportValue);
        if (useTcp) {
            if (th != null && !th.tcp()) {
                throw new RtspClientException("SETUP " + RtspUrls.sanitize(control) + ": asked for TCP interleaved,"
                        + " the server answered with transport '" + transportValue + "'");
            }
            int[] ch = th != null && th.interleaved() != null ? th.interleaved()
                    : new int[] {2 * index, 2 * index + 1};
            rtpChannel[index] = ch[0] & 0xFF;
            rtcpChannel[index] = (ch.length > 1 ? ch[1] : ch[0] + 1) & 0xFF;
            int rtp = rtpChannel[index];
            sinks[index] = buf -> c.writeInterleaved(rtp, buf);
        } else {
            if (th != null && th.tcp()) {
                throw new RtspClientException("SETUP " + RtspUrls.sanitize(control) + ": asked for UDP, the server"
                        + " answered with TCP transport '" + transportValue + "'");
            }
            UdpMediaChannels u = udp[index];
            u.server(c.remoteAddress().getAddress(), th == null ? null : th.serverPort());
            if (!u.canSendRtp()) {
                throw new RtspClientException("SETUP " + RtspUrls.sanitize(control) + ": the server gave no"
                        + " server_port to send RTP to (transport '" + transportValue + "')");
            }
            sinks[index] = u::writeRtp;
        }
    }

    private void startTimers(RtspConnection c, int gen) {
        long keepAliveMs = SessionSupport.keepAliveMillis(sessionTimeoutSeconds);
        keepAlive = loop.scheduleAtFixedRate(() -> sendKeepAlive(c, gen), keepAliveMs, keepAliveMs,
                TimeUnit.MILLISECONDS);
        senderReports = loop.scheduleAtFixedRate(() -> sendSenderReports(gen), RTCP_INTERVAL_MS / 5,
                RTCP_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    private void sendKeepAlive(RtspConnection c, int gen) {
        if (gen != generation || stopping) {
            return;
        }
        String method = SessionSupport.keepAliveMethod(serverMethods);
        String url = "OPTIONS".equals(method) ? options.url() : aggregateUrl;
        c.request(method, url, null).whenCompleteAsync((resp, error) -> {
            if (gen != generation || stopping) {
                return;
            }
            SessionSupport.onKeepAliveAnswer(method, displayUrl, resp, error, this::fail, LOG);
        }, loop);
    }

    private void sendSenderReports(int gen) {
        if (gen != generation || stopping || conn == null) {
            return;
        }
        long ntp = SenderReport.instantToNtp(java.time.Instant.now());
        long nanos = System.nanoTime();
        for (int i = 0; i < sendTracks.length; i++) {
            SenderReport sr = sendTracks[i].senderReport(ntp, nanos);
            if (sr == null) {
                continue;
            }
            ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(128);
            RtcpWriter.writeSenderReport(buf, sr);
            RtcpWriter.writeSdesCname(buf, sr.ssrc(), cname);
            if (useTcp) {
                conn.sendInterleaved(rtcpChannel[i], buf);
            } else if (udp[i] != null) {
                udp[i].sendRtcp(buf);
            } else {
                buf.release();
            }
        }
    }

    private void fail(Throwable cause) {
        if (stopping) {
            return;
        }
        generation++;
        closeSession();
        if (cause instanceof FallbackToTcpException && !useTcp) {
            useTcp = true;
            LOG.warn("{}: {}; switching to TCP", displayUrl, cause.getMessage());
            connect();
            return;
        }
        failedAttempts++;
        String reason = SessionSupport.describeFailure(cause);
        int max = options.maxReconnectAttempts();
        if (max >= 0 && failedAttempts > max) {
            setState(ClientState.FAILED, SessionSupport.gaveUpReason(reason, failedAttempts), cause);
            LOG.error("{}: {}; giving up publishing", displayUrl, stateReason);
            pacer.close();
            stopped.complete(null);
            return;
        }
        long delay = SessionSupport.backoff(options, failedAttempts);
        setState(ClientState.RECONNECTING, reason + "; reconnecting in " + delay + " ms", cause);
        LOG.warn("{}: {}; publish reconnect attempt {} in {} ms", displayUrl, reason, failedAttempts, delay);
        LOG.debug("Cause of the failure of {}", displayUrl, cause);
        reconnects++;
        try {
            retry = loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            setState(ClientState.FAILED, reason + " (event loop shut down)", cause);
            pacer.close();
            stopped.complete(null);
        }
    }

    private void cancelTimers() {
        if (keepAlive != null) {
            keepAlive.cancel(false);
            keepAlive = null;
        }
        if (senderReports != null) {
            senderReports.cancel(false);
            senderReports = null;
        }
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    /** Closes the connection and the UDP channels; frames waiting for RECORD are dropped. */
    private void closeSession() {
        cancelTimers();
        RtspConnection c = conn;
        conn = null;
        if (c != null) {
            c.close();
        }
        if (udp != null) {
            for (UdpMediaChannels u : udp) {
                if (u != null) {
                    u.close();
                }
            }
            udp = null;
        }
        Outgoing o;
        while ((o = waiting.pollFirst()) != null) {
            dropped(o);
        }
    }

    private void doStop() {
        if (stopping) {
            return;
        }
        stopping = true;
        generation++;
        cancelTimers();
        pacer.close();
        RtspConnection c = conn;
        if (c != null && c.isActive() && c.session() != null && aggregateUrl != null) {
            c.request("TEARDOWN", aggregateUrl, null).whenCompleteAsync((resp, error) -> finishStop(), loop);
        } else {
            finishStop();
        }
    }

    private void finishStop() {
        closeSession();
        setState(ClientState.STOPPED, "stopped", null);
        stopped.complete(null);
    }
}
