package io.github.camelrtsp;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.camelrtsp.client.RtspStatusException;
import io.github.camelrtsp.client.RtspTimeoutException;
import io.github.camelrtsp.client.ScriptedRtspServer;
import io.github.camelrtsp.message.RtspRequest;
import io.github.camelrtsp.message.RtspResponse;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The producer against a scripted server: request building, error statuses, timeouts and a lost connection. */
class RtspProducerFaultTest {

    private CamelContext camel;
    private ProducerTemplate template;
    private ScriptedRtspServer server;

    @BeforeEach
    void start() {
        camel = new DefaultCamelContext();
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        camel.stop();
        if (server != null) {
            server.close();
        }
    }

    private Exchange send(String uri, String method, Object body, Object... headers) {
        return template.request(uri, e -> {
            if (method != null) {
                e.getIn().setHeader(RtspConstants.METHOD, method);
            }
            for (int i = 0; i < headers.length; i += 2) {
                e.getIn().setHeader((String) headers[i], headers[i + 1]);
            }
            e.getIn().setBody(body);
        });
    }

    private static RtspResponse ok(String... headers) {
        RtspResponse r = new RtspResponse(200, "OK");
        for (int i = 0; i < headers.length; i += 2) {
            r.headers().set(headers[i], headers[i + 1]);
        }
        return r;
    }

    @Test
    void unknownMethodFailsBeforeSending() {
        server = new ScriptedRtspServer(call -> call.reply(200, "OK"));
        Exchange ex = send(server.url("/cam"), "FLY", null);
        IllegalArgumentException e = assertInstanceOf(IllegalArgumentException.class, ex.getException());
        assertTrue(e.getMessage().contains("FLY") && e.getMessage().contains("OPTIONS"), e.getMessage());
        assertTrue(server.requests.isEmpty(), "nothing may be sent: " + server.methods());

        Exchange none = send(server.url("/cam"), null, null);
        assertTrue(none.getException().getMessage().contains(RtspConstants.METHOD), none.getException().getMessage());
    }

    @Test
    void buildsRequestFromMessageAndMapsAnswer() {
        server = new ScriptedRtspServer(call -> {
            RtspResponse r = ok("X-Answer", "42", "Content-Type", "text/parameters");
            r.body("volume: 7\r\n".getBytes(StandardCharsets.US_ASCII));
            call.reply(r);
        });
        String uri = server.url("/cam?channel=1") + "&throwExceptionOnFailure=true";
        Exchange ex = send(uri, "get_parameter", "volume\r\n", "Content-Type", "text/parameters", "X-Custom", "a b",
                "CamelFoo", "internal", "breadcrumbId", "b-1", "Content-Length", "999");
        assertNull(ex.getException());
        RtspRequest req = server.requests.get(0);
        assertEquals("GET_PARAMETER", req.method());
        assertEquals(server.url("/cam?channel=1"), req.uri(), "endpoint URL with the camera's query, no options");
        assertEquals("text/parameters", req.headers().get("Content-Type"));
        assertEquals("a b", req.headers().get("X-Custom"));
        assertFalse(req.headers().contains("CamelFoo"));
        assertFalse(req.headers().contains("breadcrumbId"));
        assertEquals("8", req.headers().get("Content-Length"), "the length of the body actually sent");
        assertEquals("volume\r\n", new String(req.body(), StandardCharsets.UTF_8));
        assertEquals(200, ex.getMessage().getHeader(RtspConstants.STATUS_CODE));
        assertEquals("OK", ex.getMessage().getHeader(RtspConstants.REASON_PHRASE));
        assertEquals("42", ex.getMessage().getHeader("X-Answer"));
        assertEquals("volume: 7\r\n", ex.getMessage().getBody(String.class));
    }

    @Test
    void answerHeadersAndBodyAreNotSentBackButNewValuesAre() {
        server = new ScriptedRtspServer(call -> {
            switch (call.request.method()) {
                case "DESCRIBE" -> {
                    RtspResponse r = ok("Content-Base", server.url("/cam/"), "Content-Type", "application/sdp");
                    r.body("v=0\r\nm=video 0 RTP/AVP 96\r\na=control:trackID=1\r\n".getBytes(StandardCharsets.UTF_8));
                    call.reply(r);
                }
                case "SETUP" -> call.reply(ok("Session", "abc123;timeout=60", "Transport",
                        "RTP/AVP/TCP;unicast;interleaved=0-1"));
                case "PLAY" -> call.reply(ok("Range", "npt=0.000-", "RTP-Info", "url=trackID=1;seq=1;rtptime=2"));
                default -> call.reply(ok());
            }
        });
        String uri = server.url("/cam");
        Exchange ex = template.request(uri, e -> e.getIn().setHeader(RtspConstants.METHOD, "DESCRIBE"));
        assertTrue(ex.getMessage().getBody(String.class).contains("m=video"));
        // the same exchange goes on: SETUP of a relative control URL, then PLAY, then PAUSE
        ex.getMessage().setHeader(RtspConstants.METHOD, "SETUP");
        ex.getMessage().setHeader(RtspConstants.REQUEST_URI, "trackID=1");
        ex.getMessage().setHeader("Transport", "RTP/AVP/TCP;unicast;interleaved=0-1");
        ex = template.send(uri, ex);
        assertEquals("abc123", ex.getMessage().getHeader(RtspConstants.SESSION_ID));
        ex.getMessage().setHeader(RtspConstants.METHOD, "PLAY");
        ex.getMessage().removeHeader(RtspConstants.REQUEST_URI);
        ex = template.send(uri, ex);
        ex.getMessage().setHeader(RtspConstants.METHOD, "PAUSE");
        ex = template.send(uri, ex);
        ex.getMessage().setHeader(RtspConstants.METHOD, "PLAY");
        ex.getMessage().setHeader("Range", "npt=5-");
        ex = template.send(uri, ex);
        assertNull(ex.getException());

        RtspRequest setup = server.requests.get(1);
        assertEquals(server.url("/cam/trackID=1"), setup.uri(), "relative to Content-Base");
        assertEquals(0, setup.body().length, "the SDP of the DESCRIBE answer is not sent back");
        assertFalse(setup.headers().contains("Content-Base"));
        RtspRequest play = server.requests.get(2);
        assertEquals("abc123", play.headers().get("Session"));
        assertEquals(uri, play.uri());
        assertFalse(play.headers().contains("Transport"), "the SETUP answer's Transport is not sent back");
        RtspRequest pause = server.requests.get(3);
        assertEquals("PAUSE", pause.method());
        assertFalse(pause.headers().contains("Range"), "the PLAY answer's Range is not sent back on PAUSE");
        assertFalse(pause.headers().contains("RTP-Info"));
        RtspRequest seek = server.requests.get(4);
        assertEquals("npt=5-", seek.headers().get("Range"), "a Range the route set is sent");
        assertEquals("abc123", seek.headers().get("Session"));
        assertEquals(server.requests.size(), server.requests.stream().map(r -> r.headers().get("CSeq")).distinct()
                .count(), "a new CSeq for each request");
    }

    @Test
    void notFoundRaisesStatusExceptionUnlessDisabled() {
        server = new ScriptedRtspServer(call -> call.reply(404, "Stream Not Found"));
        Exchange ex = send(server.url("/nothing"), "DESCRIBE", null);
        RtspStatusException e = assertInstanceOf(RtspStatusException.class, ex.getException());
        assertEquals(404, e.statusCode());
        assertEquals("Stream Not Found", e.reasonPhrase());
        assertTrue(e.getMessage().contains("DESCRIBE") && e.getMessage().contains("404"), e.getMessage());

        Exchange lenient = send(server.url("/nothing") + "?throwExceptionOnFailure=false", "DESCRIBE", null);
        assertNull(lenient.getException());
        assertEquals(404, lenient.getMessage().getHeader(RtspConstants.STATUS_CODE));
        assertEquals("Stream Not Found", lenient.getMessage().getHeader(RtspConstants.REASON_PHRASE));
    }

    @Test
    void serverThatNeverAnswersTimesOut() {
        server = new ScriptedRtspServer(call -> {
            // silence
        });
        Exchange ex = send(server.url("/cam") + "?requestTimeout=500", "OPTIONS", null);
        RtspTimeoutException e = assertInstanceOf(RtspTimeoutException.class, ex.getException());
        assertTrue(e.getMessage().contains("OPTIONS") && e.getMessage().contains("no response within 500 ms"),
                e.getMessage());
    }

    @Test
    void lostConnectionLosesTheSessionAndReconnects() {
        AtomicBoolean dropNext = new AtomicBoolean();
        server = new ScriptedRtspServer(call -> {
            if ("SETUP".equals(call.request.method())) {
                call.reply(ok("Session", "s" + server.requests.size()));
            } else if (dropNext.getAndSet(false)) {
                call.close();
            } else {
                call.reply(ok());
            }
        });
        String uri = server.url("/cam") + "?requestTimeout=5000";
        assertNull(send(uri, "SETUP", null).getException());
        dropNext.set(true);
        Exchange lost = send(uri, "PLAY", null);
        assertTrue(lost.getException().getMessage().contains("session s1 is gone with the connection"),
                lost.getException().getMessage());
        // the next request that would carry the session says it is gone, without sending
        int sent = server.requests.size();
        Exchange gone = send(uri, "PLAY", null);
        RtspStatusException e = assertInstanceOf(RtspStatusException.class, gone.getException());
        assertEquals(454, e.statusCode());
        assertTrue(e.getMessage().contains("lost with the connection"), e.getMessage());
        assertEquals(sent, server.requests.size());
        // a new SETUP reconnects and gets a new session
        Exchange again = send(uri, "SETUP", null);
        assertNull(again.getException());
        assertEquals("s" + (sent + 1), again.getMessage().getHeader(RtspConstants.SESSION_ID));
        assertFalse(server.requests.get(server.requests.size() - 1).headers().contains("Session"));
    }

    @Test
    void sessionIsKeptAliveUntilTeardown() throws Exception {
        server = new ScriptedRtspServer(call -> {
            switch (call.request.method()) {
                case "OPTIONS" -> call.reply(ok("Public", "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER"));
                case "SETUP" -> call.reply(ok("Session", "k1;timeout=2"));
                default -> call.reply(ok());
            }
        });
        String uri = server.url("/cam");
        assertNull(send(uri, "OPTIONS", null).getException());
        assertNull(send(uri, "SETUP", null).getException());
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (server.requests.stream().noneMatch(r -> "GET_PARAMETER".equals(r.method()))) {
            assertTrue(System.nanoTime() < deadline, "no keep-alive within 20 s: " + server.methods());
            Thread.sleep(50);
        }
        RtspRequest keepAlive = server.requests.stream().filter(r -> "GET_PARAMETER".equals(r.method())).findFirst()
                .orElseThrow();
        assertEquals("k1", keepAlive.headers().get("Session"));
        assertNull(send(uri, "TEARDOWN", null).getException());
        int after = server.requests.size();
        // no keep-alive once the session is torn down: the next requests carry no Session
        assertNull(send(uri, "OPTIONS", null).getException());
        assertFalse(server.requests.get(after).headers().contains("Session"));
    }

    @Test
    void userInfoInTheRequestUriIsNeverSent() {
        server = new ScriptedRtspServer(call -> call.reply(ok()));
        String absolute = "rtsp://admin:s3cret@127.0.0.1:" + server.port() + "/cam/trackID=2";
        Exchange ex = send(server.url("/cam"), "OPTIONS", null, RtspConstants.REQUEST_URI, absolute);
        assertNull(ex.getException());
        assertEquals(server.url("/cam/trackID=2"), server.requests.get(0).uri());
        assertEquals("*", send(server.url("/cam"), "OPTIONS", null, RtspConstants.REQUEST_URI, "*").getException() == null
                ? server.requests.get(1).uri() : null);
    }

    @Test
    void aHeaderFilterStrategyOfTheRouteDecidesWhatIsSent() {
        server = new ScriptedRtspServer(call -> call.reply(ok()));
        org.apache.camel.support.DefaultHeaderFilterStrategy strategy = new org.apache.camel.support.DefaultHeaderFilterStrategy();
        strategy.setOutFilterStartsWith(org.apache.camel.support.DefaultHeaderFilterStrategy.CAMEL_FILTER_STARTS_WITH);
        strategy.setOutFilter(java.util.Set.of("X-Internal"));
        camel.getRegistry().bind("rtspHeaders", strategy);
        Exchange ex = send(server.url("/cam") + "?headerFilterStrategy=#rtspHeaders", "OPTIONS", null,
                "X-Internal", "no", "X-Camera", "yes");
        assertNull(ex.getException());
        assertFalse(server.requests.get(0).headers().contains("X-Internal"));
        assertEquals("yes", server.requests.get(0).headers().get("X-Camera"));
    }

    @Test
    void refusedConnectionFailsTheExchangeAndTheNextOneTriesAgain() {
        int port = io.github.camelrtsp.testsupport.FreePorts.tcp();
        String uri = "rtsp://admin:pw123456@127.0.0.1:" + port + "/cam?connectTimeout=2s";
        Exchange ex = send(uri, "OPTIONS", null);
        assertTrue(ex.getException().getMessage().contains("cannot connect to 127.0.0.1:" + port),
                ex.getException().getMessage());
        assertFalse(ex.getException().getMessage().contains("pw123456"));
        Exchange again = send(uri, "OPTIONS", null);
        assertTrue(again.getException().getMessage().contains("cannot connect"), again.getException().getMessage());
    }
}
