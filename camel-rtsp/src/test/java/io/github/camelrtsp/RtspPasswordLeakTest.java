package io.github.camelrtsp;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.camelrtsp.client.ClientState;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.util.URISupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The camera password must never show: not in the endpoint URI, toString, logs, exception messages, headers or health
 * check details. The password is distinctive so that any trace of it, decoded or URL-encoded, is found.
 */
class RtspPasswordLeakTest extends CamelTestSupport {

    private static final String MARK = "Zq7wLeak";
    /** {@code Zq7wLeak@:/&%x}: characters that must be URL-encoded in user info. */
    private static final String PASSWORD = MARK + "@:/&%x";
    private static final String ENCODED = MARK + "%40%3A%2F%26%25x";
    private static final String URI = "rtsp://admin:" + ENCODED + "@127.0.0.1:1/cam/realmonitor?channel=1&subtype=0";

    private final FakeStream.Factory streams = new FakeStream.Factory();
    private final List<Throwable> handled = new CopyOnWriteArrayList<>();
    private LogCapture logs;

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext ctx = super.createCamelContext();
        RtspComponent component = new RtspComponent();
        component.setStreamFactory(streams);
        ctx.addComponent("rtsp", component);
        return ctx;
    }

    @BeforeEach
    void captureLogs() {
        logs = LogCapture.install();
    }

    @AfterEach
    void stopCapture() {
        logs.close();
    }

    private static void assertNoPassword(String where, Object text) {
        String s = String.valueOf(text);
        assertFalse(s.contains(MARK), where + " shows the password: " + s);
    }

    private static String describe(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    @Test
    void passwordIsUsedButNeverShown() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(URI).routeId("cam").to("mock:out");
            }
        });
        RtspConsumer consumer = (RtspConsumer) context.getRoute("cam").getConsumer();
        RtspEndpoint endpoint = consumer.getEndpoint();
        FakeStream stream = streams.last();

        // it does reach the client, decoded, as credentials
        assertEquals(PASSWORD, stream.options.credentials().password());
        assertEquals("rtsp://127.0.0.1:1/cam/realmonitor?channel=1&subtype=0", stream.options.url());

        assertNoPassword("endpoint URI", endpoint.getEndpointUri());
        assertNoPassword("endpoint base URI", endpoint.getEndpointBaseUri());
        assertNoPassword("endpoint toString", endpoint);
        assertNoPassword("consumer toString", consumer);
        assertNoPassword("route endpoint", context.getRoute("cam").getEndpoint().getEndpointUri());
        assertNoPassword("route description", context.getRoute("cam").toString());
        assertNoPassword("camera URL", endpoint.cameraUrl());
        assertNoPassword("sanitized URI", endpoint.sanitizedUri());
        assertNoPassword("client options toString", stream.options.credentials());
        assertNoPassword("configuration toString", endpoint.getConfiguration());
        assertNoPassword("Camel's sanitizer on our endpoint URI", URISupport.sanitizeUri(endpoint.getEndpointUri()));
        assertTrue(endpoint.getEndpointUri().contains("admin:xxxxxx@"), endpoint.getEndpointUri());

        // the endpoint is still found by the URI the route was written with
        Endpoint again = context.getEndpoint(URI);
        assertEquals(endpoint, again);

        // the header
        MockEndpoint mock = getMockEndpoint("mock:out");
        mock.expectedMessageCount(1);
        consumer.enqueue(RtspConsumerTest.packet(1));
        mock.assertIsSatisfied();
        Exchange exchange = mock.getExchanges().get(0);
        assertEquals("rtsp://127.0.0.1:1/cam/realmonitor?channel=1&subtype=0",
                exchange.getIn().getHeader(RtspConstants.RTSP_URI));
        assertNoPassword("headers", exchange.getIn().getHeaders());

        // a stream failure, reported through the exception handler and logged
        stream.changeState(ClientState.RECONNECTING, "401 Unauthorized; reconnecting in 1000 ms",
                new ConnectException("refused"));
        RtspConsumerTest.awaitTrue(() -> logs.text().contains("401 Unauthorized"));

        // the health check
        HealthCheck.Result health = new RtspConsumerHealthCheck(consumer, "cam").call();
        assertNoPassword("health check", health.getDetails() + " " + health.getMessage());

        // JMX attributes
        assertNoPassword("managed camera URL", consumer.getCameraUrl() + endpoint.getCameraUrl());

        context.getRouteController().stopRoute("cam");
        assertNoPassword("logs", logs.text());
        assertTrue(logs.text().contains("Starting RTSP consumer: rtsp://127.0.0.1:1/cam/realmonitor?channel=1"),
                logs.text());
    }

    @Test
    void passwordOptionIsMaskedToo() throws Exception {
        // URL-encoded option values are decoded as in any Camel endpoint (Camel itself cannot take an encoded % or &
        // in a query value: RAW(...) is the way for those)
        String uri = "rtsp://127.0.0.1:1/opt?channel=1&username=admin&password=" + MARK + "%40%3A%2Fx";
        RtspEndpoint endpoint = context.getEndpoint(uri, RtspEndpoint.class);
        assertEquals(MARK + "@:/x", endpoint.getConfiguration().getPassword());
        assertNoPassword("endpoint URI", endpoint.getEndpointUri());
        assertEquals("rtsp://127.0.0.1:1/opt?channel=1", endpoint.cameraUrl());
        String raw = "rtsp://127.0.0.1:1/raw?username=admin&password=RAW(" + PASSWORD + ")";
        RtspEndpoint rawEndpoint = context.getEndpoint(raw, RtspEndpoint.class);
        assertEquals(PASSWORD, rawEndpoint.getConfiguration().getPassword());
        assertNoPassword("endpoint URI", rawEndpoint.getEndpointUri());
        assertNoPassword("logs", logs.text());
    }

    @Test
    void bridgedFailureCarriesNoPassword() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(RtspStreamException.class).handled(true).process(e -> handled.add(
                        e.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class))).to("mock:errors");
                from(URI + "&bridgeErrorHandler=true").routeId("bridged").to("mock:out");
            }
        });
        MockEndpoint errors = getMockEndpoint("mock:errors");
        errors.expectedMessageCount(1);
        streams.last().changeState(ClientState.FAILED, "gave up", new ConnectException("refused"));
        errors.assertIsSatisfied();
        assertNoPassword("bridged exception", describe(handled.get(0)));
        assertNoPassword("bridged exchange", errors.getExchanges().get(0).getFromEndpoint().getEndpointUri());
    }

    @Test
    void invalidEndpointFailsWithoutShowingThePassword() {
        ResolveEndpointFailedException e = assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint(URI + "&transport=carrier-pigeon"));
        assertTrue(e.getMessage().contains("transport"), e.getMessage());
        assertNoPassword("exception", describe(e));
        ResolveEndpointFailedException bad = assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint("rtsp://admin:" + MARK + "%ZZ@127.0.0.1:1/x"));
        assertNoPassword("exception", describe(bad));
        assertNoPassword("logs", logs.text());
    }

    @Test
    void uriFactoryKnowsTheSecretOptions() {
        assertTrue(PluginHelper.getUriFactoryResolver(context).resolveFactory("rtsp", context)
                .secretPropertyNames().contains("password"));
    }
}
