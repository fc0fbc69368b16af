package io.github.camelrtsp.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * An RTSP camera for tests and demos: an {@link RtspServer} that serves a bundled 8 s clip (H.264 Main 640x360 at
 * 25 fps with an IDR every second, AAC-LC 48 kHz mono) in a loop at real-time pace through a
 * {@link FileMediaSource}. The clip is read from the classpath (also from inside the jar), resources
 * {@code io/github/camelrtsp/server/sim/sim.h264} and {@code sim.aac}.
 */
public final class SimulatedCamera implements AutoCloseable {

    /** Default bind address. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default RTSP port. */
    public static final int DEFAULT_PORT = 8554;
    /** Default path. */
    public static final String DEFAULT_PATH = "/sim";
    /** Frame rate of the bundled clip. */
    public static final double FRAME_RATE = 25.0;

    private static final String VIDEO_RESOURCE = "sim/sim.h264";
    private static final String AUDIO_RESOURCE = "sim/sim.aac";

    private final RtspServer server;
    private final FileMediaSource source;
    private final String url;

    private SimulatedCamera(RtspServer server, FileMediaSource source, String url) {
        this.server = server;
        this.source = source;
        this.url = url;
    }

    /** Starts a camera at {@code rtsp://127.0.0.1:8554/sim}. */
    public static SimulatedCamera start() {
        return start(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_PATH);
    }

    /**
     * Starts a camera serving the bundled clip at {@code rtsp://host:port/path}.
     *
     * @param host address to bind, null for {@link #DEFAULT_HOST}
     * @param port RTSP port, 0 for any free port
     * @param path stream path, null for {@link #DEFAULT_PATH}
     * @throws IllegalStateException if the port cannot be bound or the bundled clip is missing from the classpath
     */
    public static SimulatedCamera start(String host, int port, String path) {
        FileMediaSource source = FileMediaSource.of(resource(VIDEO_RESOURCE), resource(AUDIO_RESOURCE),
                new FileMediaSource.Options().videoCodec("H264").frameRate(FRAME_RATE));
        RtspServer server = new RtspServer(new RtspServerOptions().host(host == null ? DEFAULT_HOST : host)
                .port(port)).start();
        try {
            String p = path == null ? DEFAULT_PATH : path;
            ServerStream stream = server.createStream(p, source.tracks());
            source.start(stream);
            return new SimulatedCamera(server, source, server.url(p));
        } catch (RuntimeException e) {
            source.stop();
            server.stop();
            throw e;
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = SimulatedCamera.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("simulated camera clip " + name + " is not on the classpath");
            }
            return FileMediaSource.readBounded(in, name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read simulated camera clip " + name, e);
        }
    }

    /** The URL clients play, e.g. {@code rtsp://127.0.0.1:8554/sim}. */
    public String url() {
        return url;
    }

    /** The server (for its statistics and port). */
    public RtspServer server() {
        return server;
    }

    /** The source publishing the clip. */
    public FileMediaSource source() {
        return source;
    }

    /** Stops publishing and the server; idempotent. */
    @Override
    public void close() {
        source.stop();
        server.stop();
    }
}
