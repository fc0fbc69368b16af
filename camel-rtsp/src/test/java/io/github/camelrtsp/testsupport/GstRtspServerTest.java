package io.github.camelrtsp.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.camelrtsp.testsupport.FfProbe.FfResult;
import io.github.camelrtsp.testsupport.MiniRtspConnection.Response;

/**
 * Interop tests of the harness itself: real ffprobe/ffmpeg and a hand-written minimal client against the real
 * GStreamer RTSP server, over TCP, UDP, with Basic and Digest auth, over TLS, across kill/restart and media drops.
 */
class GstRtspServerTest {

    private static final Duration PROBE = Duration.ofSeconds(15);

    @BeforeAll
    static void tools() {
        GstRtspServer.requireAvailable();
        FfProbe.requireAvailable();
    }

    @Test
    void ffprobeSeesH264AndAacOverTcpAndUdp() {
        try (GstRtspServer server = GstRtspServer.builder().video("h264").audio("aac").start()) {
            assertEquals("rtsp://127.0.0.1:" + server.port() + "/test", server.url());
            for (String transport : List.of("tcp", "udp")) {
                FfResult result = FfProbe.probeStreams(server.url(), transport, PROBE);
                assertTrue(result.succeeded(), transport + ": " + result.describe());
                assertEquals(List.of("h264,video", "aac,audio"), result.lines(), transport + ": " + result.describe());
            }
        }
    }

    @Test
    void tcpOnlyServerRefusesUdpTransport() {
        try (GstRtspServer server = GstRtspServer.builder().protocols("tcp").mount("/cam").start()) {
            assertTrue(server.url().endsWith("/cam"), server.url());
            FfResult udp = FfProbe.probeStreams(server.url(), "udp", PROBE);
            assertFalse(udp.succeeded(), udp.describe());
            assertTrue(udp.stderr().contains("461"), udp.describe());
        }
    }

    @Test
    void basicAuthAcceptsTheUserAndRefusesOthers() throws IOException {
        try (GstRtspServer server = GstRtspServer.builder().auth("basic", "alice", "s3cret").start()) {
            assertAuth(server, "alice", "s3cret", "Basic");
        }
    }

    @Test
    void digestAuthAcceptsTheUserAndRefusesOthers() throws IOException {
        // Reserved characters in the credentials check url(user, password)'s percent-encoding end to end.
        try (GstRtspServer server = GstRtspServer.builder().auth("digest", "bob smith", "p@ss:w/rd%").start()) {
            assertAuth(server, "bob smith", "p@ss:w/rd%", "Digest");
        }
    }

    private static void assertAuth(GstRtspServer server, String user, String password, String scheme)
            throws IOException {
        FfResult right = FfProbe.probeStreams(server.url(user, password), "tcp", PROBE);
        assertTrue(right.succeeded(), right.describe());
        assertEquals(List.of("h264,video"), right.lines());

        FfResult wrong = FfProbe.probeStreams(server.url(user, password + "x"), "tcp", PROBE);
        assertFalse(wrong.succeeded(), wrong.describe());
        assertTrue(wrong.stderr().contains("401"), wrong.describe());

        try (MiniRtspConnection c = MiniRtspConnection.open(server.port())) {
            Response anonymous = c.request("DESCRIBE", server.url(), "Accept: application/sdp");
            assertEquals(401, anonymous.status());
            String challenge = anonymous.header("WWW-Authenticate");
            assertTrue(challenge != null && challenge.startsWith(scheme), "challenge: " + challenge);
        }
        // sdp() answers the challenge with the configured credentials.
        assertTrue(server.sdp().contains("a=rtpmap:96 H264/90000"), server.recentOutput());
    }

    @Test
    void rtspsWithTheTestCertificate() throws IOException {
        TestCertificates served = TestCertificates.create();
        TestCertificates other = TestCertificates.create();
        try (GstRtspServer server = GstRtspServer.builder().tls(served).start()) {
            assertEquals("rtsps://127.0.0.1:" + server.port() + "/test", server.url());

            FfResult probe = FfProbe.probeStreams(server.url(), "tcp", PROBE, "-tls_verify", "0");
            assertTrue(probe.succeeded(), probe.describe());
            assertEquals(List.of("h264,video"), probe.lines());
            assertTrue(server.sdp().contains("m=video "), "sdp() over TLS");

            // A client trusting exactly this certificate (and checking the IP SAN) gets through...
            try (MiniRtspConnection c = MiniRtspConnection.openTls(server.port(), served.clientSslContext())) {
                Response options = c.request("OPTIONS", server.url());
                assertEquals(200, options.status());
                assertTrue(options.header("Public").contains("DESCRIBE"), options.headers().toString());
            }
            // ...one trusting another certificate does not.
            assertThrows(SSLHandshakeException.class,
                    () -> MiniRtspConnection.openTls(server.port(), other.clientSslContext()).close());
            // Plain RTSP on the TLS port gets no RTSP answer.
            FfResult plain = FfProbe.probeStreams(server.url().replace("rtsps:", "rtsp:"), "tcp", PROBE);
            assertFalse(plain.succeeded(), plain.describe());
        }
    }

    @Test
    void killThenRestartServesAgainOnTheSamePort() throws IOException {
        try (GstRtspServer server = GstRtspServer.builder().start()) {
            int port = server.port();
            long firstPid = server.pid();
            assertTrue(FfProbe.probeStreams(server.url(), "tcp", PROBE).succeeded());

            server.kill();
            assertFalse(server.isRunning());
            assertThrows(ConnectException.class, () -> MiniRtspConnection.open(port).close());

            server.restart();
            assertEquals(port, server.port());
            assertNotEquals(firstPid, server.pid());
            FfResult again = FfProbe.probeStreams(server.url(), "tcp", PROBE);
            assertTrue(again.succeeded(), again.describe());
            assertEquals(List.of("h264,video"), again.lines());

            long stopStarted = System.nanoTime();
            server.stop();
            long stopMillis = (System.nanoTime() - stopStarted) / 1_000_000;
            assertFalse(server.isRunning());
            assertTrue(stopMillis < 4000, "quit should not need the kill fallback, took " + stopMillis + " ms");
            assertTrue(FreePorts.tcpFree(port), "port " + port + " still bound after stop()");
        }
    }

    @Test
    void restartGivesUpClearlyWhileSomeoneElseHoldsThePort() throws IOException {
        try (GstRtspServer server = GstRtspServer.builder().restartTimeout(Duration.ofMillis(1500)).start()) {
            int port = server.port();
            server.kill();
            try (ServerSocket squatter = new ServerSocket()) {
                squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                IllegalStateException e = assertThrows(IllegalStateException.class, server::restart);
                assertTrue(e.getMessage().contains("could still not be bound"), e.getMessage());
                assertTrue(e.getMessage().contains("Address already in use"), e.getMessage());
            }
            server.restart();
            assertEquals(port, server.port());
            try (MiniRtspConnection c = MiniRtspConnection.open(port)) {
                assertEquals(200, c.request("OPTIONS", server.url()).status());
            }
        }
    }

    @Test
    void dropMediaStopsRtpWhileRtspKeepsAnswering() throws Exception {
        try (GstRtspServer server = GstRtspServer.builder().protocols("tcp").start();
             MiniRtspConnection c = MiniRtspConnection.open(server.port())) {
            String session = play(c, server.url());
            assertTrue(c.awaitFrame(0, Duration.ofSeconds(5)), "no RTP before the drop");

            server.dropMedia(true);
            c.countFrames(Duration.ofMillis(500)); // packets already on their way
            CompletableFuture<FfResult> lateClient = CompletableFuture.supplyAsync(
                    () -> FfProbe.probeStreams(server.url(), "tcp", Duration.ofSeconds(4)));
            long[] during = c.countFrames(Duration.ofMillis(2500));
            assertEquals(0, during[0], "RTP packets while dropping");

            Response options = c.request("OPTIONS", server.url(), "Session: " + session);
            assertEquals(200, options.status());
            try (MiniRtspConnection other = MiniRtspConnection.open(server.port())) {
                assertEquals(200, other.request("OPTIONS", server.url()).status());
            }
            FfResult late = lateClient.get();
            assertFalse(late.succeeded(), "a new client should get no media: " + late.describe());
            assertTrue(late.lines().isEmpty(), late.describe());

            server.dropMedia(false);
            assertTrue(c.awaitFrame(0, Duration.ofSeconds(5)), "RTP did not resume; server said:\n"
                    + server.recentOutput());
        }
    }

    @Test
    void aClientRightAfterTheLastOneLeftGetsAFreshMedia() throws IOException {
        // TEARDOWN of the last client unprepares the shared media, which goes on after the answer; x265enc makes it
        // slow. A DESCRIBE arriving meanwhile used to get 503 from GstRtspServer; the script now holds it until the
        // old media is gone.
        try (GstRtspServer server = GstRtspServer.builder().video("h265").protocols("tcp").start()) {
            for (int round = 1; round <= 3; round++) {
                try (MiniRtspConnection leaving = MiniRtspConnection.open(server.port());
                     MiniRtspConnection next = MiniRtspConnection.open(server.port())) {
                    String session = play(leaving, server.url());
                    assertTrue(leaving.awaitFrame(0, Duration.ofSeconds(5)), "no RTP in round " + round);
                    assertEquals(200, leaving.request("TEARDOWN", server.url(), "Session: " + session).status());
                    Response describe = next.request("DESCRIBE", server.url(), "Accept: application/sdp");
                    assertEquals(200, describe.status(), "round " + round + ": " + describe + "\n"
                            + server.recentOutput());
                }
            }
        }
    }

    /** DESCRIBE, SETUP of the first stream interleaved on channels 0-1, PLAY; returns the session id. */
    private static String play(MiniRtspConnection c, String url) throws IOException {
        Response describe = c.request("DESCRIBE", url, "Accept: application/sdp");
        assertEquals(200, describe.status(), describe.toString());
        Matcher control = Pattern.compile("(?m)^m=.*$[\\s\\S]*?^a=control:(\\S+)").matcher(describe.body());
        assertTrue(control.find(), describe.body());
        String base = describe.header("Content-Base") != null ? describe.header("Content-Base") : url + "/";
        String track = control.group(1).startsWith("rtsp") ? control.group(1) : base + control.group(1);
        Response setup = c.request("SETUP", track, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
        assertEquals(200, setup.status(), setup.toString());
        String session = setup.header("Session").split(";")[0];
        Response play = c.request("PLAY", url, "Session: " + session, "Range: npt=0.000-");
        assertEquals(200, play.status(), play.toString());
        return session;
    }

    @Test
    void launchOverridesTheBuiltInStreams() {
        String small = "( videotestsrc is-live=true ! video/x-raw,width=160,height=120,framerate=10/1"
                + " ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=10"
                + " ! valve name=v0 ! rtph264pay name=pay0 pt=96 config-interval=1 )";
        try (GstRtspServer server = GstRtspServer.builder().launch(small).start()) {
            FfResult probe = FfProbe.ffprobe(PROBE, "-v", "error", "-rtsp_transport", "tcp",
                    "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", server.url());
            assertTrue(probe.succeeded(), probe.describe());
            assertEquals(List.of("h264,160,120"), probe.lines());
            server.dropMedia(true);
            server.dropMedia(false);
        }
    }

    @Test
    void dropMediaIsRefusedWhenThePipelineHasNoValve() {
        String noValve = "( videotestsrc is-live=true ! x264enc tune=zerolatency speed-preset=ultrafast"
                + " ! rtph264pay name=pay0 pt=96 )";
        try (GstRtspServer server = GstRtspServer.builder().launch(noValve).start()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> server.dropMedia(true));
            assertTrue(e.getMessage().contains("no valve"), e.getMessage());
            assertTrue(server.isRunning());
        }
    }

    @Test
    void startFailsWithTheServersOwnMessage() {
        GstRtspServer server = GstRtspServer.builder().video("nosuchcodec").build();
        IllegalStateException e = assertThrows(IllegalStateException.class, server::start);
        assertTrue(e.getMessage().contains("nosuchcodec"), e.getMessage());
        assertTrue(e.getMessage().contains("exited with status 2"), e.getMessage());
        assertFalse(server.isRunning());
        server.close();
    }

    @Test
    void sdpNamesTheStatusWhenDescribeFailsAndWhenTheServerIsGone() {
        // A payloader that cannot link to its source: the media cannot be built, so DESCRIBE fails.
        try (GstRtspServer server = GstRtspServer.builder()
                .launch("( audiotestsrc is-live=true ! rtpjpegpay name=pay0 pt=26 )").start()) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, server::sdp);
            assertTrue(refused.getMessage().matches("(?s)DESCRIBE \\S+ answered [45]\\d\\d .*"), refused.getMessage());
            server.kill();
            IllegalStateException gone = assertThrows(IllegalStateException.class, server::sdp);
            assertTrue(gone.getMessage().contains("failed"), gone.getMessage());
        }
    }

    @Test
    void md5HexGivesLowerCaseHex() {
        // H(A1) of RFC 2617's example (section 3.5); the whole Digest answer is checked against the server above.
        assertEquals("939e7578ed9e3c518a452acee763bce9",
                GstRtspServer.md5Hex("Mufasa:testrealm@host.com:Circle Of Life"));
        assertEquals("d41d8cd98f00b204e9800998ecf8427e", GstRtspServer.md5Hex(""));
    }

    @Test
    void dropMediaNeedsARunningServer() {
        GstRtspServer server = GstRtspServer.builder().build();
        assertThrows(IllegalStateException.class, () -> server.dropMedia(true));
        assertThrows(IllegalStateException.class, server::port);
        assertThrows(IllegalStateException.class, server::restart);
    }

    @Test
    void builderRejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> GstRtspServer.builder().mount("test"));
        assertThrows(IllegalArgumentException.class, () -> GstRtspServer.builder().auth("ntlm", "u", "p"));
        assertThrows(IllegalArgumentException.class, () -> GstRtspServer.builder().auth("digest", null, "p"));
        assertThrows(IllegalArgumentException.class, () -> GstRtspServer.builder().readyTimeout(Duration.ZERO));
    }

    @Test
    void userInfoIsPercentEncoded() {
        assertEquals("bob%20smith", GstRtspServer.encodeUserInfo("bob smith"));
        assertEquals("p%40ss%3Aw%2Frd%25", GstRtspServer.encodeUserInfo("p@ss:w/rd%"));
        assertEquals("%C3%A9t%C3%A9", GstRtspServer.encodeUserInfo("\u00e9t\u00e9"));
        assertEquals("A-z_0.9~", GstRtspServer.encodeUserInfo("A-z_0.9~"));
    }

    @Test
    void scriptStopsWhenItsStdinCloses() throws Exception {
        // What happens when the JVM dies without running its shutdown hooks: the pipe closes, the server exits.
        int port = FreePorts.tcp();
        Process p = ChildProcesses.start(List.of(GstRtspServer.PYTHON, GstRtspServer.script().toString(),
                "--port", Integer.toString(port)), true);
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return "read failed: " + e;
                }
            });
            assertEquals("READY " + port, first.get(20, TimeUnit.SECONDS));
            try (Socket s = new Socket("127.0.0.1", port)) {
                assertTrue(s.isConnected());
            }
            p.getOutputStream().close();
            assertTrue(p.waitFor(5, TimeUnit.SECONDS), "server ignored the closed stdin");
            assertEquals(0, p.exitValue());
        } finally {
            ChildProcesses.kill(p);
        }
    }
}
