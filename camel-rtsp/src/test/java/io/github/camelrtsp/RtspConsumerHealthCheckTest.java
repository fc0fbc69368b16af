package io.github.camelrtsp;

import java.net.ConnectException;

import io.github.camelrtsp.client.ClientState;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RtspConsumerHealthCheckTest extends CamelTestSupport {

    private final FakeStream.Factory streams = new FakeStream.Factory();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext ctx = super.createCamelContext();
        RtspComponent component = new RtspComponent();
        component.setStreamFactory(streams);
        ctx.addComponent("rtsp", component);
        ctx.getCamelContextExtension().addContextPlugin(HealthCheckRegistry.class, new StubHealthCheckRegistry());
        return ctx;
    }

    private RtspConsumer start(String routeId, String uri) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId).to("mock:" + routeId);
            }
        });
        return (RtspConsumer) context.getRoute(routeId).getConsumer();
    }

    @Test
    void registeredInTheConsumersRepositoryAsReadinessCheck() throws Exception {
        RtspConsumer consumer = start("cam1", "rtsp://127.0.0.1:1/hc1");
        HealthCheck check = consumer.getHealthCheck();
        assertInstanceOf(RtspConsumerHealthCheck.class, check);
        assertSame(consumer.healthCheck(), check);
        assertEquals("rtsp-consumer-cam1", check.getId());
        assertEquals("camel", check.getGroup());
        assertTrue(check.isReadiness());
        assertFalse(check.isLiveness());
        assertTrue(check.isEnabled());
    }

    @Test
    void downWithTheClientReasonUntilPlaying() throws Exception {
        RtspConsumer consumer = start("cam2", "rtsp://admin:hunter2-secret@127.0.0.1:1/hc2?channel=1");
        FakeStream stream = streams.last();
        HealthCheck check = consumer.getHealthCheck();

        HealthCheck.Result before = check.call();
        assertEquals(HealthCheck.State.DOWN, before.getState());
        assertEquals("connecting to rtsp://127.0.0.1:1/hc2?channel=1", before.getMessage().orElse(null));
        assertEquals("CONNECTING", before.getDetails().get(RtspConsumerHealthCheck.DETAIL_STATE));
        assertEquals("rtsp://127.0.0.1:1/hc2?channel=1", before.getDetails().get(RtspConsumerHealthCheck.DETAIL_URL));
        assertEquals("cam2", before.getDetails().get(RtspConsumerHealthCheck.DETAIL_ROUTE_ID));
        assertFalse(before.getDetails().toString().contains("hunter2"), before.getDetails().toString());

        stream.changeState(ClientState.RECONNECTING, "401 Unauthorized; reconnecting in 1000 ms",
                new ConnectException("x"));
        stream.reconnects = 1;
        HealthCheck.Result reconnecting = check.call();
        assertEquals(HealthCheck.State.DOWN, reconnecting.getState());
        assertEquals("401 Unauthorized; reconnecting in 1000 ms", reconnecting.getMessage().orElse(null));
        assertEquals("RECONNECTING", reconnecting.getDetails().get(RtspConsumerHealthCheck.DETAIL_STATE));
        assertEquals(1L, reconnecting.getDetails().get(RtspConsumerHealthCheck.DETAIL_RECONNECTS));

        stream.changeState(ClientState.PLAYING, "playing rtsp://127.0.0.1:1/hc2?channel=1 over TCP", null);
        HealthCheck.Result playing = check.call();
        assertEquals(HealthCheck.State.UP, playing.getState());
        assertEquals("PLAYING", playing.getDetails().get(RtspConsumerHealthCheck.DETAIL_STATE));

        stream.changeState(ClientState.FAILED, "gave up after 3 reconnect attempts", null);
        HealthCheck.Result failed = check.call();
        assertEquals(HealthCheck.State.DOWN, failed.getState());
        assertEquals("gave up after 3 reconnect attempts", failed.getMessage().orElse(null));
    }

    @Test
    void emptyReasonStillExplains() throws Exception {
        RtspConsumer consumer = start("cam3", "rtsp://127.0.0.1:1/hc3");
        streams.last().reason = "";
        HealthCheck.Result r = consumer.getHealthCheck().call();
        assertEquals(HealthCheck.State.DOWN, r.getState());
        assertEquals("RTSP client is CONNECTING", r.getMessage().orElse(null));
    }

    @Test
    void notStartedConsumerIsDown() throws Exception {
        RtspEndpoint endpoint = context.getEndpoint("rtsp://127.0.0.1:1/hc4", RtspEndpoint.class);
        RtspConsumer consumer = (RtspConsumer) endpoint.createConsumer(exchange -> {
        });
        RtspConsumerHealthCheck check = new RtspConsumerHealthCheck(consumer, null);
        HealthCheck.Result r = check.call();
        assertEquals(HealthCheck.State.DOWN, r.getState());
        assertEquals("consumer not started", r.getMessage().orElse(null));
        assertEquals("IDLE", r.getDetails().get(RtspConsumerHealthCheck.DETAIL_STATE));
        assertEquals("rtsp-consumer-rtsp://127.0.0.1:1/hc4", check.getId());
        assertNull(consumer.getHealthCheck());
    }

    @Test
    void disabledOnTheComponentReportsUnknown() throws Exception {
        context.getComponent("rtsp", RtspComponent.class).setHealthCheckConsumerEnabled(false);
        RtspConsumer consumer = start("cam5", "rtsp://127.0.0.1:1/hc5");
        HealthCheck check = consumer.getHealthCheck();
        assertNotNull(check);
        assertFalse(check.isEnabled());
        assertEquals(HealthCheck.State.UNKNOWN, check.call().getState());
    }
}
