package io.github.camelrtsp.sdp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** Access to the camera corpus for the sdp tests. */
final class Corpus {

    private Corpus() {
    }

    /** The {@code responses} folder of the corpus (system property {@code camelrtsp.corpus.dir}, else ../..). */
    static Path responses() {
        String configured = System.getProperty("camelrtsp.corpus.dir");
        Path dir = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of("../../shared/camera-corpus");
        Path responses = dir.resolve("responses");
        assertTrue(Files.isDirectory(responses), "camera corpus not found at " + responses.toAbsolutePath());
        return responses;
    }

    static String read(String file) {
        try {
            return Files.readString(responses().resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names of the corpus files that hold an SDP: {@code *_sdp.txt} and {@code *_describe*.txt}, sorted. */
    static List<String> sdpFiles() {
        try (Stream<Path> files = Files.list(responses())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith("_sdp.txt") || (n.contains("_describe") && n.endsWith(".txt")))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SDP of a corpus file: the whole file for {@code *_sdp.txt}, else the body after the first empty line. */
    static String sdp(String file) {
        String text = read(file);
        if (file.endsWith("_sdp.txt")) {
            return text;
        }
        int[] split = headEnd(text);
        return text.substring(split[1]);
    }

    /** The headers of a whole RTSP response file, names in lower case, first value of each. */
    static Map<String, String> headers(String file) {
        String text = read(file);
        String head = text.substring(0, headEnd(text)[0]);
        Map<String, String> headers = new LinkedHashMap<>();
        String[] lines = head.split("\r?\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        return headers;
    }

    /** {end of head, start of body} at the first CRLFCRLF or LFLF. */
    private static int[] headEnd(String text) {
        int crlf = text.indexOf("\r\n\r\n");
        int lf = text.indexOf("\n\n");
        assertTrue(crlf >= 0 || lf >= 0, "no empty line between head and body");
        if (crlf >= 0 && (lf < 0 || crlf < lf)) {
            return new int[] {crlf, crlf + 4};
        }
        return new int[] {lf, lf + 2};
    }
}
