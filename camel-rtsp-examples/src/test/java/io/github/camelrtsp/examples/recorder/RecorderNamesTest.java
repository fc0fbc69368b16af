package io.github.camelrtsp.examples.recorder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;

import io.github.camelrtsp.RtspConstants;
import io.github.camelrtsp.examples.Cameras.Camera;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RecorderNamesTest {

    @TempDir
    Path dir;

    @Test
    void namesAfterTheSegmentStartAndNeverReusesAName() throws Exception {
        Camera camera = new Camera("door", "rtsp://cam/stream");
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.getMessage().setHeader(RtspConstants.SEGMENT_START, Instant.parse("2026-11-25T23:59:58.700Z"));
        e.getMessage().setHeader(RtspConstants.SEGMENT_SEQUENCE, 7L);
        RecorderRoutes.name(e, camera, ZoneId.of("UTC"), dir);
        assertEquals("door/2026-11-25/23-59-58.mp4", e.getMessage().getHeader(Exchange.FILE_NAME));
        RecorderRoutes.name(e, camera, ZoneId.of("Europe/Paris"), dir);
        assertEquals("door/2026-11-26/00-59-58.mp4", e.getMessage().getHeader(Exchange.FILE_NAME));

        Files.createDirectories(dir.resolve("door/2026-11-25"));
        Files.write(dir.resolve("door/2026-11-25/23-59-58.mp4"), new byte[] {1});
        RecorderRoutes.name(e, camera, ZoneId.of("UTC"), dir);
        assertEquals("door/2026-11-25/23-59-58-7.mp4", e.getMessage().getHeader(Exchange.FILE_NAME));
    }
}
