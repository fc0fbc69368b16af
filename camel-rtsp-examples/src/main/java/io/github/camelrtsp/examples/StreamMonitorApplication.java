package io.github.camelrtsp.examples;

import io.github.camelrtsp.server.SimulatedCamera;
import org.apache.camel.main.Main;

/**
 * Runs {@link StreamMonitorRoutes}: plays the RTSP URL in property {@code rtsp.url} and logs, every few seconds,
 * what arrives per track (frames, key frames, bytes, losses). Without {@code rtsp.url} it starts the embedded
 * simulated camera ({@code rtsp://127.0.0.1:8554/sim}, port from {@code sim.port}) and plays that. Start it with
 * {@code mvn -pl camel-rtsp-examples exec:java [-Drtsp.url=rtsp://user:pass@camera/stream]}.
 */
public final class StreamMonitorApplication {

    private StreamMonitorApplication() {
    }

    public static void main(String[] args) throws Exception {
        SimulatedCamera camera = null;
        String url = System.getProperty("rtsp.url");
        if (url == null || url.isBlank()) {
            int port = Integer.getInteger("sim.port", SimulatedCamera.DEFAULT_PORT);
            camera = SimulatedCamera.start(SimulatedCamera.DEFAULT_HOST, port, SimulatedCamera.DEFAULT_PATH);
            System.setProperty("rtsp.url", camera.url());
        }
        try {
            // the routes are found by classpath scanning from this class's package
            Main main = new Main(StreamMonitorApplication.class);
            main.run(args);
        } finally {
            if (camera != null) {
                camera.close();
            }
        }
    }
}
