package io.github.camelrtsp.examples;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import io.github.camelrtsp.RtspConstants;
import org.apache.camel.Message;

/** Names a segment after its camera and start: {@code <camera>/<yyyy-MM-dd>/<HH-mm-ss>.mp4}. */
public final class SegmentPaths {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH-mm-ss");

    private SegmentPaths() {
    }

    /**
     * The relative path (or object key) of the segment in {@code m}, from its {@code CamelRtspSegmentStart} header
     * in {@code zone}; the current time when the header is missing.
     */
    public static String of(String camera, Message m, ZoneId zone) {
        Instant start = m.getHeader(RtspConstants.SEGMENT_START, Instant.class);
        ZonedDateTime local = (start != null ? start : Instant.now()).atZone(zone);
        return camera + "/" + DAY.format(local) + "/" + TIME.format(local) + ".mp4";
    }
}
