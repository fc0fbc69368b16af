package io.github.camelrtsp.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * External programs a test starts (ffmpeg or GStreamer publishers), each writing stdout and stderr to
 * {@code <name>.log} in one folder; {@link #close()} ends them all.
 */
public final class LoggedProcesses implements AutoCloseable {

    private final Path logDir;
    private final List<Process> processes = new ArrayList<>();

    /** Processes logging into {@code logDir}, which must exist. */
    public LoggedProcesses(Path logDir) {
        this.logDir = logDir;
    }

    /** Starts {@code command}, its output going to {@code <name>.log}. */
    public Process launch(String name, String... command) throws IOException {
        Path log = logDir.resolve(name + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    /** What the process named {@code name} wrote so far, or why it cannot be read (for assertion messages). */
    public String log(String name) {
        try {
            return Files.readString(logDir.resolve(name + ".log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Asks every process started here to end, then kills those still running after 5 s; forgets them. */
    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        processes.clear();
    }
}
