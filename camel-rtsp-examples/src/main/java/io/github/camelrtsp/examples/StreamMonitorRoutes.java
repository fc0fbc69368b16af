package io.github.camelrtsp.examples;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.github.camelrtsp.RtspConstants;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/** Counts the RTP packets of every track of {@code rtsp.url} and logs a summary every {@code monitor.period}. */
public class StreamMonitorRoutes extends RouteBuilder {

    private final Map<String, LongAdder[]> counters = new ConcurrentHashMap<>();

    @Override
    public void configure() {
        from("{{rtsp.url}}")
                .routeId("rtsp-monitor")
                .process(this::count);

        from("timer:rtsp-monitor-report?period={{monitor.period:5000}}&delay={{monitor.period:5000}}")
                .routeId("rtsp-monitor-report")
                .process(e -> report());
    }

    private void count(Exchange exchange) {
        String key = exchange.getMessage().getHeader(RtspConstants.TRACK, Integer.class) + " "
                + exchange.getMessage().getHeader(RtspConstants.MEDIA_TYPE, String.class) + " "
                + exchange.getMessage().getHeader(RtspConstants.CODEC, String.class);
        LongAdder[] c = counters.computeIfAbsent(key, k -> new LongAdder[] {new LongAdder(), new LongAdder(),
                new LongAdder()});
        c[0].increment();
        c[1].add(exchange.getMessage().getBody(byte[].class).length);
        Long lost = exchange.getMessage().getHeader(RtspConstants.PACKETS_LOST, Long.class);
        if (lost != null) {
            c[2].reset();
            c[2].add(lost);
        }
    }

    private void report() {
        if (counters.isEmpty()) {
            log.info("no media yet");
        }
        counters.forEach((track, c) -> log.info("track {}: {} packets, {} bytes, {} lost", track, c[0].sum(),
                c[1].sum(), c[2].sum()));
    }
}
