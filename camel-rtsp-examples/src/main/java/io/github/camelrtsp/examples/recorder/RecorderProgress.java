package io.github.camelrtsp.examples.recorder;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.camelrtsp.RtspConsumer;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of a recording per camera: segments and bytes written and the media duration they hold (from the segment
 * headers), plus what the camera's {@link RtspConsumer} counts (the attributes it also shows over JMX): client state,
 * reconnects, and per track packets received and lost and frames emitted.
 */
public final class RecorderProgress {

    private static final Logger LOG = LoggerFactory.getLogger(RecorderProgress.class);

    /** Counters of one camera. */
    public static final class CameraProgress {
        private final String routeId;
        private long segments;
        private long bytes;
        private Duration media = Duration.ZERO;
        private String lastFile;

        CameraProgress(String routeId) {
            this.routeId = routeId;
        }

        /** Segments written so far. */
        public synchronized long segments() {
            return segments;
        }

        /** Bytes written so far. */
        public synchronized long bytes() {
            return bytes;
        }

        /** Media duration of the segments written so far. */
        public synchronized Duration media() {
            return media;
        }

        /** Average bitrate of the written segments in kbit/s (0 before the first segment). */
        public synchronized long kbps() {
            long ms = media.toMillis();
            return ms > 0 ? bytes * 8 / ms : 0;
        }

        synchronized void add(long size, Duration duration, String file) {
            segments++;
            bytes += size;
            media = media.plus(duration);
            lastFile = file;
        }

        synchronized String lastFile() {
            return lastFile;
        }
    }

    private final Map<String, CameraProgress> cameras = new ConcurrentHashMap<>();

    void register(String camera, String routeId) {
        cameras.put(camera, new CameraProgress(routeId));
    }

    /** The counters of {@code camera}, or null if it is not recorded. */
    public CameraProgress camera(String camera) {
        return cameras.get(camera);
    }

    void segmentWritten(String camera, Message m) {
        byte[] body = m.getBody(byte[].class);
        cameras.get(camera).add(body != null ? body.length : 0, RecorderRoutes.duration(m),
                m.getHeader("CamelFileNameProduced", String.class));
    }

    void log(CamelContext context) {
        cameras.forEach((name, p) -> {
            Route route = context.getRoute(p.routeId);
            StringBuilder sb = new StringBuilder();
            sb.append(name).append(": ").append(p.segments()).append(" segments, ").append(p.bytes() / 1024)
                    .append(" KiB, ").append(p.media().toSeconds()).append(" s of media, ").append(p.kbps())
                    .append(" kbit/s");
            if (route != null && route.getConsumer() instanceof RtspConsumer c) {
                sb.append(", client ").append(c.getState()).append(", reconnects ").append(c.getReconnects());
                for (String track : c.trackStatistics()) {
                    sb.append("\n    ").append(track);
                }
            }
            if (p.lastFile() != null) {
                sb.append("\n    last segment ").append(p.lastFile());
            }
            LOG.info("{}", sb);
        });
    }
}
