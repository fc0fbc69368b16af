package io.github.camelrtsp.examples.s3;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adobe S3Mock (a real S3-compatible HTTP server) run from its executable jar as a child process of this JVM, on
 * free loopback ports, with its objects in a temporary folder it removes on exit (its log beside it, removed on
 * stop). The jar is the one the build copies
 * to {@code target/s3mock/s3mock.jar} (system property {@code s3.mockJar} names it).
 */
public final class S3MockServer extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(S3MockServer.class);

    private final Path jar;
    private final String initialBucket;
    private Process process;
    private Path root;
    private Path log;
    private String endpoint;

    /**
     * @param jar           S3Mock's executable jar
     * @param initialBucket bucket created at start, or null
     */
    public S3MockServer(Path jar, String initialBucket) {
        this.jar = jar;
        this.initialBucket = initialBucket;
    }

    /**
     * The jar named by system property {@code s3.mockJar}, else the build's copy found from the current folder (the
     * module folder or the project root).
     *
     * @throws IllegalStateException if none exists (run a Maven build of the examples module first)
     */
    public static Path locateJar() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getProperty("s3.mockJar");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Paths.get(configured));
        }
        candidates.add(Paths.get("target", "s3mock", "s3mock.jar"));
        candidates.add(Paths.get("camel-rtsp-examples", "target", "s3mock", "s3mock.jar"));
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath();
            }
        }
        throw new IllegalStateException("S3Mock's executable jar is not at " + candidates
                + ": build the examples module first (mvn -pl camel-rtsp-examples generate-resources)");
    }

    /** The HTTP endpoint, e.g. {@code http://127.0.0.1:40123}; set once started. */
    public String endpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        int httpPort = freePort();
        int httpsPort = freePort();
        root = Files.createTempDirectory("camel-rtsp-s3mock");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar.toString(),
                "--com.adobe.testing.s3mock.httpPort=" + httpPort, "--http.port=" + httpPort,
                "--server.port=" + httpsPort, "--server.address=127.0.0.1",
                "--com.adobe.testing.s3mock.store.root=" + root,
                "--com.adobe.testing.s3mock.store.retainFilesOnExit=false",
                "--spring.main.banner-mode=off"));
        if (initialBucket != null) {
            cmd.add("--com.adobe.testing.s3mock.store.initialBuckets=" + initialBucket);
        }
        log = root.resolveSibling(root.getFileName() + ".log");
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // the child must not outlive this JVM, even when the context that owns it never stops cleanly
        Process child = process;
        Path childLog = log;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            child.destroy();
            try {
                if (child.waitFor(10, TimeUnit.SECONDS)) {
                    Files.deleteIfExists(childLog);
                }
            } catch (IOException | InterruptedException e) {
                // the JVM is exiting: nothing more to do
            }
        }, "s3mock-stop"));
        endpoint = "http://127.0.0.1:" + httpPort;
        awaitReady(Duration.ofSeconds(90), log);
        LOG.info("S3Mock ready at {} (pid {}, log {})", endpoint, process.pid(), log);
    }

    private void awaitReady(Duration timeout, Path log) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Mock exited with " + process.exitValue() + ", see " + log);
            }
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(endpoint + "/"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() < 500) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        doStop();
        throw new IllegalStateException("S3Mock did not answer within " + timeout.toSeconds() + " s, see " + log);
    }

    @Override
    protected void doStop() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            process = null;
        }
        if (log != null) {
            Files.deleteIfExists(log);
            Files.deleteIfExists(root); // S3Mock empties it on exit (retainFilesOnExit=false)
            log = null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
