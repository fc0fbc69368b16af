package io.github.camelrtsp.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.camelrtsp.message.RtspRequest;
import io.github.camelrtsp.message.RtspResponse;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.github.camelrtsp.client.RecordingListener.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RtspStreamClient#pause()} and {@link RtspStreamClient#play} against a scripted server. */
class RtspStreamClientControlTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
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

    /** A one-track server; PLAY with Range while playing answers 455 when {@code seekOnlyWhenPaused}. */
    private ScriptedRtspServer server(boolean seekOnlyWhenPaused) {
        boolean[] playing = new boolean[1];
        return new ScriptedRtspServer(call -> {
            RtspRequest req = call.request;
            switch (req.method()) {
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
                    r.headers().set("Session", "ctl-1;timeout=60");
                    call.reply(r);
                }
                case "PLAY" -> {
                    if (seekOnlyWhenPaused && playing[0] && req.headers().get("Range") != null) {
                        call.reply(455, "Method Not Valid in This State");
                        return;
                    }
                    playing[0] = true;
                    RtspResponse r = new RtspResponse(200, "OK");
                    r.headers().set("RTP-Info", "url=trackID=0;seq=100;rtptime=9000");
                    call.reply(r);
                }
                case "PAUSE" -> {
                    playing[0] = false;
                    call.reply(200, "OK");
                }
                default -> call.reply(200, "OK");
            }
        });
    }

    private RecordingListener play(RtspClientOptions options, List<RtspSessionInfo> replays) {
        RecordingListener l = new RecordingListener() {
            @Override
            public void onReplaying(RtspSessionInfo session) {
                replays.add(session);
            }
        };
        client = new RtspStreamClient(options, group, l);
        client.start();
        await(WAIT, () -> client.state() == ClientState.PLAYING, () -> "playing: " + client.stateReason());
        return l;
    }

    private List<RtspRequest> requests(String method) {
        return server.requests.stream().filter(r -> method.equals(r.method())).toList();
    }

    @Test
    void firstPlayCarriesRangeScaleSpeedAndPauseThenPlayKeepTheSession() throws Exception {
        server = server(false);
        List<RtspSessionInfo> replays = new CopyOnWriteArrayList<>();
        play(new RtspClientOptions().url(server.url("/cam")).playRange("clock=20261125T100000Z-").scale("2")
                .speed("4").receiveTimeout(Duration.ofSeconds(3)), replays);
        RtspRequest first = requests("PLAY").get(0);
        assertEquals("clock=20261125T100000Z-", first.headers().get("Range"));
        assertEquals("2", first.headers().get("Scale"));
        assertEquals("4", first.headers().get("Speed"));

        assertEquals(200, client.pause().get(10, TimeUnit.SECONDS).statusCode());
        assertTrue(client.isPaused());
        // longer than receiveTimeout without media: a paused session is not taken for a dead one
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4000);
        await(WAIT, () -> System.nanoTime() > until, () -> "time to pass");
        assertEquals(ClientState.PLAYING, client.state(), client.stateReason());

        assertEquals(200, client.play(null, null, null).get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(List.of("DESCRIBE", "SETUP", "PLAY", "PAUSE", "PLAY"),
                server.methods().stream().filter(m -> !m.equals("OPTIONS") && !m.equals("GET_PARAMETER")).toList());
        for (RtspRequest r : server.requests) {
            if (List.of("PLAY", "PAUSE").contains(r.method())) {
                assertEquals("ctl-1", r.headers().get("Session"));
            }
        }
        assertEquals(null, requests("PLAY").get(1).headers().get("Range"), "a resume has no Range");
        assertEquals(1, replays.size());
        assertEquals(9000L, replays.get(0).rtpInfo().get(0).rtptime());
    }

    @Test
    void seekFallsBackToPauseThenPlayWhenTheServerRefusesPlayWhilePlaying() throws Exception {
        server = server(true);
        List<RtspSessionInfo> replays = new CopyOnWriteArrayList<>();
        play(new RtspClientOptions().url(server.url("/cam")), replays);
        RtspResponse answer = client.play("npt=30-", null, null).get(10, TimeUnit.SECONDS);
        assertEquals(200, answer.statusCode());
        List<String> methods = server.methods().stream().filter(m -> !m.equals("OPTIONS")).toList();
        assertEquals(List.of("DESCRIBE", "SETUP", "PLAY", "PLAY", "PAUSE", "PLAY"), methods);
        assertEquals("npt=30-", requests("PLAY").get(2).headers().get("Range"));
        assertEquals(1, replays.size(), "the listener hears the PLAY that worked");
    }

    @Test
    void controlWithoutAPlayingSessionFailsClearly() {
        client = new RtspStreamClient(new RtspClientOptions().url("rtsp://127.0.0.1:1/none"), group,
                new RecordingListener());
        ExecutionException e = assertThrows(ExecutionException.class, () -> client.pause().get(5, TimeUnit.SECONDS));
        RtspClientException cause = assertInstanceOf(RtspClientException.class, e.getCause());
        assertTrue(cause.getMessage().contains("cannot PAUSE") && cause.getMessage().contains("no session is playing"),
                cause.getMessage());
        ExecutionException p = assertThrows(ExecutionException.class,
                () -> client.play("npt=1-", null, null).get(5, TimeUnit.SECONDS));
        assertTrue(p.getCause().getMessage().contains("cannot PLAY"), p.getCause().getMessage());
        assertTrue(!(p.getCause() instanceof CompletionException));
    }
}
