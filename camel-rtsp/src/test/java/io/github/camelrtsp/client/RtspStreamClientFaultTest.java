package io.github.camelrtsp.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.camelrtsp.auth.Credentials;
import io.github.camelrtsp.headers.TransportHeader;
import io.github.camelrtsp.message.InterleavedFrame;
import io.github.camelrtsp.message.RtspResponse;
import io.github.camelrtsp.rtp.RtpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.github.camelrtsp.client.RecordingListener.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client against a scripted in-JVM server: camera quirks from the corpus and faults GStreamer cannot make. */
class RtspStreamClientFaultTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static EventLoopGroup group;
    private ScriptedRtspServer server;
    private RtspStreamClient client;

    @BeforeAll
    static void loop() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void shutdown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void cleanup() throws Exception {
        if (client != null) {
            client.stop().get(15, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    private RecordingListener play(RtspClientOptions options) {
        RecordingListener l = new RecordingListener();
        client = new RtspStreamClient(options, group, l);
        client.start();
        return l;
    }

    private RtspClientOptions options(String path) {
        return new RtspClientOptions().url(server.url(path)).reconnectDelay(Duration.ofMillis(100))
                .maxReconnectDelay(Duration.ofMillis(500)).requestTimeout(Duration.ofSeconds(2));
    }

    static ByteBuf rtp(int pt, int seq, long ts, boolean marker, int payloadBytes) {
        ByteBuf b = Unpooled.buffer(12 + payloadBytes);
        RtpPacket.writeHeader(b, marker, pt, seq, ts, 0x1234_5678L);
        b.writeZero(payloadBytes);
        return b;
    }

    /** Answers DESCRIBE, the SETUPs and PLAY with corpus files, then sends RTP on the channel SETUP gave. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "hikvision, hikvision_describe.txt, hikvision_setup.txt, hikvision_play.txt, video, 0, 96",
        "reolink (SSRC only in RTP-Info), reolink_describe.txt, reolink_setup.txt, reolink_play.txt, video, 0, 96",
        "gw (Session with space before timeout and RTP-Info URLs that differ), gw_main_describe.txt, gw_main_setup_video.txt, gw_main_play.txt, video, 0, 96",
        "dahua, dahua_describe_h264_aac_onvif.txt, dahua_setup.txt, dahua_play.txt, video, 0, 96",
        "hikvision ssrc with space, hikvision_describe.txt, hikvision_setup_ssrc_space.txt, hikvision_play.txt, video, 0, 96",
        "luckfox (no unicast), hikvision_describe.txt, luckfox_rkipc_setup_tcp.txt, laureii_play.txt, video, 0, 96",
        "anjvision (Content-Base without scheme), anjvision_describe.txt, dahua_setup.txt, bad_rtptime.txt, video, 0, 96"
    })
    void playsWithCameraAnswers(String camera, String describe, String setup, String play, String media,
                                int channel, int pt) {
        server = new ScriptedRtspServer(call -> {
            switch (call.request.method()) {
                case "OPTIONS" -> call.reply(200, "OK");
                case "DESCRIBE" -> call.reply(ScriptedRtspServer.corpusResponse(describe));
                case "SETUP" -> call.reply(ScriptedRtspServer.corpusResponse(setup));
                case "PLAY" -> {
                    RtspResponse r = ScriptedRtspServer.corpusResponse(play);
                    if (!r.isSuccess()) {
                        r = new RtspResponse(200, "OK");
                    }
                    call.reply(r);
                    for (int i = 0; i < 30; i++) {
                        call.channel.writeAndFlush(new InterleavedFrame(channel, rtp(pt, 1000 + i, 90_000L * i, true,
                                100)));
                    }
                }
                default -> call.reply(200, "OK");
            }
        });
        RecordingListener l = play(options("/cam").media(Set.of(media)));
        await(WAIT, () -> l.totalPackets() >= 30, () -> camera + ": packets, states " + l.states);
        assertEquals(ClientState.PLAYING, client.state());
        String setupUri = server.requests.stream().filter(r -> r.method().equals("SETUP")).findFirst().orElseThrow()
                .uri();
        assertTrue(setupUri.startsWith("rtsp://"), "absolute SETUP URL: " + setupUri);
        assertEquals(0, client.session().tracks().get(0).statistics().packetsLost());
        if (ScriptedRtspServer.corpusResponse(play).headers().get("RTP-Info") != null) {
            assertTrue(client.session().rtpInfo().containsKey(client.session().tracks().get(0).index()),
                    camera + ": RTP-Info matched to the track: " + client.session().rtpInfo());
        }
    }

    @Test
    void readsWholeRecordedInterleavedStream() {
        byte[] recorded = ScriptedRtspServer.corpusBytes("bunny-interleaved.rtsp");
        int expected = 0;
        for (int i = 0; i < recorded.length; i += 4 + (((recorded[i + 2] & 0xFF) << 8) | (recorded[i + 3] & 0xFF))) {
            expected += (recorded[i + 1] & 1) == 0 ? 1 : 0;
        }
        AtomicInteger setups = new AtomicInteger();
        server = new ScriptedRtspServer(call -> {
            switch (call.request.method()) {
                case "DESCRIBE" -> call.reply(ScriptedRtspServer.corpusResponse("bunny_describe.txt"));
                case "SETUP" -> {
                    RtspResponse r = ScriptedRtspServer.corpusResponse("bunny_setup.txt");
                    int n = setups.getAndIncrement();
                    r.headers().set("Transport", "RTP/AVP/TCP;unicast;interleaved=" + (2 * n) + "-" + (2 * n + 1));
                    call.reply(r);
                }
                case "PLAY" -> {
                    call.reply(ScriptedRtspServer.corpusResponse("bunny_play.txt"));
                    // the recorded bytes in small odd-sized writes, so frames straddle reads
                    for (int off = 0; off < recorded.length; off += 1357) {
                        call.channel.write(Unpooled.wrappedBuffer(recorded, off,
                                Math.min(1357, recorded.length - off)));
                    }
                    call.channel.flush();
                }
                default -> call.reply(200, "OK");
            }
        });
        RecordingListener l = play(options("/vod/bunny").media(Set.of("video", "audio")));
        int total = expected;
        await(WAIT, () -> l.totalPackets() == total, () -> "all " + total + " packets, got " + l.packets);
        assertEquals(102, l.packets(0), "audio packets (channel 0)");
        assertEquals(269, l.packets(1), "video packets (channel 2)");
        assertEquals("MPEG4-GENERIC", l.codecs.get(0));
        assertEquals("H264", l.codecs.get(1));
        for (MediaTrack t : client.session().tracks()) {
            assertEquals(0, t.statistics().packetsLost(), t + " lost nothing");
        }
    }

    private ScriptedRtspServer.Script basic(String publicHeader, String sessionHeader, int packets) {
        return call -> {
            switch (call.request.method()) {
                case "OPTIONS" -> {
                    RtspResponse r = new RtspResponse(200, "OK");
                    if (publicHeader != null) {
                        r.headers().set("Public", publicHeader);
                    }
                    call.reply(r);
                }
                case "DESCRIBE" -> {
                    RtspResponse r = new RtspResponse(200, "OK");
                    r.headers().set("Content-Type", "application/sdp");
                    r.body(("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=x\r\nt=0 0\r\na=control:*\r\n"
                            + "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:trackID=0\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    call.reply(r);
                }
                case "SETUP" -> {
                    RtspResponse r = new RtspResponse(200, "OK");
                    r.headers().set("Transport", "RTP/AVP/TCP;unicast;interleaved=0-1");
                    r.headers().set("Session", sessionHeader);
                    call.reply(r);
                }
                case "PLAY" -> {
                    call.reply(200, "OK");
                    for (int i = 0; i < packets; i++) {
                        call.channel.writeAndFlush(new InterleavedFrame(0, rtp(96, i, 3000L * i, true, 50)));
                    }
                }
                default -> call.reply(200, "OK");
            }
        };
    }

    @Test
    void keepAliveUsesGetParameterWhenTheServerListsIt() {
        server = new ScriptedRtspServer(basic("OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER",
                "abc;timeout=2", 5));
        RecordingListener l = play(options("/live").receiveTimeout(Duration.ofSeconds(30)));
        await(WAIT, () -> server.methods().contains("GET_PARAMETER"), () -> "keep-alive, got " + server.methods());
        assertEquals("abc", server.requests.get(server.requests.size() - 1).headers().get("Session"));
        assertTrue(l.totalPackets() >= 5);
    }

    @Test
    void keepAliveFallsBackToOptions() {
        server = new ScriptedRtspServer(basic("OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN", "abc; timeout=2", 5));
        play(options("/live").receiveTimeout(Duration.ofSeconds(30)));
        await(WAIT, () -> server.methods().stream().filter("OPTIONS"::equals).count() >= 2,
                () -> "OPTIONS keep-alive, got " + server.methods());
        assertFalse(server.methods().contains("GET_PARAMETER"));
    }

    @Test
    void sendsReceiverReportsAndTeardown() throws Exception {
        server = new ScriptedRtspServer(basic(null, "abc", 20));
        RecordingListener l = play(options("/live").receiveTimeout(Duration.ofSeconds(30)));
        await(WAIT, () -> l.totalPackets() >= 20, () -> "packets, states " + l.states);
        await(WAIT, () -> server.interleavedChannels.contains(1), () -> "an RTCP report on channel 1");
        client.stop().get(5, TimeUnit.SECONDS);
        await(WAIT, () -> server.methods().contains("TEARDOWN"), () -> "TEARDOWN, got " + server.methods());
        assertEquals(ClientState.STOPPED, client.state());
    }

    @Test
    void malformedRtpIsCountedAndSkipped() {
        server = new ScriptedRtspServer(call -> {
            basic(null, "abc", 0).onRequest(call);
            if (call.request.method().equals("PLAY")) {
                for (int i = 0; i < 10; i++) {
                    call.channel.writeAndFlush(new InterleavedFrame(0, Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
                    call.channel.writeAndFlush(new InterleavedFrame(0, rtp(96, i, 3000L * i, true, 10)));
                }
            }
        });
        RecordingListener l = play(options("/live").receiveTimeout(Duration.ofSeconds(30)));
        await(WAIT, () -> l.totalPackets() == 10, () -> "valid packets, got " + l.packets);
        assertEquals(ClientState.PLAYING, client.state());
    }

    @Test
    void unansweredRequestTimesOutAndReconnects() {
        server = new ScriptedRtspServer(call -> {
            if (!call.request.method().equals("DESCRIBE")) {
                call.reply(200, "OK");
            }
        });
        RecordingListener l = play(options("/silent").requestTimeout(Duration.ofMillis(500)));
        await(WAIT, () -> server.connections.get() >= 3, () -> "reconnects, states " + l.states);
        assertTrue(l.states.stream().anyMatch(s -> s.contains("DESCRIBE") && s.contains("no response within 500 ms")),
                l.states.toString());
    }

    @Test
    void hostileContentLengthIsAClearError() {
        server = new ScriptedRtspServer(call -> call.raw(("RTSP/1.0 200 OK\r\nCSeq: " + call.request.cseq()
                + "\r\nContent-Length: 2000000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        RecordingListener l = play(options("/hostile").maxReconnectAttempts(0));
        await(WAIT, () -> client.state() == ClientState.FAILED, () -> "failure, states " + l.states);
        assertTrue(client.stateReason().contains("Content-Length"), client.stateReason());
    }

    @Test
    void errorStatusIsReported() {
        server = new ScriptedRtspServer(call -> call.reply(call.request.method().equals("DESCRIBE")
                ? new RtspResponse(404, "Stream Not Found") : new RtspResponse(200, "OK")));
        RecordingListener l = play(options("/missing?channel=1&subtype=0").maxReconnectAttempts(0));
        await(WAIT, () -> client.state() == ClientState.FAILED, () -> "failure, states " + l.states);
        assertTrue(client.stateReason().contains("404 Stream Not Found"), client.stateReason());
        assertEquals(server.url("/missing?channel=1&subtype=0"), server.requests.get(1).uri(),
                "camera query reaches the camera unchanged");
    }

    @Test
    void authenticationWithoutCredentialsIsAClearError() {
        server = new ScriptedRtspServer(call -> {
            RtspResponse r = ScriptedRtspServer.corpusResponse("longse_unauthorized.txt");
            call.reply(r);
        });
        RecordingListener l = play(options("/auth").maxReconnectAttempts(0));
        await(WAIT, () -> client.state() == ClientState.FAILED, () -> "failure, states " + l.states);
        assertTrue(client.stateReason().contains("requires credentials"), client.stateReason());
    }

    @Test
    void digestWithoutQopFromTheCorpusIsAnswered() {
        AtomicInteger authorized = new AtomicInteger();
        server = new ScriptedRtspServer(call -> {
            String auth = call.request.headers().get("Authorization");
            if (auth == null) {
                call.reply(ScriptedRtspServer.corpusResponse("longse_unauthorized.txt"));
                return;
            }
            assertTrue(auth.startsWith("Digest "), auth);
            assertFalse(auth.contains("pw-1"), "no password on the wire");
            authorized.incrementAndGet();
            basic(null, "abc", 5).onRequest(call);
        });
        RecordingListener l = play(options("/auth").credentials(new Credentials("admin", "pw-1")));
        await(WAIT, () -> l.totalPackets() >= 5, () -> "packets, states " + l.states);
        assertTrue(authorized.get() >= 4);
        List<String> methods = server.methods();
        assertEquals("OPTIONS", methods.get(0));
    }

    /** A scripted server that plays one H.264 track over UDP or TCP, as the SETUP asked, sending from {@code out}. */
    private ScriptedRtspServer.Script udpOrTcp(java.net.DatagramSocket out, Integer forcedClientPort, boolean sendUdp) {
        return udpOrTcp(out, forcedClientPort, sendUdp, java.util.stream.IntStream.range(0, 20).toArray());
    }

    private ScriptedRtspServer.Script udpOrTcp(java.net.DatagramSocket out, Integer forcedClientPort, boolean sendUdp,
                                               int[] order) {
        int[] clientRtp = new int[1];
        return call -> {
            switch (call.request.method()) {
                case "SETUP" -> {
                    TransportHeader asked = TransportHeader.parse(call.request.headers().get("Transport"));
                    RtspResponse r = new RtspResponse(200, "OK");
                    r.headers().set("Session", "udp1;timeout=60");
                    if (asked.tcp()) {
                        r.headers().set("Transport", "RTP/AVP/TCP;unicast;interleaved=0-1");
                        clientRtp[0] = -1;
                    } else {
                        int port = forcedClientPort != null ? forcedClientPort : asked.clientPort()[0];
                        clientRtp[0] = port;
                        r.headers().set("Transport", "RTP/AVP;unicast;client_port=" + port + "-" + (port + 1)
                                + ";server_port=" + out.getLocalPort() + "-" + (out.getLocalPort() + 1));
                    }
                    call.reply(r);
                }
                case "PLAY" -> {
                    call.reply(200, "OK");
                    for (int i : order) {
                        ByteBuf p = rtp(96, 100 + i, 3000L * i, true, 40);
                        if (clientRtp[0] < 0) {
                            call.channel.writeAndFlush(new InterleavedFrame(0, p));
                        } else if (sendUdp) {
                            byte[] bytes = new byte[p.readableBytes()];
                            p.readBytes(bytes);
                            out.send(new java.net.DatagramPacket(bytes, bytes.length,
                                    java.net.InetAddress.getLoopbackAddress(), clientRtp[0]));
                        }
                    }
                }
                default -> basic(null, "udp1", 0).onRequest(call);
            }
        };
    }

    @Test
    void playsOverUdp() throws Exception {
        try (java.net.DatagramSocket out = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            server = new ScriptedRtspServer(udpOrTcp(out, null, true));
            RecordingListener l = play(options("/udp").transport(TransportMode.UDP));
            await(WAIT, () -> l.totalPackets() >= 19, () -> "UDP packets, states " + l.states);
            assertEquals(TransportMode.UDP, client.session().transport());
        }
    }

    @Test
    void followsAServerThatIgnoresClientPort() throws Exception {
        int forced = io.github.camelrtsp.testsupport.FreePorts.udpPair();
        try (java.net.DatagramSocket out = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            server = new ScriptedRtspServer(udpOrTcp(out, forced, true));
            RecordingListener l = play(options("/udp").transport(TransportMode.UDP));
            await(WAIT, () -> l.totalPackets() >= 19, () -> "UDP packets on the server's port, states " + l.states);
        }
    }

    @Test
    void autoSwitchesToTcpWhenNoUdpArrives() throws Exception {
        try (java.net.DatagramSocket out = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            server = new ScriptedRtspServer(udpOrTcp(out, null, false));
            RecordingListener l = play(options("/auto").transport(TransportMode.AUTO)
                    .udpFallbackTimeout(Duration.ofMillis(500)));
            await(WAIT, () -> l.totalPackets() >= 20, () -> "packets over TCP, states " + l.states);
            assertEquals(TransportMode.TCP, client.session().transport());
            assertTrue(server.methods().contains("TEARDOWN"), "the UDP session was torn down: " + server.methods());
        }
    }

    @Test
    void udpPacketsAreReorderedAndDeduplicated() throws Exception {
        // swapped neighbours, a duplicate, and packet 10 missing entirely (the first packet fixes the sequence)
        int[] order = {0, 2, 1, 3, 4, 4, 6, 5, 7, 8, 9, 12, 11, 13, 14, 15, 16, 17, 18, 19};
        List<Integer> seqs = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (java.net.DatagramSocket out = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            server = new ScriptedRtspServer(udpOrTcp(out, null, true, order));
            RecordingListener l = new RecordingListener() {
                @Override
                public void onRtpPacket(MediaTrack track, RtpPacket packet) {
                    seqs.add(packet.sequenceNumber());
                    super.onRtpPacket(track, packet);
                }
            };
            client = new RtspStreamClient(options("/udp").transport(TransportMode.UDP)
                    .reorderDelay(Duration.ofMillis(50)), group, l);
            client.start();
            await(WAIT, () -> seqs.size() >= 19, () -> "reordered UDP packets, got " + seqs);
            assertEquals(List.of(100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 111, 112, 113, 114, 115, 116,
                    117, 118, 119), seqs.subList(0, 19), "sequence order, no duplicate, 110 given up");
            MediaTrack t = client.session().tracks().get(0);
            assertEquals(1, t.statistics().packetsLost());
            assertEquals(1, t.statistics().packetsDuplicated());
        }
    }

    @Test
    void udpPortsComeFromTheConfiguredRange() throws Exception {
        int port = io.github.camelrtsp.testsupport.FreePorts.udpPair();
        try (java.net.DatagramSocket out = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            server = new ScriptedRtspServer(udpOrTcp(out, null, true));
            RecordingListener l = play(options("/udp").transport(TransportMode.UDP).udpPortRange(port, port + 1));
            await(WAIT, () -> l.totalPackets() >= 19, () -> "UDP packets, states " + l.states);
            String transport = server.requests.stream().filter(r -> r.method().equals("SETUP")).findFirst()
                    .orElseThrow().headers().get("Transport");
            assertTrue(transport.contains("client_port=" + port + "-" + (port + 1)), transport);
        }
    }
}
