package io.github.camelrtsp.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.camelrtsp.message.InterleavedFrame;
import io.github.camelrtsp.message.RtspMessageDecoder;
import io.github.camelrtsp.message.RtspMessageEncoder;
import io.github.camelrtsp.message.RtspMessages;
import io.github.camelrtsp.message.RtspRequest;
import io.github.camelrtsp.message.RtspResponse;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * An in-JVM RTSP server for fault tests: every request goes to a script that answers as a test wants (corpus files,
 * garbage, silence, a closed connection). Records what it received.
 */
public final class ScriptedRtspServer implements AutoCloseable {

    /** Answers one request. */
    public interface Script {
        void onRequest(Call call) throws Exception;
    }

    /** One received request and the way to answer it. */
    public final class Call {
        public final RtspRequest request;
        public final Channel channel;

        Call(RtspRequest request, Channel channel) {
            this.request = request;
            this.channel = channel;
        }

        /** Sends the response with the request's CSeq. */
        public void reply(RtspResponse response) {
            if (request.cseq() != null) {
                response.headers().set("CSeq", request.cseq().toString());
            }
            channel.writeAndFlush(response);
        }

        public void reply(int status, String reason) {
            reply(new RtspResponse(status, reason));
        }

        /** Sends bytes as they are. */
        public void raw(byte[] bytes) {
            channel.writeAndFlush(Unpooled.wrappedBuffer(bytes));
        }

        public void close() {
            channel.close();
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    public final List<RtspRequest> requests = new CopyOnWriteArrayList<>();
    final List<Integer> interleavedChannels = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();

    public ScriptedRtspServer(Script script) {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        ch.pipeline().addLast(new RtspMessageDecoder(), new RtspMessageEncoder(),
                                new SimpleChannelInboundHandler<Object>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, Object msg)
                                            throws Exception {
                                        if (msg instanceof RtspRequest req) {
                                            requests.add(req);
                                            script.onRequest(new Call(req, ctx.channel()));
                                        } else if (msg instanceof InterleavedFrame f) {
                                            interleavedChannels.add(f.channel());
                                        }
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        ctx.close();
                                    }
                                });
                    }
                }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public String url(String path) {
        return "rtsp://127.0.0.1:" + port() + path;
    }

    public List<String> methods() {
        return requests.stream().map(RtspRequest::method).toList();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    public static Path corpusDir() {
        String dir = System.getProperty("camelrtsp.corpus.dir");
        Path p = dir != null ? Path.of(dir) : Path.of("../../shared/camera-corpus");
        if (!Files.isDirectory(p)) {
            p = Path.of("../shared/camera-corpus");
        }
        return p;
    }

    public static byte[] corpusBytes(String name) {
        try {
            return Files.readAllBytes(corpusDir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A corpus response, parsed. */
    public static RtspResponse corpusResponse(String file) {
        return RtspMessages.parseResponse(corpusBytes("responses/" + file));
    }
}
