package io.github.camelrtsp.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and tracks the external programs the test harness runs, and kills whatever is still running when the JVM
 * exits (backstop for a test that died before it could clean up).
 */
final class ChildProcesses {

    private static final Logger LOG = LoggerFactory.getLogger(ChildProcesses.class);
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcesses::killAll, "camelrtsp-child-reaper"));
    }

    private ChildProcesses() {
    }

    /** Starts a program with stdin from /dev/null unless {@code keepStdin}, and registers it for the reaper. */
    static Process start(List<String> command, boolean keepStdin) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (!keepStdin) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        return track(builder.start());
    }

    /** Registers a process started elsewhere, so the shutdown hook kills it if it still runs at JVM exit. */
    static Process track(Process process) {
        LIVE.add(process);
        process.onExit().thenRun(() -> LIVE.remove(process));
        return process;
    }

    /** SIGKILLs the process (and anything it started) and waits up to 5 s for it to be gone. */
    static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                LOG.warn("process {} still alive 5 s after SIGKILL", process.pid());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(process);
    }

    private static void killAll() {
        for (Process process : new ArrayList<>(LIVE)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** Runs a program to completion, or kills it once {@code timeout} has passed; output is captured (bounded). */
    static ProcessResult run(Duration timeout, List<String> command) {
        long started = System.nanoTime();
        Process process;
        try {
            process = start(command, false);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        BoundedCapture out = BoundedCapture.drain(process.getInputStream(), "out-" + process.pid());
        BoundedCapture err = BoundedCapture.drain(process.getErrorStream(), "err-" + process.pid());
        boolean timedOut = false;
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                kill(process);
            }
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
        int exit = timedOut || process.isAlive() ? -1 : process.exitValue();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        return new ProcessResult(exit, timedOut, out.text(), err.text(), elapsed);
    }

    /** What {@link #run} saw. */
    record ProcessResult(int exitCode, boolean timedOut, String stdout, String stderr, Duration elapsed) {
    }

    /** Drains a stream on a daemon thread, keeping at most {@link #LIMIT} bytes (the rest is counted). */
    static final class BoundedCapture {
        static final int LIMIT = 4 * 1024 * 1024;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final Thread thread;
        private long dropped;

        private BoundedCapture(InputStream in, String name) {
            thread = new Thread(() -> pump(in), "capture-" + name);
            thread.setDaemon(true);
        }

        static BoundedCapture drain(InputStream in, String name) {
            BoundedCapture capture = new BoundedCapture(in, name);
            capture.thread.start();
            return capture;
        }

        private void pump(InputStream in) {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (this) {
                        int keep = Math.min(n, LIMIT - kept.size());
                        kept.write(buf, 0, keep);
                        dropped += n - keep;
                    }
                }
            } catch (IOException e) {
                // The stream closes when the process is killed: what was read so far is the result.
            }
        }

        /** The captured text, waiting up to 2 s for the stream's end. */
        String text() {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                String text = kept.toString(StandardCharsets.UTF_8);
                return dropped == 0 ? text : text + "\n[" + dropped + " more bytes not kept]";
            }
        }
    }
}
