package io.github.camelrtsp.mp4;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.FfProbe.FfResult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What ffprobe/ffmpeg make of MP4 files written by the segmenter: codecs, durations, decoded frame counts. */
public final class Fmp4Probe {

    private Fmp4Probe() {
    }

    /** Streams of one file (or concat list) as ffprobe reports them with {@code -count_frames}. */
    public record Info(List<Map<String, String>> streams, String raw) {

        /** Stream entries of the first stream of a type, or fails. */
        public Map<String, String> stream(String type) {
            return streams.stream().filter(s -> type.equals(s.get("codec_type"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + type + " stream in " + raw));
        }

        /** codec_name of the first stream of a type. */
        public String codec(String type) {
            return stream(type).get("codec_name");
        }

        /** Frames decoded of the first stream of a type. */
        public int frames(String type) {
            return Integer.parseInt(stream(type).get("nb_read_frames"));
        }

        /** Duration in seconds of the first stream of a type. */
        public double duration(String type) {
            return Double.parseDouble(stream(type).get("duration"));
        }

        /** Start time in seconds of the first stream of a type (its first presentation time). */
        public double startTime(String type) {
            return Double.parseDouble(stream(type).get("start_time"));
        }

        /** Whether there is a stream of the type. */
        public boolean has(String type) {
            return streams.stream().anyMatch(s -> type.equals(s.get("codec_type")));
        }

        @Override
        public String toString() {
            return raw;
        }
    }

    /** Probes a file with ffprobe {@code -count_frames}; fails when ffprobe reports any error. */
    public static Info probe(Path file, String... inputOptions) {
        List<String> args = new ArrayList<>(List.of("-v", "error", "-count_frames", "-show_entries",
                "stream=codec_type,codec_name,start_time,duration,nb_read_frames,width,height,sample_rate,channels",
                "-of", "compact=p=0"));
        args.addAll(List.of(inputOptions));
        args.add(file.toString());
        FfResult r = FfProbe.ffprobe(FfProbe.DECODE_TIMEOUT, args.toArray(String[]::new));
        assertTrue(r.succeeded(), "ffprobe " + file + ": " + r.describe());
        assertTrue(r.stderr().isBlank(), "ffprobe reports errors for " + file + ": " + r.stderr());
        List<Map<String, String>> streams = new ArrayList<>();
        for (String line : r.lines()) {
            Map<String, String> fields = new java.util.LinkedHashMap<>();
            for (String field : line.split("\\|")) {
                int eq = field.indexOf('=');
                if (eq > 0) {
                    fields.put(field.substring(0, eq), field.substring(eq + 1));
                }
            }
            streams.add(fields);
        }
        return new Info(streams, r.stdout());
    }

    /** ffmpeg decodes every stream of the file to nothing with no error message. */
    public static void assertDecodesCleanly(Path file, String... inputOptions) {
        List<String> args = new ArrayList<>(List.of("-v", "error"));
        args.addAll(List.of(inputOptions));
        args.addAll(List.of("-i", file.toString(), "-f", "null", "-"));
        FfResult r = FfProbe.ffmpeg(FfProbe.DECODE_TIMEOUT, args.toArray(String[]::new));
        assertTrue(r.succeeded() && r.stderr().isBlank(), "ffmpeg decodes " + file + " cleanly: " + r.describe());
    }

    /**
     * Decoded video frames of the file come out in presentation order, one frame duration (the median step) apart:
     * no gap, overlap or reordering, also across the segment boundaries of a concatenation.
     */
    public static void assertSteadyVideo(Path file, String... inputOptions) {
        List<String> args = new ArrayList<>(List.of("-v", "error"));
        args.addAll(List.of(inputOptions));
        args.addAll(List.of("-select_streams", "v:0", "-show_entries", "frame=pts_time", "-of", "csv=p=0",
                file.toString()));
        FfResult r = FfProbe.ffprobe(FfProbe.DECODE_TIMEOUT, args.toArray(String[]::new));
        assertTrue(r.succeeded(), r.describe());
        List<Double> times = r.lines().stream().map(l -> Double.parseDouble(l.split(",")[0])).toList();
        List<Double> steps = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            steps.add(times.get(i) - times.get(i - 1));
        }
        List<Double> sorted = steps.stream().sorted().toList();
        double median = sorted.get(sorted.size() / 2);
        for (int i = 0; i < steps.size(); i++) {
            assertEquals(median, steps.get(i), 0.003, "step to picture " + (i + 1) + " of " + file.getFileName()
                    + ": " + times);
        }
    }

    /**
     * Concatenates the files with ffmpeg's concat demuxer: it must decode without errors and give, per stream
     * type, the sum of the files' frame counts.
     *
     * @return what ffprobe reports for the concatenation
     */
    public static Info assertConcatenationPlays(List<Path> files, Path dir) throws IOException {
        return assertConcatenationPlays(files, null, dir);
    }

    /**
     * As {@link #assertConcatenationPlays(List, Path)}, with each file's duration given to the concat demuxer (the
     * segments' duration header); then the video must also step evenly across the boundaries, with no gap.
     */
    public static Info assertConcatenationPlays(List<Path> files, List<java.time.Duration> durations, Path dir)
            throws IOException {
        StringBuilder list = new StringBuilder();
        int video = 0;
        int audio = 0;
        boolean hasVideo = false;
        boolean hasAudio = false;
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            list.append("file '").append(f.toAbsolutePath()).append("'\n");
            if (durations != null) {
                list.append("duration ").append(durations.get(i).toNanos() / 1000).append("us\n");
            }
            Info info = probe(f);
            if (info.has("video")) {
                hasVideo = true;
                video += info.frames("video");
            }
            if (info.has("audio")) {
                hasAudio = true;
                audio += info.frames("audio");
            }
        }
        Path listFile = Files.writeString(dir.resolve("concat-" + System.nanoTime() + ".txt"), list);
        Info all = probe(listFile, "-f", "concat", "-safe", "0");
        if (hasVideo) {
            assertEquals(video, all.frames("video"), "video frames of the concatenation: " + all);
        }
        if (hasAudio) {
            assertEquals(audio, all.frames("audio"), "audio frames of the concatenation: " + all);
        }
        assertDecodesCleanly(listFile, "-f", "concat", "-safe", "0");
        if (hasVideo && durations != null) {
            assertSteadyVideo(listFile, "-f", "concat", "-safe", "0");
        }
        return all;
    }
}
