package io.github.camelrtsp.examples.recorder;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import io.github.camelrtsp.examples.Cameras;
import io.github.camelrtsp.examples.Cameras.Camera;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;

/**
 * Records every camera of {@link Cameras} as playable fMP4 segments ({@code output=fmp4}) into
 * {@code <recorder.dir>/<camera>/<yyyy-MM-dd>/<HH-mm-ss>.mp4}, named after the segment's start in
 * {@code recorder.zone}. Each file is written under a {@code .part} name and renamed when complete, so a file with
 * the final name is always a whole segment. A timer route logs the progress of each camera every
 * {@code recorder.progressPeriod} ms (see {@link RecorderProgress}).
 */
public class RecorderRoutes extends RouteBuilder {

    /** Segment header: wall-clock start of the segment (Instant). */
    public static final String SEGMENT_START = "CamelRtspSegmentStart";
    /** Segment header: duration of the segment (java.time.Duration). */
    public static final String SEGMENT_DURATION = "CamelRtspSegmentDuration";
    /** Segment header: sequence number of the segment in the stream (long). */
    public static final String SEGMENT_SEQUENCE = "CamelRtspSegmentSequence";

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH-mm-ss");

    private final RecorderProgress progress = new RecorderProgress();

    /** The progress counters, shared with the timer route (tests read them). */
    public RecorderProgress progress() {
        return progress;
    }

    @Override
    public void configure() throws Exception {
        List<Camera> cameras = Cameras.resolve(getContext());
        ZoneId zone = ZoneId.of(getContext().resolvePropertyPlaceholders("{{recorder.zone:" + ZoneId.systemDefault()
                + "}}"));
        for (Camera camera : cameras) {
            String routeId = "recorder-" + camera.name();
            progress.register(camera.name(), routeId);
            from(camera.endpoint("output=fmp4&segmentDuration={{recorder.segmentDuration:10000}}"))
                    .routeId(routeId)
                    .process(e -> name(e, camera, zone))
                    .to("file:{{recorder.dir:recordings}}?tempFileName=${file:onlyname}.part&fileExist=Override")
                    .process(e -> progress.segmentWritten(camera.name(), e.getMessage()))
                    .log("${header.CamelFileNameProduced}");
        }
        from("timer:recorder-progress?period={{recorder.progressPeriod:5000}}&delay={{recorder.progressPeriod:5000}}")
                .routeId("recorder-progress")
                .process(e -> progress.log(getContext()));
    }

    /** Sets the relative file name {@code <camera>/<yyyy-MM-dd>/<HH-mm-ss>.mp4} from the segment's start. */
    static void name(Exchange exchange, Camera camera, ZoneId zone) {
        Message m = exchange.getMessage();
        Instant start = m.getHeader(SEGMENT_START, Instant.class);
        if (start == null) {
            start = Instant.now();
        }
        var local = start.atZone(zone);
        m.setHeader(Exchange.FILE_NAME, camera.name() + "/" + DAY.format(local) + "/" + TIME.format(local) + ".mp4");
    }

    static Duration duration(Message m) {
        Duration d = m.getHeader(SEGMENT_DURATION, Duration.class);
        return d != null ? d : Duration.ZERO;
    }
}
