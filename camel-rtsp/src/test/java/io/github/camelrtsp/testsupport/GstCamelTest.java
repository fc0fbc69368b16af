package io.github.camelrtsp.testsupport;

import org.apache.camel.CamelContext;
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
