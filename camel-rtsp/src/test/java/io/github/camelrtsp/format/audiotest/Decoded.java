package io.github.camelrtsp.format.audiotest;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.FfProbe.FfResult;

/** Decodes audio files with ffmpeg and counts the samples per channel it produced. Test helper. */
public final class Decoded {

    /** Samples per channel decoded, and what ffmpeg wrote to stderr at level error (empty when clean). */
    public record Result(long samples, String errors, int channels) {
    }

    private Decoded() {
    }

    /** Writes the frame bodies one after the other into {@code out}. */
    public static Path concatenate(List<MediaFrame> frames, Path out) {
        try (OutputStream os = Files.newOutputStream(out)) {
            for (MediaFrame f : frames) {
                os.write(f.data());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Decodes {@code file} to 16-bit PCM at the decoder's own sample rate with ffmpeg, and counts the samples.
     *
     * @param inputOptions options before {@code -i} (e.g. {@code -f mulaw -ar 8000}); may be empty
     * @param channels     channels of the decoded audio
     */
    public static Result decode(Path file, int channels, String... inputOptions) {
        Path pcm = file.resolveSibling(file.getFileName() + ".s16le");
        List<String> args = new ArrayList<>(List.of("-v", "error", "-y"));
        args.addAll(Arrays.asList(inputOptions));
        args.addAll(List.of("-i", file.toString(), "-f", "s16le", "-acodec", "pcm_s16le", pcm.toString()));
        FfResult result = FfProbe.ffmpeg(FfProbe.DECODE_TIMEOUT, args.toArray(String[]::new));
        if (!result.succeeded()) {
            throw new IllegalStateException("ffmpeg could not decode " + file + ": " + result.describe());
        }
        try {
            long bytes = Files.size(pcm);
            return new Result(bytes / 2 / channels, result.stderr(), channels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sum of the frames' sample counts. */
    public static long sampleSum(List<MediaFrame> frames) {
        long sum = 0;
        for (MediaFrame f : frames) {
            sum += f.sampleCount();
        }
        return sum;
    }
}
