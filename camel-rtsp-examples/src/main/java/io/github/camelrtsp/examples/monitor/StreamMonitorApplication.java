package io.github.camelrtsp.examples.monitor;

import io.github.camelrtsp.examples.ExampleMain;

/**
 * Runs {@link StreamMonitorRoutes}: plays the cameras (property {@code cameras} or {@code rtsp.url}, else the
 * embedded simulated camera) and logs, every few seconds, what arrives per track (frames, key frames, bytes, losses).
 * Properties in {@code monitor.properties}. Start it with
 * {@code mvn -pl camel-rtsp-examples exec:java
 * -Dexec.mainClass=io.github.camelrtsp.examples.monitor.StreamMonitorApplication}.
 */
public final class StreamMonitorApplication {

    private StreamMonitorApplication() {
    }

    /** Runs the monitor until Ctrl-C. */
    public static void main(String[] args) {
        ExampleMain.run("monitor.properties", new StreamMonitorRoutes(), args);
    }
}
