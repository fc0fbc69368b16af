package io.github.camelrtsp.message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Locates the shared camera corpus for tests: system property {@code camelrtsp.corpus.dir}, else a path. */
public final class Corpus {

    private Corpus() {
    }

    /** Returns the corpus directory; fails the test when it cannot be found. */
    public static Path dir() {
        String configured = System.getProperty("camelrtsp.corpus.dir");
        Path dir = configured != null ? Path.of(configured) : Path.of("../../shared/camera-corpus");
        if (!Files.isDirectory(dir.resolve("responses"))) {
            throw new IllegalStateException("camera corpus not found at " + dir.toAbsolutePath()
                    + " (set -Dcamelrtsp.corpus.dir)");
        }
        return dir;
    }

    /** Returns the bytes of {@code responses/<name>}. */
    public static byte[] response(String name) {
        return bytes(dir().resolve("responses").resolve(name));
    }

    /** Returns the bytes of a file relative to the corpus directory. */
    public static byte[] file(String relative) {
        return bytes(dir().resolve(relative));
    }

    /** Returns the names of all files in {@code responses/}, sorted. */
    public static List<String> responseNames() {
        try (Stream<Path> files = Files.list(dir().resolve("responses"))) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
