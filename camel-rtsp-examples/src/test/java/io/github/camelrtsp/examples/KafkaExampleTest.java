package io.github.camelrtsp.examples;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import io.github.camelrtsp.examples.kafka.KafkaRoutes;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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

    @Test
    void framesCarryTheCameraKeyAndTheRtspHeadersAsKafkaHeaders() throws Exception {
        String brokers = context.getEndpoints().stream().map(e -> e.getEndpointUri())
                .filter(u -> u.startsWith("kafka:")).map(u -> u.replaceAll(".*brokers=([^&]+).*", "$1"))
                .map(u -> URLDecoder.decode(u, StandardCharsets.UTF_8)).findFirst().orElseThrow();
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            reader.subscribe(List.of("camera-frames"));
            ConsumerRecord<String, byte[]> keyFrame = null;
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (keyFrame == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofSeconds(1))) {
                    if (keyFrame == null && "H264".equals(text(r, "CamelRtspCodec"))
                            && "true".equals(text(r, "CamelRtspKeyFrame"))) {
                        keyFrame = r;
                    }
                }
            }
            assertNotNull(keyFrame, "no H.264 key frame on the frames topic within 60 s");
            assertEquals("sim", keyFrame.key());
            assertEquals("video", text(keyFrame, "CamelRtspMediaType"));
            assertTrue(Long.parseLong(text(keyFrame, "CamelRtspPresentationTime")) >= 0);
            assertNull(keyFrame.headers().lastHeader("CamelFileName"), "Camel's own headers stay out");
            // Annex B with its parameter sets: an SPS (NAL type 7) is in the key frame
            byte[] b = keyFrame.value();
            boolean sps = false;
            for (int i = 0; i + 3 < b.length && !sps; i++) {
                sps = b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1 && (b[i + 3] & 0x1f) == 7;
            }
            assertTrue(sps, "no SPS in the key frame");
        }
    }

    private static String text(ConsumerRecord<String, byte[]> r, String header) {
        Header h = r.headers().lastHeader(header);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
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
