package io.github.camelrtsp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.Packetizer;
import io.github.camelrtsp.format.PacketizerParameters;
import io.github.camelrtsp.format.Packetizers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * ANNOUNCE/SETUP (mode=record)/RECORD, SET_PARAMETER, per-track TEARDOWN and authentication, driven with a bare
 * socket client so that every status and every packet can be checked.
 */
class RtspServerPublishTest {

    private static final String H265_SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=test\r\nc=IN IP4 127.0.0.1\r\n"
            + "t=0 0\r\nm=video 0 RTP/AVP 98\r\na=rtpmap:98 H265/90000\r\na=control:streamid=0\r\n";
    private static final String AV_SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=test\r\nt=0 0\r\n"
            + "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1\r\n"
            + "a=control:stream=0\r\nm=audio 0 RTP/AVP 0\r\na=control:stream=1\r\n";

    private static RtspServer server;

    @BeforeAll
    static void start() {
        server = new RtspServer(new RtspServerOptions().host("127.0.0.1").port(0)).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting: " + what + "; " + server.statistics());
            }
            Thread.sleep(20);
        }
    }

    private static RawRtsp.Response announce(RawRtsp c, String url, String contentType, String sdp)
            throws IOException {
        byte[] body = sdp.getBytes(StandardCharsets.UTF_8);
        String head = "ANNOUNCE " + url + " RTSP/1.0\r\nCSeq: 100\r\nContent-Type: " + contentType
                      + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        c.sendRaw(out.toByteArray());
        return c.readResponse();
    }

    private static RawRtsp.Response withBody(RawRtsp c, String method, String url, String session, String body)
            throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        c.sendRaw((method + " " + url + " RTSP/1.0\r\nCSeq: 101\r\n" + session + "\r\nContent-Type: text/parameters"
                   + "\r\nContent-Length: " + b.length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
        return c.readResponse();
    }

    private static void sendFrame(RawRtsp c, int channel, ByteBuf packet) throws IOException {
        byte[] data = ByteBufUtil.getBytes(packet);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('$');
        out.write(channel);
        out.write(data.length >> 8);
        out.write(data.length & 0xFF);
        out.writeBytes(data);
        c.sendRaw(out.toByteArray());
    }

    private static ByteBuf rtp(int pt, int seq, long ts, boolean marker, int... payload) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0x80).writeByte((marker ? 0x80 : 0) | pt).writeShort(seq).writeInt((int) ts).writeInt(0xCAFE);
        for (int p : payload) {
            b.writeByte(p);
        }
        return b;
    }

    /** Announces {@code sdp} at {@code path} and sets up track 0 (and 1 when {@code twoTracks}) interleaved. */
    private static String publish(RawRtsp c, String path, String sdp, boolean twoTracks) throws IOException {
        assertEquals(200, announce(c, c.url(""), "application/sdp", sdp).status());
        return setUpRecord(c, sdp, twoTracks);
    }

    private static String setUpRecord(RawRtsp c, String sdp, boolean twoTracks) throws IOException {
        RawRtsp.Response s0 = c.request("SETUP", c.url(sdp.contains("streamid") ? "/streamid=0" : "/stream=0"),
                "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record");
        assertEquals(200, s0.status());
        assertTrue(s0.header("Transport").contains("mode=record"), s0.header("Transport"));
        String session = "Session: " + s0.sessionId();
        if (twoTracks) {
            assertEquals(200, c.request("SETUP", c.url("/stream=1"),
                    "Transport: RTP/AVP/TCP;unicast;interleaved=2-3;mode=record", session).status());
        }
        return session;
    }

    /**
     * An H.265 publisher over TCP: the listener gets every packet as sent, and a player that joins mid-stream gets
     * the publisher's payload type in its SDP and starts at the first packet of the next IRAP access unit, then every
     * packet. The publisher's TEARDOWN ends it all: listener told, stream removed, the player disconnected.
     */
    @Test
    void h265PublisherReachesAPlayerThatJoinsAtTheNextIrap() throws Exception {
        byte[] annexB = TestMedia.h265Gop5("server-publish");
        List<byte[]> units = FileMediaSource.splitAccessUnits(annexB, "H265");
        boolean[] irap = FileMediaSource.keyFrames(annexB, "H265");
        assertTrue(irap[0] && !irap[3] && !irap[4] && irap[5], "IRAP every 5 access units");
        Packetizer packetizer = Packetizers.create(new PacketizerParameters("H265", 98, 90000, null, Map.of(),
                0xCAFE, 100, 800));
        List<List<ByteBuf>> packets = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < units.size(); i++) {
            List<ByteBuf> list = new ArrayList<>();
            packetizer.packetize(new MediaFrame(i * 9000L, units.get(i), irap[i], false, 0), list::add);
            packets.add(list);
            total += list.size();
        }

        PublishRecorder recorder = new PublishRecorder();
        server.acceptPublishers("/h265in", recorder);
        try (RawRtsp pub = new RawRtsp(server.port(), "/h265in"); RawRtsp player = new RawRtsp(server.port(),
                "/h265in")) {
            String session = publish(pub, "/h265in", H265_SDP, false);
            assertEquals(200, pub.request("RECORD", pub.url(""), session).status());
            assertEquals(1, recorder.starts.get());
            int early = 0;
            for (int i = 0; i < 3; i++) {
                for (ByteBuf p : packets.get(i)) {
                    sendFrame(pub, 0, p);
                    early++;
                }
            }
            int sentEarly = early;
            awaitTrue(() -> recorder.packets.get() == sentEarly, "the first access units are handled");
            RawRtsp.Response describe = player.request("DESCRIBE", player.url(""));
            assertEquals(200, describe.status());
            assertTrue(describe.body().contains("a=rtpmap:98 H265/90000"), describe.body());
            RawRtsp.Response setup = player.request("SETUP", player.url("/trackID=0"),
                    "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
            assertEquals(200, setup.status());
            assertEquals(200, player.request("PLAY", player.url(""), "Session: " + setup.sessionId()).status());
            ServerStream stream = server.stream("/h265in");
            awaitTrue(() -> stream.playingSessions() == 1, "the player joins");
            int expected = 0;
            for (int i = 3; i < units.size(); i++) {
                for (ByteBuf p : packets.get(i)) {
                    sendFrame(pub, 0, p);
                    expected += i >= 5 ? 1 : 0;
                }
            }
            List<RawRtsp.Frame> video = new ArrayList<>();
            while (video.size() < expected) {
                RawRtsp.Frame f = player.readFrame();
                if (f.channel() == 0) {
                    video.add(f);
                }
            }
            ByteBuf first = Unpooled.wrappedBuffer(video.get(0).data());
            assertEquals(5 * 9000L, first.getUnsignedInt(4), "the player starts at the IRAP access unit 5");
            assertTrue(new H265KeyFrames().isKeyFrameStart(first));
            assertEquals(98, first.getUnsignedByte(1) & 0x7F, "the publisher's payload type");
            assertEquals(Long.parseLong(setup.header("Transport").replaceAll(".*ssrc=([0-9A-Fa-f]+).*", "$1"), 16),
                    first.getUnsignedInt(8), "the SSRC announced to the player");
            for (int i = 1; i < video.size(); i++) {
                int prev = Unpooled.wrappedBuffer(video.get(i - 1).data()).getUnsignedShort(2);
                assertEquals((prev + 1) & 0xFFFF, Unpooled.wrappedBuffer(video.get(i).data()).getUnsignedShort(2));
            }
            int all = total;
            awaitTrue(() -> recorder.packets.get() == all, "the listener gets every packet");
            assertTrue(recorder.errors.isEmpty(), recorder.errors.toString());
            assertEquals(units.size(), recorder.frames(0), "the listener's depacketizer rebuilds every access unit");

            assertEquals(200, pub.request("TEARDOWN", pub.url(""), session).status());
            awaitTrue(() -> recorder.stops.size() == 1, "stop reported");
            assertEquals("TEARDOWN", recorder.stops.get(0));
            assertNull(server.stream("/h265in"));
            assertThrows(IOException.class, () -> {
                while (true) {
                    player.readFrame();
                }
            }, "the player's connection is closed");
        } finally {
            server.stopAcceptingPublishers("/h265in");
            packets.forEach(l -> l.forEach(ByteBuf::release));
        }
    }

    @Test
    void onePublisherPerPathAndHostilePublishers() throws Exception {
        PublishRecorder recorder = new PublishRecorder();
        server.acceptPublishers("/busy", recorder);
        try (RawRtsp a = new RawRtsp(server.port(), "/busy"); RawRtsp b = new RawRtsp(server.port(), "/busy")) {
            assertEquals(455, a.request("RECORD", a.url("")).status(), "RECORD before SETUP");
            assertEquals(200, announce(a, a.url(""), "application/sdp", AV_SDP).status());
            RawRtsp.Response second = announce(b, b.url(""), "application/sdp", AV_SDP);
            assertEquals(455, second.status());
            assertEquals(455, announce(a, a.url(""), "application/sdp", AV_SDP).status(), "announce twice");
            assertEquals(461, b.request("SETUP", b.url("/stream=0"),
                    "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record").status(),
                    "recording into a path another connection announced");
            RawRtsp.Response describe = b.request("DESCRIBE", b.url(""));
            assertEquals(200, describe.status(), "players may describe an announced path");
            assertTrue(describe.body().contains("a=rtpmap:0 PCMU/8000"), describe.body());

            String session = setUpRecord(a, AV_SDP, true);
            long dropped = server.statistics().droppedRecordPackets();
            sendFrame(a, 0, rtp(96, 1, 0, true, 0x65, 0x88));
            awaitTrue(() -> server.statistics().droppedRecordPackets() == dropped + 1, "dropped before RECORD");
            assertEquals(200, a.request("RECORD", a.url(""), session).status());
            sendFrame(a, 8, rtp(96, 2, 0, true, 0x65, 0x88));
            awaitTrue(() -> server.statistics().droppedRecordPackets() == dropped + 2, "unknown channel dropped");
            sendFrame(a, 0, Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4, 5}));
            awaitTrue(() -> server.statistics().droppedRecordPackets() == dropped + 3, "not RTP dropped");
            sendFrame(a, 2, rtp(0, 7, 160, false, 0xFF, 0xFF));
            sendFrame(a, 0, rtp(96, 3, 3000, true, 0x65, 0x88));
            awaitTrue(() -> recorder.packets.get() == 2, "RTP on both set-up channels reaches the listener");
            assertEquals(1, recorder.packets(0));
            assertEquals(1, recorder.packets(1));
            assertEquals(0, recorder.stops.size());
            assertEquals(200, a.request("GET_PARAMETER", a.url(""), session).status(), "keep-alive");
        }
        awaitTrue(() -> recorder.stops.size() == 1, "connection loss ends the publisher");
        assertEquals("connection closed", recorder.stops.get(0));
        awaitTrue(() -> server.stream("/busy") == null, "the path is free again");

        try (RawRtsp c = new RawRtsp(server.port(), "/busy")) {
            assertEquals(200, announce(c, c.url(""), "application/sdp", AV_SDP).status(), "free again");
        }
        awaitTrue(() -> server.stream("/busy") == null, "an announce without SETUP ends with its connection");
        assertEquals(1, recorder.starts.get());
        server.stopAcceptingPublishers("/busy");
    }

    @Test
    void unusableAnnouncementsAreRefused() throws Exception {
        server.acceptPublishers("/picky", new PublishRecorder());
        try (RawRtsp c = new RawRtsp(server.port(), "/picky")) {
            long refused = server.statistics().publishersRefused();
            assertEquals(400, announce(c, c.url(""), "application/sdp", "this is not sdp\r\n").status());
            assertEquals(400, announce(c, c.url(""), "application/sdp", "v=0\r\ns=x\r\nt=0 0\r\n").status(),
                    "no media section");
            assertEquals(400, announce(c, c.url(""), "application/sdp",
                    "v=0\r\ns=x\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\n").status(), "dynamic payload type without rtpmap");
            assertEquals(415, announce(c, c.url(""), "text/plain", AV_SDP).status());
            assertEquals(405, announce(c, "rtsp://127.0.0.1:" + server.port() + "/closed", "application/sdp",
                    AV_SDP).status(), "a path not opened for publishers");
            assertEquals(refused + 5, server.statistics().publishersRefused());
            assertNull(server.stream("/picky"));
            assertEquals(200, c.request("OPTIONS", "*").status(), "the connection still works");
        }
        try (RawRtsp c = new RawRtsp(server.port(), "/picky")) {
            c.sendRaw(("ANNOUNCE " + c.url("") + " RTSP/1.0\r\nCSeq: 1\r\nContent-Type: application/sdp\r\n"
                       + "Content-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertEquals(400, c.readResponse().status(), "an SDP beyond 64 KiB");
            assertThrows(IOException.class, () -> c.request("OPTIONS", "*"), "and the connection is closed");
        }
        assertNull(server.stream("/picky"));
        server.stopAcceptingPublishers("/picky");
    }

    @Test
    void setParameterIsAKeepAliveWithoutParameters() throws Exception {
        server.createStream("/param", List.of(ServerTrack.audio(0, "PCMU", 8000, 1, Map.of())));
        try (RawRtsp c = new RawRtsp(server.port(), "/param")) {
            RawRtsp.Response setup = c.request("SETUP", c.url("/trackID=0"),
                    "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
            String session = "Session: " + setup.sessionId();
            assertEquals(200, c.request("SET_PARAMETER", c.url(""), session).status());
            long before = server.statistics().parametersNotUnderstood();
            RawRtsp.Response r = withBody(c, "SET_PARAMETER", c.url(""), session, "barparam: barstuff\r\n");
            assertEquals(451, r.status());
            assertEquals("barparam: barstuff\r\n", r.body());
            assertEquals(before + 1, server.statistics().parametersNotUnderstood());
            assertEquals(454, c.request("SET_PARAMETER", c.url(""), "Session: 00000000").status());
            assertTrue(c.request("OPTIONS", "*").header("Public").contains("SET_PARAMETER"));
        } finally {
            server.stream("/param").remove();
        }
    }

    @Test
    void teardownOfOneTrackKeepsTheOtherAndTheLastEndsTheSession() throws Exception {
        ServerStream stream = server.createStream("/two", List.of(ServerTrack.video(96, "H264", Map.of()),
                ServerTrack.audio(0, "PCMU", 8000, 1, Map.of())));
        try (RawRtsp c = new RawRtsp(server.port(), "/two")) {
            RawRtsp.Response setup = c.request("SETUP", c.url("/trackID=0"),
                    "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
            String session = "Session: " + setup.sessionId();
            assertEquals(200, c.request("SETUP", c.url("/trackID=1"), "Transport: RTP/AVP/TCP;unicast;interleaved=2-3",
                    session).status());
            assertEquals(200, c.request("PLAY", c.url(""), session).status());
            awaitTrue(() -> stream.playingSessions() == 1, "playing");
            int sessions = server.sessionCount();
            RawRtsp.Response one = c.request("TEARDOWN", c.url("/trackID=1"), session);
            assertEquals(200, one.status());
            assertEquals(setup.sessionId(), one.sessionId());
            assertEquals(sessions, server.sessionCount(), "the session lives on with track 0");
            assertEquals(455, c.request("TEARDOWN", c.url("/trackID=1"), session).status(), "already torn down");
            stream.publish(1, rtp(0, 1, 160, false, 0xFF), false);
            stream.publish(0, rtp(96, 1, 3000, true, 0x65, 0x88), true);
            assertEquals(0, c.readFrame().channel(), "the audio packet published first is not sent");
            assertEquals(200, c.request("TEARDOWN", c.url("/trackID=0"), session).status());
            assertEquals(sessions - 1, server.sessionCount(), "tearing down the last track ends the session");
            assertEquals(454, c.request("GET_PARAMETER", c.url(""), session).status());
        } finally {
            stream.remove();
        }
    }

    @Test
    void credentialsProtectPlayersAndPublishers() throws Exception {
        server.createStream("/locked", List.of(ServerTrack.audio(0, "PCMU", 8000, 1, Map.of())));
        server.setCredentials("/locked", "viewer", "pa55");
        PublishRecorder recorder = new PublishRecorder();
        server.acceptPublishers("/locked-in", recorder);
        server.setCredentials("/locked-in", "cam", "pa55");
        String right = "Authorization: Basic " + Base64.getEncoder().encodeToString("viewer:pa55".getBytes());
        String wrong = "Authorization: Basic " + Base64.getEncoder().encodeToString("viewer:guess".getBytes());
        try (RawRtsp c = new RawRtsp(server.port(), "/locked")) {
            assertEquals(200, c.request("OPTIONS", c.url("")).status(), "OPTIONS needs no credentials");
            long challenges = server.statistics().authChallenges();
            long failures = server.statistics().authFailures();
            RawRtsp.Response none = c.request("DESCRIBE", c.url(""));
            assertEquals(401, none.status());
            assertNotNull(none.header("WWW-Authenticate"));
            assertEquals(401, c.request("SETUP", c.url("/trackID=0"), "Transport: RTP/AVP/TCP;interleaved=0-1")
                    .status(), "track URLs are protected too");
            RawRtsp.Response bad = c.request("DESCRIBE", c.url(""), wrong);
            assertEquals(401, bad.status());
            assertEquals(challenges + 2, server.statistics().authChallenges());
            assertEquals(failures + 1, server.statistics().authFailures());
            assertEquals(200, c.request("DESCRIBE", c.url(""), right).status());
            RawRtsp.Response setup = c.request("SETUP", c.url("/trackID=0"),
                    "Transport: RTP/AVP/TCP;unicast;interleaved=0-1", right);
            assertEquals(200, setup.status());
            assertEquals(200, c.request("PLAY", c.url(""), "Session: " + setup.sessionId()).status(),
                    "requests within the authenticated session need no credentials");
        }
        ServerStream open = server.createStream("/open", List.of(ServerTrack.audio(0, "PCMU", 8000, 1, Map.of())));
        try (RawRtsp c = new RawRtsp(server.port(), "/open")) {
            RawRtsp.Response setup = c.request("SETUP", c.url("/trackID=0"),
                    "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
            assertEquals(200, setup.status());
            assertEquals(401, c.request("DESCRIBE", "rtsp://127.0.0.1:" + server.port() + "/locked",
                    "Session: " + setup.sessionId()).status(), "a session on another path does not open this one");
        } finally {
            open.remove();
        }
        try (RawRtsp p = new RawRtsp(server.port(), "/locked-in")) {
            assertEquals(401, announce(p, p.url(""), "application/sdp", AV_SDP).status());
            assertNull(server.stream("/locked-in"));
        }
        String log = Files.readString(Paths.get("target", "camel-rtsp-test.log"));
        assertTrue(!log.contains("pa55") && !log.contains("guess"), "no password in the log");
        server.setCredentials("/locked", null, null);
        try (RawRtsp c = new RawRtsp(server.port(), "/locked")) {
            assertEquals(200, c.request("DESCRIBE", c.url("")).status(), "credentials removed");
        } finally {
            server.stream("/locked").remove();
            server.setCredentials("/locked-in", null, null);
            server.stopAcceptingPublishers("/locked-in");
        }
    }

    @Test
    void aSilentPublisherTimesOut() throws Exception {
        RtspServer quick = new RtspServer(new RtspServerOptions().host("127.0.0.1").port(0)
                .sessionTimeoutSeconds(1)).start();
        try {
            PublishRecorder recorder = new PublishRecorder();
            quick.acceptPublishers("/quiet", recorder);
            try (RawRtsp c = new RawRtsp(quick.port(), "/quiet")) {
                String session = publish(c, "/quiet", AV_SDP, false);
                assertEquals(200, c.request("RECORD", c.url(""), session).status());
                long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (recorder.stops.isEmpty() && System.nanoTime() < end) {
                    Thread.sleep(50);
                }
                assertEquals(List.of("timeout"), recorder.stops);
                assertNull(quick.stream("/quiet"));
            }
        } finally {
            quick.stop();
        }
    }

    /** UDP RTP counts as the publisher's only when it comes from the client_port it gave in SETUP. */
    @Test
    void udpPacketsAreMatchedToThePublisherBySourceAddress() throws Exception {
        PublishRecorder recorder = new PublishRecorder();
        server.acceptPublishers("/udp-in", recorder);
        try (RawRtsp c = new RawRtsp(server.port(), "/udp-in");
                java.net.DatagramSocket rtpSocket = new java.net.DatagramSocket(0,
                        java.net.InetAddress.getByName("127.0.0.1"));
                java.net.DatagramSocket stranger = new java.net.DatagramSocket(0,
                        java.net.InetAddress.getByName("127.0.0.1"))) {
            assertEquals(200, announce(c, c.url(""), "application/sdp", AV_SDP).status());
            int port = rtpSocket.getLocalPort();
            RawRtsp.Response setup = c.request("SETUP", c.url("/stream=1"),
                    "Transport: RTP/AVP;unicast;client_port=" + port + "-" + (port + 1) + ";mode=record");
            assertEquals(200, setup.status());
            String transport = setup.header("Transport");
            assertTrue(transport.contains("server_port=" + server.rtpPort() + "-" + server.rtcpPort())
                       && transport.contains("mode=record"), transport);
            String session = "Session: " + setup.sessionId();
            assertEquals(200, c.request("RECORD", c.url(""), session).status());
            java.net.InetSocketAddress to = new java.net.InetSocketAddress("127.0.0.1", server.rtpPort());
            long stray = server.statistics().strayDatagrams();
            byte[] packet = ByteBufUtil.getBytes(rtp(0, 1, 160, false, 0xFF, 0xFF));
            stranger.send(new java.net.DatagramPacket(packet, packet.length, to));
            awaitTrue(() -> server.statistics().strayDatagrams() == stray + 1, "the stranger's datagram is stray");
            for (int i = 0; i < 3; i++) {
                byte[] p = ByteBufUtil.getBytes(rtp(0, 10 + i, 160L * i, false, 0xFF, 0xFF));
                rtpSocket.send(new java.net.DatagramPacket(p, p.length, to));
            }
            awaitTrue(() -> recorder.packets.get() == 3, "the publisher's datagrams reach the listener");
            assertEquals(3, recorder.packets(1), "on the track set up with that client_port");
            assertEquals(200, c.request("TEARDOWN", c.url(""), session).status());
            awaitTrue(() -> recorder.stops.size() == 1 && server.stream("/udp-in") == null, "torn down");
        } finally {
            server.stopAcceptingPublishers("/udp-in");
        }
    }

    /** An expired Digest nonce with the right password is answered with a fresh challenge marked stale. */
    @Test
    void anExpiredDigestNonceIsStale() throws Exception {
        RtspServer digest = new RtspServer(new RtspServerOptions().host("127.0.0.1").port(0).authSchemes("Digest")
                .nonceLifetime(Duration.ofSeconds(1))).start();
        try {
            digest.createStream("/d", List.of(ServerTrack.audio(0, "PCMU", 8000, 1, Map.of())));
            digest.setCredentials("/d", "cam", "pa55");
            try (RawRtsp c = new RawRtsp(digest.port(), "/d")) {
                RawRtsp.Response first = c.request("DESCRIBE", c.url(""));
                assertEquals(401, first.status());
                String challenge = first.header("WWW-Authenticate");
                assertTrue(challenge.startsWith("Digest") && !challenge.contains("stale"), challenge);
                io.github.camelrtsp.auth.ClientAuthenticator auth = io.github.camelrtsp.auth.ClientAuthenticator
                        .fromChallenges(List.of(challenge), new io.github.camelrtsp.auth.Credentials("cam", "pa55"));
                assertEquals(200, c.request("DESCRIBE", c.url(""), "Authorization: "
                        + auth.authorization("DESCRIBE", c.url(""))).status());
                long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                RawRtsp.Response stale;
                do {
                    Thread.sleep(100);
                    stale = c.request("DESCRIBE", c.url(""), "Authorization: "
                            + auth.authorization("DESCRIBE", c.url("")));
                } while (stale.status() == 200 && System.nanoTime() < end);
                assertEquals(401, stale.status(), "the 1 s nonce expires");
                assertTrue(stale.header("WWW-Authenticate").contains("stale=TRUE"), stale.header("WWW-Authenticate"));
                assertEquals(0, digest.statistics().authFailures(), "stale is not a wrong password");
            }
        } finally {
            digest.stop();
        }
    }
}
