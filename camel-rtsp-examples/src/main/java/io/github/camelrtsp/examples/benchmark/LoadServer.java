package io.github.camelrtsp.examples.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.github.camelrtsp.server.FileMediaSource;
import io.github.camelrtsp.server.RtspServer;
import io.github.camelrtsp.server.RtspServerOptions;
import io.github.camelrtsp.server.ServerStream;

/**
 * The load server of the ingest benchmark, run in its own JVM: an embedded {@link RtspServer} on 127.0.0.1 that
 * replays one H.264 Annex B file in a loop at real-time pace on {@code paths} paths ({@code /bench0},
 * {@code /bench1}, ...). Every client of a path gets the same packets (zero-copy fan-out). Prints
 * {@code LOADSERVER READY <port>} when serving, and stops when its standard input closes.
 *
 * <p>Arguments: {@code <source.h264> <fps> <paths> <maxSessions>}.
 */
public final class LoadServer {

    /** The line printed once the server accepts clients, followed by a space and the port. */
    public static final String READY = "LOADSERVER READY";

    private LoadServer() {
    }

    /** Runs the server until standard input closes. */
    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: LoadServer <source.h264> <fps> <paths> <maxSessions>");
            System.exit(2);
        }
        Path source = Path.of(args[0]);
        double fps = Double.parseDouble(args[1]);
        int paths = Integer.parseInt(args[2]);
        int maxSessions = Integer.parseInt(args[3]);
        RtspServer server = new RtspServer(new RtspServerOptions().host("127.0.0.1").port(0)
                .maxSessions(maxSessions).maxConnections(maxSessions + 16)
                .sessionTimeoutSeconds(120)).start();
        List<FileMediaSource> sources = new ArrayList<>();
        for (int i = 0; i < paths; i++) {
            FileMediaSource media = FileMediaSource.open(source, null,
                    new FileMediaSource.Options().videoCodec("H264").frameRate(fps));
            ServerStream stream = server.createStream("/bench" + i, media.tracks());
            media.start(stream);
            sources.add(media);
        }
        System.out.println(READY + " " + server.port());
        System.out.flush();
        InputStream in = System.in;
        while (in.read() >= 0) {
            // wait for the parent to close our standard input
        }
        for (FileMediaSource m : sources) {
            m.stop();
        }
        System.out.println("LOADSERVER STATS " + server.statistics());
        server.stop();
    }
}
