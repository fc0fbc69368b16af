package io.github.camelrtsp.examples.playback;

import io.github.camelrtsp.examples.ExampleMain;

/**
 * The playback orchestration example: plays the cameras and takes pause, resume and seek commands over HTTP (see
 * {@link PlaybackRoutes}). Properties in {@code playback.properties}. Run it with
 * {@code mvn -pl camel-rtsp-examples exec:java
 * -Dexec.mainClass=io.github.camelrtsp.examples.playback.PlaybackApplication},
 * then {@code curl -X POST localhost:8080/cameras/sim/pause}.
 */
public final class PlaybackApplication {

    private PlaybackApplication() {
    }

    /** Runs the example until Ctrl-C. */
    public static void main(String[] args) {
        ExampleMain.run("playback.properties", new PlaybackRoutes(), args);
    }
}
