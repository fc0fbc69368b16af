package io.github.camelrtsp.examples.s3;

import io.github.camelrtsp.examples.ExampleMain;

/**
 * The S3 example: fMP4 segments of the cameras uploaded to an S3 bucket, one claim-check event per segment; starts
 * its own S3Mock server unless {@code s3.endpoint} is given. Properties in {@code s3.properties}. Run it with
 * {@code mvn -pl camel-rtsp-examples exec:java -Dexec.mainClass=io.github.camelrtsp.examples.s3.S3Application}.
 */
public final class S3Application {

    private S3Application() {
    }

    /** Runs the example until Ctrl-C. */
    public static void main(String[] args) {
        ExampleMain.run("s3.properties", new S3Routes(), args);
    }
}
