package io.github.camelrtsp.format.audiotest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.FfProbe.FfResult;

/**
 * Runs a GStreamer pipeline with {@code gst-launch-1.0} to produce real RTP from GStreamer's payloaders (ending in
 * {@code rtpstreampay ! filesink}, RFC 4571 framing) or a reference stream, and reads RFC 4571 files. Test helper.
 */
public final class GstRtpCapture {

    /** Longest a pipeline may run. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private GstRtpCapture() {
    }

    /** The directory tests write generated media to: {@code target/format-audio}. */
    public static Path workDir() {
        Path dir = Path.of("target", "format-audio");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /**
     * Runs {@code gst-launch-1.0 -q <pipeline> ! filesink location=<out>}; the pipeline's elements and properties are
     * separated by spaces (no quoting).
     *
     * @throws IllegalStateException if gst-launch fails, times out or writes nothing
     */
    public static Path run(String pipeline, Path out) {
        List<String> command = new ArrayList<>(List.of("gst-launch-1.0", "-q"));
        command.addAll(Arrays.asList(pipeline.trim().split("\\s+")));
        command.addAll(List.of("!", "filesink", "location=" + out.toAbsolutePath()));
        FfResult result = FfProbe.run(TIMEOUT, command.toArray(String[]::new));
        try {
            if (!result.succeeded() || !Files.isRegularFile(out) || Files.size(out) == 0) {
                throw new IllegalStateException("gst-launch-1.0 " + pipeline + " failed: " + result.describe());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Runs {@code <pipeline> ! rtpstreampay} into {@code out} and returns the RTP packets it holds. */
    public static List<byte[]> capture(String pipeline, Path out) {
        return readRfc4571(run(pipeline + " ! rtpstreampay", out));
    }

    /** The packets of an RFC 4571 file (2-byte big-endian length, then the packet). */
    public static List<byte[]> readRfc4571(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<byte[]> packets = new ArrayList<>();
        int pos = 0;
        while (pos < all.length) {
            if (pos + 2 > all.length) {
                throw new IllegalStateException(file + ": truncated length at byte " + pos);
            }
            int len = ((all[pos] & 0xFF) << 8) | (all[pos + 1] & 0xFF);
            pos += 2;
            if (pos + len > all.length) {
                throw new IllegalStateException(file + ": packet of " + len + " bytes truncated at byte " + pos);
            }
            packets.add(Arrays.copyOfRange(all, pos, pos + len));
            pos += len;
        }
        return packets;
    }
}
