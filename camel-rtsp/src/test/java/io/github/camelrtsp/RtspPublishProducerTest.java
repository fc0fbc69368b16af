package io.github.camelrtsp;

import static io.github.camelrtsp.client.PublishPeers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.camelrtsp.client.ScriptedRtspServer;
import io.github.camelrtsp.message.RtspRequest;
import io.github.camelrtsp.message.RtspResponse;

/** The publish producer against a scripted server: the track timeout, the SDP, refusals. */
class RtspPublishProducerTest {

    private CamelContext camel;
    private ScriptedRtspServer server;

    @AfterEach
    void cleanup() {
        if (camel != null) {
            camel.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    private static void accept(ScriptedRtspServer.Call call) {
        RtspResponse ok = new RtspResponse(200, "OK");
        if (call.request.method().equals("SETUP")) {
            ok.headers().set("Session", "s1");
            ok.headers().set("Transport", call.request.headers().get("Transport"));
        }
        call.reply(ok);
    }

    private static Exchange sendPcmu(ProducerTemplate template, String uri, long pts) {
        return template.send(uri, e -> {
            e.getIn().setBody(new byte[160]);
            e.getIn().setHeader(RtspConstants.CODEC, "PCMU");
            e.getIn().setHeader(RtspConstants.PRESENTATION_TIME, pts);
            e.getIn().setHeader(RtspConstants.TRACK, 3);
        });
    }

    @Test
    void withoutAnExpectedTrackCountTheTracksSeenWithinTheTimeoutAreAnnounced() throws Exception {
        server = new ScriptedRtspServer(RtspPublishProducerTest::accept);
        camel = new DefaultCamelContext();
        camel.start();
        ProducerTemplate template = camel.createProducerTemplate();
        String uri = server.url("/audio") + "?publish=true&publishTrackTimeout=300";
        assertNull(sendPcmu(template, uri, 0).getException());
        // the one track seen within the timeout is announced
        await(() -> server.methods().contains("RECORD"), "RECORD after the track timeout: " + server.methods());
        RtspRequest announce = server.requests.stream().filter(r -> r.method().equals("ANNOUNCE")).findFirst()
                .orElseThrow();
        String sdp = new String(announce.body(), StandardCharsets.UTF_8);
        assertTrue(sdp.contains("m=audio 0 RTP/AVP 0\r\n"), sdp);
        assertTrue(sdp.contains("a=rtpmap:0 PCMU/8000\r\n"), sdp);
        assertEquals(1, sdp.split("m=", -1).length - 1, "one media section: " + sdp);
        for (int i = 1; i <= 5; i++) {
            assertNull(sendPcmu(template, uri, i * 20_000L).getException());
        }
        // a frame of a track that was not announced is skipped, not failed
        Exchange other = template.send(uri, e -> {
            e.getIn().setBody(new byte[160]);
            e.getIn().setHeader(RtspConstants.CODEC, "PCMA");
            e.getIn().setHeader(RtspConstants.PRESENTATION_TIME, 0L);
            e.getIn().setHeader(RtspConstants.TRACK, 4);
        });
        assertNull(other.getException());
    }

    @Test
    void aServerThatRefusesAndNoReconnectsLeftFailsTheExchanges() throws Exception {
        server = new ScriptedRtspServer(call -> {
            if (call.request.method().equals("ANNOUNCE")) {
                call.reply(404, "Not Found");
            } else {
                accept(call);
            }
        });
        camel = new DefaultCamelContext();
        camel.start();
        ProducerTemplate template = camel.createProducerTemplate();
        String uri = server.url("/nowhere") + "?publish=true&publishTracks=1&maxReconnectAttempts=0";
        assertNull(sendPcmu(template, uri, 0).getException(), "the first frame is kept while connecting");
        await(() -> sendPcmu(template, uri, 20_000).getException() != null, "a later exchange fails");
        Exchange failed = sendPcmu(template, uri, 40_000);
        assertInstanceOf(RtspStreamException.class, failed.getException());
        assertTrue(failed.getException().getMessage().contains("404"), failed.getException().getMessage());
    }
}
