package io.github.camelrtsp.examples.recorder;

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
 * the final name is always a whole segment. A timer route logs the progress of each camera every
 * {@code recorder.progressPeriod} ms (see {@link RecorderProgress}).
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
        exchange.getMessage().setHeader(Exchange.FILE_NAME, SegmentPaths.of(camera.name(), exchange.getMessage(), zone));
    }

    static Duration duration(Message m) {
        Duration d = m.getHeader(RtspConstants.SEGMENT_DURATION, Duration.class);
        return d != null ? d : Duration.ZERO;
    }
}
