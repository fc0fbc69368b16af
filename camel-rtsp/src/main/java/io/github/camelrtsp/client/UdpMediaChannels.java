package io.github.camelrtsp.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local RTP/RTCP UDP port pair of one track (RTP on an even port, RTCP on the next). Packets from any host but
 * the server are dropped and counted. A receiving pair hands what arrives to its {@link TrackReceiver}; a sending
 * pair (a publisher's, without receiver) sends RTP and RTCP to the server's ports and only counts what arrives.
 */
final class UdpMediaChannels {

    private static final Logger LOG = LoggerFactory.getLogger(UdpMediaChannels.class);
    private static final int MAX_BIND_TRIES = 30;
    private static final int RECEIVE_BUFFER = 512 * 1024;

    private final TrackReceiver receiver;
    private final RtspStreamClient client;
    private final Object label;
    private Channel rtp;
    private Channel rtcp;
    private InetAddress serverAddress;
    /** Where a sending pair sends RTP (the server's server_port). */
    private InetSocketAddress serverRtp;
    private long receivedPackets;
    /** Where the server's RTP and RTCP come from (learnt from Transport server_port or the first packet). */
    private InetSocketAddress serverRtcp;
    private long foreignPackets;

    private UdpMediaChannels(TrackReceiver receiver, RtspStreamClient client, Object label) {
        this.receiver = receiver;
        this.client = client;
        this.label = label;
    }

    /** Binds an even/odd port pair on the loop, within [min, max] when min > 0. */
    static CompletableFuture<UdpMediaChannels> bind(EventLoop loop, TrackReceiver receiver, RtspStreamClient client,
                                                    int portMin, int portMax) {
        UdpMediaChannels u = new UdpMediaChannels(receiver, client, receiver.track);
        CompletableFuture<UdpMediaChannels> result = new CompletableFuture<>();
        u.tryBind(loop, portMin, portMax, 0, result);
        return result;
    }

    /**
     * Binds an even/odd port pair for sending (a publisher's track), within [min, max] when min > 0; what arrives on
     * it (the server's RTCP receiver reports) is counted only.
     *
     * @param label names the track in logs
     */
    static CompletableFuture<UdpMediaChannels> bindForSending(EventLoop loop, Object label, int portMin,
                                                              int portMax) {
        UdpMediaChannels u = new UdpMediaChannels(null, null, label);
        CompletableFuture<UdpMediaChannels> result = new CompletableFuture<>();
        u.tryBind(loop, portMin, portMax, 0, result);
        return result;
    }

    private void tryBind(EventLoop loop, int portMin, int portMax, int attempt, CompletableFuture<UdpMediaChannels> r) {
        if (attempt >= MAX_BIND_TRIES) {
            r.completeExceptionally(new RtspClientException("no free UDP port pair for RTP/RTCP"
                    + (portMin > 0 ? " in " + portMin + "-" + portMax : "") + " after " + attempt + " tries"));
            return;
        }
        int wanted = 0;
        if (portMin > 0 && portMin == portMax) {
            wanted = portMin;
            if (attempt > 0) {
                r.completeExceptionally(new RtspClientException("UDP ports " + portMin + "-" + (portMin + 1)
                        + " are not free"));
                return;
            }
        } else if (portMin > 0) {
            int span = Math.max(1, (portMax - portMin) / 2);
            wanted = (portMin & ~1) + 2 * ThreadLocalRandom.current().nextInt(span);
        }
        ChannelFuture f = bootstrap(loop, true).bind(new InetSocketAddress(wanted));
        f.addListener(bf -> {
            if (!bf.isSuccess()) {
                tryBind(loop, portMin, portMax, attempt + 1, r);
                return;
            }
            Channel rtpCh = f.channel();
            int port = ((InetSocketAddress) rtpCh.localAddress()).getPort();
            if ((port & 1) != 0 && !(portMin > 0 && portMin == portMax)) {
                rtpCh.close();
                tryBind(loop, portMin, portMax, attempt + 1, r);
                return;
            }
            ChannelFuture f2 = bootstrap(loop, false).bind(new InetSocketAddress(port + 1));
            f2.addListener(bf2 -> {
                if (!bf2.isSuccess()) {
                    rtpCh.close();
                    tryBind(loop, portMin, portMax, attempt + 1, r);
                    return;
                }
                rtp = rtpCh;
                rtcp = f2.channel();
                r.complete(this);
            });
        });
    }

    private Bootstrap bootstrap(EventLoop loop, boolean isRtp) {
        return new Bootstrap().group(loop).channel(NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                        onDatagram(msg, isRtp);
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        LOG.debug("{}: UDP receive error: {}", label, cause.toString());
                    }
                });
    }

    private void onDatagram(DatagramPacket msg, boolean isRtp) {
        InetSocketAddress sender = msg.sender();
        if (serverAddress != null && !serverAddress.equals(sender.getAddress())) {
            if (foreignPackets++ % 1000 == 0) {
                LOG.warn("{}: dropped UDP packets from {} which is not the RTSP server ({} so far)", label,
                        sender.getAddress().getHostAddress(), foreignPackets);
            }
            return;
        }
        if (receiver == null) {
            receivedPackets++;
            return;
        }
        long now = System.nanoTime();
        ByteBuf content = msg.content();
        if (isRtp) {
            if (receiver.onRtp(content, now)) {
                client.mediaArrived(now);
            }
        } else {
            if (serverRtcp == null) {
                serverRtcp = sender;
            }
            receiver.onRtcp(content, now);
        }
    }

    int rtpPort() {
        return ((InetSocketAddress) rtp.localAddress()).getPort();
    }

    /** Accepts media from this server only; {@code serverPorts} may be null when the server did not say. */
    void server(InetAddress address, int[] serverPorts) {
        this.serverAddress = address;
        if (serverPorts != null && serverPorts.length == 2) {
            this.serverRtcp = new InetSocketAddress(address, serverPorts[1]);
        } else if (serverPorts != null && serverPorts.length == 1) {
            this.serverRtcp = new InetSocketAddress(address, serverPorts[0] + 1);
        }
        if (serverPorts != null && serverPorts.length >= 1) {
            this.serverRtp = new InetSocketAddress(address, serverPorts[0]);
        }
    }

    /** Whether the server's RTP port is known (a sending pair needs it). */
    boolean canSendRtp() {
        return serverRtp != null;
    }

    /** Whether the RTP socket's outbound buffer is below its high water mark. */
    boolean rtpWritable() {
        return rtp != null && rtp.isActive() && rtp.isWritable();
    }

    /** Writes an RTP packet to the server's RTP port without flushing; takes ownership of {@code data}. */
    void writeRtp(ByteBuf data) {
        if (serverRtp != null && rtp != null && rtp.isActive()) {
            rtp.write(new DatagramPacket(data, serverRtp), rtp.voidPromise());
        } else {
            data.release();
        }
    }

    /** Flushes what {@link #writeRtp} wrote. */
    void flushRtp() {
        if (rtp != null) {
            rtp.flush();
        }
    }

    /** Datagrams that arrived on a sending pair (server RTCP). */
    long receivedPackets() {
        return receivedPackets;
    }

    /** Sends an RTCP packet to the server's RTCP port if it is known; releases {@code data} otherwise. */
    void sendRtcp(ByteBuf data) {
        if (serverRtcp != null && rtcp != null && rtcp.isActive()) {
            rtcp.writeAndFlush(new DatagramPacket(data, serverRtcp), rtcp.voidPromise());
        } else {
            data.release();
        }
    }

    long foreignPackets() {
        return foreignPackets;
    }

    void close() {
        if (rtp != null) {
            rtp.close();
        }
        if (rtcp != null) {
            rtcp.close();
        }
    }
}
