package io.github.camelrtsp.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.testsupport.FfProbe.FfResult;

/**
 * Produces real RTP with GStreamer's payloaders: runs {@code gst-launch-1.0 -v <source, encoder, payloader> !
 * rtpstreampay ! filesink}, reads the RFC 4571 framed packets back and keeps the printed caps, from which the fmtp
 * values come. Also runs plain pipelines into a file (reference streams). Test helper.
 */
public final class GstRtpCapture {

    /** Longest a pipeline may run. */
    public static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static final Pattern CAPS_LINE =
            Pattern.compile("rtpstreampay0\\.GstPad:sink: caps = application/x-rtp, (.*)");
    private static final Pattern FIELD =
            Pattern.compile("([A-Za-z0-9_-]+)=\\(([a-z0-9]+)\\)(\"(?:[^\"\\\\]|\\\\.)*\"|[^,]*)");
    private static final Set<String> NOT_FMTP = Set.of("media", "clock-rate", "encoding-name", "encoding-params",
                                                       "payload", "ssrc", "timestamp-offset", "seqnum-offset");

    private GstRtpCapture() {
    }

    /**
     * What a pipeline sent: the RTP packets in sending order and the {@code -v} output of gst-launch (caps of every
     * pad).
     */
    public record Capture(List<byte[]> packets, String verbose) {

        /**
         * The RTP caps the payloader negotiated (the last ones printed for {@code rtpstreampay}'s sink), field name
         * to value, quotes and escapes removed.
         *
         * @throws IllegalStateException if the pipeline printed no RTP caps
         */
        public Map<String, String> caps() {
            String last = null;
            for (String line : verbose.lines().toList()) {
                Matcher m = CAPS_LINE.matcher(line);
                if (m.find()) {
                    last = m.group(1);
                }
            }
            if (last == null) {
                throw new IllegalStateException("no RTP caps printed:\n" + verbose);
            }
            Map<String, String> caps = new LinkedHashMap<>();
            Matcher f = FIELD.matcher(last);
            while (f.find()) {
                String value = f.group(3).trim();
                if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
                    value = value.substring(1, value.length() - 1);
                }
                caps.put(f.group(1), value.replaceAll("\\\\(.)", "$1"));
            }
            return caps;
        }

        /** One field of {@link #caps()}, e.g. {@code x-dimensions}, or null when absent. */
        public String capsField(String name) {
            return caps().get(name);
        }

        /** Depacketizer parameters from the caps: codec upper-case, the fields that are not RTP ones as fmtp. */
        public FormatParameters params(int maxFrameSize) {
            Map<String, String> caps = caps();
            Map<String, String> fmtp = new LinkedHashMap<>();
            caps.forEach((k, v) -> {
                if (!NOT_FMTP.contains(k)) {
                    fmtp.put(k, v);
                }
            });
            String channels = caps.get("encoding-params");
            Integer count = channels == null || channels.equals("0") ? null : Integer.valueOf(channels);
            return new FormatParameters(caps.get("encoding-name").toUpperCase(Locale.ROOT),
                                        Integer.parseInt(caps.get("payload")), Integer.parseInt(caps.get("clock-rate")),
                                        count, fmtp, maxFrameSize);
        }

        /** Number of packets with the marker bit set. */
        public long markers() {
            return packets.stream().filter(p -> (p[1] & 0x80) != 0).count();
        }
    }

    /** The directory {@code target/<name>} of the module, created if missing. */
    public static Path workDir(String name) {
        Path dir = Path.of("target", name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /**
     * Runs {@code gst-launch-1.0 -v <pipeline> ! rtpstreampay ! filesink location=<file>}.
     *
     * @param file     where the packets go (parent directories are created, an old file is deleted)
     * @param pipeline source, encoder and payloader in gst-launch syntax, separated by whitespace (no quoting)
     * @throws IllegalStateException if gst-launch fails, times out or sends no packet
     */
    public static Capture run(Path file, String pipeline) {
        return run(file, Arrays.asList(pipeline.trim().split("\\s+")));
    }

    /**
     * As {@link #run(Path, String)} with the pipeline given as gst-launch arguments, from the source up to and
     * including the payloader with its properties.
     */
    public static Capture run(Path file, List<String> elements) {
        Path target = file.toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of("gst-launch-1.0", "-v"));
        command.addAll(elements);
        command.addAll(List.of("!", "rtpstreampay", "!", "filesink", "location=" + target));
        FfResult result = FfProbe.run(TIMEOUT, command.toArray(String[]::new));
        if (!result.succeeded()) {
            throw new IllegalStateException("gst-launch failed: " + String.join(" ", command) + "\n"
                                            + result.describe());
        }
        List<byte[]> packets = readRfc4571(target);
        if (packets.isEmpty()) {
            throw new IllegalStateException("gst-launch sent no packet: " + String.join(" ", command) + "\n"
                                            + result.describe());
        }
        return new Capture(packets, result.stdout());
    }

    /**
     * Runs {@code gst-launch-1.0 -q <pipeline> ! filesink location=<out>} (whitespace-separated, no quoting), e.g.
     * for a reference stream.
     *
     * @return {@code out}
     * @throws IllegalStateException if gst-launch fails, times out or writes nothing
     */
    public static Path runToFile(String pipeline, Path out) {
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

    /** The packets of an RFC 4571 file: each a 2-byte big-endian length, then that many bytes of RTP packet. */
    public static List<byte[]> readRfc4571(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<byte[]> packets = new ArrayList<>();
        int pos = 0;
        while (pos < bytes.length) {
            if (pos + 2 > bytes.length) {
                throw new IllegalStateException(file + ": truncated RFC 4571 length at byte " + pos);
            }
            int length = (bytes[pos] & 0xFF) << 8 | bytes[pos + 1] & 0xFF;
            if (pos + 2 + length > bytes.length) {
                throw new IllegalStateException(file + ": packet of " + length + " bytes at byte " + pos
                                                + " runs past the end");
            }
            packets.add(Arrays.copyOfRange(bytes, pos + 2, pos + 2 + length));
            pos += 2 + length;
        }
        return packets;
    }
}
