package io.github.camelrtsp.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.Packetizer;
import io.github.camelrtsp.format.PacketizerParameters;
import io.github.camelrtsp.format.Packetizers;

/**
 * The committed simulated-camera H.264 clip (200 frames, 25 fps, IDR every 25 frames) as access units, and a
 * publisher that sends an exact number of them to a {@link ServerStream} at real-time pace, so that what a client
 * decodes can be compared with what was served.
 */
final class ServerPlayClip {

    static final double FPS = 25.0;
    private static ServerPlayClip instance;

    final byte[] annexB;
    final List<byte[]> frames;
    final boolean[] keys;
    /** The video-only track list of the clip (sprop-parameter-sets from the file). */
    final List<ServerTrack> tracks;

    private ServerPlayClip(byte[] annexB) {
        this.annexB = annexB;
        this.frames = FileMediaSource.splitAccessUnits(annexB, "H264");
        this.keys = FileMediaSource.keyFrames(annexB, "H264");
        this.tracks = FileMediaSource.of(annexB, null, new FileMediaSource.Options()).tracks();
    }

    static synchronized ServerPlayClip get() {
        if (instance == null) {
            try (InputStream in = ServerPlayClip.class.getResourceAsStream("/io/github/camelrtsp/server/sim/sim.h264")) {
                if (in == null) {
                    throw new IllegalStateException("sim.h264 is not on the test classpath");
                }
                instance = new ServerPlayClip(FileMediaSource.readBounded(in, "sim.h264"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /**
     * Publishes frames {@code 0..count-1} of the clip (looping over its 200 frames) on track 0 of {@code stream} at
     * {@link #FPS}, from the calling thread; frame 0 is an IDR, so a session that joined before starts with it.
     */
    void publish(ServerStream stream, int count) {
        ServerTrack t = stream.tracks().get(0);
        Packetizer packetizer = Packetizers.create(new PacketizerParameters("H264", t.payloadType(), 90000, null,
                t.fmtp(), 0, 0, 1400));
        boolean[] first = new boolean[1];
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long wait = start + Math.round(i * 1e9 / FPS) - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int at = i % frames.size();
            first[0] = keys[at];
            packetizer.packetize(new MediaFrame(Math.round(i * 90000 / FPS), frames.get(at), keys[at], false, 0),
                    packet -> {
                        boolean key = first[0];
                        first[0] = false;
                        stream.publish(0, packet, key);
                    });
        }
    }
}
