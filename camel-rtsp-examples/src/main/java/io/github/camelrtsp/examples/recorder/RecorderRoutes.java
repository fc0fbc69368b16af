package io.github.camelrtsp.examples.recorder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

import io.github.camelrtsp.RtspConstants;
import io.github.camelrtsp.examples.Cameras;
import io.github.camelrtsp.examples.Cameras.Camera;
import io.github.camelrtsp.examples.SegmentPaths;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;

/**
 * Records every camera of {@link Cameras} as playable fMP4 segments ({@code output=fmp4}) into
 * {@code <recorder.dir>/<camera>/<yyyy-MM-dd>/<HH-mm-ss>.mp4}, named after the segment's start in
 * {@code recorder.zone}. Each file is written under a {@code .part} name and renamed when complete, so a file with
 * the final name is always a whole segment; an existing recording is never overwritten. A timer route logs the
 * progress of each camera every {@code recorder.progressPeriod} ms (see {@link RecorderProgress}).
 */
public class RecorderRoutes extends RouteBuilder {

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
        Path dir = Paths.get(getContext().resolvePropertyPlaceholders("{{recorder.dir:recordings}}"));
        for (Camera camera : cameras) {
            String routeId = "recorder-" + camera.name();
            progress.register(camera.name(), routeId);
            from(camera.endpoint("output=fmp4&segmentDuration={{recorder.segmentDuration:10000}}"))
                    .routeId(routeId)
                    .process(e -> name(e, camera, zone, dir))
                    .to("file:{{recorder.dir:recordings}}?tempFileName=${file:onlyname}.part&fileExist=Fail")
                    .process(e -> progress.segmentWritten(camera.name(), e.getMessage()))
                    .log("segment ${header.CamelRtspSegmentSequence} written: ${header.CamelFileNameProduced}");
        }
        from("timer:recorder-progress?period={{recorder.progressPeriod:5000}}&delay={{recorder.progressPeriod:5000}}")
                .routeId("recorder-progress")
                .process(e -> progress.log(getContext()));
    }

    /**
     * Sets the relative file name {@code <camera>/<yyyy-MM-dd>/<HH-mm-ss>.mp4} from the segment's start; when a
     * file of that name exists (two segments starting in one second, after a reconnect or with short segments), the
     * segment's sequence number is added: {@code <HH-mm-ss>-<sequence>.mp4}. A recording is never overwritten.
     */
    static void name(Exchange exchange, Camera camera, ZoneId zone, Path dir) {
        Message m = exchange.getMessage();
        String name = SegmentPaths.of(camera.name(), m, zone);
        if (Files.exists(dir.resolve(name))) {
            name = name.substring(0, name.length() - 4) + "-" + m.getHeader(RtspConstants.SEGMENT_SEQUENCE) + ".mp4";
        }
        m.setHeader(Exchange.FILE_NAME, name);
    }

    static Duration duration(Message m) {
        Duration d = m.getHeader(RtspConstants.SEGMENT_DURATION, Duration.class);
        return d != null ? d : Duration.ZERO;
    }
}
