package io.github.camelrtsp.examples.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads process CPU time and resident memory from Linux {@code /proc}, the same way for the measured JVM and for the
 * GStreamer and ffmpeg processes compared with it.
 */
public final class ProcStats {

    /** Clock ticks per second of {@code /proc/<pid>/stat} times (USER_HZ, 100 on Linux). */
    public static final long TICKS_PER_SECOND = 100;

    private ProcStats() {
    }

    /** Whether {@code /proc} can be read (Linux). */
    public static boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    /**
     * CPU time (user + system) of process {@code pid} ("self" allowed) in nanoseconds, including its waited-for
     * children when {@code withChildren}; -1 if the process is gone.
     */
    public static long cpuNanos(String pid, boolean withChildren) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", pid, "stat"));
        } catch (IOException e) {
            return -1;
        }
        // the command name (field 2) is in parentheses and may contain spaces: fields start after the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state): utime = field 14, stime = 15, cutime = 16, cstime = 17
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        if (withChildren) {
            ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
        }
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }

    /** User and system CPU time of process {@code pid} ("self" allowed) in nanoseconds, without children. */
    public static long[] userSystemNanos(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            long tick = 1_000_000_000L / TICKS_PER_SECOND;
            return new long[] {Long.parseLong(f[11]) * tick, Long.parseLong(f[12]) * tick};
        } catch (IOException e) {
            return new long[] {-1, -1};
        }
    }

    /** Resident set size of process {@code pid} ("self" allowed) in bytes (VmRSS); -1 if the process is gone. */
    public static long rssBytes(String pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring(6).trim().split("\\s+")[0];
                    return Long.parseLong(kb) * 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** The 1-minute load average, or -1 when unknown. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
