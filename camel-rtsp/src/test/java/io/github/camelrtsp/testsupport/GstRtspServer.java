package io.github.camelrtsp.testsupport;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelrtsp.testsupport.ChildProcesses.ProcessResult;
import io.github.camelrtsp.testsupport.MiniRtspConnection.Response;

/**
 * A real RTSP server for interop tests: GStreamer's GstRtspServer run as {@code /usr/bin/python3 rtsp_server.py}
 * (test resource {@code gst/rtsp_server.py}) on 127.0.0.1 and a free port, serving a live test pattern.
 *
 * <pre>{@code
 * try (GstRtspServer server = GstRtspServer.builder().audio("aac").auth("digest", "user", "pass").start()) {
 *     String url = server.url("user", "pass");
 *     ...
 *     server.dropMedia(true);   // RTP stops, RTSP (and RTCP) go on
 * }
 * }</pre>
 *
 * <p>Every wait is bounded; the child process is killed on {@link #close()}, and by a JVM shutdown hook as a
 * backstop; the script itself exits when its stdin closes. Server output goes to a file under
 * {@code target/gst-logs/} ({@link #logFile()}); the last lines are kept for exception messages.
 *
 * <p>The built-in streams ({@link Builder#video}, {@link Builder#audio}) are live and never end. Every video stream
 * is {@value #VIDEO_WIDTH}x{@value #VIDEO_HEIGHT} at exactly {@value #VIDEO_FRAME_RATE} frames per second (fixed in
 * the caps, not a frame count): tests that need a number of frames count them over a time window, expecting
 * {@value #VIDEO_FRAME_RATE} a second, with RTP timestamps {@value #VIDEO_FRAME_TICKS} ticks apart on the 90 kHz clock
 * (in presentation order). Video has one key frame a second.
 *
 * <p>With {@link Builder#shared} (the default) clients share one pipeline, which is torn down when the last client
 * leaves; the next client gets a fresh one, starting with a key frame. The teardown goes on after the leaving
 * client's TEARDOWN was answered: a DESCRIBE or SETUP that arrives during it is held (at most 5 s) until it is over,
 * where GstRtspServer alone would answer 503. Only a request racing that very TEARDOWN can still get 503.
 */
public final class GstRtspServer implements AutoCloseable {

    /**
     * The built-in video codecs, for {@link Builder#video}; {@code rtsp_server.py --list-codecs} describes each.
     * <ul>
     * <li>{@code h264}: constrained baseline, SPS/PPS (and access unit delimiters) in-band from x264 and once a
     * second from the payloader; as many slices per picture as x264 has sliced threads (so, machine-dependent).</li>
     * <li>{@code h264-inband}: constrained baseline, one slice per picture, SPS and PPS as single NAL unit packets
     * before every IDR (and in the SDP's sprop-parameter-sets).</li>
     * <li>{@code h264-stapa}: as {@code h264-inband}, but SPS and PPS travel in a STAP-A (with the IDR slice when it
     * fits, otherwise the IDR follows as FU-A).</li>
     * <li>{@code h264-bframes}: High profile, 2 B-frames between reference frames, so RTP timestamps are not
     * monotonic in packet order; SPS/PPS before every IDR.</li>
     * <li>{@code h264-sdponly}: as {@code h264-inband}, but SPS/PPS only in the SDP, never in-band.</li>
     * <li>{@code h265}: Main profile, VPS/SPS/PPS before every IDR (twice before the first), closed GOPs.</li>
     * <li>{@code mjpeg}: RFC 2435, static payload type 26, JPEG type 1 (4:2:0), Q=255 with in-band tables.</li>
     * </ul>
     */
    public static final List<String> VIDEO_CODECS = List.of("h264", "h264-inband", "h264-stapa", "h264-bframes",
            "h264-sdponly", "h265", "mjpeg");

    /**
     * The built-in audio codecs, for {@link Builder#audio}; all mono, a 440 Hz sine.
     * <ul>
     * <li>{@code aac}: AAC-LC 44.1 kHz, RFC 3640 (MPEG4-GENERIC, AAC-hbr), dynamic payload type.</li>
     * <li>{@code aac-latm}: AAC-LC 44.1 kHz, RFC 3016 MP4A-LATM, cpresent=0 (config only in the SDP).</li>
     * <li>{@code opus}: RFC 7587, 20 ms frames, {@code OPUS/48000/2} with sprop-stereo=0.</li>
     * <li>{@code pcmu} / {@code pcma}: G.711 8 kHz, static payload types 0 / 8, 160 samples (20 ms) a packet.</li>
     * <li>{@code g722}: 16 kHz audio, static payload type 9 with its 8000 Hz RTP clock (RFC 3551), 20 ms a packet.
     * </li>
     * <li>{@code l16}: 16-bit big-endian PCM, {@code L16/16000/1}, 320 samples (20 ms) a packet.</li>
     * </ul>
     */
    public static final List<String> AUDIO_CODECS = List.of("aac", "aac-latm", "opus", "pcmu", "pcma", "g722", "l16");

    /** Width of every built-in video stream. */
    public static final int VIDEO_WIDTH = 320;
    /** Height of every built-in video stream. */
    public static final int VIDEO_HEIGHT = 240;
    /** Frames per second of every built-in video stream (exact: live source, fixed framerate caps). */
    public static final int VIDEO_FRAME_RATE = 15;
    /** RTP timestamp ticks (90 kHz clock) between two consecutive frames of a built-in video stream. */
    public static final int VIDEO_FRAME_TICKS = 90000 / VIDEO_FRAME_RATE;

    /** The interpreter the script runs with (Debian's, which sees the python3-gi package). */
    public static final String PYTHON = "/usr/bin/python3";

    private static final Logger LOG = LoggerFactory.getLogger(GstRtspServer.class);
    private static final String SCRIPT_RESOURCE = "/gst/rtsp_server.py";
    private static final int EXIT_CANNOT_LISTEN = 10;
    private static final int START_ATTEMPTS = 5;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration QUIT_TIMEOUT = Duration.ofSeconds(5);
    private static final int TAIL_LINES = 60;
    private static final int MAX_LINE = 1000;
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static volatile boolean available;
    private static volatile Path script;

    private final Builder options;
    private final Path logFile;
    private final Object logLock = new Object();
    private Writer log;
    private int port = -1;
    private Run run;

    private GstRtspServer(Builder options) {
        this.options = options.copy();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT));
        this.logFile = logDir().resolve("gst-rtsp-" + stamp + "-" + INSTANCES.incrementAndGet() + ".log");
    }

    /** A builder with the defaults: H.264 video, no audio, TCP and UDP, shared media, no auth, mount /test. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Fails with a message naming the missing Debian packages if the server cannot run here (python3, python3-gi,
     * GstRtspServer introspection, the GStreamer plugins the built-in streams use, glib-networking for TLS).
     * Tests call it in {@code @BeforeAll}: they fail rather than skip, since CI installs these packages.
     */
    public static synchronized void requireAvailable() {
        if (available) {
            return;
        }
        if (!Files.isExecutable(Paths.get(PYTHON))) {
            throw new IllegalStateException(PYTHON + " not found: install the Debian package python3");
        }
        ProcessResult result = ChildProcesses.run(Duration.ofSeconds(60),
                List.of(PYTHON, script().toString(), "--check"));
        List<String> missing = result.stdout().lines().filter(l -> l.startsWith("MISSING ")).toList();
        if (result.timedOut() || result.exitCode() != 0 || !result.stdout().contains("CHECK OK")) {
            StringBuilder msg = new StringBuilder("the GStreamer RTSP test server cannot run here");
            if (!missing.isEmpty()) {
                List<String> packages = new ArrayList<>();
                for (String line : missing) {
                    String pkg = line.substring("MISSING ".length(), line.indexOf(':'));
                    if (!packages.contains(pkg)) {
                        packages.add(pkg);
                    }
                }
                msg.append("; install the Debian packages: ").append(String.join(" ", packages));
            }
            msg.append("\n").append(result.stdout()).append(result.stderr());
            if (result.timedOut()) {
                msg.append("\n(check timed out)");
            }
            throw new IllegalStateException(msg.toString());
        }
        LOG.info("GStreamer RTSP test server available: {}", result.stdout().trim());
        available = true;
    }

    /**
     * Starts the server on a free port and waits until it listens. If the port was taken in the meantime another
     * one is tried.
     *
     * @return this server
     * @throws IllegalStateException if it does not come up within the ready timeout (message holds its stderr)
     */
    public synchronized GstRtspServer start() {
        if (run != null && run.process.isAlive()) {
            throw new IllegalStateException("already running on port " + port);
        }
        requireAvailable();
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int candidate = FreePorts.tcp();
            if (launch(candidate)) {
                port = candidate;
                return this;
            }
            LOG.info("port {} was taken before the server could bind it, trying another", candidate);
        }
        throw new IllegalStateException("the server could not bind any of " + START_ATTEMPTS + " free ports; see "
                + logFile);
    }

    /**
     * Starts the server again with the same options on the same port (stopping it first if it still runs), retrying
     * while the port cannot be bound yet, for at most the restart timeout.
     */
    public synchronized void restart() {
        if (port < 0) {
            throw new IllegalStateException("restart() before start()");
        }
        if (run != null && run.process.isAlive()) {
            stop();
        }
        long deadline = System.nanoTime() + options.restartTimeout.toNanos();
        while (!launch(port)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("port " + port + " could still not be bound after "
                        + options.restartTimeout.toMillis() + " ms; last server output:\n" + run.tail());
            }
            sleep(200);
        }
    }

    /** The port the server listens on (kept across {@link #restart()}). */
    public synchronized int port() {
        if (port < 0) {
            throw new IllegalStateException("server not started");
        }
        return port;
    }

    /** {@code rtsp://127.0.0.1:<port><mount>}, or {@code rtsps://...} when TLS is on. */
    public String url() {
        return scheme() + "://127.0.0.1:" + port() + options.mount;
    }

    /** {@link #url()} with percent-encoded credentials in the authority. */
    public String url(String user, String password) {
        return scheme() + "://" + encodeUserInfo(user) + ":" + encodeUserInfo(password) + "@127.0.0.1:" + port()
                + options.mount;
    }

    /** True while the server process is alive. */
    public synchronized boolean isRunning() {
        return run != null && run.process.isAlive();
    }

    /** The server's process id, or -1 when it does not run. */
    public synchronized long pid() {
        return isRunning() ? run.process.pid() : -1;
    }

    /** The file the server's stdout and stderr go to. */
    public Path logFile() {
        return logFile;
    }

    /** The last lines the server printed on stderr (current or last run). */
    public synchronized String recentOutput() {
        return run == null ? "" : run.tail();
    }

    /**
     * The SDP the server answers to a DESCRIBE of {@link #url()}, fetched on a connection of its own with the
     * configured credentials (Basic or Digest) and, for RTSPS, trusting the configured certificate. Handy to read the
     * fmtp parameters (sprop-parameter-sets, config, ...) a depacketizer under test needs.
     *
     * @throws IllegalStateException if the server is not running, the connection fails, or DESCRIBE does not
     *                               answer 200 within 5 s (the message holds the status)
     */
    public String sdp() {
        // a DESCRIBE racing the teardown of the shared media can get 503 (see the class comment): ask again
        for (int attempt = 1; ; attempt++) {
            try {
                return describeOnce();
            } catch (IllegalStateException e) {
                if (attempt >= 5 || e.getMessage() == null || !e.getMessage().contains(" answered 503 ")) {
                    throw e;
                }
                try {
                    Thread.sleep(300);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private String describeOnce() {
        String url = url();
        int serverPort = port();
        try (MiniRtspConnection c = options.tls != null
                ? MiniRtspConnection.openTls(serverPort, options.tls.clientSslContext())
                : MiniRtspConnection.open(serverPort)) {
            Response response = c.request("DESCRIBE", url, "Accept: application/sdp");
            if (response.status() == 401 && !options.authMethod.equals("none")) {
                response = c.request("DESCRIBE", url, "Accept: application/sdp",
                        authorization(response.header("WWW-Authenticate"), "DESCRIBE", url));
            }
            if (response.status() != 200) {
                throw new IllegalStateException("DESCRIBE " + url + " answered " + response.status() + " "
                        + response.headers());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("DESCRIBE " + url + " failed: " + e.getMessage() + "; last output:\n"
                    + recentOutput(), e);
        }
    }

    /** The Authorization header line answering {@code challenge} for the configured user. */
    private String authorization(String challenge, String method, String uri) {
        if (options.authMethod.equals("basic")) {
            String pair = options.user + ":" + options.password;
            return "Authorization: Basic "
                    + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }
        if (challenge == null || !challenge.regionMatches(true, 0, "Digest", 0, 6)) {
            throw new IllegalStateException("expected a Digest challenge, got: " + challenge);
        }
        String realm = challengeParameter(challenge, "realm");
        String nonce = challengeParameter(challenge, "nonce");
        String ha1 = md5Hex(options.user + ":" + realm + ":" + options.password);
        String ha2 = md5Hex(method + ":" + uri);
        String response = md5Hex(ha1 + ":" + nonce + ":" + ha2);
        return "Authorization: Digest username=\"" + options.user + "\", realm=\"" + realm + "\", nonce=\"" + nonce
                + "\", uri=\"" + uri + "\", response=\"" + response + "\"";
    }

    private static String challengeParameter(String challenge, String name) {
        Matcher m = Pattern.compile("(?i)\\b" + name + "=\"([^\"]*)\"").matcher(challenge);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in the challenge: " + challenge);
        }
        return m.group(1);
    }

    static String md5Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(32);
            for (byte b : digest) {
                hex.append(String.format(Locale.ROOT, "%02x", b & 0xff));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 not available", e);
        }
    }

    /**
     * Stops ({@code true}) or resumes ({@code false}) sending RTP on every stream, while RTSP sessions, RTCP and
     * new requests are served as before. Applies to clients connecting later as well. Waits for the server's
     * acknowledgement.
     *
     * @throws IllegalStateException if the server is not running, does not answer within 5 s, or refuses (a
     *                               {@link Builder#launch} pipeline without valves named v0, v1, ...)
     */
    public synchronized void dropMedia(boolean drop) {
        command(drop ? "drop on" : "drop off");
    }

    /** Kills the server at once (SIGKILL) and waits until it is gone; clients see their connections reset. */
    public synchronized void kill() {
        if (run == null) {
            return;
        }
        LOG.info("killing GStreamer RTSP server pid {} on port {}", run.process.pid(), port);
        ChildProcesses.kill(run.process);
        run.finish();
    }

    /** Asks the server to quit, and kills it if it has not exited after 5 s. Idempotent. */
    public synchronized void stop() {
        if (run == null) {
            return;
        }
        if (run.process.isAlive()) {
            try {
                run.stdin.write("quit\n");
                run.stdin.flush();
                run.stdin.close();
            } catch (IOException e) {
                LOG.debug("server stdin already closed: {}", e.getMessage());
            }
            try {
                if (!run.process.waitFor(QUIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("server pid {} did not quit within {} ms, killing it", run.process.pid(),
                            QUIT_TIMEOUT.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ChildProcesses.kill(run.process);
            LOG.info("stopped GStreamer RTSP server on port {}", port);
        }
        run.finish();
    }

    /** Same as {@link #stop()}; also closes the log file. */
    @Override
    public synchronized void close() {
        stop();
        synchronized (logLock) {
            if (log != null) {
                try {
                    log.close();
                } catch (IOException e) {
                    LOG.debug("closing {}: {}", logFile, e.getMessage());
                }
                log = null;
            }
        }
    }

    private String scheme() {
        return options.tls != null ? "rtsps" : "rtsp";
    }

    private void command(String cmd) {
        if (run == null || !run.process.isAlive()) {
            throw new IllegalStateException("server not running, cannot send '" + cmd + "'"
                    + (run == null ? "" : "; last output:\n" + run.tail()));
        }
        run.replies.clear();
        try {
            run.stdin.write(cmd + "\n");
            run.stdin.flush();
        } catch (IOException e) {
            throw new IllegalStateException("cannot send '" + cmd + "' to the server: " + e.getMessage()
                    + "; last output:\n" + run.tail(), e);
        }
        String reply;
        try {
            reply = run.replies.poll(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the answer to '" + cmd + "'", e);
        }
        if (reply == null) {
            throw new IllegalStateException("no answer to '" + cmd + "' within " + COMMAND_TIMEOUT.toMillis()
                    + " ms; last output:\n" + run.tail());
        }
        if (!reply.equals("OK " + cmd)) {
            throw new IllegalStateException("server answered '" + reply + "' to '" + cmd + "'");
        }
    }

    /** Runs the script on {@code candidate}: true once READY, false if the port could not be bound. */
    private boolean launch(int candidate) {
        List<String> command = options.command(script(), candidate);
        logLine("=== " + LocalDateTime.now() + " starting: " + String.join(" ", command));
        Process process;
        try {
            process = startProcess(command);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + PYTHON + ": " + e.getMessage(), e);
        }
        run = new Run(process, candidate);
        int readyPort;
        try {
            readyPort = run.ready.get(options.readyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            ChildProcesses.kill(process);
            run.finish();
            throw new IllegalStateException("GStreamer RTSP server not READY within " + options.readyTimeout.toMillis()
                    + " ms (log: " + logFile + "); last output:\n" + run.tail());
        } catch (ExecutionException e) {
            ChildProcesses.kill(process);
            run.finish();
            throw new IllegalStateException("reading the server output failed", e.getCause());
        } catch (InterruptedException e) {
            ChildProcesses.kill(process);
            run.finish();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the server", e);
        }
        if (readyPort == candidate) {
            LOG.info("GStreamer RTSP server pid {} serving {}://127.0.0.1:{}{} (log {})", process.pid(), scheme(),
                    candidate, options.mount, logFile);
            return true;
        }
        int exit = waitExit(process);
        run.finish();
        if (exit == EXIT_CANNOT_LISTEN) {
            return false;
        }
        throw new IllegalStateException("GStreamer RTSP server exited with status " + exit + " before READY (log: "
                + logFile + "); last output:\n" + run.tail());
    }

    private Process startProcess(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("PYTHONUNBUFFERED", "1");
        env.put("GST_DEBUG_NO_COLOR", "1");
        if (options.gstDebug != null) {
            env.put("GST_DEBUG", options.gstDebug);
        }
        Process process = builder.start();
        ChildProcesses.track(process);
        return process;
    }

    private static int waitExit(Process process) {
        try {
            if (process.waitFor(5, TimeUnit.SECONDS)) {
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ChildProcesses.kill(process);
        return -1;
    }

    private void logLine(String line) {
        synchronized (logLock) {
            try {
                if (log == null) {
                    Files.createDirectories(logFile.getParent());
                    log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                }
                log.write(line);
                log.write('\n');
                log.flush();
            } catch (IOException e) {
                LOG.warn("cannot write {}: {}", logFile, e.getMessage());
            }
        }
    }

    /** One server process: its pipes, drain threads and what it said. */
    private final class Run {
        final Process process;
        final Writer stdin;
        final CompletableFuture<Integer> ready = new CompletableFuture<>();
        final BlockingQueue<String> replies = new ArrayBlockingQueue<>(16);
        final Deque<String> tail = new ArrayDeque<>();
        final Thread outThread;
        final Thread errThread;

        Run(Process process, int port) {
            this.process = process;
            this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            outThread = drain(process.getInputStream(), "gst-out-" + port, this::onStdout);
            errThread = drain(process.getErrorStream(), "gst-err-" + port, this::onStderr);
        }

        private Thread drain(InputStream in, String name, Consumer<String> sink) {
            Thread t = new Thread(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        sink.accept(line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "..." : line);
                    }
                } catch (IOException e) {
                    // Pipe closed because the process died: nothing more to read.
                } finally {
                    if (name.startsWith("gst-out")) {
                        ready.complete(-1);
                    }
                }
            }, name);
            t.setDaemon(true);
            t.start();
            return t;
        }

        private void onStdout(String line) {
            logLine("out| " + line);
            if (line.startsWith("READY ")) {
                try {
                    ready.complete(Integer.parseInt(line.substring(6).trim()));
                } catch (NumberFormatException e) {
                    ready.complete(-1);
                }
            } else if (line.startsWith("OK ") || line.startsWith("ERR ")) {
                if (!replies.offer(line)) {
                    LOG.warn("unexpected server reply not queued (queue full): {}", line);
                }
            }
        }

        private void onStderr(String line) {
            logLine("err| " + line);
            synchronized (tail) {
                tail.addLast(line);
                while (tail.size() > TAIL_LINES) {
                    tail.removeFirst();
                }
            }
        }

        String tail() {
            synchronized (tail) {
                return String.join("\n", tail);
            }
        }

        /** Waits (bounded) for the drain threads after the process ended. */
        void finish() {
            try {
                stdin.close();
            } catch (IOException e) {
                // already closed
            }
            try {
                outThread.join(2000);
                errThread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static synchronized Path script() {
        if (script != null) {
            return script;
        }
        URL url = GstRtspServer.class.getResource(SCRIPT_RESOURCE);
        try {
            if (url != null && "file".equals(url.getProtocol())) {
                script = Paths.get(url.toURI());
            } else if (url != null) {
                Path copy = Files.createTempFile("rtsp_server", ".py");
                copy.toFile().deleteOnExit();
                try (InputStream in = url.openStream()) {
                    Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                }
                script = copy;
            } else {
                for (String candidate : List.of("src/test/resources/gst/rtsp_server.py",
                        "camel-rtsp/src/test/resources/gst/rtsp_server.py")) {
                    if (Files.isRegularFile(Paths.get(candidate))) {
                        script = Paths.get(candidate).toAbsolutePath();
                        break;
                    }
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot locate " + SCRIPT_RESOURCE + ": " + e.getMessage(), e);
        }
        if (script == null) {
            throw new IllegalStateException("rtsp_server.py neither on the test classpath (" + SCRIPT_RESOURCE
                    + ") nor under src/test/resources/gst/");
        }
        return script;
    }

    private static Path logDir() {
        try {
            Path classes = Paths.get(GstRtspServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(classes) && classes.getParent() != null) {
                return classes.getParent().resolve("gst-logs");
            }
        } catch (URISyntaxException | RuntimeException e) {
            LOG.debug("cannot derive the build directory: {}", e.getMessage());
        }
        return Paths.get("target", "gst-logs").toAbsolutePath();
    }

    static String encodeUserInfo(String value) {
        StringBuilder sb = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append(c);
            } else {
                sb.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return sb.toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Options of a {@link GstRtspServer}; every setter returns the builder. */
    public static final class Builder {
        private String video = "h264";
        private String audio = "none";
        private String launch;
        private String mount = "/test";
        private String protocols = "tcp,udp";
        private boolean shared = true;
        private boolean seekable;
        private String authMethod = "none";
        private String user;
        private String password;
        private TestCertificates tls;
        private String gstDebug;
        private Duration readyTimeout = Duration.ofSeconds(20);
        private Duration restartTimeout = Duration.ofSeconds(15);

        private Builder() {
        }

        /**
         * Video codec: one of {@link GstRtspServer#VIDEO_CODECS} ({@code h264} is the default) or {@code none}. An
         * unknown name makes {@link #start()} fail with the server's message.
         */
        public Builder video(String codec) {
            this.video = requireNonBlank(codec, "video");
            return this;
        }

        /**
         * Audio codec: one of {@link GstRtspServer#AUDIO_CODECS} or {@code none} (default). With a video codec as
         * well, both streams are served in one session (video first).
         */
        public Builder audio(String codec) {
            this.audio = requireNonBlank(codec, "audio");
            return this;
        }

        /**
         * A gst-launch description that replaces {@link #video}/{@link #audio}, e.g.
         * {@code ( videotestsrc is-live=true ! x264enc ! valve name=v0 ! rtph264pay name=pay0 pt=96 )}.
         * Payloaders must be named pay0, pay1, ...; valves named v0, v1, ... make {@link #dropMedia} work.
         */
        public Builder launch(String description) {
            this.launch = requireNonBlank(description, "launch");
            return this;
        }

        /** Mount path, default {@code /test}. */
        public Builder mount(String path) {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("mount must start with '/': " + path);
            }
            this.mount = path;
            return this;
        }

        /** Lower transports the server allows: {@code tcp}, {@code udp} or {@code tcp,udp} (default). */
        public Builder protocols(String list) {
            this.protocols = requireNonBlank(list, "protocols");
            return this;
        }

        /** Whether clients share one media pipeline (default true). */
        public Builder shared(boolean value) {
            this.shared = value;
            return this;
        }

        /**
         * Whether clients may seek (PLAY with Range). Off by default: the built-in live streams act like cameras.
         * Turn it on for a file-backed {@link #launch} pipeline, e.g.
         * {@code ( filesrc location=a.mp4 ! qtdemux ! h264parse ! rtph264pay name=pay0 pt=96 )}, with
         * {@code shared(false)} so that each client seeks its own media.
         */
        public Builder seekable(boolean value) {
            this.seekable = value;
            return this;
        }

        /** Authentication: method {@code none}, {@code basic} or {@code digest}, with the one valid user. */
        public Builder auth(String method, String user, String password) {
            String m = requireNonBlank(method, "auth method").toLowerCase(Locale.ROOT);
            if (!List.of("none", "basic", "digest").contains(m)) {
                throw new IllegalArgumentException("auth method must be none, basic or digest: " + method);
            }
            if (!m.equals("none")) {
                requireNonBlank(user, "user");
                if (password == null) {
                    throw new IllegalArgumentException("password is null");
                }
            }
            this.authMethod = m;
            this.user = user;
            this.password = password;
            return this;
        }

        /** Serve RTSPS (RTSP over TLS) with this certificate; {@link #url()} then says {@code rtsps://}. */
        public Builder tls(TestCertificates certificates) {
            this.tls = certificates;
            return this;
        }

        /** Value for GST_DEBUG in the server (e.g. {@code rtspclient:5}); output goes to the log file. */
        public Builder gstDebug(String spec) {
            this.gstDebug = spec;
            return this;
        }

        /** How long {@link #start()} waits for READY (default 20 s). */
        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = requirePositive(timeout, "readyTimeout");
            return this;
        }

        /** How long {@link #restart()} keeps retrying while the port cannot be bound (default 15 s). */
        public Builder restartTimeout(Duration timeout) {
            this.restartTimeout = requirePositive(timeout, "restartTimeout");
            return this;
        }

        /** A server with these options, not started yet. */
        public GstRtspServer build() {
            return new GstRtspServer(this);
        }

        /** Same as {@code build().start()}. */
        public GstRtspServer start() {
            return build().start();
        }

        private Builder copy() {
            Builder b = new Builder();
            b.video = video;
            b.audio = audio;
            b.launch = launch;
            b.mount = mount;
            b.protocols = protocols;
            b.shared = shared;
            b.seekable = seekable;
            b.authMethod = authMethod;
            b.user = user;
            b.password = password;
            b.tls = tls;
            b.gstDebug = gstDebug;
            b.readyTimeout = readyTimeout;
            b.restartTimeout = restartTimeout;
            return b;
        }

        private List<String> command(Path scriptPath, int port) {
            List<String> cmd = new ArrayList<>(List.of(PYTHON, scriptPath.toString(), "--port", Integer.toString(port),
                    "--mount", mount, "--protocols", protocols, "--auth", authMethod));
            if (launch != null) {
                cmd.addAll(List.of("--launch", launch));
            } else {
                cmd.addAll(List.of("--video", video, "--audio", audio));
            }
            cmd.add(shared ? "--shared" : "--not-shared");
            if (seekable) {
                cmd.add("--seekable");
            }
            if (!authMethod.equals("none")) {
                cmd.addAll(List.of("--user", user, "--password", password));
            }
            if (tls != null) {
                cmd.addAll(List.of("--tls-cert", tls.certPem().toString(), "--tls-key", tls.keyPem().toString()));
            }
            return cmd;
        }

        private static String requireNonBlank(String value, String what) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(what + " is blank");
            }
            return value;
        }

        private static Duration requirePositive(Duration value, String what) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + value);
            }
            return value;
        }
    }
}
