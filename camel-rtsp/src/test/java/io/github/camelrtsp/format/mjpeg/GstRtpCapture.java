package io.github.camelrtsp.format.mjpeg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.FfProbe.FfResult;

/**
 * Produces real RTP packets with GStreamer's payloaders: runs {@code gst-launch-1.0 -v <pipeline> ! rtpstreampay !
 * filesink} with a timeout and reads back the RFC 4571 framed packets, together with the caps the pipeline printed.
 */
final class GstRtpCapture {

    /** Longest a pipeline may run. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private GstRtpCapture() {
    }

    /** The packets written and the {@code -v} output (caps of every pad). */
    record Capture(List<byte[]> packets, String verbose) {

        /**
         * A field of the payloader's source caps, e.g. {@code x-dimensions} (escaped commas unescaped, quotes
         * removed), or null when absent.
         */
        String capsField(String name) {
            String srcCaps = "GstRtp[A-Za-z0-9]*Pay:[^ ]*\\.GstPad:src: caps = [^\\n]*?";
            String typedValue = "=\\([a-z]+\\)(\"(?:[^\"\\\\]|\\\\.)*\"|[^,\\n]*)";
            Matcher m = Pattern.compile(srcCaps + Pattern.quote(name) + typedValue).matcher(verbose);
            if (!m.find()) {
                return null;
            }
            String value = m.group(1);
            if (value.startsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            return value.replace("\\,", ",").replace("\\ ", " ");
        }
    }

    /** A fresh (emptied) working folder {@code target/mjpeg-gst/<name>} under the module. */
    static Path workDir(String name) {
        Path dir = Path.of("target", "mjpeg-gst", name).toAbsolutePath();
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /**
     * Runs {@code pipeline} (whitespace-separated gst-launch syntax whose last element is an RTP payloader) followed
     * by {@code rtpstreampay ! filesink location=<rtpFile>}.
     *
     * @throws IllegalStateException if gst-launch fails or times out; the message holds its output
     */
    static Capture run(Path rtpFile, String pipeline) {
        List<String> command = new ArrayList<>(List.of("gst-launch-1.0", "-v"));
        command.addAll(Arrays.asList(pipeline.trim().split("\\s+")));
        command.addAll(List.of("!", "rtpstreampay", "!", "filesink", "location=" + rtpFile));
        FfResult result = FfProbe.run(TIMEOUT, command.toArray(String[]::new));
        if (!result.succeeded()) {
            throw new IllegalStateException("gst-launch failed: " + String.join(" ", command) + "\n"
                                            + result.describe());
        }
        return new Capture(readRfc4571(rtpFile), result.stdout());
    }

    /** Reads a file of RFC 4571 frames: a 16-bit big-endian length, then that many bytes of RTP packet. */
    static List<byte[]> readRfc4571(Path file) {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<byte[]> packets = new ArrayList<>();
        int p = 0;
        while (p < data.length) {
            if (p + 2 > data.length) {
                throw new IllegalStateException("truncated RFC 4571 length at " + p + " in " + file);
            }
            int length = (data[p] & 0xFF) << 8 | data[p + 1] & 0xFF;
            if (p + 2 + length > data.length) {
                throw new IllegalStateException("truncated RFC 4571 frame at " + p + " in " + file);
            }
            packets.add(Arrays.copyOfRange(data, p + 2, p + 2 + length));
            p += 2 + length;
        }
        return packets;
    }
}
