package io.github.camelrtsp.examples;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.camelrtsp.examples.s3.S3Routes;
import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The S3 example end to end: segments of the simulated camera uploaded to a real S3Mock server (child process);
 * each claim-check event names an object that exists with the announced size, under the
 * {@code <camera>/<yyyy-MM-dd>/<HH-mm-ss>.mp4} layout, and decodes with ffprobe.
 */
class S3ExampleTest {

    private static final Pattern EVENT = Pattern.compile("\\{\"camera\":\"sim\",\"bucket\":\"(\\S+?)\",\"key\":\""
            + "(sim/\\d{4}-\\d{2}-\\d{2}/\\d{2}-\\d{2}-\\d{2}\\.mp4)\",\"size\":(\\d+),\"durationMs\":(\\d+),.*");

    @TempDir
    Path dir;

    @Test
    void segmentsLandInS3WithAClaimCheckEach() throws Exception {
        Properties p = new Properties();
        p.put("sim.port", "0");
        p.put("s3.segmentDuration", "2000");
        p.put("s3.events", "seda:events");
        CamelContext context = new DefaultCamelContext();
        List<String> events = new ArrayList<>();
        String endpoint;
        try {
            context.getPropertiesComponent().setInitialProperties(p);
            context.addRoutes(new S3Routes());
            context.start();
            ConsumerTemplate consumer = context.createConsumerTemplate();
            while (events.size() < 2) {
                String event = consumer.receiveBody("seda:events", 60_000, String.class);
                assertNotNull(event, "no claim-check event within 60 s; got " + events);
                events.add(event);
            }
            endpoint = context.getEndpoints().stream().map(e -> e.getEndpointUri())
                    .filter(u -> u.startsWith("aws2-s3:")).findFirst().orElseThrow();
            Matcher u = Pattern.compile("uriEndpointOverride=([^&]+)").matcher(endpoint);
            assertTrue(u.find(), endpoint);
            String s3 = java.net.URLDecoder.decode(u.group(1), java.nio.charset.StandardCharsets.UTF_8);
            try (S3Client client = S3Client.builder().endpointOverride(URI.create(s3)).forcePathStyle(true)
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("any", "any")))
                    .build()) {
                for (String event : events) {
                    Matcher m = EVENT.matcher(event);
                    assertTrue(m.matches(), "claim check " + event);
                    byte[] object = client.getObjectAsBytes(b -> b.bucket(m.group(1)).key(m.group(2))).asByteArray();
                    assertEquals(Long.parseLong(m.group(3)), object.length, "size of " + m.group(2));
                    assertTrue(Long.parseLong(m.group(4)) >= 1800, "duration in " + event);
                    Path f = dir.resolve(m.group(2).replace('/', '_'));
                    Files.write(f, object);
                    Probe.Result r = Probe.video(f, null);
                    assertTrue(r.frames() >= 45 && r.frames() <= 80, m.group(2) + ": " + r.frames() + " frames");
                    assertEquals("", r.errors(), m.group(2) + " decoder errors");
                }
            }
        } finally {
            context.stop();
        }
    }
}
