package io.github.camelrtsp.client;

import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.github.camelrtsp.auth.Credentials;
import io.github.camelrtsp.testsupport.GstRtspServer;
import io.github.camelrtsp.testsupport.TestCertificates;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.github.camelrtsp.client.RecordingListener.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client against GStreamer's RTSP server (a real, independent implementation). */
class RtspStreamClientInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static EventLoopGroup group;
    private GstRtspServer server;
    private RtspStreamClient client;

    @BeforeAll
    static void tools() {
        GstRtspServer.requireAvailable();
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
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

    private RtspStreamClient start(RtspClientOptions options, RecordingListener listener) {
        client = new RtspStreamClient(options, group, listener);
        client.start();
        return client;
    }

    private static RtspClientOptions options(String url, TransportMode transport) {
        return new RtspClientOptions().url(url).transport(transport).reconnectDelay(Duration.ofMillis(200))
                .maxReconnectDelay(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(5));
    }

    private void playsVideoAndAudio(TransportMode transport) {
        server = GstRtspServer.builder().video("h264").audio("aac").protocols("tcp,udp").build();
        server.start();
        RecordingListener l = new RecordingListener();
        start(options(server.url(), transport), l);
        await(WAIT, () -> l.packets(0) > 50 && l.packets(1) > 10, () -> "packets on both tracks: " + l.packets
                + " states " + l.states);
        assertEquals("H264", l.codecs.get(0));
        assertEquals("MPEG4-GENERIC", l.codecs.get(1));
        assertEquals(ClientState.PLAYING, client.state());
        assertEquals(transport == TransportMode.TCP ? TransportMode.TCP : TransportMode.UDP,
                client.session().transport());
        assertTrue(client.session().sessionId() != null && !client.session().sessionId().isEmpty());
        assertEquals(0, client.session().tracks().get(0).statistics().packetsLost(),
                "no loss on loopback");
        MediaTrack video = client.session().tracks().get(0);
        await(WAIT, () -> video.statistics().lastSenderReportNtp() != 0,
                () -> "an RTCP sender report from the server on the video track");
    }

    @Test
    void playsOverTcp() {
        playsVideoAndAudio(TransportMode.TCP);
    }

    @Test
    void playsOverUdp() {
        playsVideoAndAudio(TransportMode.UDP);
    }

    @Test
    void autoFallsBackToTcpWhenServerRefusesUdp() {
        server = GstRtspServer.builder().video("h264").audio("none").protocols("tcp").build();
        server.start();
        RecordingListener l = new RecordingListener();
        start(options(server.url(), TransportMode.AUTO), l);
        await(WAIT, () -> l.packets(0) > 20, () -> "video packets, states " + l.states);
        assertEquals(TransportMode.TCP, client.session().transport());
    }

    @Test
    void selectsOnlyRequestedMedia() {
        server = GstRtspServer.builder().video("h264").audio("aac").build();
        server.start();
        RecordingListener l = new RecordingListener();
        start(options(server.url(), TransportMode.TCP).media(Set.of("audio")), l);
        await(WAIT, () -> l.totalPackets() > 10, () -> "audio packets, states " + l.states);
        assertEquals(1, client.session().tracks().size());
        assertEquals("audio", client.session().tracks().get(0).mediaType());
        assertEquals(1, client.session().tracks().get(0).index(), "index of the SDP media section");
    }

    private void authenticates(String scheme) {
        server = GstRtspServer.builder().video("h264").audio("none").auth(scheme, "cam", "s3cr3t-pw").build();
        server.start();
        RecordingListener ok = new RecordingListener();
        start(options(server.url(), TransportMode.TCP).credentials(new Credentials("cam", "s3cr3t-pw")), ok);
        await(WAIT, () -> ok.packets(0) > 20, () -> "packets with right credentials, states " + ok.states);
        client.stop().join();

        RecordingListener bad = new RecordingListener();
        start(options(server.url(), TransportMode.TCP).credentials(new Credentials("cam", "wrong-pw"))
                .maxReconnectAttempts(1), bad);
        await(WAIT, () -> client.state() == ClientState.FAILED, () -> "failure, states " + bad.states);
        assertTrue(client.stateReason().contains("authentication failed"), client.stateReason());
        assertFalse(String.join("\n", bad.states).contains("wrong-pw"), "password never shown");
        assertEquals(0, bad.totalPackets());
    }

    @Test
    void basicAuthentication() {
        authenticates("basic");
    }

    @Test
    void digestAuthentication() {
        authenticates("digest");
    }

    @Test
    void resumesAfterServerIsKilledAndRestarted() {
        server = GstRtspServer.builder().video("h264").audio("none").build();
        server.start();
        RecordingListener l = new RecordingListener();
        start(options(server.url(), TransportMode.TCP), l);
        await(WAIT, () -> l.packets(0) > 20, () -> "packets before kill, states " + l.states);
        server.kill();
        await(WAIT, () -> client.state() == ClientState.RECONNECTING, () -> "reconnecting, states " + l.states);
        long before = l.packets(0);
        server.restart();
        await(WAIT, () -> l.playing.get() >= 2 && l.packets(0) > before + 20,
                () -> "packets after restart, states " + l.states);
        assertTrue(client.reconnects() >= 1);
    }

    @Test
    void reconnectsWhenMediaStops() {
        server = GstRtspServer.builder().video("h264").audio("none").build();
        server.start();
        RecordingListener l = new RecordingListener();
        start(options(server.url(), TransportMode.TCP).receiveTimeout(Duration.ofMillis(1500)), l);
        await(WAIT, () -> l.packets(0) > 20, () -> "packets, states " + l.states);
        server.dropMedia(true);
        await(WAIT, () -> l.states.stream().anyMatch(s -> s.startsWith("RECONNECTING") && s.contains("no media")),
                () -> "receive timeout, states " + l.states);
        server.dropMedia(false);
        long before = l.packets(0);
        await(WAIT, () -> l.packets(0) > before + 20 && client.state() == ClientState.PLAYING,
                () -> "media again, states " + l.states);
    }

    @Test
    void rtspsWithTrustedCertificate() throws Exception {
        TestCertificates certs = TestCertificates.create();
        server = GstRtspServer.builder().video("h264").audio("none").tls(certs).build();
        server.start();
        RecordingListener l = new RecordingListener();
        start(options(server.url(), TransportMode.TCP).sslContext(trusting(certs)), l);
        await(WAIT, () -> l.packets(0) > 20, () -> "packets over TLS, states " + l.states);
    }

    @Test
    void rtspsRefusesUntrustedCertificate() throws Exception {
        TestCertificates served = TestCertificates.create();
        TestCertificates other = TestCertificates.create();
        server = GstRtspServer.builder().video("h264").audio("none").tls(served).build();
        server.start();
        RecordingListener l = new RecordingListener();
        start(options(server.url(), TransportMode.TCP).sslContext(trusting(other)).maxReconnectAttempts(0), l);
        await(WAIT, () -> client.state() == ClientState.FAILED, () -> "TLS failure, states " + l.states);
        assertTrue(client.stateReason().contains("TLS handshake") && client.stateReason().contains("certificate"),
                client.stateReason());
        assertEquals(0, l.totalPackets());
    }

    static SSLContext trusting(TestCertificates certs) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certs.trustStore())) {
            ks.load(in, certs.trustStorePassword().toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
