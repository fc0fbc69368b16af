package io.github.camelrtsp.client;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.github.camelrtsp.client.SessionSupport.FallbackToTcpException;
import io.github.camelrtsp.headers.PublicHeader;
import io.github.camelrtsp.headers.RtpInfoHeader;
import io.github.camelrtsp.headers.TransportHeader;
import io.github.camelrtsp.message.RtspResponse;
import io.github.camelrtsp.rtp.RtcpWriter;
import io.github.camelrtsp.rtp.ReportBlock;
import io.github.camelrtsp.rtp.RtpReceiverStatistics;
import io.github.camelrtsp.sdp.ControlUrl;
import io.github.camelrtsp.sdp.MediaDescription;
import io.github.camelrtsp.sdp.RtpMap;
import io.github.camelrtsp.sdp.SessionDescription;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays one RTSP URL: OPTIONS, DESCRIBE, SETUP, PLAY, keep-alive, RTCP receiver reports, TEARDOWN, and reconnects
 * with exponential backoff. Thread safe; all of its network work runs on one event loop of the given group.
 */
public final class RtspStreamClient {

    private static final Logger LOG = LoggerFactory.getLogger(RtspStreamClient.class);
    private static final long RTCP_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long WATCHDOG_PERIOD_MS = 250;
    private static final int MAX_REDIRECTS = 3;

    private final RtspClientOptions options;
    private final EventLoop loop;
    private final RtspMediaListener listener;
    private final String displayUrl;
    private final long reporterSsrc = ThreadLocalRandom.current().nextLong(1, 0xFFFFFFFFL);
    private final String cname = "camel-rtsp-" + Long.toHexString(reporterSsrc);

    private volatile ClientState state = ClientState.IDLE;
    private volatile String stateReason = "not started";
    private volatile RtspSessionInfo session;
    private volatile long reconnects;
    private volatile boolean readingPaused;
    private volatile boolean paused;

    // fields below are only touched on the loop
    private String currentUrl;
    private boolean useTcp;
    private boolean stopping;
    private int failedAttempts;
    private int redirectsFollowed;
    private int generation;
    private RtspConnection conn;
    private List<TrackReceiver> receivers = List.of();
    private TrackReceiver[] byChannel = new TrackReceiver[256];
    private Set<String> serverMethods = Set.of();
    private String aggregateUrl;
    private int sessionTimeoutSeconds = 60;
    private long lastMediaNanos;
    private long playStartedNanos;
    private boolean anyMedia;
    private ScheduledFuture<?> watchdog;
    private ScheduledFuture<?> keepAlive;
    private ScheduledFuture<?> retry;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    public RtspStreamClient(RtspClientOptions options, EventLoopGroup group, RtspMediaListener listener) {
        this.options = options;
        this.loop = group.next();
        this.listener = listener;
        this.displayUrl = RtspUrls.sanitize(options.url());
        this.currentUrl = options.url();
        this.useTcp = options.transport() == TransportMode.TCP;
        RtspUrls.host(options.url()); // fail fast on a malformed URL
    }

    /** Starts connecting; returns at once. */
    public void start() {
        loop.execute(() -> {
            if (state == ClientState.IDLE) {
                connect();
            }
        });
    }

    /** Sends TEARDOWN (bounded by the request timeout) and closes; completes when closed. */
    public CompletableFuture<Void> stop() {
        loop.execute(this::doStop);
        return stopped;
    }

    public ClientState state() {
        return state;
    }

    /** Why the client is in its state (for health checks and logs); never contains credentials. */
    public String stateReason() {
        return stateReason;
    }

    /** The URL with any credentials removed. */
    public String sanitizedUrl() {
        return displayUrl;
    }

    /** Stops reading from the TCP connection (backpressure); a no-op for UDP media. Thread safe. */
    public void pauseReading() {
        if (!readingPaused) {
            readingPaused = true;
            loop.execute(() -> {
                if (conn != null && useTcp && readingPaused) {
                    conn.autoRead(false);
                }
            });
        }
    }

    /** Resumes reading after {@link #pauseReading()}. Thread safe. */
    public void resumeReading() {
        if (readingPaused) {
            readingPaused = false;
            loop.execute(() -> {
                lastMediaNanos = System.nanoTime();
                if (conn != null && !readingPaused) {
                    conn.autoRead(true);
                }
            });
        }
    }

    /** Number of reconnects since start. */
    public long reconnects() {
        return reconnects;
    }

    /** The session in play, or null. */
    public RtspSessionInfo session() {
        return session;
    }

    /** The transport in use by the current or last session. */
    public TransportMode activeTransport() {
        return useTcp ? TransportMode.TCP : TransportMode.UDP;
    }

    // ---- connection cycle (on the loop) -------------------------------------------------------------------------

    private void setState(ClientState newState, String reason, Throwable cause) {
        ClientState old = state;
        state = newState;
        stateReason = reason;
        if (old != newState || cause != null) {
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
        setState(ClientState.CONNECTING, "connecting to " + RtspUrls.sanitize(currentUrl)
                + " over " + (useTcp ? "TCP" : "UDP"), null);
        RtspConnection.connect(loop, options, currentUrl, new RtspConnection.Listener() {
            @Override
            public void onInterleaved(int channel, ByteBuf payload) {
                if (gen == generation) {
                    onInterleavedFrame(channel, payload);
                }
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
        return c.request("OPTIONS", currentUrl, null).thenComposeAsync(resp -> {
            // OPTIONS is informative: some cameras answer it badly, only a closed connection is fatal
            if (resp.isSuccess() && resp.headers().get("Public") != null) {
                serverMethods = PublicHeader.parse(resp.headers().get("Public"));
            } else {
                serverMethods = Set.of();
            }
            return describe(c, currentUrl, 0);
        }, loop).thenComposeAsync(resp -> setupAll(c, resp, gen), loop)
                .thenComposeAsync(v -> play(c, gen), loop);
    }

    /** A DESCRIBE answer and the URL it answered (after same-server redirects). */
    private record Described(RtspResponse response, String url) {
    }

    private CompletableFuture<Described> describe(RtspConnection c, String url, int redirects) {
        return c.request("DESCRIBE", url, h -> h.set("Accept", "application/sdp")).thenComposeAsync(resp -> {
            int sc = resp.statusCode();
            if ((sc == 301 || sc == 302 || sc == 303 || sc == 307) && resp.headers().get("Location") != null
                    && redirects < MAX_REDIRECTS) {
                String location = resp.headers().get("Location");
                LOG.info("{} redirects to {}", displayUrl, RtspUrls.sanitize(location));
                if (!sameServer(location, url)) {
                    currentUrl = location;
                    throw new CompletionException(new RedirectException(location));
                }
                return describe(c, location, redirects + 1);
            }
            SessionSupport.check("DESCRIBE", url, resp);
            return CompletableFuture.completedFuture(new Described(resp, url));
        }, loop);
    }

    private static boolean sameServer(String a, String b) {
        return RtspUrls.host(a).equalsIgnoreCase(RtspUrls.host(b)) && RtspUrls.port(a) == RtspUrls.port(b)
                && RtspUrls.isTls(a) == RtspUrls.isTls(b);
    }

    private CompletableFuture<Void> setupAll(RtspConnection c, Described described, int gen) {
        RtspResponse describe = described.response();
        String requestUrl = described.url();
        String sdpText = describe.bodyAsString();
        SessionDescription sdp;
        try {
            sdp = SessionDescription.parse(sdpText);
        } catch (IllegalArgumentException e) {
            throw new RtspClientException("DESCRIBE " + displayUrl + " returned an unusable SDP: " + e.getMessage(),
                    e);
        }
        String base = ControlUrl.baseUrl(describe.headers().get("Content-Base"),
                describe.headers().get("Content-Location"), requestUrl);
        aggregateUrl = ControlUrl.aggregateUrl(base, sdp.control());
        List<TrackReceiver> selected = new ArrayList<>();
        List<String> available = new ArrayList<>();
        List<MediaDescription> media = sdp.media();
        for (int i = 0; i < media.size(); i++) {
            MediaDescription md = media.get(i);
            available.add(md.mediaType());
            if (!selects(md.mediaType())) {
                continue;
            }
            RtpMap map = md.rtpMap();
            int pt = md.payloadType();
            if (pt < 0) {
                LOG.info("{}: skipping media {} ({}): no RTP payload type", displayUrl, i, md.mediaType());
                continue;
            }
            String codec = map != null ? map.codec() : "PT" + pt;
            int clockRate = map != null && map.clockRate() > 0 ? map.clockRate()
                    : "audio".equals(md.mediaType()) ? 8000 : 90000;
            Map<String, String> fmtp = formatParameters(md);
            String control = ControlUrl.resolve(base, sdp.control(), md.control());
            // the source was negotiated by SETUP and UDP from other hosts is filtered: no probation needed
            RtpReceiverStatistics stats = new RtpReceiverStatistics(clockRate, true);
            MediaTrack track = new MediaTrack(i, md.mediaType(), codec, pt, clockRate,
                    map != null ? map.channels() : null, fmtp, control, stats);
            selected.add(new TrackReceiver(track, listener));
        }
        if (selected.isEmpty()) {
            throw new RtspClientException("no media of type " + String.join(",", options.media()) + " in the SDP of "
                    + displayUrl + " (it offers: " + String.join(",", available) + ")");
        }
        receivers = List.copyOf(selected);
        byChannel = new TrackReceiver[256];
        session = new RtspSessionInfo(null, activeTransport(), tracksOf(receivers), sdpText, Map.of());
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int i = 0; i < receivers.size(); i++) {
            TrackReceiver r = receivers.get(i);
            int index = i;
            chain = chain.thenComposeAsync(v -> setup(c, r, index), loop);
        }
        return chain;
    }

    /**
     * The fmtp parameters of a media, plus the media-level {@code x-dimensions} attribute (width,height) when the
     * fmtp does not have it: RFC 2435 cannot carry JPEG sizes above 2040 pixels, and senders announce them there.
     */
    static Map<String, String> formatParameters(MediaDescription md) {
        Map<String, String> fmtp = md.formatParameters();
        String dimensions = md.attribute("x-dimensions");
        if (dimensions == null || fmtp.containsKey("x-dimensions")) {
            return fmtp;
        }
        java.util.TreeMap<String, String> merged = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        merged.putAll(fmtp);
        merged.put("x-dimensions", dimensions.replace(" ", ""));
        return java.util.Collections.unmodifiableMap(merged);
    }

    private static List<MediaTrack> tracksOf(List<TrackReceiver> receivers) {
        List<MediaTrack> tracks = new ArrayList<>(receivers.size());
        for (TrackReceiver r : receivers) {
            tracks.add(r.track);
        }
        return List.copyOf(tracks);
    }

    private boolean selects(String mediaType) {
        Set<String> m = options.media();
        return m.contains("all") || m.contains(mediaType.toLowerCase(Locale.ROOT));
    }

    private CompletableFuture<Void> setup(RtspConnection c, TrackReceiver r, int index) {
        if (useTcp) {
            String transport = TransportHeader.tcpInterleaved(2 * index).format();
            return c.request("SETUP", r.track.controlUrl(), h -> h.set("Transport", transport))
                    .thenComposeAsync(resp -> onSetupResponse(c, r, resp, -1), loop);
        }
        r.enableReordering(loop, options.reorderPackets(), options.reorderDelay());
        return UdpMediaChannels.bind(loop, r, this, options.udpPortMin(), options.udpPortMax())
                .thenComposeAsync(u -> {
                    r.udp = u;
                    String transport = TransportHeader.udpUnicast(u.rtpPort()).format();
                    return c.request("SETUP", r.track.controlUrl(), h -> h.set("Transport", transport))
                            .thenComposeAsync(resp -> onSetupResponse(c, r, resp, u.rtpPort()), loop);
                }, loop);
    }

    private CompletableFuture<Void> onSetupResponse(RtspConnection c, TrackReceiver r, RtspResponse resp,
                                                    int rtpPort) {
        if (resp.statusCode() == 461 && options.transport() == TransportMode.AUTO && !useTcp) {
            throw new CompletionException(new FallbackToTcpException("server does not support UDP (461)"));
        }
        SessionSupport.check("SETUP", r.track.controlUrl(), resp);
        sessionTimeoutSeconds = SessionSupport.adoptSession(c, resp, sessionTimeoutSeconds);
        String transportValue = resp.headers().get("Transport");
        TransportHeader th = transportValue == null ? null : TransportHeader.parse(transportValue);
        if (useTcp) {
            int[] ch = th != null && th.interleaved() != null ? th.interleaved()
                    : new int[] {2 * receivers.indexOf(r), 2 * receivers.indexOf(r) + 1};
            if (th != null && !th.tcp()) {
                throw new RtspClientException("SETUP " + RtspUrls.sanitize(r.track.controlUrl())
                        + ": asked for TCP interleaved, the server answered with UDP transport '" + transportValue
                        + "'");
            }
            r.rtpChannel = ch[0] & 0xFF;
            r.rtcpChannel = (ch.length > 1 ? ch[1] : ch[0] + 1) & 0xFF;
            byChannel[r.rtpChannel] = r;
            byChannel[r.rtcpChannel] = r;
        } else {
            if (th != null && th.tcp()) {
                throw new RtspClientException("SETUP " + RtspUrls.sanitize(r.track.controlUrl())
                        + ": asked for UDP, the server answered with TCP transport '" + transportValue + "'");
            }
            InetAddress server = c.remoteAddress().getAddress();
            int[] serverPorts = th == null ? null : th.serverPort();
            if (th != null && th.clientPort() != null && th.clientPort()[0] != rtpPort) {
                // the server ignored our client_port and will send elsewhere: listen where it says it sends
                int wanted = th.clientPort()[0];
                LOG.info("{}: server chose client_port {} instead of {}; moving the UDP receiver there", r.track,
                        wanted, rtpPort);
                r.udp.close();
                return UdpMediaChannels.bind(loop, r, this, wanted, wanted).handleAsync((u, error) -> {
                    if (error != null) {
                        throw new RtspClientException("SETUP " + RtspUrls.sanitize(r.track.controlUrl())
                                + ": the server sends RTP to local port " + wanted + " which cannot be bound: "
                                + SessionSupport.unwrap(error).getMessage());
                    }
                    r.udp = u;
                    u.server(server, serverPorts);
                    return null;
                }, loop);
            }
            r.udp.server(server, serverPorts);
        }
        return CompletableFuture.completedFuture(null);
    }

    private CompletableFuture<Void> play(RtspConnection c, int gen) {
        // not async: the PLAY answer is handled on the loop before the media that follows it in the same read
        String range = options.playRange() != null ? options.playRange() : "npt=0.000-";
        return c.request("PLAY", aggregateUrl, h -> playHeaders(h, range, options.scale(), options.speed()))
                .thenAccept(resp -> {
            SessionSupport.check("PLAY", aggregateUrl, resp);
            if (gen != generation || stopping) {
                return;
            }
            paused = false;
            failedAttempts = 0;
            redirectsFollowed = 0;
            long now = System.nanoTime();
            lastMediaNanos = now;
            playStartedNanos = now;
            anyMedia = false;
            session = new RtspSessionInfo(c.session(), activeTransport(), tracksOf(receivers),
                    session.sdp(), matchRtpInfo(resp.headers().get("RTP-Info"), receivers));
            if (readingPaused && useTcp) {
                c.autoRead(false);
            }
            setState(ClientState.PLAYING, "playing " + displayUrl + " over " + (useTcp ? "TCP" : "UDP")
                    + " (" + receivers.size() + " track" + (receivers.size() == 1 ? "" : "s") + ")", null);
            LOG.info("Playing {} over {}: {}", displayUrl, useTcp ? "TCP" : "UDP", session.tracks());
            try {
                listener.onPlaying(session);
            } catch (RuntimeException e) {
                LOG.warn("onPlaying listener failed: {}", e.toString());
            }
            for (TrackReceiver r : receivers) {
                r.active = true;
            }
            startTimers(c, gen);
        });
    }

    private static void playHeaders(io.github.camelrtsp.message.RtspHeaders h, String range, String scale,
                                    String speed) {
        if (range != null) {
            h.set("Range", range);
        }
        if (scale != null) {
            h.set("Scale", scale);
        }
        if (speed != null) {
            h.set("Speed", speed);
        }
    }

    /**
     * Sends PAUSE for the session in play; completes with the answer whatever its status (on the event loop). While
     * paused the receive timeout does not apply and the keep-alive goes on. Fails when no session is playing.
     */
    public CompletableFuture<RtspResponse> pause() {
        CompletableFuture<RtspResponse> result = new CompletableFuture<>();
        loop.execute(() -> {
            RtspConnection c = conn;
            if (c == null || state != ClientState.PLAYING || aggregateUrl == null) {
                result.completeExceptionally(new RtspClientException("cannot PAUSE " + displayUrl
                        + ": no session is playing (" + stateReason + ")"));
                return;
            }
            int gen = generation;
            c.request("PAUSE", aggregateUrl, null).whenComplete((resp, error) -> {
                if (error == null && resp.isSuccess() && gen == generation) {
                    paused = true;
                    LOG.info("{}: paused (session {})", displayUrl, c.session());
                }
                complete(result, resp, error);
            });
        });
        return result;
    }

    /**
     * Sends PLAY on the session in play, to resume after {@link #pause()} or to seek ({@code range}); a null
     * argument leaves its header out. On success the listener hears
     * {@link RtspMediaListener#onReplaying(RtspSessionInfo)} before the media that follows. Completes with the
     * answer whatever its status; fails when no session is playing.
     */
    public CompletableFuture<RtspResponse> play(String range, String scale, String speed) {
        CompletableFuture<RtspResponse> result = new CompletableFuture<>();
        loop.execute(() -> {
            RtspConnection c = conn;
            if (c == null || state != ClientState.PLAYING || aggregateUrl == null) {
                result.completeExceptionally(new RtspClientException("cannot PLAY " + displayUrl
                        + ": no session is playing (" + stateReason + ")"));
                return;
            }
            int gen = generation;
            sendPlay(c, gen, range, scale, speed).whenComplete((resp, error) -> {
                if (error == null && resp.statusCode() == 455 && range != null && !paused && gen == generation) {
                    // a server that only seeks a paused session (RFC 2326 allows both): PAUSE, then PLAY again
                    LOG.debug("{}: PLAY with Range while playing answered 455; pausing first", displayUrl);
                    c.request("PAUSE", aggregateUrl, null).whenComplete((p, perr) -> {
                        if (perr != null || !p.isSuccess()) {
                            complete(result, resp, null);
                        } else {
                            sendPlay(c, gen, range, scale, speed)
                                    .whenComplete((again, aerr) -> complete(result, again, aerr));
                        }
                    });
                    return;
                }
                complete(result, resp, error);
            });
        });
        return result;
    }

    /** Sends PLAY on the loop; on success updates the session and tells the listener before the media follows. */
    private CompletableFuture<RtspResponse> sendPlay(RtspConnection c, int gen, String range, String scale,
                                                     String speed) {
        // not async: the answer is handled on the loop before the media that follows it in the same read
        return c.request("PLAY", aggregateUrl, h -> playHeaders(h, range, scale, speed)).whenComplete((resp, error) -> {
            if (error == null && resp.isSuccess() && gen == generation && !stopping) {
                paused = false;
                lastMediaNanos = System.nanoTime();
                session = new RtspSessionInfo(c.session(), activeTransport(), tracksOf(receivers),
                        session.sdp(), matchRtpInfo(resp.headers().get("RTP-Info"), receivers));
                LOG.info("{}: playing again{} (session {})", displayUrl, range != null ? " from " + range : "",
                        c.session());
                try {
                    listener.onReplaying(session);
                } catch (RuntimeException e) {
                    LOG.warn("onReplaying listener failed: {}", e.toString());
                }
            }
        });
    }

    /** Whether the session is paused by {@link #pause()}. */
    public boolean isPaused() {
        return paused;
    }

    private static void complete(CompletableFuture<RtspResponse> result, RtspResponse resp, Throwable error) {
        if (error != null) {
            result.completeExceptionally(SessionSupport.unwrap(error));
        } else {
            result.complete(resp);
        }
    }

    private void startTimers(RtspConnection c, int gen) {
        long keepAliveMs = SessionSupport.keepAliveMillis(sessionTimeoutSeconds);
        keepAlive = loop.scheduleAtFixedRate(() -> sendKeepAlive(c, gen), keepAliveMs, keepAliveMs,
                TimeUnit.MILLISECONDS);
        watchdog = loop.scheduleAtFixedRate(() -> watch(gen), WATCHDOG_PERIOD_MS, WATCHDOG_PERIOD_MS,
                TimeUnit.MILLISECONDS);
    }

    private void sendKeepAlive(RtspConnection c, int gen) {
        if (gen != generation || stopping) {
            return;
        }
        String method = SessionSupport.keepAliveMethod(serverMethods);
        String url = "OPTIONS".equals(method) ? currentUrl : aggregateUrl;
        c.request(method, url, null).whenCompleteAsync((resp, error) -> {
            if (gen != generation || stopping) {
                return;
            }
            SessionSupport.onKeepAliveAnswer(method, displayUrl, resp, error, this::fail, LOG);
        }, loop);
    }

    private void watch(int gen) {
        if (gen != generation || stopping || state != ClientState.PLAYING) {
            return;
        }
        long now = System.nanoTime();
        if (readingPaused || paused) {
            lastMediaNanos = now;
        }
        if (!useTcp && !anyMedia && options.transport() == TransportMode.AUTO
                && now - playStartedNanos > options.udpFallbackTimeout().toNanos()) {
            fail(new FallbackToTcpException("no RTP over UDP within " + options.udpFallbackTimeout().toMillis()
                    + " ms (blocked by a firewall or NAT?)"));
            return;
        }
        if (now - lastMediaNanos > options.receiveTimeout().toNanos()) {
            fail(new RtspTimeoutException("no media from " + displayUrl + " for "
                    + options.receiveTimeout().toMillis() + " ms"));
            return;
        }
        for (TrackReceiver r : receivers) {
            if (r.rtcpDue(now, RTCP_INTERVAL_NANOS)) {
                sendReceiverReport(r, now);
            }
        }
    }

    private void sendReceiverReport(TrackReceiver r, long now) {
        if (conn == null || !conn.isActive()) {
            return;
        }
        ReportBlock block = r.track.statistics().reportBlock(now);
        if (block == null) {
            return; // no source accepted yet
        }
        ByteBuf buf = conn.channel().alloc().buffer(128);
        RtcpWriter.writeReceiverReport(buf, reporterSsrc, List.of(block));
        RtcpWriter.writeSdesCname(buf, reporterSsrc, cname);
        if (useTcp) {
            conn.sendInterleaved(r.rtcpChannel, buf);
        } else if (r.udp != null) {
            r.udp.sendRtcp(buf);
        } else {
            buf.release();
        }
    }

    private void onInterleavedFrame(int channel, ByteBuf payload) {
        TrackReceiver r = byChannel[channel & 0xFF];
        if (r == null) {
            return;
        }
        long now = System.nanoTime();
        if (channel == r.rtpChannel) {
            if (r.onRtp(payload, now)) {
                mediaArrived(now);
            }
        } else {
            r.onRtcp(payload, now);
        }
    }

    /** Called on the loop for every delivered RTP packet. */
    void mediaArrived(long now) {
        lastMediaNanos = now;
        anyMedia = true;
    }

    private void fail(Throwable cause) {
        if (stopping) {
            return;
        }
        generation++;
        paused = false;
        String sessionId = conn != null ? conn.session() : null;
        closeSession(sessionId != null && conn.isActive() && cause instanceof FallbackToTcpException);
        session = null;
        if (cause instanceof RedirectException && redirectsFollowed++ < MAX_REDIRECTS) {
            connect();
            return;
        }
        if (cause instanceof FallbackToTcpException && !useTcp) {
            useTcp = true;
            LOG.warn("{}: {}; switching to TCP", displayUrl, cause.getMessage());
            connect();
            return;
        }
        failedAttempts++;
        currentUrl = options.url();
        String reason = SessionSupport.describeFailure(cause);
        int max = options.maxReconnectAttempts();
        if (max >= 0 && failedAttempts > max) {
            setState(ClientState.FAILED, SessionSupport.gaveUpReason(reason, failedAttempts), cause);
            LOG.error("{}: {}; giving up", displayUrl, stateReason);
            stopped.complete(null);
            return;
        }
        long delay = SessionSupport.backoff(options, failedAttempts);
        setState(ClientState.RECONNECTING, reason + "; reconnecting in " + delay + " ms", cause);
        LOG.warn("{}: {}; reconnect attempt {} in {} ms", displayUrl, reason, failedAttempts, delay);
        LOG.debug("Cause of the failure of {}", displayUrl, cause);
        reconnects++;
        retry = loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private void cancelTimers() {
        if (watchdog != null) {
            watchdog.cancel(false);
            watchdog = null;
        }
        if (keepAlive != null) {
            keepAlive.cancel(false);
            keepAlive = null;
        }
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    /** Closes the connection and media channels; optionally sends a TEARDOWN first (not waited for). */
    private void closeSession(boolean teardown) {
        cancelTimers();
        RtspConnection c = conn;
        conn = null;
        if (c != null) {
            if (teardown) {
                c.request("TEARDOWN", aggregateUrl, null);
            }
            c.close();
        }
        for (TrackReceiver r : receivers) {
            r.close();
        }
        receivers = List.of();
        byChannel = new TrackReceiver[256];
    }

    private void doStop() {
        if (stopping) {
            return;
        }
        stopping = true;
        generation++;
        cancelTimers();
        RtspConnection c = conn;
        if (c != null && c.isActive() && c.session() != null && aggregateUrl != null) {
            c.request("TEARDOWN", aggregateUrl, null).whenCompleteAsync((resp, error) -> finishStop(), loop);
        } else {
            finishStop();
        }
    }

    private void finishStop() {
        closeSession(false);
        session = null;
        setState(ClientState.STOPPED, "stopped", null);
        stopped.complete(null);
    }

    /**
     * Maps RTP-Info entries to track indexes: by URL (equal, or one ending with the other, since servers write
     * relative or rewritten URLs), else by position when there are as many entries as tracks.
     */
    static Map<Integer, RtpInfoHeader.Entry> matchRtpInfo(String header, List<TrackReceiver> receivers) {
        if (header == null || header.isBlank()) {
            return Map.of();
        }
        List<RtpInfoHeader.Entry> entries;
        try {
            entries = RtpInfoHeader.parse(header);
        } catch (RuntimeException e) {
            LOG.debug("Ignoring unparsable RTP-Info '{}': {}", header, e.getMessage());
            return Map.of();
        }
        Map<Integer, RtpInfoHeader.Entry> byTrack = new java.util.HashMap<>();
        for (RtpInfoHeader.Entry e : entries) {
            if (e.url() == null) {
                continue;
            }
            for (TrackReceiver r : receivers) {
                String control = r.track.controlUrl();
                if (!byTrack.containsKey(r.track.index())
                        && (control.equals(e.url()) || control.endsWith("/" + stripSlash(e.url()))
                            || e.url().endsWith("/" + lastSegment(control)))) {
                    byTrack.put(r.track.index(), e);
                    break;
                }
            }
        }
        if (byTrack.isEmpty() && entries.size() == receivers.size()) {
            for (int i = 0; i < entries.size(); i++) {
                byTrack.put(receivers.get(i).track.index(), entries.get(i));
            }
        }
        return byTrack;
    }

    private static String stripSlash(String s) {
        return s.startsWith("/") ? s.substring(1) : s;
    }

    private static String lastSegment(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** Internal signal: follow a redirect to another server. */
    private static final class RedirectException extends RtspClientException {
        private static final long serialVersionUID = 1L;

        RedirectException(String location) {
            super("redirected to " + RtspUrls.sanitize(location));
        }
    }
}
