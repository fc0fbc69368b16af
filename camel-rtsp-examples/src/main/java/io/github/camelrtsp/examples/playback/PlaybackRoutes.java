package io.github.camelrtsp.examples.playback;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.github.camelrtsp.RtspConstants;
import io.github.camelrtsp.examples.Cameras;
import io.github.camelrtsp.examples.Cameras.Camera;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;

/**
 * Playback orchestration over HTTP. Each camera of {@link Cameras} is played by route {@code play-<camera>} (frames
 * counted, the last presentation time kept), and an HTTP server on {@code playback.host}:{@code playback.port}
 * (camel-platform-http on Vert.x) takes commands:
 * <ul>
 * <li>{@code POST /cameras/<camera>/pause}: suspends the camera's route; the rtsp consumer answers a suspension
 * with an RTSP PAUSE on its session;</li>
 * <li>{@code POST /cameras/<camera>/resume}: resumes the route: RTSP PLAY on the same session;</li>
 * <li>{@code POST /cameras/<camera>/seek?range=npt=30-}: an RTSP PLAY with that Range on the running session,
 * sent by an {@code rtsp:} producer with {@code consumerRouteId} (recordings and NVR archives; live cameras
 * usually refuse it);</li>
 * <li>{@code GET /cameras/<camera>}: route status, RTSP session, frames received, last presentation time.</li>
 * </ul>
 * Every answer is one line of JSON.
 */
public class PlaybackRoutes extends RouteBuilder {

    private final Map<String, AtomicLong[]> counters = new ConcurrentHashMap<>();
    private final Map<String, String> sessions = new ConcurrentHashMap<>();

    @Override
    public void configure() throws Exception {
        VertxPlatformHttpServerConfiguration http = new VertxPlatformHttpServerConfiguration();
        http.setBindHost(getContext().resolvePropertyPlaceholders("{{playback.host:127.0.0.1}}"));
        http.setBindPort(Integer.parseInt(getContext().resolvePropertyPlaceholders("{{playback.port:8080}}")));
        getContext().addService(new VertxPlatformHttpServer(http));

        for (Camera camera : Cameras.resolve(getContext())) {
            AtomicLong[] c = {new AtomicLong(), new AtomicLong(-1)};
            counters.put(camera.name(), c);
            from(camera.endpoint("{{playback.options:media=video}}"))
                    .routeId("play-" + camera.name())
                    .process(e -> {
                        c[0].incrementAndGet();
                        Long pts = e.getMessage().getHeader(RtspConstants.PRESENTATION_TIME, Long.class);
                        if (pts != null) {
                            c[1].set(pts);
                        }
                        String session = e.getMessage().getHeader(RtspConstants.SESSION_ID, String.class);
                        if (session != null) {
                            sessions.put(camera.name(), session);
                        }
                    });
        }

        from("platform-http:/cameras/{camera}/pause?httpMethodRestrict=POST")
                .routeId("command-pause")
                .process(e -> command(e, "pause"));
        from("platform-http:/cameras/{camera}/resume?httpMethodRestrict=POST")
                .routeId("command-resume")
                .process(e -> command(e, "resume"));
        from("platform-http:/cameras/{camera}/seek?httpMethodRestrict=POST")
                .routeId("command-seek")
                .onException(Exception.class).handled(true)
                    .process(e -> answer(e, 502, "{\"error\":\"seek failed: " + json(e.getProperty(
                            Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage()) + "\"}"))
                .end()
                .filter(e -> known(e) && requireRange(e))
                .setHeader("Range", header("range"))
                .setHeader(RtspConstants.METHOD, constant("PLAY"))
                .toD("rtsp://control?consumerRouteId=play-${header.camera}")
                .process(e -> answer(e, 200, "{\"camera\":\"" + e.getMessage().getHeader("camera")
                        + "\",\"command\":\"seek\",\"rtspStatus\":"
                        + e.getMessage().getHeader(RtspConstants.STATUS_CODE)
                        + ",\"range\":\"" + e.getMessage().getHeader("Range") + "\"}"));
        from("platform-http:/cameras/{camera}?httpMethodRestrict=GET")
                .routeId("command-status")
                .process(e -> command(e, "status"));
    }

    private void command(Exchange e, String command) throws Exception {
        if (!known(e)) {
            return;
        }
        String camera = e.getMessage().getHeader("camera", String.class);
        String routeId = "play-" + camera;
        switch (command) {
            case "pause" -> getContext().getRouteController().suspendRoute(routeId);
            case "resume" -> getContext().getRouteController().resumeRoute(routeId);
            default -> {
                // status only
            }
        }
        ServiceStatus status = getContext().getRouteController().getRouteStatus(routeId);
        AtomicLong[] c = counters.get(camera);
        answer(e, 200, "{\"camera\":\"" + camera + "\",\"command\":\"" + command + "\",\"route\":\"" + status
                + "\",\"session\":\"" + sessions.getOrDefault(camera, "") + "\",\"frames\":" + c[0].get()
                + ",\"lastPresentationTimeUs\":" + c[1].get() + "}");
    }

    private boolean known(Exchange e) {
        String camera = e.getMessage().getHeader("camera", String.class);
        if (camera != null && counters.containsKey(camera)) {
            return true;
        }
        answer(e, 404, "{\"error\":\"no camera named " + (camera == null ? "" : camera.replace("\"", "")) + "\"}");
        return false;
    }

    private static boolean requireRange(Exchange e) {
        String range = e.getMessage().getHeader("range", String.class);
        if (range != null && !range.isBlank()) {
            return true;
        }
        answer(e, 400, "{\"error\":\"seek needs a range query parameter, e.g. range=npt=30-\"}");
        return false;
    }

    private static String json(String text) {
        return text == null ? "" : text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ");
    }

    private static void answer(Exchange e, int status, String json) {
        Message m = e.getMessage();
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(json + "\n");
    }
}
