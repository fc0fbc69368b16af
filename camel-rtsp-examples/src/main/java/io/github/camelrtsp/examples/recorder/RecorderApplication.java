package io.github.camelrtsp.examples.recorder;

import io.github.camelrtsp.examples.ExampleMain;

/**
 * The recorder example (the main job): records cameras as fMP4 segments under {@code recordings/}. Without
 * configuration it starts the embedded simulated camera and records it. Properties in
 * {@code recorder.properties}, each overridable with {@code -Dname=value}:
 * {@code mvn -pl camel-rtsp-examples exec:java [-Dcameras=door=rtsp://...,yard=rtsp://...]}.
 */
public final class RecorderApplication {

    private RecorderApplication() {
    }

    /** Runs the recorder until Ctrl-C (or {@code camel.main.duration-max-seconds}). */
    public static void main(String[] args) {
        ExampleMain.run("recorder.properties", new RecorderRoutes(), args);
    }
}
