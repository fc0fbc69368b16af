package io.github.camelrtsp.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.camelrtsp.examples.recorder.RecorderProgress;
import io.github.camelrtsp.examples.recorder.RecorderRoutes;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recorder without configuration: it starts the simulated camera and, within 30 s, has written whole segments
 * under {@code <camera>/<yyyy-MM-dd>/<HH-mm-ss>.mp4} that ffprobe decodes with the expected frame count and
 * duration, and no temporary file is left with a final name.
 */
class RecorderExampleTest {

    private static final Pattern LAYOUT =
            Pattern.compile("sim/\\d{4}-\\d{2}-\\d{2}/\\d{2}-\\d{2}-\\d{2}(-\\d+)?\\.mp4");

    @TempDir
    Path dir;

    @Test
    void recordsPlayableSegmentsOfTheSimulatedCameraWithin30Seconds() throws Exception {
        Properties p = new Properties();
        p.put("sim.port", "0");
        p.put("recorder.dir", dir.toString());
        p.put("recorder.segmentDuration", "2000");
        p.put("recorder.progressPeriod", "1000");
        RecorderRoutes routes = new RecorderRoutes();
        CamelContext context = new DefaultCamelContext();
        try {
            context.getPropertiesComponent().setInitialProperties(p);
            context.addRoutes(routes);
            context.start();
            KafkaExampleTest.await(() -> segments().size() >= 3, 30);
        } finally {
            context.stop();
        }
        List<Path> files = segments();
        assertTrue(files.size() >= 3, "segments: " + files);
        RecorderProgress.CameraProgress progress = routes.progress().camera("sim");
        assertEquals(files.size(), progress.segments(), "segments counted");
        for (Path f : files) {
            String rel = dir.relativize(f).toString().replace('\\', '/');
            assertTrue(LAYOUT.matcher(rel).matches(), "layout of " + rel);
            Probe.Result r = Probe.video(f, null);
            // 2 s at 25 fps, cut on the clip's 1 s key frame interval
            assertTrue(r.frames() >= 45 && r.frames() <= 80, rel + ": " + r.frames() + " frames");
            assertTrue(r.seconds() >= 1.8 && r.seconds() <= 3.3, rel + ": " + r.seconds() + " s");
            assertEquals("", r.errors(), rel + " decoder errors");
        }
    }

    private List<Path> segments() {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".mp4")).sorted().toList();
        } catch (Exception e) {
            return List.of();
        }
    }
}
