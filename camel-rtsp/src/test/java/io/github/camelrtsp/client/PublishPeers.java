package io.github.camelrtsp.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import io.github.camelrtsp.format.Depacketizer;
import io.github.camelrtsp.media.FrameAssembler;
import io.github.camelrtsp.media.TimedFrame;
import io.github.camelrtsp.publish.PublishFrame;
import io.github.camelrtsp.publish.TrackFormat;
import io.github.camelrtsp.rtp.RtpPacket;
import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.FfProbe.FfResult;
import io.github.camelrtsp.testsupport.FreePorts;
import io.github.camelrtsp.testsupport.GstRtspServer;
import io.netty.channel.EventLoopGroup;

/**
 * Test helper for publishing: captures frames from a real RTSP server with our client, and runs the real peers that
 * take published media (GStreamer's RTSP server in RECORD mode, {@code ffmpeg -rtsp_flags listen}) writing Matroska
 * files that ffprobe then decodes.
 */
public final class PublishPeers {

    /** Generous deadline for anything that waits. */
    public static final Duration WAIT = Duration.ofSeconds(45);

    private PublishPeers() {
    }

    /** Frames captured from a server, in arrival order, with what publishing them needs. */
    public record Captured(List<PublishFrame> frames, List<TrackFormat> formats) {

        /** Frames of one source track. */
        public long count(int track) {
            return frames.stream().filter(f -> f.track() == track).count();
        }
    }

    /**
     * Plays {@code url} over TCP for about {@code millis} and keeps its frames: video from the first key frame on,
     * audio from the first frame at or after that key frame's presentation time.
     */
    public static Captured capture(String url, EventLoopGroup group, long millis) throws InterruptedException {
        List<TimedFrame> frames = new ArrayList<>();
        FrameAssembler[] assembler = new FrameAssembler[1];
        RtspStreamClient client = new RtspStreamClient(new RtspClientOptions().url(url).transport(TransportMode.TCP),
                group, new RtspMediaListener() {
                    @Override
                    public void onPlaying(RtspSessionInfo session) {
                        synchronized (frames) {
                            assembler[0] = new FrameAssembler(session, 4 << 20, frames::add);
                        }
                    }

                    @Override
                    public void onRtpPacket(MediaTrack track, RtpPacket packet) {
                        synchronized (frames) {
                            assembler[0].onRtpPacket(track, packet);
                        }
                    }
                });
        client.start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (client.state() != ClientState.PLAYING && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(client.state() == ClientState.PLAYING, "capture client plays: " + client.stateReason());
        Thread.sleep(millis);
        client.stop().join();
        synchronized (frames) {
            List<TrackFormat> formats = new ArrayList<>();
            for (MediaTrack t : assembler[0].tracks()) {
                Depacketizer d = assembler[0].depacketizer(t.index());
                formats.add(TrackFormat.of(t.mediaType(), t.codec(), t.clockRate(), t.channels(),
                                           d == null ? null : d.codecConfig()));
            }
            List<PublishFrame> out = new ArrayList<>();
            long start = Long.MIN_VALUE;
            for (TimedFrame f : frames) {
                boolean video = "video".equals(f.track().mediaType());
                if (start == Long.MIN_VALUE) {
                    if (!video || !f.frame().keyFrame()) {
                        continue;
                    }
                    start = f.presentationTimeMicros();
                }
                if (!video && f.presentationTimeMicros() < start) {
                    continue;
                }
                out.add(new PublishFrame(f.track().index(), f.track().codec(), f.frame().data(),
                                         f.presentationTimeMicros(), f.frame().keyFrame(), false,
                                         f.frame().sampleCount()));
            }
            return new Captured(out, formats);
        }
    }

    /** A Matroska file under {@code target/publish/}. */
    public static Path outputFile(String name) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "publish").toAbsolutePath());
            Path file = dir.resolve(name + "-" + System.nanoTime() + ".mkv");
            Files.deleteIfExists(file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * GStreamer's RTSP server with a play mount ({@code /test}: H.264 + AAC, the default codecs given) and a RECORD
     * mount {@code /record} that writes H.264 + AAC into {@code out} (Matroska).
     */
    public static GstRtspServer gstRecorder(Path out, String protocols) {
        String launch = "( rtph264depay name=depay0 ! h264parse ! queue ! mux.video_0"
                        + " rtpmp4gdepay name=depay1 ! aacparse ! queue ! mux.audio_0"
                        + " matroskamux name=mux ! filesink location=" + out + " )";
        return GstRtspServer.builder().video("h264").audio("aac").protocols(protocols).record("/record", launch)
                .start();
    }

    /** Waits until the GStreamer server says the record pipeline was torn down (its file is complete). */
    public static void awaitRecordDone(GstRtspServer server) throws InterruptedException {
        await(() -> server.recentOutput().contains("record media unprepared"),
              "GStreamer finished the recording: " + server.recentOutput());
    }

    /**
     * Runs {@code ffmpeg -rtsp_flags listen} on a free port, copying what is published into {@code out}; the future
     * completes when ffmpeg exits (after the publisher's TEARDOWN).
     *
     * @return the URL to publish to, and the run
     */
    public static FfmpegListener ffmpegListener(Path out, String transport) throws InterruptedException {
        int port = FreePorts.tcp();
        String url = "rtsp://127.0.0.1:" + port + "/live";
        CompletableFuture<FfResult> run = CompletableFuture.supplyAsync(() -> FfProbe.ffmpeg(WAIT.plusSeconds(30),
                "-hide_banner", "-loglevel", "warning", "-rtsp_flags", "listen", "-rtsp_transport", transport,
                "-listen_timeout", "60", "-i", url, "-c", "copy", "-y", out.toString()));
        await(() -> !FreePorts.tcpFree(port) || run.isDone(), "ffmpeg listens on " + port);
        assertTrue(!run.isDone(), "ffmpeg is running: " + (run.isDone() ? run.join().describe() : ""));
        return new FfmpegListener(url, run);
    }

    /** A running {@code ffmpeg -rtsp_flags listen}. */
    public record FfmpegListener(String url, CompletableFuture<FfResult> run) {
    }

    /** Decoded frames of the first stream matching {@code stream} ({@code v:0}, {@code a:0}). */
    public static int decodedFrames(Path file, String stream) {
        FfProbe.DecodeResult r = FfProbe.decode(file, "matroska", stream);
        assertTrue(r.clean(), file + " " + stream + " decodes without errors: " + r.errors());
        return r.frames();
    }

    /** Polls {@code condition} every 50 ms until {@link #WAIT}; fails with {@code what}. */
    public static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(50);
        }
    }
}
