package io.github.camelrtsp.client;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;

import io.github.camelrtsp.auth.ClientAuthenticator;
import io.github.camelrtsp.auth.Credentials;
import io.github.camelrtsp.auth.RtspAuthenticationException;
import io.github.camelrtsp.message.InterleavedFrame;
import io.github.camelrtsp.message.RtspHeaders;
import io.github.camelrtsp.message.RtspMessageDecoder;
import io.github.camelrtsp.message.RtspMessageEncoder;
import io.github.camelrtsp.message.RtspRequest;
import io.github.camelrtsp.message.RtspResponse;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTSP control connection: sends requests and matches responses by CSeq, answers 401 challenges, and hands
 * interleaved frames to its listener. Every method must be called on the connection's event loop.
 */
final class RtspConnection extends SimpleChannelInboundHandler<Object> {

    private static final Logger LOG = LoggerFactory.getLogger(RtspConnection.class);

    /** What the connection reports to its owner; called on the event loop. */
    interface Listener {
        /** An interleaved frame; the buffer is released after the call. */
        void onInterleaved(int channel, ByteBuf payload);

        /** The connection closed or failed; {@code cause} is null for a clean close requested by us. */
        void onClosed(Throwable cause);
    }

    private static final class Pending {
        final RtspRequest request;
        final CompletableFuture<RtspResponse> future;
        final boolean authRetry;
        ScheduledFuture<?> timeout;

        Pending(RtspRequest request, CompletableFuture<RtspResponse> future, boolean authRetry) {
            this.request = request;
            this.future = future;
            this.authRetry = authRetry;
        }
    }

    private final EventLoop loop;
    private final RtspClientOptions options;
    private final Listener listener;
    private final String displayUrl;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private Channel channel;
    private int cseq;
    private String session;
    private ClientAuthenticator authenticator;
    private boolean closing;
    private boolean closedReported;

    private RtspConnection(EventLoop loop, RtspClientOptions options, String url, Listener listener) {
        this.loop = loop;
        this.options = options;
        this.listener = listener;
        this.displayUrl = RtspUrls.sanitize(url);
    }

    /**
     * Connects to the server of {@code url} (which may differ from the options' URL after a redirect), and for rtsps
     * completes the TLS handshake; the future completes on the loop.
     */
    static CompletableFuture<RtspConnection> connect(EventLoop loop, RtspClientOptions options, String url,
                                                     Listener listener) {
        RtspConnection conn = new RtspConnection(loop, options, url, listener);
        CompletableFuture<RtspConnection> result = new CompletableFuture<>();
        String host = RtspUrls.host(url);
        int port = RtspUrls.port(url);
        boolean tls = RtspUrls.isTls(url);
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls) {
                            ch.pipeline().addLast("tls", new SslHandler(conn.newEngine(host, port)));
                        }
                        ch.pipeline().addLast("decoder", new RtspMessageDecoder());
                        ch.pipeline().addLast("encoder", new RtspMessageEncoder());
                        ch.pipeline().addLast("rtsp", conn);
                    }
                });
        b.connect(host, port).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new RtspClientException(
                        "cannot connect to " + host + ":" + port + ": " + describe(f.cause()), f.cause()));
                return;
            }
            conn.channel = f.channel();
            if (!tls) {
                result.complete(conn);
                return;
            }
            SslHandler ssl = conn.channel.pipeline().get(SslHandler.class);
            ssl.setHandshakeTimeoutMillis(options.connectTimeout().toMillis());
            ssl.handshakeFuture().addListener(hf -> {
                if (hf.isSuccess()) {
                    result.complete(conn);
                } else {
                    conn.channel.close();
                    result.completeExceptionally(new RtspClientException(
                            "TLS handshake with " + host + ":" + port + " failed: " + describe(hf.cause()),
                            hf.cause()));
                }
            });
        });
        return result;
    }

    private SSLEngine newEngine(String host, int port) {
        try {
            SSLContext ctx = options.sslContext() != null ? options.sslContext() : SSLContext.getDefault();
            SSLEngine engine = ctx.createSSLEngine(host, port);
            engine.setUseClientMode(true);
            if (options.verifyHostname()) {
                SSLParameters params = engine.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                engine.setSSLParameters(params);
            }
            return engine;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new RtspClientException("no TLS context available: " + e.getMessage(), e);
        }
    }

    static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof SSLHandshakeException || root instanceof RtspClientException) {
                break;
            }
            root = root.getCause();
        }
        String msg = root.getMessage();
        if (root instanceof SSLHandshakeException || (msg != null && msg.contains("PKIX"))) {
            return "server certificate not trusted or invalid (" + msg + ")";
        }
        return msg == null ? root.getClass().getSimpleName() : msg;
    }

    /** The session id sent with every request once set. */
    void session(String session) {
        this.session = session;
    }

    String session() {
        return session;
    }

    boolean isActive() {
        return channel != null && channel.isActive();
    }

    Channel channel() {
        return channel;
    }

    InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    /**
     * Sends a request; the future completes with the response whatever its status (after answering one 401
     * challenge), or fails on timeout, connection loss or failed authentication.
     */
    CompletableFuture<RtspResponse> request(String method, String uri, Consumer<RtspHeaders> headers) {
        return request(method, uri, headers, null);
    }

    /** As {@link #request(String, String, Consumer)}, with a request body (may be null). */
    CompletableFuture<RtspResponse> request(String method, String uri, Consumer<RtspHeaders> headers, byte[] body) {
        RtspRequest req = new RtspRequest(method, uri);
        if (headers != null) {
            headers.accept(req.headers());
        }
        if (body != null && body.length > 0) {
            req.body(body);
        }
        CompletableFuture<RtspResponse> future = new CompletableFuture<>();
        send(new Pending(req, future, false));
        return future;
    }

    private void send(Pending p) {
        if (!isActive()) {
            p.future.completeExceptionally(new RtspClientException("connection to " + displayUrl + " is closed"));
            return;
        }
        RtspHeaders h = p.request.headers();
        h.set("CSeq", Integer.toString(++cseq));
        if (options.userAgent() != null && !options.userAgent().isEmpty()) {
            h.set("User-Agent", options.userAgent());
        }
        if (session != null && !h.contains("Session")) {
            h.set("Session", session);
        }
        if (authenticator != null) {
            h.set("Authorization", authenticator.authorization(p.request.method(), p.request.uri()));
        }
        long timeoutMs = options.requestTimeout().toMillis();
        p.timeout = loop.schedule(() -> {
            if (pending.remove(p)) {
                p.future.completeExceptionally(new RtspTimeoutException(
                        p.request.method() + " " + RtspUrls.sanitize(p.request.uri()) + ": no response within "
                                + timeoutMs + " ms"));
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
        pending.add(p);
        LOG.debug("-> {} {} CSeq {}", p.request.method(), RtspUrls.sanitize(p.request.uri()), cseq);
        channel.writeAndFlush(p.request).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess() && pending.remove(p)) {
                p.timeout.cancel(false);
                p.future.completeExceptionally(new RtspClientException(
                        p.request.method() + " could not be sent: " + describe(f.cause()), f.cause()));
            }
        });
    }

    /** Writes an interleaved frame (RTCP over TCP); takes ownership of {@code payload}. */
    void sendInterleaved(int channelId, ByteBuf payload) {
        if (isActive()) {
            channel.writeAndFlush(new InterleavedFrame(channelId, payload), channel.voidPromise());
        } else {
            payload.release();
        }
    }

    void autoRead(boolean autoRead) {
        if (channel != null) {
            channel.config().setAutoRead(autoRead);
        }
    }

    /** Closes the connection; pending requests fail; the listener hears {@code onClosed(null)}. */
    void close() {
        closing = true;
        if (channel != null) {
            channel.close();
        }
        failPending(new RtspClientException("connection to " + displayUrl + " closed"));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof InterleavedFrame frame) {
            listener.onInterleaved(frame.channel(), frame.content());
        } else if (msg instanceof RtspResponse response) {
            onResponse(response);
        } else if (msg instanceof RtspRequest request) {
            onServerRequest(request);
        }
    }

    private void onResponse(RtspResponse response) {
        Integer cs = response.cseq();
        Pending p = null;
        if (cs != null) {
            for (Iterator<Pending> it = pending.iterator(); it.hasNext();) {
                Pending candidate = it.next();
                if (cs.equals(candidate.request.cseq())) {
                    p = candidate;
                    it.remove();
                    break;
                }
            }
        }
        if (p == null && pending.size() == 1 && cs == null) {
            // tolerate responses without CSeq when exactly one request is outstanding
            p = pending.poll();
        }
        if (p == null) {
            LOG.debug("Ignoring response {} {} with CSeq {} that matches no request from {}",
                    response.statusCode(), response.reasonPhrase(), cs, displayUrl);
            return;
        }
        p.timeout.cancel(false);
        LOG.debug("<- {} {} for {}", response.statusCode(), response.reasonPhrase(), p.request.method());
        if (response.statusCode() == 401) {
            handleUnauthorized(p, response);
            return;
        }
        p.future.complete(response);
    }

    private void handleUnauthorized(Pending p, RtspResponse response) {
        Credentials creds = options.credentials();
        if (creds == null) {
            p.future.completeExceptionally(new RtspAuthenticationException(
                    "authentication failed: " + displayUrl + " requires credentials and none were given"));
            return;
        }
        if (p.authRetry) {
            p.future.completeExceptionally(new RtspAuthenticationException(
                    "authentication failed: " + displayUrl + " refused the credentials of user '" + creds.username()
                            + "' (401 " + response.reasonPhrase() + ")"));
            return;
        }
        try {
            authenticator = ClientAuthenticator.fromChallenges(response.headers().getAll("WWW-Authenticate"), creds);
        } catch (RuntimeException e) {
            p.future.completeExceptionally(e instanceof RtspAuthenticationException ? e
                    : new RtspAuthenticationException("authentication failed: " + e.getMessage()));
            return;
        }
        RtspRequest retry = new RtspRequest(p.request.method(), p.request.uri());
        p.request.headers().forEach((k, v) -> {
            if (!"CSeq".equalsIgnoreCase(k) && !"Authorization".equalsIgnoreCase(k)) {
                retry.headers().add(k, v);
            }
        });
        retry.body(p.request.body());
        send(new Pending(retry, p.future, true));
    }

    private void onServerRequest(RtspRequest request) {
        // servers may ping clients (GET_PARAMETER/OPTIONS) or announce changes; answer so they keep the session
        String m = request.method();
        boolean ok = "OPTIONS".equals(m) || "GET_PARAMETER".equals(m) || "SET_PARAMETER".equals(m);
        RtspResponse resp = ok ? new RtspResponse(200, "OK") : new RtspResponse(501, "Not Implemented");
        if (request.cseq() != null) {
            resp.headers().set("CSeq", request.cseq().toString());
        }
        LOG.debug("Server sent {}: answered {}", m, resp.statusCode());
        channel.writeAndFlush(resp, channel.voidPromise());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        failPending(new RtspClientException("connection to " + displayUrl + " lost"));
        reportClosed(closing ? null : new RtspClientException("connection to " + displayUrl + " closed by server"));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
            LOG.debug("TLS handshake failed: {}", e.cause().toString());
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        boolean handshaking = ssl != null && !ssl.handshakeFuture().isSuccess();
        RtspClientException error = new RtspClientException((handshaking
                ? "TLS handshake with " + displayUrl + " failed: "
                : "connection to " + displayUrl + " failed: ") + describe(cause), cause);
        failPending(error);
        reportClosed(error);
        ctx.close();
    }

    private void failPending(RuntimeException error) {
        Pending p;
        while ((p = pending.poll()) != null) {
            p.timeout.cancel(false);
            p.future.completeExceptionally(error);
        }
    }

    private void reportClosed(Throwable cause) {
        if (!closedReported) {
            closedReported = true;
            listener.onClosed(cause);
        }
    }
}
