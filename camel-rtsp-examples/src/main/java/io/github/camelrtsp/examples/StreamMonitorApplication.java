package io.github.camelrtsp.examples;

import org.apache.camel.main.Main;

/**
 * Runs {@link StreamMonitorRoutes}: plays the RTSP URL in property {@code rtsp.url} and logs, every few seconds,
 * what arrives per track (frames, key frames, bytes, losses). Start it with
 * {@code mvn -pl camel-rtsp-examples exec:java -Drtsp.url=rtsp://user:pass@camera/stream}.
 */
public final class StreamMonitorApplication {

    private StreamMonitorApplication() {
    }

    public static void main(String[] args) throws Exception {
        // the routes are found by classpath scanning from this class's package
        Main main = new Main(StreamMonitorApplication.class);
        main.run(args);
    }
}
