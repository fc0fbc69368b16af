package io.github.camelrtsp.client;

import static io.github.camelrtsp.client.PublishPeers.await;
import static io.github.camelrtsp.format.annexb.NalTestSupport.annexB;
import static io.github.camelrtsp.format.annexb.NalTestSupport.bytes;
import static io.github.camelrtsp.format.annexb.NalTestSupport.nal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.camelrtsp.message.RtspRequest;
import io.github.camelrtsp.message.RtspResponse;
import io.github.camelrtsp.publish.PublishFrame;
import io.github.camelrtsp.publish.PublishTracks;
import io.github.camelrtsp.publish.TrackFormat;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/** {@link RtspPublishClient} against a scripted server: the request sequence, refusals, reconnects, a slow server. */
class RtspPublishClientFaultTest {

    private static final byte[] SPS = nal(bytes(0x67, 0x42, 0xC0, 0x1E), 10);
    private static final byte[] PPS = nal(bytes(0x68, 0xCE, 0x3C, 0x80), 4);

    private static EventLoopGroup group;
    private ScriptedRtspServer server;
    private RtspPublishClient client;

    @BeforeAll
    static void loop() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void shutdown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @AfterEach
    void cleanup() {
        if (client != null) {
            client.stop().orTimeout(30, TimeUnit.SECONDS).join();
        }
        if (server != null) {
            server.close();
        }
    }

    private static byte[] keyFrame(int size) {
        return annexB(SPS, PPS, nal(bytes(0x65, 0x88), size));
    }

    private static PublishFrame frame(long pts, byte[] data, boolean key) {
        return new PublishFrame(0, "H264", data, pts, key, false, 0);
    }

    /** An H.264 track, learnt from a key frame. */
    private static PublishTracks h264Track() {
        PublishTracks tracks = new PublishTracks(1, 1000, 1400, 100, System::nanoTime);
        tracks.offer(frame(0, keyFrame(100), true), () -> TrackFormat.of("video", "H264", null, null, null));
        assertTrue(tracks.ready());
        return tracks;
    }

    /** Answers OPTIONS, ANNOUNCE, SETUP (echoing the transport, with a session), RECORD, TEARDOWN with 200. */
    private static void accept(ScriptedRtspServer.Call call) {
        RtspResponse ok = new RtspResponse(200, "OK");
        switch (call.request.method()) {
            case "OPTIONS" -> ok.headers().set("Public", "OPTIONS, ANNOUNCE, SETUP, RECORD, TEARDOWN");
            case "SETUP" -> {
                ok.headers().set("Session", "pub1;timeout=60");
                String t = call.request.headers().get("Transport");
                ok.headers().set("Transport", t.contains("client_port") ? t + ";server_port=40000-40001" : t);
            }
            default -> {
            }
        }
        call.reply(ok);
    }

    private RtspPublishClient client(PublishTracks tracks, TransportMode transport, int maxReconnects, int water) {
        RtspClientOptions options = new RtspClientOptions().url(server.url("/pub")).transport(transport)
                .reconnectDelay(Duration.ofMillis(100)).maxReconnectDelay(Duration.ofMillis(200))
                .maxReconnectAttempts(maxReconnects).requestTimeout(Duration.ofSeconds(5));
        client = new RtspPublishClient(options, group, tracks, 1000, water, null);
        return client;
    }

    @Test
    void announcesTheSdpThenSetsUpForRecordAndSendsInterleavedRtp() throws Exception {
        server = new ScriptedRtspServer(RtspPublishClientFaultTest::accept);
        client(h264Track(), TransportMode.TCP, 0, 1 << 20).start();
        await(() -> client.state() == ClientState.PLAYING, "recording: " + client.stateReason());
        assertEquals(List.of("OPTIONS", "ANNOUNCE", "SETUP", "RECORD"), server.methods());
        RtspRequest announce = server.requests.get(1);
        assertEquals("application/sdp", announce.headers().get("Content-Type"));
        String sdp = new String(announce.body(), StandardCharsets.UTF_8);
        assertTrue(sdp.contains("a=rtpmap:96 H264/90000"), sdp);
        assertTrue(sdp.contains("sprop-parameter-sets="), sdp);
        RtspRequest setup = server.requests.get(2);
        assertEquals(server.url("/pub") + "/trackID=0", setup.uri());
        assertEquals("RTP/AVP/TCP;unicast;interleaved=0-1;mode=record", setup.headers().get("Transport"));
        assertEquals("pub1", server.requests.get(3).headers().get("Session"));
        AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < 5; i++) {
            client.send(frame(i * 40_000L, i == 0 ? keyFrame(3000) : annexB(nal(bytes(0x41, 0x9A), 500)), i == 0),
                        e -> done.incrementAndGet());
        }
        await(() -> done.get() == 5, "frames handled");
        assertEquals(5, client.framesSent());
        // 3000-byte key frame: 3 FU-A packets after a STAP-A of SPS and PPS; then one packet per delta frame
        await(() -> server.interleavedChannels.size() >= 8, "RTP on channel 0: " + server.interleavedChannels);
        assertTrue(server.interleavedChannels.stream().allMatch(c -> c == 0 || c == 1));
        // an RTCP sender report follows on the RTCP channel within a second or so
        await(() -> server.interleavedChannels.contains(1), "RTCP on channel 1: " + server.interleavedChannels);
        client.stop().get(10, TimeUnit.SECONDS);
        assertEquals("TEARDOWN", server.methods().get(server.methods().size() - 1));
        client = null;
    }

    @Test
    void aLostConnectionReconnectsAnnouncesAgainAndRestartsVideoAtAKeyFrame() throws Exception {
        AtomicInteger records = new AtomicInteger();
        server = new ScriptedRtspServer(call -> {
            if (call.request.method().equals("RECORD") && records.incrementAndGet() == 1) {
                call.reply(200, "OK");
                call.channel.eventLoop().schedule(call::close, 200, TimeUnit.MILLISECONDS);
                return;
            }
            accept(call);
        });
        client(h264Track(), TransportMode.TCP, -1, 1 << 20).start();
        await(() -> records.get() == 2 && client.state() == ClientState.PLAYING,
              "recording again: " + client.stateReason());
        assertEquals(1, client.reconnects());
        assertEquals(2, server.methods().stream().filter("ANNOUNCE"::equals).count());
        int before = server.interleavedChannels.size();
        AtomicInteger done = new AtomicInteger();
        client.send(frame(0, annexB(nal(bytes(0x41, 0x9A), 500)), false), e -> done.incrementAndGet());
        client.send(frame(40_000, keyFrame(200), true), e -> done.incrementAndGet());
        await(() -> done.get() == 2, "frames handled");
        assertEquals(1, client.framesDropped(), "the delta frame before the first key frame");
        assertEquals(1, client.framesSent());
        await(() -> server.interleavedChannels.size() > before, "the key frame arrives");
    }

    @Test
    void aRefusedAnnounceFailsWithTheStatusAndLaterFramesAreDropped() throws Exception {
        server = new ScriptedRtspServer(call -> {
            if (call.request.method().equals("ANNOUNCE")) {
                call.reply(403, "Forbidden");
            } else {
                accept(call);
            }
        });
        client(h264Track(), TransportMode.TCP, 0, 1 << 20).start();
        await(() -> client.state() == ClientState.FAILED, "failed: " + client.stateReason());
        assertTrue(client.stateReason().contains("403"), client.stateReason());
        assertTrue(client.stateReason().contains("ANNOUNCE"), client.stateReason());
        assertFalse(client.send(frame(0, keyFrame(100), true), null));
        assertEquals(1, client.framesDropped());
    }

    @Test
    void udpRefusedWith461FallsBackToTcp() throws Exception {
        server = new ScriptedRtspServer(call -> {
            if (call.request.method().equals("SETUP") && call.request.headers().get("Transport").contains("client")) {
                call.reply(461, "Unsupported Transport");
            } else {
                accept(call);
            }
        });
        client(h264Track(), TransportMode.AUTO, 0, 1 << 20).start();
        await(() -> client.state() == ClientState.PLAYING, "recording: " + client.stateReason());
        assertEquals(TransportMode.TCP, client.activeTransport());
        List<RtspRequest> setups = server.requests.stream().filter(r -> r.method().equals("SETUP")).toList();
        assertTrue(setups.get(0).headers().get("Transport").startsWith("RTP/AVP;unicast;client_port="));
        assertTrue(setups.get(0).headers().get("Transport").endsWith(";mode=record"));
        assertEquals("RTP/AVP/TCP;unicast;interleaved=0-1;mode=record",
                     setups.get(setups.size() - 1).headers().get("Transport"));
    }

    @Test
    void aServerThatStopsReadingMakesTheClientDropWholeFramesNotBuffer() throws Exception {
        server = new ScriptedRtspServer(call -> {
            accept(call);
            if (call.request.method().equals("RECORD")) {
                call.channel.config().setAutoRead(false);
            }
        });
        client(h264Track(), TransportMode.TCP, 0, 64 * 1024).start();
        await(() -> client.state() == ClientState.PLAYING, "recording: " + client.stateReason());
        int frames = 300;
        AtomicInteger done = new AtomicInteger();
        byte[] big = keyFrame(200_000);
        for (int i = 0; i < frames; i++) {
            // all due at once: the pacer lets them through, the socket fills up
            client.send(frame(0, big, true), e -> done.incrementAndGet());
        }
        await(() -> done.get() == frames, "frames handled: " + done.get());
        assertEquals(frames, client.framesSent() + client.framesDropped());
        // kernel socket buffers on loopback hold a few MB at most, the channel 64 KB more: 200 KB frames beyond
        // that are dropped whole
        assertTrue(client.framesDropped() > frames / 2, "dropped " + client.framesDropped());
        assertTrue(client.framesSent() >= 1, "sent " + client.framesSent());
    }
}
