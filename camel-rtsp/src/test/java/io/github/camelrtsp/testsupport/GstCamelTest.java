package io.github.camelrtsp.testsupport;

import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the tests that run a Camel route against {@link GstRtspServer}: requires GStreamer once per class, and
 * after each test stops the {@link #camel} context, then closes the {@link #server} (either may be left null).
 * A subclass's own {@code @AfterEach} methods run before this one.
 */
public abstract class GstCamelTest {

    /** The GStreamer RTSP server of the test, or null. */
    protected GstRtspServer server;
    /** The Camel context of the test, or null. */
    protected CamelContext camel;

    @BeforeAll
    static void requireGStreamer() {
        GstRtspServer.requireAvailable();
    }

    /** Builds {@link #server} with these video and audio sources (see {@link GstRtspServer.Builder}) and starts it. */
    protected void startServer(String video, String audio) {
        server = GstRtspServer.builder().video(video).audio(audio).build();
        server.start();
    }

    /**
     * Starts {@link #camel} with one route from {@code uri}, with the id {@code routeId} unless it is null, whose
     * exchanges go to {@code processor}.
     */
    protected void startRoute(String uri, String routeId, Processor processor) throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                if (routeId != null) {
                    from(uri).routeId(routeId).process(processor);
                } else {
                    from(uri).process(processor);
                }
            }
        });
        camel.start();
    }

    @AfterEach
    void stopCamelThenServer() {
        if (camel != null) {
            camel.stop();
        }
        if (server != null) {
            server.close();
        }
    }
}
