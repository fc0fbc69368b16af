package io.github.camelrtsp.examples.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the ingest benchmark at a tiny N against the clip bundled with the simulated camera: proves that the load
 * server, the measured JVM and the reports work end to end. Asserts no timing and no ratio.
 */
class IngestBenchmarkSmokeTest {

    @Test
    void twoStreamsAreMeasuredAndReported() throws Exception {
        Path out = Path.of("target", "benchmark-smoke");
        List<Map<String, Object>> rows = new IngestBenchmark("--n", "2", "--seconds", "5", "--warmup", "3",
                "--compare", "false", "--source", "sim", "--out", out.toString()).run();
        assertEquals(1, rows.size(), rows.toString());
        Map<String, Object> camel = rows.get(0);
        assertEquals("camel-rtsp", camel.get("tool"));
        // "ok" also needs the full bit rate, which a busy CI machine may not deliver: not asserted
        assertEquals(2, camel.get("playing"), "both streams play at the end: " + camel);
        assertTrue(((Number) camel.get("frames_per_s")).doubleValue() > 0, camel.toString());
        assertTrue(((Number) camel.get("packets_per_s")).doubleValue() > 0, camel.toString());
        assertTrue(((Number) camel.get("cpu_pct_per_stream")).doubleValue() > 0, camel.toString());
        List<String> csv = Files.readAllLines(out.resolve("ingest.csv"));
        assertEquals(2, csv.size(), csv.toString());
        assertTrue(csv.get(1).startsWith("camel-rtsp,2,"), csv.get(1));
        assertTrue(Files.readString(out.resolve("ingest.json")).contains("\"tool\": \"camel-rtsp\""));
        assertTrue(Files.size(out.resolve("ingest-cpu.png")) > 0);
    }
}
