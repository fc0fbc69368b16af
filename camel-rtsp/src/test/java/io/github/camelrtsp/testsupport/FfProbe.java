package io.github.camelrtsp.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.camelrtsp.testsupport.ChildProcesses.ProcessResult;

/**
 * Runs {@code ffprobe} / {@code ffmpeg} (Debian package {@code ffmpeg}) with a timeout and captures their output, to
 * check from tests what a real third-party client sees and whether recorded media decodes.
 */
public final class FfProbe {

    /** Timeout used by the decode helpers. */
    public static final Duration DECODE_TIMEOUT = Duration.ofSeconds(60);

    private FfProbe() {
    }

    /** What one run of a program gave. {@code exitCode} is -1 when it had to be killed. */
    public record FfResult(int exitCode, boolean timedOut, String stdout, String stderr, Duration elapsed) {

        /** Exited by itself with status 0. */
        public boolean succeeded() {
            return !timedOut && exitCode == 0;
        }

        /** Non-blank stdout lines, trimmed. */
        public List<String> lines() {
            return stdout.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
        }

        /** A one-paragraph summary for assertion messages. */
        public String describe() {
            return "exit=" + exitCode + (timedOut ? " (timed out)" : "") + " after " + elapsed.toMillis()
                    + " ms\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /** Result of decoding one stream of a file: frames decoded and the decoder's complaints (empty when clean). */
    public record DecodeResult(int frames, String errors, FfResult raw) {

        /** No decode error was reported. */
        public boolean clean() {
            return errors.isBlank();
        }
    }

    /** Runs {@code command} (program first), killing it after {@code timeout}. Stdin is /dev/null. */
    public static FfResult run(Duration timeout, String... command) {
        ProcessResult r = ChildProcesses.run(timeout, List.of(command));
        return new FfResult(r.exitCode(), r.timedOut(), r.stdout(), r.stderr(), r.elapsed());
    }

    /** Runs {@code ffprobe} with {@code args}. */
    public static FfResult ffprobe(Duration timeout, String... args) {
        return run(timeout, prepend(List.of("ffprobe"), args));
    }

    /**
     * {@code dir/clip.mkv}, made with ffmpeg unless it exists: 4 s of 320x240 test pattern at 25 fps in H.264 (a key
     * frame each second) and a 440 Hz tone in 44.1 kHz AAC. It is written aside and then moved, so an interrupted run
     * never leaves a partial clip behind.
     *
     * @throws IllegalStateException if ffmpeg fails
     */
    public static Path testClip(Path dir) throws IOException {
        Path clip = dir.resolve("clip.mkv");
        if (!Files.exists(clip)) {
            Path partial = dir.resolve("clip.partial.mkv");
            FfResult r = ffmpeg(Duration.ofSeconds(60), "-v", "error", "-f", "lavfi", "-i",
                    "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                    "-t", "4", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-b:a", "64k", "-y", partial.toString());
            if (!r.succeeded()) {
                throw new IllegalStateException("ffmpeg could not make the test clip: " + r.describe());
            }
            Files.move(partial, clip, StandardCopyOption.REPLACE_EXISTING);
        }
        return clip;
    }

    /** Runs {@code ffmpeg -nostdin} with {@code args}. */
    public static FfResult ffmpeg(Duration timeout, String... args) {
        return run(timeout, prepend(List.of("ffmpeg", "-nostdin"), args));
    }

    /**
     * Asks ffprobe which streams {@code url} serves; stdout holds one {@code codec_name,codec_type} line per stream
     * (e.g. {@code h264,video}).
     *
     * @param transport {@code tcp} or {@code udp} (ffmpeg's {@code -rtsp_transport})
     * @param options   more ffprobe options placed before the URL, e.g. {@code -tls_verify 0}
     */
    public static FfResult probeStreams(String url, String transport, Duration timeout, String... options) {
        List<String> args = new ArrayList<>(List.of("-v", "error", "-rtsp_transport", transport));
        args.addAll(Arrays.asList(options));
        args.addAll(List.of("-show_entries", "stream=codec_type,codec_name", "-of", "csv=p=0", url));
        return ffprobe(timeout, args.toArray(String[]::new));
    }

    /**
     * Asks ffprobe for stream {@code entries} (e.g. {@code codec_name}, {@code width}, {@code sample_rate}) of every
     * stream of {@code url}; ffprobe leaves out entries that do not apply to a stream (no width for audio).
     *
     * @return one map entry name to value per stream, in stream order
     * @throws IllegalStateException if ffprobe fails or times out; the message holds its output
     */
    public static List<Map<String, String>> streamEntries(String url, String transport, Duration timeout,
            String... entries) {
        FfResult result = ffprobe(timeout, "-v", "error", "-rtsp_transport", transport,
                "-show_entries", "stream=" + String.join(",", entries), "-of", "compact=p=0", url);
        if (!result.succeeded()) {
            throw new IllegalStateException("ffprobe of " + url + " failed: " + result.describe());
        }
        return result.lines().stream().map(FfProbe::compactFields).toList();
    }

    /** Parses one line of ffprobe's {@code compact} output ({@code key=value|key=value}). */
    static Map<String, String> compactFields(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : line.split("\\|")) {
            int eq = field.indexOf('=');
            if (eq > 0) {
                fields.put(field.substring(0, eq), field.substring(eq + 1));
            }
        }
        return fields;
    }

    /**
     * Decodes every frame of one stream of {@code file} with ffprobe and counts them.
     *
     * @param format ffmpeg demuxer name ({@code h264}, {@code hevc}, {@code adts}, ...), or null to let ffmpeg guess
     * @param stream stream specifier, e.g. {@code v:0} or {@code a:0}
     * @throws IllegalStateException if ffprobe fails or times out; the message holds its stderr
     */
    public static DecodeResult decode(Path file, String format, String stream) {
        List<String> args = new ArrayList<>(List.of("-v", "error", "-count_frames", "-select_streams", stream,
                "-show_entries", "stream=nb_read_frames", "-of", "default=noprint_wrappers=1:nokey=1"));
        if (format != null) {
            args.addAll(List.of("-f", format));
        }
        args.add(file.toString());
        FfResult result = ffprobe(DECODE_TIMEOUT, args.toArray(String[]::new));
        List<String> lines = result.lines();
        if (!result.succeeded() || lines.isEmpty()) {
            throw new IllegalStateException("ffprobe could not decode " + file + ": " + result.describe());
        }
        String count = lines.get(0);
        int frames = "N/A".equals(count) ? 0 : Integer.parseInt(count);
        return new DecodeResult(frames, result.stderr(), result);
    }

    /**
     * Counts the frames of the first video stream of {@code file} that decode.
     *
     * @throws IllegalStateException if ffprobe fails, or if the decoder reported any error (message holds them)
     */
    public static int countDecodedVideoFrames(Path file, String format) {
        DecodeResult result = decode(file, format, "v:0");
        if (!result.clean()) {
            throw new IllegalStateException(file + " decodes with errors (" + result.frames() + " frames): "
                    + result.errors());
        }
        return result.frames();
    }

    /**
     * Fails with a clear message naming the Debian package if ffmpeg/ffprobe cannot run. Tests call it in
     * {@code @BeforeAll}; it fails rather than skips, since CI is expected to have the package installed.
     */
    public static void requireAvailable() {
        for (String tool : List.of("ffprobe", "ffmpeg")) {
            FfResult result;
            try {
                result = run(Duration.ofSeconds(20), tool, "-version");
            } catch (IllegalStateException e) {
                throw new IllegalStateException(tool + " is missing: install the Debian package ffmpeg ("
                        + e.getMessage() + ")", e);
            }
            if (!result.succeeded()) {
                throw new IllegalStateException(tool + " -version failed (Debian package ffmpeg): "
                        + result.describe());
            }
        }
    }

    private static String[] prepend(List<String> head, String... rest) {
        List<String> all = new ArrayList<>(head);
        all.addAll(Arrays.asList(rest));
        return all.toArray(String[]::new);
    }
}
