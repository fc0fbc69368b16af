package io.github.camelrtsp.format.annexb;

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

import static org.junit.jupiter.api.Assertions.fail;

/** The camera corpus as the format tests use it: SDPs turned into {@link FormatParameters}. Test helper. */
public final class FormatCorpus {

    private FormatCorpus() {
    }

    /** The corpus directory: system property {@code camelrtsp.corpus.dir}, else ../../shared/camera-corpus. */
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

    /** The SDP of a file under {@code responses/}: the whole file for {@code *_sdp.txt}, else the body. */
    public static String sdp(String file) {
        String text;
        try {
            text = Files.readString(dir().resolve("responses").resolve(file), StandardCharsets.UTF_8);
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
     * The parameters of the first track of {@code file} whose rtpmap codec is {@code codec}, as the client would
     * build them, with the given maximum frame size.
     */
    public static FormatParameters track(String file, String codec, int maxFrameSize) {
        SessionDescription sdp = SessionDescription.parse(sdp(file));
        for (MediaDescription md : sdp.media()) {
            RtpMap map = md.rtpMap();
            if (map != null && codec.equalsIgnoreCase(map.encodingName())) {
                return new FormatParameters(codec, md.payloadType(), map.clockRate(), map.channels(),
                        md.formatParameters(), maxFrameSize);
            }
        }
        throw new AssertionError(file + " has no " + codec + " track");
    }

    /** Names of the corpus files under {@code responses/} that hold an SDP with a track of {@code codec}. */
    public static List<String> filesWith(String codec) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir().resolve("responses"))) {
            for (Path p : files.sorted().toList()) {
                String name = p.getFileName().toString();
                if (!name.endsWith("_sdp.txt") && !name.contains("_describe")) {
                    continue;
                }
                SessionDescription sdp = SessionDescription.parse(sdp(name));
                for (MediaDescription md : sdp.media()) {
                    RtpMap map = md.rtpMap();
                    if (map != null && codec.equalsIgnoreCase(map.encodingName())) {
                        out.add(name);
                        break;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
