package io.github.camelrtsp.examples.kafka;

import io.github.camelrtsp.examples.ExampleMain;

/**
 * The Kafka example: frames and fMP4 segments of the cameras to Kafka topics, and a consumer that rebuilds playable
 * files from them; starts its own single-node KRaft broker unless {@code kafka.brokers} is given. Properties in
 * {@code kafka.properties}. Run it with
 * {@code mvn -pl camel-rtsp-examples exec:java -Dexec.mainClass=io.github.camelrtsp.examples.kafka.KafkaApplication}.
 */
public final class KafkaApplication {

    private KafkaApplication() {
    }

    /** Runs the example until Ctrl-C. */
    public static void main(String[] args) {
        ExampleMain.run("kafka.properties", new KafkaRoutes(), args);
    }
}
