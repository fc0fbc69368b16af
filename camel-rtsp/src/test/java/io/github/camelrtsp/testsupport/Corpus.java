package io.github.camelrtsp.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.sdp.MediaDescription;
import io.github.camelrtsp.sdp.RtpMap;
import io.github.camelrtsp.sdp.SessionDescription;

/**
 * The shared camera corpus for tests: where it is, the SDP of its response files, and the {@link FormatParameters}
 * a consumer would build from them. Test helper.
 */
public final class Corpus {

    private Corpus() {
    }

    /**
     * The corpus directory: system property {@code camelrtsp.corpus.dir}, else {@code ../../shared/camera-corpus}
     * relative to the module; fails the test when neither is a directory.
     */
    public static Path dir() {
        String property = System.getProperty("camelrtsp.corpus.dir");
        if (property != null && Files.isDirectory(Path.of(property))) {
            return Path.of(property);
        }
        Path fallback = Path.of("../../shared/camera-corpus");
        if (!Files.isDirectory(fallback)) {
            fail("camera corpus not found: camelrtsp.corpus.dir=" + property + ", fallback "
                 + fallback.toAbsolutePath().normalize());
        }
        return fallback;
    }

    /** A file relative to the corpus directory, e.g. {@code bunny-interleaved.rtsp}. */
    public static Path file(String relative) {
        return dir().resolve(relative);
    }

    /** The {@code responses} folder of the corpus. */
    public static Path responses() {
        return dir().resolve("responses");
    }

    /** Names of the files under {@code responses/} that hold an SDP: {@code *_sdp.txt}, {@code *_describe*.txt}. */
    public static List<String> sdpFiles() {
        try (Stream<Path> files = Files.list(responses())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith("_sdp.txt") || (n.contains("_describe") && n.endsWith(".txt")))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The SDP of a file under {@code responses/}: the whole file for {@code *_sdp.txt}, else the body after the first
     * empty line (CRLF or LF).
     */
    public static String sdp(String file) {
        String text;
        try {
            text = Files.readString(responses().resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (file.endsWith("_sdp.txt")) {
            return text;
        }
        int crlf = text.indexOf("\r\n\r\n");
        int lf = text.indexOf("\n\n");
        if (crlf >= 0 && (lf < 0 || crlf < lf)) {
            return text.substring(crlf + 4);
        }
        if (lf < 0) {
            fail(file + " has no empty line between head and body");
        }
        return text.substring(lf + 2);
    }

    /**
     * The parameters of the first track of {@code file} with a payload type whose rtpmap codec is {@code codec} (case
     * ignored), as the client builds them: codec upper-case, with the given maximum frame size.
     *
     * @throws AssertionError if the file has no such track
     */
    public static FormatParameters track(String file, String codec, int maxFrameSize) {
        for (MediaDescription md : SessionDescription.parse(sdp(file)).media()) {
            for (String format : md.formats()) {
                int pt;
                try {
                    pt = Integer.parseInt(format);
                } catch (NumberFormatException e) {
                    continue;
                }
                RtpMap map = md.rtpMap(pt);
                if (map != null && map.codec().equalsIgnoreCase(codec)) {
                    return new FormatParameters(map.codec(), pt, map.clockRate(), map.channels(),
                                                md.formatParameters(pt), maxFrameSize);
                }
            }
        }
        throw new AssertionError(file + " has no " + codec + " track");
    }

    /** Names of the {@link #sdpFiles()} with a track whose rtpmap codec is {@code codec} (case ignored). */
    public static List<String> filesWith(String codec) {
        List<String> out = new ArrayList<>();
        for (String name : sdpFiles()) {
            for (MediaDescription md : SessionDescription.parse(sdp(name)).media()) {
                RtpMap map = md.rtpMap();
                if (map != null && codec.equalsIgnoreCase(map.encodingName())) {
                    out.add(name);
                    break;
                }
            }
        }
        return out;
    }
}
