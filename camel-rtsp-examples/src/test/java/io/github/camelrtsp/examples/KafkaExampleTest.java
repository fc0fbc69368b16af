package io.github.camelrtsp.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import io.github.camelrtsp.examples.kafka.KafkaRoutes;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kafka example end to end: the simulated camera's frames (and segments) go through a real in-process KRaft
 * broker, and the consumer side rebuilds files that ffprobe decodes.
 */
class KafkaExampleTest {

    @TempDir
    static Path out;
    private static CamelContext context;

    @BeforeAll
    static void start() throws Exception {
        Properties p = new Properties();
        p.put("sim.port", "0");
        p.put("kafka.outputDir", out.toString());
        p.put("kafka.segmentDuration", "2000");
        context = new DefaultCamelContext();
        context.getPropertiesComponent().setInitialProperties(p);
        context.addRoutes(new KafkaRoutes());
        context.start();
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.stop();
        }
    }

    @Test
    void framesThroughKafkaRebuildAnAnnexBStreamThatDecodes() throws Exception {
        Path h264 = out.resolve("sim.h264");
        // 4 s of the 25 fps clip, whatever the machine's load: the broker and the consumer run in real time
        await(() -> decodedFrames(h264) >= 100, 60);
        Probe.Result r = Probe.video(h264, "h264");
        assertTrue(r.frames() >= 100, "frames decoded: " + r.frames());
        assertEquals("", r.errors(), "decoder errors");
    }

    @Test
    void segmentsThroughKafkaArriveAsPlayableFiles() throws Exception {
        Path dir = out.resolve("sim");
        await(() -> segmentFiles(dir).size() >= 2, 60);
        for (Path f : segmentFiles(dir)) {
            Probe.Result r = Probe.video(f, null);
            // 2 s segments of the 25 fps clip, cut on its 1 s key frame interval
            assertTrue(r.frames() >= 45 && r.frames() <= 80, f + ": " + r.frames() + " frames");
            assertTrue(r.seconds() >= 1.8 && r.seconds() <= 3.3, f + ": " + r.seconds() + " s");
            assertEquals("", r.errors(), f + " decoder errors");
        }
    }

    static List<Path> segmentFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().matches("segment-\\d{8}\\.mp4")).sorted().toList();
        } catch (Exception e) {
            return List.of();
        }
    }

    static int decodedFrames(Path file) {
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        try {
            return Probe.video(file, file.toString().endsWith(".h264") ? "h264" : null).frames();
        } catch (Exception e) {
            return 0;
        }
    }

    static void await(BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + seconds + " s");
            }
            Thread.sleep(500);
        }
    }
}
