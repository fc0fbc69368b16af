package io.github.camelrtsp.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What ffprobe decodes of a media file: frames of the first video stream (every frame decoded,
 * {@code -count_frames}), the container duration and the decoder's error output. The examples' tests decode what
 * arrived with it. (The component's tests have a fuller runner; test classes do not cross modules.)
 */
public final class Probe {

    /** Frames decoded, duration in seconds (NaN when the container has none), and ffprobe's error output. */
    public record Result(int frames, double seconds, String errors) {
    }

    private Probe() {
    }

    /**
     * Decodes the first video stream of {@code file}.
     *
     * @param format ffmpeg demuxer ({@code h264}), or null to let ffprobe detect it
     * @throws IllegalStateException if ffprobe fails or runs longer than 60 s
     */
    public static Result video(Path file, String format) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames:format=duration", "-of", "default=noprint_wrappers=1"));
        if (format != null) {
            cmd.addAll(List.of("-f", format));
        }
        cmd.add(file.toString());
        // output to files: a broken input makes ffprobe print an error per frame, more than a pipe holds
        Path stdoutFile = Files.createTempFile("ffprobe", ".out");
        Path stderrFile = Files.createTempFile("ffprobe", ".err");
        String stdout;
        String stderr;
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(stdoutFile.toFile()).redirectError(stderrFile.toFile())
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("ffprobe did not finish within 60 s on " + file);
            }
            stdout = Files.readString(stdoutFile);
            stderr = Files.readString(stderrFile).trim();
            if (stderr.length() > 2000) {
                stderr = stderr.substring(0, 2000) + "...";
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("ffprobe failed on " + file + " (" + p.exitValue() + "): " + stderr);
            }
        } finally {
            Files.deleteIfExists(stdoutFile);
            Files.deleteIfExists(stderrFile);
        }
        int frames = 0;
        double seconds = Double.NaN;
        for (String line : stdout.split("\n")) {
            String l = line.trim();
            if (l.startsWith("nb_read_frames=") && !l.endsWith("N/A")) {
                frames = Integer.parseInt(l.substring(15));
            } else if (l.startsWith("duration=") && !l.endsWith("N/A")) {
                seconds = Double.parseDouble(l.substring(9));
            }
        }
        return new Result(frames, seconds, stderr);
    }
}
