package io.github.camelrtsp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.camelrtsp.headers.RtpInfoHeader;
import io.github.camelrtsp.headers.TransportHeader;
import io.github.camelrtsp.rtp.RtcpListener;
import io.github.camelrtsp.rtp.RtcpParser;
import io.github.camelrtsp.rtp.RtcpWriter;
import io.github.camelrtsp.rtp.SenderReport;
import io.github.camelrtsp.sdp.MediaDescription;
import io.github.camelrtsp.sdp.SessionDescription;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** RTSP method handling, error codes, RTCP and session lifetime, checked with a bare socket client. */
class RtspServerProtocolTest {

    private static TestMedia media;
    private static RtspServer server;
    private static ServerStream stream;
    private static TestMedia.Feeder feeder;

    @BeforeAll
    static void start() {
        media = TestMedia.get();
        server = new RtspServer(new RtspServerOptions().host("127.0.0.1").port(0)
                .senderReportInterval(Duration.ofMillis(500))).start();
        stream = server.createStream("/live", media.tracks());
        feeder = media.feed(stream);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (feeder != null) {
            feeder.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void optionsListsTheMethods() throws IOException {
        try (RawRtsp c = new RawRtsp(server.port(), "/live")) {
            RawRtsp.Response r = c.request("OPTIONS", "*");
            assertEquals(200, r.status());
            for (String m : List.of("OPTIONS", "DESCRIBE", "SETUP", "PLAY", "PAUSE", "GET_PARAMETER", "TEARDOWN")) {
                assertTrue(r.header("Public").contains(m), r.header("Public"));
            }
            assertEquals("1", r.header("CSeq"));
        }
    }

    @Test
    void describeAnswersSdpWithEveryTrack() throws IOException {
        try (RawRtsp c = new RawRtsp(server.port(), "/live")) {
            RawRtsp.Response r = c.request("DESCRIBE", c.url(""), "Accept: application/sdp");
            assertEquals(200, r.status());
            assertEquals("application/sdp", r.header("Content-Type"));
            assertEquals(c.url("/"), r.header("Content-Base"));
            SessionDescription sdp = SessionDescription.parse(r.body());
            assertEquals("*", sdp.attribute("control"));
            assertTrue(r.body().contains("\r\no=- ") && r.body().contains("\r\ns=") && r.body().contains("\r\nt=0 0")
                       && r.body().contains("\r\nc=IN IP4 0.0.0.0"), r.body());
            List<MediaDescription> m = sdp.media();
            assertEquals(2, m.size());
            assertEquals("H264/90000", m.get(0).attribute("rtpmap").substring(3));
            assertEquals("trackID=0", m.get(0).attribute("control"));
            assertTrue(m.get(0).attribute("fmtp").contains("sprop-parameter-sets="), r.body());
            assertEquals("MPEG4-GENERIC/44100/2", m.get(1).attribute("rtpmap").substring(3));
            assertTrue(m.get(1).attribute("fmtp").contains("config="), r.body());
            assertEquals("trackID=1", m.get(1).attribute("control"));
        }
    }

    @Test
    void errorStatuses() throws IOException {
        try (RawRtsp c = new RawRtsp(server.port(), "/live")) {
            assertEquals(404, c.request("DESCRIBE", "rtsp://127.0.0.1:" + server.port() + "/nothing").status());
            assertEquals(404, c.request("SETUP", c.url("/trackID=7"), "Transport: RTP/AVP/TCP;interleaved=0-1")
                    .status());
            assertEquals(454, c.request("PLAY", c.url(""), "Session: 0123456789ABCDEF").status());
            assertEquals(454, c.request("GET_PARAMETER", c.url(""), "Session: 0123456789ABCDEF").status());
            assertEquals(454, c.request("TEARDOWN", c.url(""), "Session: 0123456789ABCDEF").status());
            assertEquals(461, c.request("SETUP", c.url("/trackID=0"), "Transport: RTP/AVP;multicast").status());
            assertEquals(461, c.request("SETUP", c.url("/trackID=0"), "Transport: RTP/SAVP;unicast;client_port=5000-5001")
                    .status());
            assertEquals(461, c.request("SETUP", c.url("/trackID=0"),
                    "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record").status());
            assertEquals(461, c.request("SETUP", c.url("/trackID=0"), "Transport: RTP/AVP;unicast").status());
            assertEquals(459, c.request("SETUP", c.url(""), "Transport: RTP/AVP/TCP;interleaved=0-1").status());
            assertEquals(455, c.request("RECORD", c.url("")).status(), "RECORD before SETUP");
            RawRtsp.Response announce = c.request("ANNOUNCE", c.url(""));
            assertEquals(405, announce.status(), "the path does not accept publishers");
            assertTrue(announce.header("Allow").contains("PLAY"));
            assertEquals(501, c.request("FROBNICATE", c.url("")).status());
            RawRtsp.Response require = c.request("DESCRIBE", c.url(""), "Require: funky-feature");
            assertEquals(551, require.status());
            assertEquals("funky-feature", require.header("Unsupported"));
            assertEquals(0, server.sessionCount(), "a refused SETUP leaves no session");

            RawRtsp.Response setup = c.request("SETUP", c.url("/trackID=0"), "Transport: RTP/AVP/TCP;interleaved=0-1");
            assertEquals(200, setup.status());
            String session = "Session: " + setup.sessionId();
            assertEquals(455, c.request("SETUP", c.url("/trackID=0"), "Transport: RTP/AVP/TCP;interleaved=2-3",
                    session).status());
            assertEquals(200, c.request("TEARDOWN", c.url(""), session).status());
        }
        try (RawRtsp c = new RawRtsp(server.port(), "/live")) {
            c.sendRaw("OPTIONS * RTSP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(400, c.readResponse().status(), "no CSeq");
        }
    }

    @Test
    void oversizedHeaderIsRefusedAndTheConnectionClosed() throws IOException {
        long before = server.statistics().badRequests();
        try (RawRtsp c = new RawRtsp(server.port(), "/live")) {
            byte[] junk = ("OPTIONS * RTSP/1.0\r\nX-Junk: " + "a".repeat(40_000)).getBytes(StandardCharsets.US_ASCII);
            c.sendRaw(junk);
            assertEquals(400, c.readResponse().status());
            assertThrows(IOException.class, () -> {
                for (int i = 0; i < 100; i++) {
                    c.readResponse();
                }
            });
        }
        assertEquals(before + 1, server.statistics().badRequests());
    }

    @Test
    void tcpPlayStartsAtAKeyFrameAndSendsSenderReports() throws Exception {
        try (RawRtsp c = new RawRtsp(server.port(), "/live")) {
            RawRtsp.Response v = c.request("SETUP", c.url("/trackID=0"),
                    "Transport: RTP/AVP/TCP;unicast;interleaved=4-5");
            assertEquals(200, v.status());
            assertTrue(v.header("Session").endsWith(";timeout=60"), v.header("Session"));
            TransportHeader vt = TransportHeader.parse(v.header("Transport"));
            assertEquals(4, vt.interleaved()[0]);
            String session = "Session: " + v.sessionId();
            RawRtsp.Response a = c.request("SETUP", c.url("/trackID=1"),
                    "Transport: RTP/AVP/TCP;unicast;interleaved=6-7", session);
            assertEquals(200, a.status());
            assertEquals(v.sessionId(), a.sessionId());
            RawRtsp.Response play = c.request("PLAY", c.url("/"), session, "Range: npt=0-");
            assertEquals(200, play.status());
            assertEquals("npt=0.000-", play.header("Range"));
            List<RtpInfoHeader.Entry> info = RtpInfoHeader.parse(play.header("RTP-Info"));
            assertEquals(2, info.size());
            assertEquals(c.url("/trackID=0"), info.get(0).url());
            assertNotNull(info.get(0).rtptime());

            H264KeyFrames keys = new H264KeyFrames();
            boolean firstVideo = true;
            long lastVideoTs = -1;
            int srs = 0;
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (srs < 2 && System.nanoTime() < deadline) {
                RawRtsp.Frame f = c.readFrame();
                ByteBuf buf = Unpooled.wrappedBuffer(f.data());
                if (f.channel() == 4) {
                    assertEquals(vt.ssrc().longValue(), buf.getUnsignedInt(8));
                    if (firstVideo) {
                        assertTrue(keys.isKeyFrameStart(buf), "video starts at a key frame");
                        int ahead = (buf.getUnsignedShort(2) - info.get(0).seq()) & 0xFFFF;
                        assertTrue(ahead < 1000, "first seq at or after RTP-Info seq, " + ahead);
                        firstVideo = false;
                    }
                    lastVideoTs = buf.getUnsignedInt(4);
                } else if (f.channel() == 5 && lastVideoTs >= 0) {
                    List<SenderReport> sr = new ArrayList<>();
                    RtcpParser.parse(buf, new RtcpListener() {
                        @Override
                        public void onSenderReport(SenderReport report) {
                            sr.add(report);
                        }
                    });
                    assertEquals(1, sr.size(), "one SR in the compound " + ByteBufUtil.hexDump(buf));
                    assertEquals(vt.ssrc().longValue(), sr.get(0).ssrc());
                    long ageMs = Math.abs(Duration.between(sr.get(0).ntpInstant(), Instant.now()).toMillis());
                    assertTrue(ageMs < 500, "SR wall clock is now: " + ageMs + " ms off");
                    long diff = (sr.get(0).rtpTimestamp() - lastVideoTs) & 0xFFFF_FFFFL;
                    assertTrue(diff < 9000, "SR RTP time within 100 ms after the last packet: " + diff);
                    srs++;
                }
            }
            assertEquals(2, srs, "sender reports every 500 ms");

            long rrBefore = server.statistics().receiverReports();
            ByteBuf rr = Unpooled.buffer();
            RtcpWriter.writeReceiverReport(rr, 0x1234, List.of());
            byte[] rrBytes = ByteBufUtil.getBytes(rr);
            byte[] frame = new byte[4 + rrBytes.length];
            frame[0] = '$';
            frame[1] = 5;
            frame[2] = (byte) (rrBytes.length >> 8);
            frame[3] = (byte) rrBytes.length;
            System.arraycopy(rrBytes, 0, frame, 4, rrBytes.length);
            c.sendRaw(frame);
            awaitTrue(() -> server.statistics().receiverReports() > rrBefore, "receiver report counted");

            assertEquals(1, stream.playingSessions());
            assertEquals(200, c.request("PAUSE", c.url("/"), session).status());
            awaitTrue(() -> stream.playingSessions() == 0, "paused");
            RawRtsp.Response again = c.request("PLAY", c.url("/"), session);
            assertEquals(200, again.status());
            assertEquals("npt=now-", again.header("Range"));
            // the session joins the stream right after its PLAY answer is written
            awaitTrue(() -> stream.playingSessions() == 1, "playing again after PLAY");
            int videoSeq = RtpInfoHeader.parse(again.header("RTP-Info")).get(0).seq();
            H264KeyFrames resumed = new H264KeyFrames();
            while (true) {
                RawRtsp.Frame f = c.readFrame();
                ByteBuf buf = Unpooled.wrappedBuffer(f.data());
                if (f.channel() == 4 && ((buf.getUnsignedShort(2) - videoSeq) & 0xFFFF) < 1000) {
                    assertTrue(resumed.isKeyFrameStart(buf), "after PAUSE, video resumes at a key frame");
                    break;
                }
            }
            assertEquals(200, c.request("TEARDOWN", c.url("/"), session).status());
            assertEquals(0, stream.playingSessions());
            assertEquals(0, server.sessionCount());
            assertEquals(200, c.request("OPTIONS", c.url("")).status(), "the connection stays usable");
            assertEquals(454, c.request("PLAY", c.url("/"), session).status(), "torn down session is gone");
        }
    }

    @Test
    void silentUdpSessionTimesOutWhileAKeptAliveOneStays() throws Exception {
        RtspServer short1 = new RtspServer(new RtspServerOptions().host("127.0.0.1").port(0).sessionTimeoutSeconds(1))
                .start();
        try (TestMedia.Feeder f = media.feed(short1.createStream("/cam", media.tracks()));
             DatagramSocket silentRtp = pairSocket();
             DatagramSocket aliveRtp = pairSocket();
             DatagramSocket rtcpRtp = pairSocket();
             DatagramSocket rtcp = new DatagramSocket(rtcpRtp.getLocalPort() + 1, InetAddress.getLoopbackAddress());
             RawRtsp byRtcp = new RawRtsp(short1.port(), "/cam");
             RawRtsp silent = new RawRtsp(short1.port(), "/cam");
             RawRtsp alive = new RawRtsp(short1.port(), "/cam")) {
            String silentSession = playUdp(silent, silentRtp.getLocalPort());
            String aliveSession = playUdp(alive, aliveRtp.getLocalPort());
            String rtcpSession = playUdp(byRtcp, rtcpRtp.getLocalPort());
            assertEquals(3, short1.sessionCount());
            ByteBuf rr = Unpooled.buffer();
            RtcpWriter.writeReceiverReport(rr, 0x4321, List.of());
            byte[] rrBytes = ByteBufUtil.getBytes(rr);
            silentRtp.setSoTimeout(3000);
            DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
            silentRtp.receive(p);
            assertEquals(2, (p.getData()[0] & 0xFF) >>> 6, "RTP arrives over UDP");
            assertEquals(short1.rtpPort(), p.getPort(), "sent from the announced server port");
            long end = System.nanoTime() + 2_500_000_000L;
            while (System.nanoTime() < end) {
                assertEquals(200, alive.request("GET_PARAMETER", alive.url("/"), "Session: " + aliveSession).status());
                rtcp.send(new DatagramPacket(rrBytes, rrBytes.length, InetAddress.getLoopbackAddress(),
                        short1.rtcpPort()));
                Thread.sleep(300);
            }
            assertEquals(2, short1.sessionCount());
            assertTrue(short1.statistics().receiverReports() >= 5, short1.statistics().toString());
            assertNotNull(short1.session(rtcpSession), "RTCP receiver reports keep a UDP session alive");
            assertNotNull(short1.session(aliveSession));
            assertEquals(1, short1.statistics().sessionsTimedOut());
            assertEquals(null, short1.session(silentSession));
            // without a session the idle connection is closed as well
            assertThrows(IOException.class, silent::readResponse);
            assertEquals(2, short1.stream("/cam").playingSessions());
        } finally {
            short1.stop();
        }
    }

    @Test
    void publishRefusesWhatIsNotRtpAndReleasesIt() {
        ByteBuf tooShort = Unpooled.buffer().writeZero(8);
        assertThrows(IllegalArgumentException.class, () -> stream.publish(0, tooShort, false));
        assertEquals(0, tooShort.refCnt());
        ByteBuf noTrack = Unpooled.buffer().writeByte(0x80).writeZero(20);
        assertThrows(IllegalArgumentException.class, () -> stream.publish(9, noTrack, false));
        assertEquals(0, noTrack.refCnt());
        assertTrue(server.statistics().rejectedPackets() >= 2);
    }

    @Test
    void removingAStreamClosesItsSessions() throws Exception {
        ServerStream extra = server.createStream("/extra", media.tracks());
        try (TestMedia.Feeder f = media.feed(extra); RawRtsp c = new RawRtsp(server.port(), "/extra")) {
            RawRtsp.Response s = c.request("SETUP", c.url("/trackID=1"), "Transport: RTP/AVP/TCP;interleaved=0-1");
            assertEquals(200, c.request("PLAY", c.url("/"), "Session: " + s.sessionId()).status());
            c.readFrame();
            extra.remove();
            assertThrows(IOException.class, () -> {
                for (int i = 0; i < 100_000; i++) {
                    c.readFrame();
                }
            });
            assertEquals(null, server.stream("/extra"));
            awaitTrue(() -> server.session(s.sessionId()) == null, "session freed");
        }
    }

    @Test
    void connectionsBeyondTheLimitAreClosed() throws Exception {
        RtspServer small = new RtspServer(new RtspServerOptions().host("127.0.0.1").port(0).maxConnections(2)).start();
        try (RawRtsp a = new RawRtsp(small.port(), "/x"); RawRtsp b = new RawRtsp(small.port(), "/x")) {
            assertEquals(200, a.request("OPTIONS", "*").status());
            assertEquals(200, b.request("OPTIONS", "*").status());
            try (RawRtsp c = new RawRtsp(small.port(), "/x")) {
                assertThrows(IOException.class, () -> c.request("OPTIONS", "*"));
            }
            assertEquals(1, small.statistics().refusedConnections());
            assertEquals(404, a.request("DESCRIBE", a.url("")).status());
        } finally {
            small.stop();
        }
    }

    private static String playUdp(RawRtsp c, int rtpPort) throws IOException {
        RawRtsp.Response s = c.request("SETUP", c.url("/trackID=0"),
                "Transport: RTP/AVP;unicast;client_port=" + rtpPort + "-" + (rtpPort + 1));
        assertEquals(200, s.status());
        TransportHeader t = TransportHeader.parse(s.header("Transport"));
        assertEquals(rtpPort, t.clientPort()[0]);
        assertEquals(server == null ? 0 : 2, t.serverPort().length);
        assertEquals(200, c.request("PLAY", c.url("/"), "Session: " + s.sessionId(), "Range: npt=now-").status());
        return s.sessionId();
    }

    /** A socket on an even port whose odd neighbour is free enough for the test (RTCP to it is not read). */
    private static DatagramSocket pairSocket() throws IOException {
        for (int i = 0; i < 50; i++) {
            DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            if (s.getLocalPort() % 2 == 0) {
                return s;
            }
            s.close();
        }
        throw new IOException("no even UDP port");
    }

    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(20);
        }
    }
}
