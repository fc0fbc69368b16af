package io.github.camelrtsp.examples;

import org.apache.camel.main.Main;

/**
 * Runs {@link StreamMonitorRoutes}: plays the RTSP URL in property {@code rtsp.url} and logs, every few seconds,
 * what arrives per track (packets, bytes, losses). Start it with
 * {@code mvn -pl camel-rtsp-examples exec:java -Drtsp.url=rtsp://user:pass@camera/stream}.
 */
public final class StreamMonitorApplication {

    private StreamMonitorApplication() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main(StreamMonitorApplication.class);
        main.configure().addRoutesBuilder(new StreamMonitorRoutes());
        main.run(args);
    }
}
