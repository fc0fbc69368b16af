package io.github.camelrtsp.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.github.camelrtsp.server.SimulatedCamera;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cameras an example works on, from its properties: {@code cameras=name1=url1,name2=url2} (several cameras),
 * else {@code rtsp.url} (one camera named by {@code camera.name}, default {@code camera}), else the embedded
 * simulated camera, started on {@code sim.port} (default 8554, 0 for any free port) and named {@code sim}.
 */
public final class Cameras {

    /** A camera: a name usable in file paths, topic keys and object keys, and its RTSP URL. */
    public record Camera(String name, String url) {

        /** The camera's URL as a Camel endpoint URI with the given {@code rtsp:} endpoint options appended. */
        public String endpoint(String options) {
            if (options == null || options.isEmpty()) {
                return url;
            }
            return url + (url.indexOf('?') >= 0 ? '&' : '?') + options;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Cameras.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private Cameras() {
    }

    /**
     * Resolves the cameras of {@code context}'s properties; when none is configured, starts the simulated camera
     * and registers it as a service of the context, so it stops with the context.
     *
     * @throws IllegalArgumentException if {@code cameras} is malformed (a missing {@code =}, a duplicate or unusable
     *                                  name, an empty URL)
     */
    public static List<Camera> resolve(CamelContext context) throws Exception {
        PropertiesComponent pc = context.getPropertiesComponent();
        String list = pc.resolveProperty("cameras").orElse("").trim();
        if (!list.isEmpty()) {
            return parse(list);
        }
        String url = pc.resolveProperty("rtsp.url").orElse("").trim();
        if (!url.isEmpty()) {
            return List.of(new Camera(checkName(pc.resolveProperty("camera.name").orElse("camera")), url));
        }
        int port = Integer.parseInt(pc.resolveProperty("sim.port")
                .orElse(String.valueOf(SimulatedCamera.DEFAULT_PORT)));
        SimulatedCameraService sim = new SimulatedCameraService(port);
        context.addService(sim, true, true);
        return List.of(new Camera("sim", sim.url()));
    }

    /**
     * Parses {@code name1=url1,name2=url2}. Only the first {@code =} of an entry separates name and URL, so camera
     * URLs may carry their own query.
     */
    public static List<Camera> parse(String list) {
        Map<String, Camera> cameras = new LinkedHashMap<>();
        for (String entry : list.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            if (eq <= 0 || eq == e.length() - 1) {
                throw new IllegalArgumentException("cameras entry must be name=rtsp-url, got an entry of "
                        + e.length() + " characters without a name or URL");
            }
            String name = checkName(e.substring(0, eq).trim());
            if (cameras.put(name, new Camera(name, e.substring(eq + 1).trim())) != null) {
                throw new IllegalArgumentException("camera name " + name + " is given twice");
            }
        }
        if (cameras.isEmpty()) {
            throw new IllegalArgumentException("cameras lists no camera");
        }
        return new ArrayList<>(cameras.values());
    }

    private static String checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("camera name '" + name + "' is not usable in paths and keys:"
                    + " letters, digits, '_', '-', '.' (not first), at most 64");
        }
        return name;
    }

    /** The simulated camera as a Camel service: started at once, stopped with the context. */
    static final class SimulatedCameraService extends ServiceSupport {

        private final SimulatedCamera camera;

        SimulatedCameraService(int port) {
            camera = SimulatedCamera.start(SimulatedCamera.DEFAULT_HOST, port, SimulatedCamera.DEFAULT_PATH);
            LOG.info("no camera configured (cameras, rtsp.url): started the simulated camera at {}", camera.url());
        }

        String url() {
            return camera.url();
        }

        @Override
        protected void doStop() {
            camera.close();
        }
    }
}
