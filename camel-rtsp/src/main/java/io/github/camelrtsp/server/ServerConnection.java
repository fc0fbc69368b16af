package io.github.camelrtsp.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelrtsp.auth.Credentials;
import io.github.camelrtsp.auth.ServerAuthenticator;
import io.github.camelrtsp.headers.PublicHeader;
import io.github.camelrtsp.headers.RangeHeader;
import io.github.camelrtsp.headers.SessionHeader;
import io.github.camelrtsp.headers.TransportHeader;
import io.github.camelrtsp.message.InterleavedFrame;
import io.github.camelrtsp.message.RtspRequest;
import io.github.camelrtsp.message.RtspResponse;
import io.github.camelrtsp.sdp.ControlUrl;
import io.github.camelrtsp.sdp.MediaDescription;
import io.github.camelrtsp.sdp.RtpMap;
import io.github.camelrtsp.sdp.SdpException;
import io.github.camelrtsp.sdp.SessionDescription;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;

/**
 * The handler of one RTSP connection: answers requests, reads the client's interleaved RTCP and, for a publisher,
 * its interleaved RTP.
 */
final class ServerConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ServerConnection.class);
    private static final List<String> METHODS = List.of("OPTIONS", "DESCRIBE", "SETUP", "PLAY", "PAUSE",
            "GET_PARAMETER", "SET_PARAMETER", "TEARDOWN", "ANNOUNCE", "RECORD");
    private static final String PUBLIC = PublicHeader.format(METHODS);
    private static final int MAX_SESSIONS_PER_CONNECTION = 16;

    private final RtspServer server;
    private final Channel channel;
    private final List<ServerSession> sessions = new CopyOnWriteArrayList<>();
    private volatile long lastReadNanos = System.nanoTime();
    /** A stream this connection announced that no publisher session owns yet; removed when the connection closes. */
    private volatile ServerStream announced;

    ServerConnection(RtspServer server, Channel channel) {
        this.server = server;
        this.channel = channel;
    }

    Channel channel() {
        return channel;
    }

    Object remote() {
        return channel.remoteAddress();
    }

    int sessionCount() {
        return sessions.size();
    }

    long lastReadNanos() {
        return lastReadNanos;
    }

    void forget(ServerSession session) {
        sessions.remove(session);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (!server.addConnection(this)) {
            ctx.close();
            return;
        }
        LOG.debug("Connection from {}", remote());
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        server.removeConnection(this);
        for (ServerSession s : sessions) {
            s.close("connection closed");
        }
        ServerStream pending = announced;
        if (pending != null) {
            announced = null;
            pending.remove();
        }
        LOG.debug("Connection from {} closed", remote());
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastReadNanos = System.nanoTime();
        try {
            if (msg instanceof RtspRequest request) {
                handle(request);
            } else if (msg instanceof InterleavedFrame frame) {
                interleaved(frame);
            } else {
                LOG.debug("Ignoring {} from {}", msg.getClass().getSimpleName(), remote());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException) {
            server.stats.badRequests.increment();
            LOG.warn("Unreadable input from {}: {}; closing the connection", remote(), cause.getMessage());
            RtspResponse bad = new RtspResponse(400, "Bad Request");
            bad.headers().add("Server", server.options().serverName());
            ctx.writeAndFlush(bad).addListener(ChannelFutureListener.CLOSE);
        } else {
            LOG.debug("Connection {} failed: {}", remote(), cause.toString());
            ctx.close();
        }
    }

    private void interleaved(InterleavedFrame frame) {
        for (ServerSession s : sessions) {
            int track = s.trackOfRtcpChannel(frame.channel());
            if (track >= 0) {
                s.touch();
                if (s.transport(track).rtcpChannel() == frame.channel()) {
                    server.readClientRtcp(frame.content(), remote());
                } else if (s.isPublisher()) {
                    s.receive(track, frame.content(), channel.alloc());
                }
                return;
            }
        }
        ServerSession publisher = publisherSession();
        if (publisher != null) {
            server.dropRecordPacket(publisher, "interleaved channel " + frame.channel() + " is set up for no track");
        } else {
            LOG.debug("Interleaved frame on unused channel {} from {}", frame.channel(), remote());
        }
    }

    private ServerSession publisherSession() {
        for (ServerSession s : sessions) {
            if (s.isPublisher()) {
                return s;
            }
        }
        return null;
    }

    private void handle(RtspRequest request) {
        String cseq = request.headers().get("CSeq");
        if (cseq == null || !cseq.trim().matches("\\d{1,10}")) {
            server.stats.badRequests.increment();
            channel.writeAndFlush(response(400, "Bad Request"));
            return;
        }
        String method = request.method();
        LOG.debug("{} {} from {}", method, request.uri(), remote());
        String require = request.headers().get("Require");
        if (require != null) {
            // no option tags are supported (RFC 2326 12.32)
            RtspResponse r = response(551, "Option not supported");
            r.headers().add("Unsupported", require.trim());
            send(r, cseq.trim());
            return;
        }
        if (!method.equals("OPTIONS") && METHODS.contains(method)) {
            RtspResponse denied = authenticate(request);
            if (denied != null) {
                send(denied, cseq.trim());
                return;
            }
        }
        RtspResponse response = switch (method) {
            case "OPTIONS" -> options(request);
            case "DESCRIBE" -> describe(request);
            case "SETUP" -> setup(request);
            case "PLAY" -> play(request, cseq.trim());
            case "PAUSE" -> pause(request);
            case "GET_PARAMETER" -> getParameter(request);
            case "SET_PARAMETER" -> setParameter(request);
            case "TEARDOWN" -> teardown(request);
            case "ANNOUNCE" -> announce(request);
            case "RECORD" -> record(request);
            case "REDIRECT" -> {
                RtspResponse r = response(405, "Method Not Allowed");
                r.headers().add("Allow", PUBLIC);
                yield r;
            }
            default -> response(501, "Not Implemented");
        };
        if (response != null) {
            send(response, cseq.trim());
        }
    }

    /**
     * Null when the request may go on: its path needs no credentials, it names a session of this connection, or its
     * Authorization header matches. Otherwise the 401 answer (counted; the log never shows credentials).
     */
    private RtspResponse authenticate(RtspRequest request) {
        String path = pathOf(request.uri());
        String p = normalizeOrNull(path);
        if (p == null) {
            return null;
        }
        Credentials expected = server.credentialsFor(p);
        if (expected == null) {
            return null;
        }
        ServerSession current = request.headers().contains("Session") ? session(request) : null;
        if (current != null && (p.equals(current.stream().path()) || p.startsWith(current.stream().path() + "/"))) {
            return null; // the session was authenticated for this path when it was set up
        }
        ServerAuthenticator.Result result = server.authenticator().verify(request.headers().get("Authorization"),
                request.method(), expected);
        if (result == ServerAuthenticator.Result.OK) {
            return null;
        }
        if (result == ServerAuthenticator.Result.WRONG) {
            server.stats.authFailures.increment();
            LOG.info("{} {} from {}: wrong credentials", request.method(), path, remote());
        } else {
            server.stats.authChallenges.increment();
            LOG.debug("{} {} from {}: authentication required ({})", request.method(), path, remote(), result);
        }
        RtspResponse r = response(401, "Unauthorized");
        for (String challenge : server.authenticator().challenges(result == ServerAuthenticator.Result.STALE)) {
            r.headers().add("WWW-Authenticate", challenge);
        }
        return r;
    }

    private RtspResponse announce(RtspRequest request) {
        String rawPath = pathOf(request.uri());
        String path;
        try {
            path = rawPath == null ? null : RtspServer.normalizePath(rawPath);
        } catch (IllegalArgumentException e) {
            path = null;
        }
        if (path == null) {
            return refuse(400, "Bad Request", "malformed URL");
        }
        PublishListener listener = server.publishListener(path);
        if (listener == null) {
            server.stats.publishersRefused.increment();
            RtspResponse r = response(405, "Method Not Allowed");
            r.headers().add("Allow", PUBLIC);
            return r;
        }
        if (announced != null || !sessions.isEmpty()) {
            return refuse(455, "Method Not Valid in This State", "this connection already announced or has a session");
        }
        String type = request.headers().get("Content-Type");
        if (type != null && !type.trim().toLowerCase(Locale.ROOT).startsWith("application/sdp")) {
            return refuse(415, "Unsupported Media Type", "Content-Type " + type);
        }
        byte[] body = request.body();
        if (body == null || body.length == 0) {
            return refuse(400, "Bad Request", "ANNOUNCE without an SDP body");
        }
        List<ServerTrack> tracks = new ArrayList<>();
        String[] trackPaths;
        try {
            SessionDescription sdp = SessionDescription.parse(new String(body, StandardCharsets.UTF_8));
            List<MediaDescription> media = sdp.media();
            if (media.isEmpty()) {
                throw new SdpException("no media section");
            }
            trackPaths = new String[media.size()];
            for (int i = 0; i < media.size(); i++) {
                MediaDescription m = media.get(i);
                tracks.add(track(m));
                trackPaths[i] = trackPath(path, m.control());
            }
        } catch (IllegalArgumentException e) {
            return refuse(400, "Bad Request", "unusable SDP: " + e.getMessage());
        }
        ServerStream stream = server.announce(path, tracks, listener, trackPaths);
        if (stream == null) {
            LOG.info("ANNOUNCE of {} from {} refused: the path already has a stream", path, remote());
            return response(455, "Path Already Has A Publisher");
        }
        announced = stream;
        return response(200, "OK");
    }

    private RtspResponse refuse(int status, String reason, String why) {
        server.stats.publishersRefused.increment();
        LOG.info("ANNOUNCE from {} refused with {}: {}", remote(), status, why);
        return response(status, reason);
    }

    /** A track from an announced media section: first format, its rtpmap (or the static table) and fmtp. */
    private static ServerTrack track(MediaDescription m) {
        int pt = m.payloadType();
        RtpMap map = m.rtpMap(pt);
        if (map == null) {
            map = RtpMap.staticPayloadType(pt);
        }
        if (map == null) {
            throw new SdpException("payload type " + pt + " has no rtpmap");
        }
        String rtpmap = map.encodingName() + "/" + map.clockRate()
                        + (map.channels() != null && map.channels() > 1 ? "/" + map.channels() : "");
        return new ServerTrack(m.mediaType().toLowerCase(Locale.ROOT), pt, rtpmap, m.formatParameters(pt),
                map.clockRate());
    }

    /** The path a publisher's SETUP of a track uses: its control resolved against the announced path. */
    private static String trackPath(String path, String control) {
        if (control == null || control.isEmpty() || control.equals("*")) {
            return path;
        }
        String p = ControlUrl.isAbsolute(control) ? pathOf(control) : path + "/" + control;
        try {
            return p == null ? path : RtspServer.normalizePath(p);
        } catch (IllegalArgumentException e) {
            throw new SdpException("unusable a=control: " + control);
        }
    }

    private RtspResponse record(RtspRequest request) {
        if (!request.headers().contains("Session")) {
            return response(455, "Method Not Valid in This State");
        }
        ServerSession session = session(request);
        if (session == null) {
            return sessionNotFound();
        }
        session.touch();
        if (!session.isPublisher() || session.setUpCount() == 0) {
            return response(455, "Method Not Valid in This State");
        }
        if (session.startRecording()) {
            server.stats.publishersStarted.increment();
            ServerStream stream = session.stream();
            LOG.info("Publisher {} records into {}", remote(), stream.path());
            try {
                stream.publishListener().onPublishStart(stream);
            } catch (RuntimeException e) {
                LOG.warn("PublishListener of {} failed on start", stream.path(), e);
            }
        }
        RtspResponse r = response(200, "OK");
        r.headers().add("Session", sessionValue(session));
        return r;
    }

    private RtspResponse setParameter(RtspRequest request) {
        ServerSession session = null;
        if (request.headers().contains("Session")) {
            session = session(request);
            if (session == null) {
                return sessionNotFound();
            }
            session.touch();
        }
        byte[] body = request.body();
        RtspResponse r;
        if (body == null || new String(body, StandardCharsets.UTF_8).isBlank()) {
            r = response(200, "OK");
        } else {
            server.stats.parametersNotUnderstood.increment();
            LOG.debug("SET_PARAMETER from {} with {} bytes of parameters: 451", remote(), body.length);
            r = response(451, "Parameter Not Understood");
            r.headers().add("Content-Type", "text/parameters");
            r.body(body);
        }
        if (session != null) {
            r.headers().add("Session", sessionValue(session));
        }
        return r;
    }

    private RtspResponse options(RtspRequest request) {
        if (request.headers().contains("Session")) {
            ServerSession s = session(request);
            if (s == null) {
                return sessionNotFound();
            }
            s.touch();
        }
        RtspResponse r = response(200, "OK");
        r.headers().add("Public", PUBLIC);
        return r;
    }

    private RtspResponse describe(RtspRequest request) {
        Target target = resolve(request.uri());
        if (target == null || target.track >= 0) {
            return response(404, "Not Found");
        }
        InetAddress local = ((InetSocketAddress) channel.localAddress()).getAddress();
        String sdp = SdpWriter.write(target.stream, local, server.options().serverName());
        RtspResponse r = response(200, "OK");
        r.headers().add("Content-Base", baseUrl(request.uri()));
        r.headers().add("Content-Type", "application/sdp");
        r.body(sdp.getBytes(StandardCharsets.UTF_8));
        return r;
    }

    private RtspResponse setup(RtspRequest request) {
        Target target = resolve(request.uri());
        if (target == null) {
            return response(404, "Not Found");
        }
        int track = target.track;
        if (track < 0) {
            if (target.stream.tracks().size() != 1) {
                return response(459, "Aggregate Operation Not Allowed");
            }
            track = 0;
        }
        String transportValue = request.headers().get("Transport");
        if (transportValue == null) {
            return response(400, "Bad Request");
        }
        ServerSession session = null;
        if (request.headers().contains("Session")) {
            session = session(request);
            if (session == null) {
                return sessionNotFound();
            }
            if (session.stream() != target.stream) {
                return response(459, "Aggregate Operation Not Allowed");
            }
            if (session.isPlaying() || session.isRecording() || session.isSetUp(track)) {
                return response(455, "Method Not Valid in This State");
            }
        }
        List<TransportHeader> offers;
        try {
            offers = TransportHeader.parseList(transportValue);
        } catch (IllegalArgumentException e) {
            return response(461, "Unsupported Transport");
        }
        boolean record = false;
        for (TransportHeader offer : offers) {
            record |= offer.mode() != null && offer.mode().equalsIgnoreCase("RECORD");
        }
        if (session != null ? record != session.isPublisher() : record && target.stream != announced) {
            // record only into what this connection announced; no mixing of play and record in one session
            return response(461, "Unsupported Transport");
        }
        boolean created = false;
        if (session == null) {
            if (sessions.size() >= MAX_SESSIONS_PER_CONNECTION
                    || (session = server.newSession(target.stream, this, record)) == null) {
                return response(503, "Service Unavailable");
            }
            created = true;
        }
        String answer = null;
        for (TransportHeader offer : offers) {
            answer = tryTransport(session, track, offer, record);
            if (answer != null) {
                break;
            }
        }
        if (answer == null) {
            if (created) {
                session.close("no usable transport");
            }
            return response(461, "Unsupported Transport");
        }
        if (created) {
            sessions.add(session);
            if (record) {
                announced = null; // the publisher session owns the stream now
            }
        }
        session.touch();
        RtspResponse r = response(200, "OK");
        r.headers().add("Transport", answer);
        r.headers().add("Session", sessionValue(session));
        return r;
    }

    /** Sets up {@code track} with {@code offer} if the server supports it; returns the Transport answer or null. */
    private String tryTransport(ServerSession session, int track, TransportHeader offer, boolean record) {
        if (!"RTP/AVP".equalsIgnoreCase(offer.profile())) {
            return null;
        }
        String mode = offer.mode();
        if (record ? mode == null || !mode.equalsIgnoreCase("RECORD") : mode != null && !mode.equalsIgnoreCase("PLAY")) {
            return null;
        }
        // a publisher keeps its own SSRC; players learn the stream's
        String ssrc = record ? ";mode=record" : ";ssrc=" + String.format("%08X", session.stream().ssrc(track));
        String lower = offer.lowerTransport();
        if (lower != null && lower.equalsIgnoreCase("TCP")) {
            if (offer.multicast()) {
                return null;
            }
            int[] channels = offer.interleaved();
            int rtp;
            int rtcp;
            if (channels != null && channels.length > 0) {
                rtp = channels[0];
                rtcp = channels.length > 1 ? channels[1] : channels[0] + 1;
            } else {
                rtp = freeChannel();
                rtcp = rtp + 1;
            }
            if (rtp < 0 || rtp > 255 || rtcp < 0 || rtcp > 255 || rtp == rtcp || channelTaken(rtp)
                    || channelTaken(rtcp)) {
                return null;
            }
            session.setUp(track, new ServerSession.TrackTransport(true, rtp, rtcp, null, null));
            return "RTP/AVP/TCP;unicast;interleaved=" + rtp + "-" + rtcp + ssrc;
        }
        if (lower != null && !lower.equalsIgnoreCase("UDP")) {
            return null;
        }
        int[] ports = offer.clientPort();
        if (offer.multicast() || ports == null || ports.length == 0) {
            return null;
        }
        int rtpPort = ports[0];
        int rtcpPort = ports.length > 1 ? ports[1] : ports[0] + 1;
        if (rtpPort < 1 || rtpPort > 65535 || rtcpPort < 1 || rtcpPort > 65535) {
            return null;
        }
        InetAddress client = ((InetSocketAddress) channel.remoteAddress()).getAddress();
        InetSocketAddress rtpAddress = new InetSocketAddress(client, rtpPort);
        InetSocketAddress rtcpAddress = new InetSocketAddress(client, rtcpPort);
        if (!server.claimUdpPeer(session, rtpAddress, rtcpAddress)) {
            return null;
        }
        session.setUp(track, new ServerSession.TrackTransport(false, -1, -1, rtpAddress, rtcpAddress));
        return "RTP/AVP;unicast;client_port=" + rtpPort + "-" + rtcpPort + ";server_port=" + server.rtpPort() + "-"
               + server.rtcpPort() + ssrc;
    }

    private boolean channelTaken(int channel) {
        for (ServerSession s : sessions) {
            if (s.usesChannel(channel)) {
                return true;
            }
        }
        return false;
    }

    private int freeChannel() {
        for (int c = 0; c < 255; c += 2) {
            if (!channelTaken(c) && !channelTaken(c + 1)) {
                return c;
            }
        }
        return -1;
    }

    private RtspResponse play(RtspRequest request, String cseq) {
        ServerSession session = session(request);
        if (session == null) {
            return sessionNotFound();
        }
        session.touch();
        Target target = resolve(request.uri());
        if (target == null || target.stream != session.stream()) {
            return response(404, "Not Found");
        }
        String range = "npt=now-";
        String rangeValue = request.headers().get("Range");
        if (rangeValue != null) {
            RangeHeader parsed;
            try {
                parsed = RangeHeader.parse(rangeValue);
            } catch (IllegalArgumentException e) {
                return response(457, "Invalid Range");
            }
            Double start = parsed.isNpt() ? parsed.nptStartSeconds() : null;
            boolean now = parsed.isNpt() && "now".equalsIgnoreCase(parsed.start());
            if (!now && (start == null || start != 0.0 || parsed.end() != null && !parsed.end().isEmpty())) {
                return response(457, "Invalid Range");
            }
            range = now ? "npt=now-" : "npt=0.000-";
        }
        if (session.isPlaying()) {
            RtspResponse r = response(200, "OK");
            r.headers().add("Range", range);
            r.headers().add("Session", sessionValue(session));
            return r;
        }
        String base = baseUrl(aggregateUri(request.uri(), target));
        String rangeAnswer = range;
        session.stream().startPlaying(session, base, rtpInfo -> {
            RtspResponse r = response(200, "OK");
            r.headers().add("Range", rangeAnswer);
            r.headers().add("Session", sessionValue(session));
            if (!rtpInfo.isEmpty()) {
                r.headers().add("RTP-Info", rtpInfo);
            }
            send(r, cseq);
        });
        if (session.stream().isRemoved()) {
            session.closeConnection("stream removed");
        }
        return null;
    }

    private RtspResponse pause(RtspRequest request) {
        ServerSession session = session(request);
        if (session == null) {
            return sessionNotFound();
        }
        session.touch();
        session.pause();
        RtspResponse r = response(200, "OK");
        r.headers().add("Session", sessionValue(session));
        return r;
    }

    private RtspResponse getParameter(RtspRequest request) {
        RtspResponse r = response(200, "OK");
        if (request.headers().contains("Session")) {
            ServerSession session = session(request);
            if (session == null) {
                return sessionNotFound();
            }
            session.touch();
            r.headers().add("Session", sessionValue(session));
        }
        return r;
    }

    private RtspResponse teardown(RtspRequest request) {
        ServerSession session = session(request);
        if (session == null) {
            return sessionNotFound();
        }
        Target target = resolve(request.uri());
        if (target != null && target.track >= 0 && target.stream == session.stream()) {
            if (!session.isSetUp(target.track)) {
                return response(455, "Method Not Valid in This State");
            }
            if (session.setUpCount() > 1) {
                session.removeTrack(target.track);
                session.touch();
                RtspResponse r = response(200, "OK");
                r.headers().add("Session", sessionValue(session));
                return r;
            }
        }
        session.close("TEARDOWN");
        return response(200, "OK");
    }

    /** The session named by the Session header if it belongs to this connection; null otherwise. */
    private ServerSession session(RtspRequest request) {
        String value = request.headers().get("Session");
        if (value == null) {
            return null;
        }
        String id;
        try {
            id = SessionHeader.parse(value).id();
        } catch (IllegalArgumentException e) {
            return null;
        }
        ServerSession s = server.session(id);
        return s != null && s.connection() == this && !s.isClosed() ? s : null;
    }

    private RtspResponse sessionNotFound() {
        return response(454, "Session Not Found");
    }

    private String sessionValue(ServerSession s) {
        return s.id() + ";timeout=" + server.options().sessionTimeoutSeconds();
    }

    /** The path normalized, or null when it is null or not a valid path. */
    private static String normalizeOrNull(String path) {
        if (path == null) {
            return null;
        }
        try {
            return RtspServer.normalizePath(path);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A stream and a track index (-1 for the aggregate URL). */
    private record Target(ServerStream stream, int track) {
    }

    private Target resolve(String uri) {
        String p = normalizeOrNull(pathOf(uri));
        if (p == null) {
            return null;
        }
        ServerStream stream = server.stream(p);
        if (stream != null) {
            return new Target(stream, -1);
        }
        int slash = p.lastIndexOf('/');
        String last = p.substring(slash + 1);
        ServerStream parent = slash > 0 ? server.stream(p.substring(0, slash)) : null;
        if (parent != null && parent.trackOfPublisherPath(p) >= 0) {
            return new Target(parent, parent.trackOfPublisherPath(p));
        }
        if (slash > 0 && last.startsWith("trackID=") && last.matches("trackID=\\d{1,4}")) {
            stream = parent;
            int track = Integer.parseInt(last.substring(8));
            if (stream != null && track < stream.tracks().size()) {
                return new Target(stream, track);
            }
        }
        return null;
    }

    /** The path of an absolute RTSP URL or of an absolute path; null for {@code *} and other forms. */
    static String pathOf(String uri) {
        String u = uri;
        int q = u.indexOf('?');
        if (q >= 0) {
            u = u.substring(0, q);
        }
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.startsWith("rtsp://") || lower.startsWith("rtsps://")) {
            int slash = u.indexOf('/', u.indexOf("://") + 3);
            return slash < 0 ? "/" : u.substring(slash);
        }
        return u.startsWith("/") ? u : null;
    }

    private static String aggregateUri(String uri, Target target) {
        if (target.track < 0) {
            return uri;
        }
        int q = uri.indexOf('?');
        String u = q >= 0 ? uri.substring(0, q) : uri;
        return u.substring(0, u.lastIndexOf('/'));
    }

    private static String baseUrl(String uri) {
        int q = uri.indexOf('?');
        String u = q >= 0 ? uri.substring(0, q) : uri;
        return u.endsWith("/") ? u : u + "/";
    }

    private RtspResponse response(int status, String reason) {
        RtspResponse r = new RtspResponse(status, reason);
        r.headers().add("Server", server.options().serverName());
        return r;
    }

    private void send(RtspResponse response, String cseq) {
        response.headers().set("CSeq", cseq);
        channel.writeAndFlush(response);
    }
}
