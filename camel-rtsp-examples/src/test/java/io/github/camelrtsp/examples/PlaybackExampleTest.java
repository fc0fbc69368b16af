package io.github.camelrtsp.examples;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.camelrtsp.examples.playback.PlaybackRoutes;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The playback example over real HTTP against the simulated camera: pause suspends the camera's route and no frame
 * arrives while it is paused, resume brings frames back; a seek reaches the (live, unseekable) camera and its
 * refusal comes back; unknown cameras and a seek without a range are refused.
 */
class PlaybackExampleTest {

    private static final Pattern FRAMES = Pattern.compile("\"frames\":(\\d+)");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private String base;

    @Test
    void pauseStopsTheFramesAndResumeBringsThemBack() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            port = s.getLocalPort();
        }
        base = "http://127.0.0.1:" + port + "/cameras/";
        Properties p = new Properties();
        p.put("sim.port", "0");
        p.put("playback.port", String.valueOf(port));
        CamelContext context = new DefaultCamelContext();
        try {
            context.getPropertiesComponent().setInitialProperties(p);
            context.addRoutes(new PlaybackRoutes());
            context.start();
            KafkaExampleTest.await(() -> frames(call("GET", "sim")) >= 25, 30);

            // suspended, not stopped: the rtsp consumer keeps its session and sends RTSP PAUSE
            ServiceStatus expected = ServiceStatus.Suspended;
            String session = session(call("GET", "sim"));
            assertTrue(!session.isEmpty(), "no RTSP session in the status");
            String paused = call("POST", "sim/pause");
            assertTrue(paused.contains("\"route\":\"" + expected + "\""), paused);
            assertEquals(expected, context.getRouteController().getRouteStatus("play-sim"));
            // frames already on their way may still land: take the count once it has settled
            Thread.sleep(1000);
            long atPause = frames(call("GET", "sim"));
            Thread.sleep(2000);
            assertEquals(atPause, frames(call("GET", "sim")), "frames while paused");

            String resumed = call("POST", "sim/resume");
            assertTrue(resumed.contains("\"route\":\"Started\""), resumed);
            KafkaExampleTest.await(() -> frames(call("GET", "sim")) >= atPause + 25, 30);
            assertEquals(session, session(call("GET", "sim")), "RTSP session after resume");

            // the seek reaches the camera over the consumer's session: the simulated camera is live and refuses a
            // Range (457), which comes back as the command's answer; the stream plays on
            HttpResponse<String> seek = send("POST", "sim/seek?range=npt=5-");
            assertEquals(502, seek.statusCode(), seek.body());
            assertTrue(seek.body().contains("457"), seek.body());
            long afterSeek = frames(call("GET", "sim"));
            KafkaExampleTest.await(() -> frames(call("GET", "sim")) >= afterSeek + 25, 30);

            HttpResponse<String> unknown = send("POST", "nosuchcamera/pause");
            assertEquals(404, unknown.statusCode(), unknown.body());
            HttpResponse<String> noRange = send("POST", "sim/seek");
            assertEquals(400, noRange.statusCode(), noRange.body());
        } finally {
            context.stop();
        }
    }

    private static String session(String json) {
        Matcher m = Pattern.compile("\"session\":\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no session in " + json);
        }
        return m.group(1);
    }

    private String call(String method, String path) {
        HttpResponse<String> r = send(method, path);
        if (r.statusCode() != 200) {
            throw new AssertionError(method + " " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private HttpResponse<String> send(String method, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        }
    }

    private static long frames(String json) {
        Matcher m = FRAMES.matcher(json);
        if (!m.find()) {
            throw new AssertionError("no frame count in " + json);
        }
        return Long.parseLong(m.group(1));
    }
}
