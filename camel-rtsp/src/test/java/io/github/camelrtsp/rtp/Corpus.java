package io.github.camelrtsp.rtp;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/** Locates the shared camera corpus for tests of this package. */
final class Corpus {

    private Corpus() {
    }

    /** The corpus directory: system property {@code camelrtsp.corpus.dir}, else ../../shared/camera-corpus. */
    static Path dir() {
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

    static Path file(String name) {
        return dir().resolve(name);
    }
}
