package io.github.camelrtsp.format.annexb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.FfProbe.FfResult;

/**
 * Produces real RTP with a GStreamer payloader: runs {@code gst-launch-1.0 -v <source> ! <payloader> ! rtpstreampay !
 * filesink}, reads the RFC 4571 framed packets back, and takes the fmtp values (sprop-...) from the caps the
 * payloader printed. Test helper; GStreamer 1.22 with x264enc/x265enc is installed on the build machines.
 */
public final class GstRtpCapture {

    /** Time allowed for one pipeline. */
    public static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static final Pattern FIELD = Pattern.compile("([\\w-]+)=\\((\\w+)\\)(\"(?:[^\"\\\\]|\\\\.)*\"|[^,]*)");

    /**
     * @param packets the RTP packets in sending order
     * @param caps    the payloader's last source caps, field name to value (quotes and escapes removed)
     */
    public record Capture(List<byte[]> packets, Map<String, String> caps) {
    }

    private GstRtpCapture() {
    }

    /**
     * Runs the pipeline and returns what it sent.
     *
     * @param file       where {@code filesink} writes (directories are created)
     * @param payloader  the payloader element name, e.g. {@code rtph264pay}
     * @param elements   the pipeline as gst-launch arguments, from the source up to and including the payloader
     *                   with its properties; {@code ! rtpstreampay ! filesink} is appended
     * @throws IllegalStateException if gst-launch fails, times out or produces no packet
     */
    public static Capture run(Path file, String payloader, String... elements) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of("gst-launch-1.0", "-v"));
        command.addAll(Arrays.asList(elements));
        command.addAll(List.of("!", "rtpstreampay", "!", "filesink", "location=" + file.toAbsolutePath()));
        FfResult result = FfProbe.run(TIMEOUT, command.toArray(String[]::new));
        if (!result.succeeded()) {
            throw new IllegalStateException("gst-launch failed: " + String.join(" ", command) + "\n"
                                            + result.describe());
        }
        List<byte[]> packets = readRfc4571(file);
        if (packets.isEmpty()) {
            throw new IllegalStateException("gst-launch wrote no packet: " + result.describe());
        }
        return new Capture(packets, caps(result.stdout(), payloader));
    }

    /** Reads RFC 4571 framing: a 2-byte big-endian length, then that many bytes of RTP packet, repeated. */
    public static List<byte[]> readRfc4571(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<byte[]> packets = new ArrayList<>();
        int pos = 0;
        while (pos + 2 <= bytes.length) {
            int length = (bytes[pos] & 0xFF) << 8 | bytes[pos + 1] & 0xFF;
            if (pos + 2 + length > bytes.length) {
                throw new IllegalStateException(file + ": packet at " + pos + " runs past the end");
            }
            packets.add(Arrays.copyOfRange(bytes, pos + 2, pos + 2 + length));
            pos += 2 + length;
        }
        if (pos != bytes.length) {
            throw new IllegalStateException(file + ": " + (bytes.length - pos) + " stray bytes at the end");
        }
        return packets;
    }

    private static Map<String, String> caps(String stdout, String payloader) {
        String marker = payloader + "0.GstPad:src: caps = ";
        String last = null;
        for (String line : stdout.split("\n")) {
            int at = line.indexOf(marker);
            if (at >= 0) {
                last = line.substring(at + marker.length());
            }
        }
        Map<String, String> caps = new LinkedHashMap<>();
        if (last == null) {
            return caps;
        }
        Matcher m = FIELD.matcher(last);
        while (m.find()) {
            String value = m.group(3).trim();
            if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
                value = value.substring(1, value.length() - 1);
            }
            caps.put(m.group(1), value.replaceAll("\\\\(.)", "$1"));
        }
        return caps;
    }
}
