package io.github.camelrtsp.examples.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.Packetizer;
import io.github.camelrtsp.format.PacketizerParameters;
import io.github.camelrtsp.format.Packetizers;
import io.github.camelrtsp.server.FileMediaSource;
import io.github.camelrtsp.server.RtspServer;
import io.github.camelrtsp.server.RtspServerOptions;
import io.github.camelrtsp.server.ServerStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/**
 * The load server of the ingest benchmark, run in its own JVM so that serving is not counted as ingest: an embedded
 * {@link RtspServer} on 127.0.0.1 replaying one H.264 Annex B file in a loop at real-time pace on {@code paths}
 * paths ({@code /bench0}, {@code /bench1}, ...).
 *
 * <p>Serving costs little: the file is split into frames and packetized once, into memory; every 40 ms (at 25 fps)
 * a task on the server's own event loop copies the packets of the next frame into fresh buffers (once per path),
 * rewrites their RTP timestamps to keep increasing across loops, and publishes them; {@link ServerStream#publish}
 * then hands the same buffer to every session without copying. With one event loop thread (the default) every
 * session's writes happen on the thread that publishes, without a task hand-over per packet.
 *
 * <p>Prints {@code LOADSERVER READY <port> <kbit/s>} when serving, and stops when its standard input closes.
 * Arguments: {@code <source.h264> <fps> <paths> <maxSessions> [eventLoopThreads]}.
 */
public final class LoadServer {

    /** The line printed once the server accepts clients, followed by a space and the port. */
    public static final String READY = "LOADSERVER READY";

    private static final int CLOCK_RATE = 90_000;

    private final List<List<byte[]>> packets = new ArrayList<>();
    private final boolean[] keyFrames;
    private final long ticksPerFrame;

    private LoadServer(byte[] annexB, double fps) {
        List<byte[]> frames = FileMediaSource.splitAccessUnits(annexB, "H264");
        keyFrames = FileMediaSource.keyFrames(annexB, "H264");
        ticksPerFrame = Math.round(CLOCK_RATE / fps);
        Packetizer packetizer = Packetizers.create(new PacketizerParameters("H264", FileMediaSource.VIDEO_PAYLOAD_TYPE,
                CLOCK_RATE, null, Map.of(), 0, 0, new FileMediaSource.Options().mtu()));
        for (int i = 0; i < frames.size(); i++) {
            List<byte[]> list = new ArrayList<>();
            packetizer.packetize(new MediaFrame(0, frames.get(i), keyFrames[i], false, 0), p -> {
                byte[] bytes = new byte[p.readableBytes()];
                p.readBytes(bytes);
                p.release();
                list.add(bytes);
            });
            packets.add(list);
        }
    }

    /** Runs the server until standard input closes. */
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 4 || args.length > 5) {
            System.err.println("usage: LoadServer <source.h264> <fps> <paths> <maxSessions> [eventLoopThreads]");
            System.exit(2);
        }
        Path source = Path.of(args[0]);
        double fps = Double.parseDouble(args[1]);
        int paths = Integer.parseInt(args[2]);
        int maxSessions = Integer.parseInt(args[3]);
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        byte[] file = Files.readAllBytes(source);
        LoadServer replay = new LoadServer(file, fps);
        // only for the SDP: the track with the parameter sets of the file
        FileMediaSource describe = FileMediaSource.of(file, null, new FileMediaSource.Options().videoCodec("H264")
                .frameRate(fps));

        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        RtspServer server = new RtspServer(new RtspServerOptions().host("127.0.0.1").port(0)
                .maxSessions(maxSessions).maxConnections(maxSessions + 16).sessionTimeoutSeconds(120)
                .maxBehind(java.time.Duration.ofSeconds(10)), group).start();
        List<ScheduledFuture<?>> tasks = new ArrayList<>();
        long periodNanos = Math.round(1e9 / fps);
        for (int i = 0; i < paths; i++) {
            ServerStream stream = server.createStream("/bench" + i, describe.tracks());
            EventLoop loop = group.next();
            long[] index = {0};
            tasks.add(loop.scheduleAtFixedRate(() -> replay.publishNext(stream, index[0]++), periodNanos, periodNanos,
                    TimeUnit.NANOSECONDS));
        }
        System.out.println(READY + " " + server.port() + " " + Math.round(replay.nominalKbps(fps)));
        System.out.flush();
        InputStream in = System.in;
        while (in.read() >= 0) {
            // wait for the parent to close our standard input
        }
        for (ScheduledFuture<?> t : tasks) {
            t.cancel(false);
        }
        System.out.println("LOADSERVER STATS " + server.statistics());
        server.stop();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    /** The payload bit rate of the replay in kbit/s (what a client receives as frames). */
    private double nominalKbps(double fps) {
        long bytes = 0;
        for (List<byte[]> frame : packets) {
            for (byte[] p : frame) {
                bytes += p.length - 12;
            }
        }
        return bytes * 8.0 * fps / packets.size() / 1000;
    }

    /** Publishes frame {@code n} of the endless replay (on the stream's event loop). */
    private void publishNext(ServerStream stream, long n) {
        int i = (int) (n % packets.size());
        long timestamp = (n * ticksPerFrame) & 0xFFFF_FFFFL;
        boolean first = true;
        for (byte[] p : packets.get(i)) {
            ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(p.length).writeBytes(p);
            buf.setInt(4, (int) timestamp);
            stream.publish(0, buf, first && keyFrames[i]);
            first = false;
        }
    }
}
