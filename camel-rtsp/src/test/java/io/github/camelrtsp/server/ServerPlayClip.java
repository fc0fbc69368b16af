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
 * The committed simulated-camera clip (H.264: 200 frames, 25 fps, IDR every 25 frames; AAC 48 kHz mono) as access
 * units and ADTS frames, and a publisher that sends an exact number of them to a {@link ServerStream} at real-time pace, so that what a client
 * decodes can be compared with what was served.
 */
final class ServerPlayClip {

    static final double FPS = 25.0;
    private static ServerPlayClip instance;

    /** AAC samples per frame of the clip's audio (48 kHz, mono). */
    static final int AAC_SAMPLES = 1024;

    final List<byte[]> frames;
    final boolean[] keys;
    /** The clip's 376 ADTS frames. */
    final List<byte[]> audioFrames;
    /** The video-only track list of the clip (sprop-parameter-sets from the file). */
    final List<ServerTrack> tracks;
    /** Video (track 0) and AAC (track 1, MPEG4-GENERIC/48000). */
    final List<ServerTrack> tracksWithAudio;

    private ServerPlayClip(byte[] annexB, byte[] adts) {
        this.frames = FileMediaSource.splitAccessUnits(annexB, "H264");
        this.keys = FileMediaSource.keyFrames(annexB, "H264");
        this.audioFrames = FileMediaSource.splitAdtsFrames(adts);
        this.tracks = FileMediaSource.of(annexB, null, new FileMediaSource.Options()).tracks();
        this.tracksWithAudio = FileMediaSource.of(annexB, adts, new FileMediaSource.Options()).tracks();
    }

    static synchronized ServerPlayClip get() {
        if (instance == null) {
            instance = new ServerPlayClip(resource("sim.h264"), resource("sim.aac"));
        }
        return instance;
    }

    private static byte[] resource(String name) {
        try (InputStream in = ServerPlayClip.class.getResourceAsStream("/io/github/camelrtsp/server/sim/" + name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the test classpath");
            }
            return FileMediaSource.readBounded(in, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** AAC frames that fit in the time of {@code videoFrames} video frames. */
    static int audioFramesFor(int videoFrames) {
        return (int) (videoFrames / FPS * 48000 / AAC_SAMPLES);
    }

    /**
     * Publishes video frames {@code 0..videoCount-1} on track 0 and, when {@code audioCount > 0}, ADTS frames
     * {@code 0..audioCount-1} on track 1, interleaved at real-time pace from the calling thread.
     */
    void publish(ServerStream stream, int videoCount, int audioCount) {
        Packetizer video = packetizer(stream.tracks().get(0), "H264", null);
        Packetizer audio = audioCount > 0 ? packetizer(stream.tracks().get(1), "MPEG4-GENERIC", 1) : null;
        boolean[] first = new boolean[1];
        long start = System.nanoTime();
        int v = 0;
        int a = 0;
        while (v < videoCount || a < audioCount) {
            long videoDue = v < videoCount ? Math.round(v * 1e9 / FPS) : Long.MAX_VALUE;
            long audioDue = a < audioCount ? Math.round(a * AAC_SAMPLES * 1e9 / 48000) : Long.MAX_VALUE;
            long due = Math.min(videoDue, audioDue);
            long wait = start + due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (videoDue <= audioDue) {
                int at = v % frames.size();
                first[0] = keys[at];
                video.packetize(new MediaFrame(Math.round(v * 90000 / FPS), frames.get(at), keys[at], false, 0),
                        packet -> {
                            boolean key = first[0];
                            first[0] = false;
                            stream.publish(0, packet, key);
                        });
                v++;
            } else {
                audio.packetize(new MediaFrame((long) a * AAC_SAMPLES, audioFrames.get(a % audioFrames.size()), true,
                        false, AAC_SAMPLES), packet -> stream.publish(1, packet, true));
                a++;
            }
        }
    }

    private static Packetizer packetizer(ServerTrack t, String codec, Integer channels) {
        return Packetizers.create(new PacketizerParameters(codec, t.payloadType(), t.clockRate(), channels, t.fmtp(),
                0, 0, 1400));
    }

    /**
     * Publishes frames {@code 0..count-1} of the clip (looping over its 200 frames) on track 0 of {@code stream} at
     * {@link #FPS}, from the calling thread; frame 0 is an IDR, so a session that joined before starts with it.
     */
    void publish(ServerStream stream, int count) {
        publish(stream, count, 0);
    }
}
