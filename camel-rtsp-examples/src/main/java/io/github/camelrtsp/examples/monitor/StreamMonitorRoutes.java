package io.github.camelrtsp.examples.monitor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.github.camelrtsp.RtspConstants;
import io.github.camelrtsp.examples.Cameras;
import io.github.camelrtsp.examples.Cameras.Camera;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;

/**
 * Counts the frames of every track of every camera of {@link Cameras} (frames, key frames, bytes, discontinuities,
 * packets lost) and
 * logs a summary every {@code monitor.period} milliseconds.
 */
public class StreamMonitorRoutes extends RouteBuilder {

    private final Map<String, LongAdder[]> counters = new ConcurrentHashMap<>();
    private final Map<String, Long> lost = new ConcurrentHashMap<>();

    @Override
    public void configure() throws Exception {
        for (Camera camera : Cameras.resolve(getContext())) {
            from(camera.endpoint(""))
                    .routeId("rtsp-monitor-" + camera.name())
                    .process(e -> count(camera, e));
        }

        from("timer:rtsp-monitor-report?period={{monitor.period:5000}}&delay={{monitor.period:5000}}")
                .routeId("rtsp-monitor-report")
                .process(e -> report());
    }

    private void count(Camera camera, Exchange exchange) {
        Message m = exchange.getMessage();
        String key = camera.name() + " track " + m.getHeader(RtspConstants.TRACK, Integer.class) + " "
                + m.getHeader(RtspConstants.MEDIA_TYPE, String.class) + " "
                + m.getHeader(RtspConstants.CODEC, String.class);
        LongAdder[] c = counters.computeIfAbsent(key, k -> new LongAdder[] {
            new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()});
        c[0].increment();
        c[1].add(m.getBody(byte[].class).length);
        if (Boolean.TRUE.equals(m.getHeader(RtspConstants.KEY_FRAME, Boolean.class))) {
            c[2].increment();
        }
        if (Boolean.TRUE.equals(m.getHeader(RtspConstants.DISCONTINUITY, Boolean.class))) {
            c[3].increment();
        }
        Long packetsLost = m.getHeader(RtspConstants.PACKETS_LOST, Long.class);
        if (packetsLost != null) {
            lost.put(key, packetsLost);
        }
    }

    private void report() {
        if (counters.isEmpty()) {
            log.info("no media yet");
        }
        counters.forEach((track, c) -> log.info("{}: {} frames ({} key), {} bytes, {} discontinuities, {}"
                + " packets lost", track, c[0].sum(), c[2].sum(), c[1].sum(), c[3].sum(),
                lost.getOrDefault(track, 0L)));
    }
}
