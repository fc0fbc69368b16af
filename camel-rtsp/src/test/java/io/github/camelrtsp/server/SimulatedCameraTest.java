package io.github.camelrtsp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.camelrtsp.client.MediaTrack;
import io.github.camelrtsp.client.RtspClientOptions;
import io.github.camelrtsp.client.RtspMediaListener;
import io.github.camelrtsp.client.RtspStreamClient;
import io.github.camelrtsp.client.TransportMode;
import io.github.camelrtsp.rtp.RtpPacket;
import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.FfProbe.FfResult;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/**
 * The simulated camera seen by ffprobe, ffmpeg and our own client; a short looped clip keeps real-time pace and
 * continuous RTP timestamps across the loop boundary; the clip loads from a jar.
 */
class SimulatedCameraTest {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(20);

    private static SimulatedCamera camera;
    private static EventLoopGroup clients;

    @BeforeAll
    static void start() {
        FfProbe.requireAvailable();
        camera = SimulatedCamera.start("127.0.0.1", 0, "sim");
        clients = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        if (camera != null) {
            camera.close();
        }
        if (clients != null) {
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    @Test
    void servesTheBundledClipAtItsUrl() {
        assertEquals("rtsp://127.0.0.1:" + camera.server().port() + "/sim", camera.url());
        assertEquals(200, camera.source().videoFrameCount());
        assertEquals(8, camera.source().keyFrameCount());
        assertEquals(376, camera.source().audioFrameCount());
        assertTrue(camera.source().isRunning());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void ffprobeSeesH264At640x360AndAac(String transport) {
        List<Map<String, String>> streams = FfProbe.streamEntries(camera.url(), transport, TOOL_TIMEOUT,
                "codec_name", "width", "height", "sample_rate", "channels");
        assertEquals(2, streams.size(), streams.toString());
        assertEquals("h264", streams.get(0).get("codec_name"), streams.toString());
        assertEquals("640", streams.get(0).get("width"), streams.toString());
        assertEquals("360", streams.get(0).get("height"), streams.toString());
        assertEquals("aac", streams.get(1).get("codec_name"), streams.toString());
        assertEquals("48000", streams.get(1).get("sample_rate"), streams.toString());
        assertEquals("1", streams.get(1).get("channels"), streams.toString());
    }

    @Test
    void ffmpegRecordsFourSecondsOfFramesThatDecodeWithoutErrors() throws IOException {
        Path dir = Files.createDirectories(Paths.get("target", "sim-camera"));
        Path video = dir.resolve("out.h264");
        Path audio = dir.resolve("out.aac");
        FfResult r = FfProbe.ffmpeg(TOOL_TIMEOUT, "-v", "error", "-rtsp_transport", "tcp", "-i", camera.url(),
                "-map", "0:v", "-frames:v", "100", "-c", "copy", "-f", "h264", "-y", video.toString(),
                "-map", "0:a", "-frames:a", "188", "-c", "copy", "-f", "adts", "-y", audio.toString());
        assertTrue(r.succeeded(), r.describe());
        // Counted in frames, not seconds: a reader starved by a loaded machine may be skipped to the next key
        // frame by the server (by design), which a time-limited recording would see as missing frames.
        assertEquals(100, FfProbe.countDecodedVideoFrames(video, "h264"), "4 s at 25 fps");
        FfProbe.DecodeResult aac = FfProbe.decode(audio, "aac", "a:0");
        assertTrue(aac.clean(), aac.errors());
        assertEquals(188, aac.frames(), "4 s of 1024-sample frames at 48 kHz");
    }

    @Test
    void ownClientSeesRealTimePaceAndContinuousTimestampsAcrossTheLoop(@TempDir Path tmp) throws Exception {
        Path h264 = tmp.resolve("short.h264");
        Path aac = tmp.resolve("short.aac");
        FfResult v = FfProbe.ffmpeg(TOOL_TIMEOUT, "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25",
                "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-bf", "0", "-x264-params",
                "repeat-headers=1", "-f", "h264", "-y", h264.toString());
        assertTrue(v.succeeded(), v.describe());
        FfResult a = FfProbe.ffmpeg(TOOL_TIMEOUT, "-v", "error", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=48000", "-t", "2", "-c:a", "aac", "-ac", "1", "-f", "adts", "-y",
                aac.toString());
        assertTrue(a.succeeded(), a.describe());

        RtspServer server = new RtspServer(new RtspServerOptions().host("127.0.0.1").port(0)).start();
        FileMediaSource source = FileMediaSource.open(h264, aac, new FileMediaSource.Options());
        Recorder recorder = new Recorder();
        try {
            assertEquals(50, source.videoFrameCount());
            source.start(server.createStream("/short", source.tracks()));
            RtspStreamClient client = new RtspStreamClient(new RtspClientOptions().url(server.url("/short"))
                    .transport(TransportMode.TCP), clients, recorder);
            client.start();
            Thread.sleep(3500);
            client.stop().get(5, TimeUnit.SECONDS);
            assertTrue(source.videoFramesSent() > source.videoFrameCount(), "looped: " + source.videoFramesSent());
            assertTrue(source.audioFramesSent() > source.audioFrameCount(), "looped: " + source.audioFramesSent());
        } finally {
            source.stop();
            server.stop();
        }
        checkTrack(recorder.video, 3600, 90000, "video");
        checkTrack(recorder.audio, 1024, 48000, "audio");
        assertEquals(0, source.failedFrames());
    }

    /** Every step is one frame, more than one loop was received and RTP time kept pace with the wall clock. */
    private static void checkTrack(List<long[]> arrivals, long step, int clockRate, String kind) {
        assertTrue(arrivals.size() > 2 * clockRate / step + 5, kind + ": more than one 2 s loop, got "
                + arrivals.size());
        for (int i = 1; i < arrivals.size(); i++) {
            long d = (arrivals.get(i)[1] - arrivals.get(i - 1)[1]) & 0xFFFF_FFFFL;
            assertEquals(step, d, kind + " timestamp step at frame " + i);
        }
        long[] first = arrivals.get(0);
        long[] last = arrivals.get(arrivals.size() - 1);
        double media = ((last[1] - first[1]) & 0xFFFF_FFFFL) / (double) clockRate;
        double wall = (last[0] - first[0]) / 1e9;
        assertTrue(Math.abs(media - wall) <= 0.1 * wall, kind + ": " + media + " s of media in " + wall + " s");
    }

    /** Arrival time and RTP timestamp of each video frame (marker packet) and each audio packet. */
    private static final class Recorder implements RtspMediaListener {
        final List<long[]> video = new CopyOnWriteArrayList<>();
        final List<long[]> audio = new CopyOnWriteArrayList<>();

        @Override
        public void onRtpPacket(MediaTrack track, RtpPacket packet) {
            long now = System.nanoTime();
            if (track.index() == 0 && packet.marker()) {
                video.add(new long[] {now, packet.timestamp()});
            } else if (track.index() == 1) {
                audio.add(new long[] {now, packet.timestamp()});
            }
        }
    }

    @Test
    void clipLoadsFromAJar(@TempDir Path tmp) throws Exception {
        Path classes = Paths.get(SimulatedCamera.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(classes), "the test runs from " + classes);
        Path jar = tmp.resolve("camel-rtsp.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace(File.separatorChar, '/')));
                Files.copy(p, out);
                out.closeEntry();
            }
        }
        List<URL> urls = new ArrayList<>();
        urls.add(jar.toUri().toURL());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!Paths.get(entry).toAbsolutePath().normalize().equals(classes.toAbsolutePath().normalize())) {
                urls.add(Paths.get(entry).toUri().toURL());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            Class<?> type = loader.loadClass(SimulatedCamera.class.getName());
            assertTrue(type.getProtectionDomain().getCodeSource().getLocation().toString().endsWith(".jar"));
            Object cam = type.getMethod("start", String.class, int.class, String.class)
                    .invoke(null, "127.0.0.1", 0, "/jar");
            try {
                String url = (String) type.getMethod("url").invoke(cam);
                assertTrue(url.endsWith("/jar"), url);
                Object source = type.getMethod("source").invoke(cam);
                Method count = source.getClass().getMethod("videoFrameCount");
                assertEquals(200, count.invoke(source));
                FfResult r = FfProbe.probeStreams(url, "tcp", TOOL_TIMEOUT);
                assertEquals(List.of("h264,video", "aac,audio"), r.lines(), r.describe());
            } finally {
                type.getMethod("close").invoke(cam);
            }
        }
    }
}
