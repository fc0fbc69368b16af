package io.github.camelrtsp.format.aac;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.FfProbe.FfResult;

/**
 * Produces real RTP with a GStreamer payloader: runs {@code gst-launch-1.0 -v <source and payloader> ! rtpstreampay !
 * filesink}, reads the RFC 4571 framed packets back and takes the fmtp values from the caps the payloader printed.
 */
final class GstRtpCapture {

    /** Time a pipeline may take before it is killed. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern CAPS_LINE =
            Pattern.compile("rtpstreampay0\\.GstPad:sink: caps = application/x-rtp, (.*)");
    private static final Pattern FIELD =
            Pattern.compile("([A-Za-z0-9_-]+)=\\(([a-z0-9]+)\\)(\"(?:[^\"\\\\]|\\\\.)*\"|[^,]*)");
    private static final Set<String> NOT_FMTP = Set.of("media", "clock-rate", "encoding-name", "encoding-params",
                                                       "payload", "ssrc", "timestamp-offset", "seqnum-offset");

    /** What a pipeline produced: the RTP packets and the payloader's caps (fmtp values among them). */
    record Capture(List<byte[]> packets, Map<String, String> caps) {

        /** Depacketizer parameters from the caps. */
        FormatParameters params(int maxFrameSize) {
            Map<String, String> fmtp = new LinkedHashMap<>();
            caps.forEach((k, v) -> {
                if (!NOT_FMTP.contains(k)) {
                    fmtp.put(k, v);
                }
            });
            String channels = caps.get("encoding-params");
            Integer count = channels == null || channels.equals("0") ? null : Integer.valueOf(channels);
            return new FormatParameters(caps.get("encoding-name").toUpperCase(), Integer.parseInt(caps.get("payload")),
                                        Integer.parseInt(caps.get("clock-rate")), count, fmtp, maxFrameSize);
        }

        /** Number of packets with the marker bit set. */
        long markers() {
            return packets.stream().filter(p -> (p[1] & 0x80) != 0).count();
        }
    }

    private GstRtpCapture() {
    }

    /**
     * Runs {@code gst-launch-1.0 -v <pipeline> ! rtpstreampay ! filesink location=<file>}.
     *
     * @param pipeline source, encoder and payloader, elements separated by {@code !}, no spaces inside caps
     * @throws IllegalStateException if the pipeline fails, times out, or prints no RTP caps
     */
    static Capture run(Path file, String pipeline) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        List<String> command = new ArrayList<>(List.of("gst-launch-1.0", "-v"));
        command.addAll(Arrays.asList(pipeline.trim().split("\\s+")));
        command.addAll(List.of("!", "rtpstreampay", "!", "filesink", "location=" + file));
        FfResult result = FfProbe.run(TIMEOUT, command.toArray(String[]::new));
        if (!result.succeeded()) {
            throw new IllegalStateException("gst-launch-1.0 failed: " + String.join(" ", command) + "\n"
                                            + result.describe());
        }
        Map<String, String> caps = null;
        for (String line : result.stdout().lines().toList()) {
            Matcher m = CAPS_LINE.matcher(line);
            if (m.find()) {
                caps = new LinkedHashMap<>();
                Matcher f = FIELD.matcher(m.group(1));
                while (f.find()) {
                    String value = f.group(3).trim();
                    if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
                        value = value.substring(1, value.length() - 1);
                    }
                    caps.put(f.group(1), value);
                }
            }
        }
        if (caps == null) {
            throw new IllegalStateException("no RTP caps printed by " + String.join(" ", command) + "\n"
                                            + result.describe());
        }
        return new Capture(readRfc4571(Files.readAllBytes(file)), caps);
    }

    /** Splits RFC 4571 framing: a 2-byte big-endian length before each packet. */
    static List<byte[]> readRfc4571(byte[] bytes) {
        List<byte[]> packets = new ArrayList<>();
        int pos = 0;
        while (pos + 2 <= bytes.length) {
            int length = ((bytes[pos] & 0xFF) << 8) | (bytes[pos + 1] & 0xFF);
            if (pos + 2 + length > bytes.length) {
                throw new IllegalStateException("RFC 4571 frame at " + pos + " runs past the end");
            }
            packets.add(Arrays.copyOfRange(bytes, pos + 2, pos + 2 + length));
            pos += 2 + length;
        }
        if (pos != bytes.length) {
            throw new IllegalStateException("trailing " + (bytes.length - pos) + " bytes");
        }
        return packets;
    }
}
