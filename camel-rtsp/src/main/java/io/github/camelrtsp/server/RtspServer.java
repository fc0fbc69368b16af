package io.github.camelrtsp.server;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelrtsp.auth.Credentials;
import io.github.camelrtsp.auth.ServerAuthenticator;
import io.github.camelrtsp.message.RtspMessageDecoder;
import io.github.camelrtsp.message.RtspMessageEncoder;
import io.github.camelrtsp.rtp.RtcpFormatException;
import io.github.camelrtsp.rtp.RtcpListener;
import io.github.camelrtsp.rtp.RtcpParser;
import io.github.camelrtsp.rtp.ReportBlock;
import io.github.camelrtsp.sdp.SessionDescription;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * An embedded RTSP server (RFC 2326) that plays live streams: {@link #createStream(String, List)} registers a path,
 * whose {@link ServerStream#publish(int, ByteBuf, boolean)} feeds RTP packets to every client playing it, over
 * interleaved TCP or unicast UDP (sent from one RTP/RTCP port pair the server binds at start).
 *
 * <p>Methods: OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, GET_PARAMETER, SET_PARAMETER (an empty body is a keep-alive;
 * parameters get 451), TEARDOWN (of the session, or of one track by its track URL), and on paths opened with
 * {@link #acceptPublishers(String, PublishListener)} ANNOUNCE and RECORD. Sessions end on TEARDOWN, when their
 * connection closes, after {@link RtspServerOptions#sessionTimeoutSeconds()} without a request, RTCP or (publishers)
 * RTP, or when they stay behind (slow client) longer than {@link RtspServerOptions#maxBehind()}. RTCP sender reports
 * go out per track every {@link RtspServerOptions#senderReportInterval()}; receiver reports are parsed and counted.
 *
 * <p>Publishers: one per path at a time. ANNOUNCE carries the SDP (at most {@link SessionDescription#MAX_TEXT_LENGTH}
 * bytes; a larger body closes the connection with 400); its media sections become the stream's tracks with the
 * publisher's payload types and format parameters, and SETUP names them by their {@code a=control} (or
 * {@code trackID=N}). A second ANNOUNCE on a path that has a stream gets {@code 455 Path Already Has A Publisher}.
 * UDP RTP from a publisher is matched to its session by source address (the {@code client_port} it gave). When the
 * publisher goes, {@link PublishListener#onPublishStop} runs and the stream is removed (players are disconnected).
 *
 * <p>Authentication: {@link #setCredentials(String, String, String)} protects a path (and its track URLs) for
 * players and publishers alike, with the schemes of {@link RtspServerOptions#authSchemes(String...)}. OPTIONS and
 * requests within a session of the same connection need no credentials.
 */
public final class RtspServer {

    private static final Logger LOG = LoggerFactory.getLogger(RtspServer.class);
    private static final int UDP_BIND_ATTEMPTS = 64;
    private static final long TICK_MILLIS = 250;

    final ServerStatistics stats = new ServerStatistics();
    final WarnLimiter skipWarn = new WarnLimiter(LOG, 10_000);
    final WarnLimiter listenerWarn = new WarnLimiter(LOG, 10_000);
    private final WarnLimiter recordDropWarn = new WarnLimiter(LOG, 10_000);
    private final Map<String, Credentials> credentials = new ConcurrentHashMap<>();
    private final ServerAuthenticator authenticator;
    private final WarnLimiter rtcpWarn = new WarnLimiter(LOG, 10_000);
    private final WarnLimiter connectionWarn = new WarnLimiter(LOG, 10_000);
    private final RtspServerOptions options;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final Map<String, ServerStream> streams = new ConcurrentHashMap<>();
    private final Map<String, PublishListener> publishPaths = new ConcurrentHashMap<>();
    private final Map<String, ServerSession> sessions = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, ServerSession> udpPeers = new ConcurrentHashMap<>();
    private final Set<ServerConnection> connections = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();
    private final Instant baseInstant = Instant.now();
    private final long baseNanos = System.nanoTime();
    private final String cname = "camel-rtsp-" + HexFormat.of().toHexDigits(new SecureRandom().nextInt());

    private Channel serverChannel;
    private Channel udpRtp;
    private Channel udpRtcp;
    private ScheduledFuture<?> ticker;
    private long lastSenderReportNanos;
    private volatile boolean running;

    /** Creates a server with its own event loop group (two threads), shut down by {@link #stop()}. */
    public RtspServer(RtspServerOptions options) {
        this(options, new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory()), true);
    }

    /** Creates a server on a shared NIO event loop group, which {@link #stop()} leaves running. */
    public RtspServer(RtspServerOptions options, EventLoopGroup group) {
        this(options, group, false);
    }

    private RtspServer(RtspServerOptions options, EventLoopGroup group, boolean ownsGroup) {
        this.options = Objects.requireNonNull(options, "options");
        this.group = Objects.requireNonNull(group, "group");
        this.ownsGroup = ownsGroup;
        this.authenticator = new ServerAuthenticator(options.authRealm(), options.basicAuth(), options.digestAuth(),
                options.nonceLifetime());
    }

    /**
     * Binds the RTSP port and the UDP RTP/RTCP port pair and starts the timers. Blocks until bound; do not call
     * from an event loop thread.
     *
     * @throws IllegalStateException if already started or a port cannot be bound
     */
    public synchronized RtspServer start() {
        if (running) {
            throw new IllegalStateException("server already started");
        }
        int queue = options.maxQueuedBytes();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(queue / 2, queue))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ServerConnection connection = new ServerConnection(RtspServer.this, ch);
                        ch.pipeline().addLast(new RtspMessageDecoder(RtspMessageDecoder.DEFAULT_MAX_HEADER_BYTES,
                                SessionDescription.MAX_TEXT_LENGTH), new RtspMessageEncoder(), connection);
                    }
                });
        if (options.socketSendBuffer() > 0) {
            bootstrap.childOption(ChannelOption.SO_SNDBUF, options.socketSendBuffer());
        }
        try {
            ChannelFuture bound = bootstrap.bind(options.host(), options.port()).awaitUninterruptibly();
            if (!bound.isSuccess()) {
                throw new IllegalStateException("cannot bind RTSP port " + options.host() + ":" + options.port(),
                        bound.cause());
            }
            serverChannel = bound.channel();
            bindUdpPair();
        } catch (RuntimeException e) {
            closeChannels();
            throw e;
        }
        running = true;
        lastSenderReportNanos = System.nanoTime();
        ticker = group.next().scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info("RTSP server listening on {}:{} (RTP/RTCP over UDP on ports {}-{})", options.host(), port(),
                rtpPort(), rtcpPort());
        return this;
    }

    private void bindUdpPair() {
        Bootstrap udp = new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                .option(ChannelOption.SO_SNDBUF, 4 * 1024 * 1024)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(options.maxQueuedBytes() * 2, options.maxQueuedBytes() * 4))
                .handler(new UdpInbound());
        for (int attempt = 0; attempt < UDP_BIND_ATTEMPTS; attempt++) {
            ChannelFuture rtp = udp.bind(options.host(), 0).awaitUninterruptibly();
            if (!rtp.isSuccess()) {
                throw new IllegalStateException("cannot bind a UDP port on " + options.host(), rtp.cause());
            }
            int port = ((InetSocketAddress) rtp.channel().localAddress()).getPort();
            if (port % 2 == 0 && port < 65535) {
                ChannelFuture rtcp = udp.bind(options.host(), port + 1).awaitUninterruptibly();
                if (rtcp.isSuccess()) {
                    udpRtp = rtp.channel();
                    udpRtcp = rtcp.channel();
                    return;
                }
            }
            rtp.channel().close().awaitUninterruptibly();
        }
        throw new IllegalStateException("found no free even/odd UDP port pair on " + options.host() + " in "
                + UDP_BIND_ATTEMPTS + " attempts");
    }

    /** Closes every connection and socket, removes all streams; the own event loop group is shut down. */
    public void stop() {
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            ticker.cancel(false);
        }
        for (ServerSession s : List.copyOf(sessions.values())) {
            if (s.isPublisher()) {
                s.close("server stopping");
            }
        }
        for (ServerStream stream : List.copyOf(streams.values())) {
            removeStream(stream);
        }
        for (ServerConnection c : List.copyOf(connections)) {
            c.channel().close();
        }
        closeChannels();
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        LOG.info("RTSP server stopped: {}", stats);
    }

    private void closeChannels() {
        for (Channel c : new Channel[] {serverChannel, udpRtp, udpRtcp}) {
            if (c != null) {
                c.close().awaitUninterruptibly();
            }
        }
    }

    /** The bound RTSP port. */
    public int port() {
        return ((InetSocketAddress) requireStarted(serverChannel).localAddress()).getPort();
    }

    /** The UDP port RTP is sent from. */
    public int rtpPort() {
        return ((InetSocketAddress) requireStarted(udpRtp).localAddress()).getPort();
    }

    /** The UDP port RTCP is sent from and received on ({@link #rtpPort()} + 1). */
    public int rtcpPort() {
        return ((InetSocketAddress) requireStarted(udpRtcp).localAddress()).getPort();
    }

    private static Channel requireStarted(Channel c) {
        if (c == null) {
            throw new IllegalStateException("server not started");
        }
        return c;
    }

    /** The URL of {@code path} on this server; a wildcard bind address is replaced by the loopback address. */
    public String url(String path) {
        String host = options.host();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        } else if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return "rtsp://" + host + ":" + port() + normalizePath(path);
    }

    /** The settings. */
    public RtspServerOptions options() {
        return options;
    }

    /** The counters. */
    public ServerStatistics statistics() {
        return stats;
    }

    /** Sessions that exist now (set up, playing or paused). */
    public int sessionCount() {
        return sessions.size();
    }

    /**
     * Registers a stream at {@code path} (leading slash added, trailing slash removed).
     *
     * @throws IllegalArgumentException if the path is taken, malformed or ends in a {@code trackID=} segment, or no
     *                                  track is given
     */
    public ServerStream createStream(String path, List<ServerTrack> tracks) {
        String p = normalizePath(path);
        if (tracks == null || tracks.isEmpty()) {
            throw new IllegalArgumentException("a stream needs at least one track: " + p);
        }
        if (p.substring(p.lastIndexOf('/') + 1).startsWith("trackID=")) {
            throw new IllegalArgumentException("path cannot end in a trackID= segment: " + p);
        }
        ServerStream stream = new ServerStream(this, p, tracks);
        if (streams.putIfAbsent(p, stream) != null) {
            throw new IllegalArgumentException("path already has a stream: " + p);
        }
        LOG.info("Stream {} created with {} track(s)", p, tracks.size());
        return stream;
    }

    /**
     * Opens {@code path} for publishers: clients may ANNOUNCE an SDP there and RECORD into it. While a publisher
     * records, the path is a stream like any other (players can DESCRIBE and PLAY it) and {@code listener} gets the
     * publisher's packets. A path that was not opened answers ANNOUNCE with 405 Method Not Allowed; while a
     * publisher holds the path (from its ANNOUNCE until it goes), another ANNOUNCE gets
     * {@code 455 Path Already Has A Publisher}.
     *
     * @throws IllegalArgumentException if the path is malformed or already open for publishers
     */
    public void acceptPublishers(String path, PublishListener listener) {
        Objects.requireNonNull(listener, "listener");
        String p = normalizePath(path);
        if (publishPaths.putIfAbsent(p, listener) != null) {
            throw new IllegalArgumentException("path already accepts publishers: " + p);
        }
    }

    /** Closes {@code path} to new publishers; a publisher recording there now is not disconnected. */
    public void stopAcceptingPublishers(String path) {
        publishPaths.remove(normalizePath(path));
    }

    /** The listener of a path opened with {@link #acceptPublishers(String, PublishListener)}, or null. */
    PublishListener publishListener(String path) {
        return publishPaths.get(normalizePath(path));
    }

    /**
     * Protects {@code path} (and its track URLs): players and publishers must authenticate as {@code username}.
     * A null {@code username} removes the protection.
     *
     * @throws IllegalArgumentException if the path is malformed
     */
    public void setCredentials(String path, String username, String password) {
        String p = normalizePath(path);
        if (username == null) {
            credentials.remove(p);
            LOG.info("Path {} no longer needs credentials", p);
        } else {
            credentials.put(p, new Credentials(username, password));
            LOG.info("Path {} needs credentials", p);
        }
    }

    /** The credentials protecting {@code path} or, for a track URL, its parent path; null when unprotected. */
    Credentials credentialsFor(String path) {
        if (credentials.isEmpty()) {
            return null;
        }
        Credentials c = credentials.get(path);
        int slash = path.lastIndexOf('/');
        if (c == null && slash > 0) {
            c = credentials.get(path.substring(0, slash));
        }
        return c;
    }

    ServerAuthenticator authenticator() {
        return authenticator;
    }

    /**
     * Registers the stream a publisher announced; null when {@code path} already has a stream (counted as a
     * refused publisher).
     */
    ServerStream announce(String path, List<ServerTrack> tracks, PublishListener listener, String[] trackPaths) {
        ServerStream stream = new ServerStream(this, path, tracks, listener, trackPaths);
        if (streams.putIfAbsent(path, stream) != null) {
            stats.publishersRefused.increment();
            return null;
        }
        LOG.info("Publisher announced {} with {} track(s)", path, tracks.size());
        return stream;
    }

    /** A publisher session ended: tells the listener (if it recorded) and removes its stream. */
    void publisherGone(ServerSession session, String reason) {
        ServerStream stream = session.stream();
        if (session.isRecording()) {
            LOG.info("Publisher on {} ({}) stopped: {}", stream.path(), session.connection().remote(), reason);
            try {
                stream.publishListener().onPublishStop(stream, reason);
            } catch (RuntimeException e) {
                LOG.warn("PublishListener of {} failed on stop", stream.path(), e);
            }
        }
        removeStream(stream);
    }

    void dropRecordPacket(ServerSession session, String why) {
        stats.droppedRecordPackets.increment();
        recordDropWarn.warn("Dropped a packet from the publisher of {} ({}): {}", session.stream().path(),
                session.connection().remote(), why);
    }

    /** The stream at {@code path}, or null. */
    public ServerStream stream(String path) {
        return streams.get(normalizePath(path));
    }

    /** The registered streams. */
    public Collection<ServerStream> streams() {
        return List.copyOf(streams.values());
    }

    static String normalizePath(String path) {
        Objects.requireNonNull(path, "path");
        String p = path.startsWith("/") ? path : "/" + path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (!p.matches("/[\\x21-\\x7E&&[^?#]]*")) {
            throw new IllegalArgumentException("path must be printable ASCII without spaces, '?' or '#': " + path);
        }
        return p;
    }

    void removeStream(ServerStream stream) {
        if (streams.remove(stream.path(), stream)) {
            LOG.info("Stream {} removed", stream.path());
        }
        stream.markRemovedAndClose();
        for (ServerSession s : List.copyOf(sessions.values())) {
            if (s.stream() == stream) {
                s.closeConnection("stream removed");
            }
        }
    }

    Instant wallClock(long nanos) {
        return baseInstant.plusNanos(nanos - baseNanos);
    }

    Channel udpRtpChannel() {
        return udpRtp;
    }

    Channel udpRtcpChannel() {
        return udpRtcp;
    }

    boolean isRunning() {
        return running;
    }

    /** Creates and registers a session, or returns null when the session limit is reached. */
    ServerSession newSession(ServerStream stream, ServerConnection connection, boolean publisher) {
        if (sessions.size() >= options.maxSessions()) {
            return null;
        }
        byte[] id = new byte[8];
        random.nextBytes(id);
        ServerSession session = new ServerSession(this, HexFormat.of().withUpperCase().formatHex(id), stream,
                connection, publisher);
        sessions.put(session.id(), session);
        stats.sessionsCreated.increment();
        return session;
    }

    ServerSession session(String id) {
        return sessions.get(id);
    }

    /** Registers the UDP addresses of a track; false when another session already uses one of them. */
    boolean claimUdpPeer(ServerSession session, InetSocketAddress rtp, InetSocketAddress rtcp) {
        ServerSession a = udpPeers.putIfAbsent(rtp, session);
        if (a != null && a != session) {
            return false;
        }
        ServerSession b = udpPeers.putIfAbsent(rtcp, session);
        if (b != null && b != session) {
            if (a == null) {
                udpPeers.remove(rtp, session);
            }
            return false;
        }
        return true;
    }

    void releaseUdpPeer(ServerSession session, InetSocketAddress rtp, InetSocketAddress rtcp) {
        udpPeers.remove(rtp, session);
        udpPeers.remove(rtcp, session);
    }

    void forget(ServerSession session) {
        sessions.remove(session.id(), session);
        udpPeers.values().removeIf(s -> s == session);
    }

    /** Registers a new connection; false (counted, logged rate-limited) when the limit is reached. */
    boolean addConnection(ServerConnection c) {
        if (connections.size() >= options.maxConnections()) {
            stats.refusedConnections.increment();
            connectionWarn.warn("Refusing connection from {}: {} connections open", c.remote(), connections.size());
            return false;
        }
        connections.add(c);
        return true;
    }

    void removeConnection(ServerConnection c) {
        connections.remove(c);
    }

    /** Parses client RTCP: counts receiver reports; false when unreadable (counted, logged rate-limited). */
    boolean readClientRtcp(ByteBuf rtcp, Object from) {
        try {
            RtcpParser.parse(rtcp, new RtcpListener() {
                @Override
                public void onReceiverReport(long ssrc, List<ReportBlock> blocks) {
                    stats.receiverReports.increment();
                }
            });
            return true;
        } catch (RtcpFormatException e) {
            stats.badRtcp.increment();
            rtcpWarn.warn("Unreadable RTCP from {}: {}", from, e.getMessage());
            return false;
        }
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            long timeout = TimeUnit.SECONDS.toNanos(options.sessionTimeoutSeconds());
            long behind = options.maxBehind().toNanos();
            for (ServerSession s : sessions.values()) {
                if (now - s.lastActivityNanos() > timeout) {
                    stats.sessionsTimedOut.increment();
                    LOG.info("Session {} on {} timed out after {} s without a request or RTCP", s.id(),
                            s.stream().path(), options.sessionTimeoutSeconds());
                    s.close("timeout");
                    continue;
                }
                long since = s.behindSinceNanos();
                if (since != 0 && now - since > behind) {
                    s.disconnectSlow();
                }
            }
            for (ServerConnection c : connections) {
                if (c.sessionCount() == 0 && now - c.lastReadNanos() > timeout) {
                    LOG.debug("Closing idle connection {} without a session", c.remote());
                    c.channel().close();
                }
            }
            if (now - lastSenderReportNanos >= options.senderReportInterval().toNanos()) {
                lastSenderReportNanos = now;
                for (ServerStream stream : streams.values()) {
                    stream.sendSenderReports(udpRtp.alloc(), cname);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Server housekeeping failed", e);
        }
    }

    /** Reads what clients send to the UDP ports: RTCP (parsed, counted) and anything else as a sign of life. */
    @ChannelHandler.Sharable
    private final class UdpInbound extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ServerSession session = udpPeers.get(packet.sender());
            if (session == null) {
                stats.strayDatagrams.increment();
                LOG.debug("Datagram from {}, which belongs to no session, on port {}", packet.sender(),
                        ((InetSocketAddress) ctx.channel().localAddress()).getPort());
                return;
            }
            session.touch();
            if (ctx.channel() == udpRtcp) {
                readClientRtcp(packet.content(), packet.sender());
            } else if (session.isPublisher()) {
                session.receive(session.trackOfRtpAddress(packet.sender()), packet.content(), ctx.alloc());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("UDP socket {}: {}", ctx.channel().localAddress(), cause.toString());
        }
    }
}
