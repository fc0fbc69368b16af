package io.github.camelrtsp.mp4;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A minimal ISO BMFF reader for tests: the box tree of a file, with sizes checked against their parents. */
final class Boxes {

    private static final Set<String> CONTAINERS = Set.of("moov", "trak", "mdia", "minf", "dinf", "stbl", "mvex",
            "moof", "traf");
    /** Bytes of fixed fields before the child boxes, for boxes that have both. */
    private static final Map<String, Integer> SKIP = Map.of("stsd", 8, "dref", 8, "avc1", 78, "hvc1", 78, "mp4a", 28,
            "Opus", 28, "ulaw", 28, "alaw", 28);

    /** One box: type, where it starts, its size, and its children when it is a container. */
    record Box(String type, int offset, int size, List<Box> children, byte[] file) {

        /** The payload after the 8-byte header. */
        ByteBuffer payload() {
            return ByteBuffer.wrap(file, offset + 8, size - 8).slice();
        }

        /** The first descendant on a path of types, e.g. {@code "trak/mdia/mdhd"}; fails when absent. */
        Box find(String path) {
            Box b = this;
            for (String type : path.split("/")) {
                b = b.children.stream().filter(c -> c.type.equals(type)).findFirst()
                        .orElseThrow(() -> new AssertionError("no box " + path + " in " + this.type));
            }
            return b;
        }

        /** All children of a type. */
        List<Box> all(String type) {
            return children.stream().filter(c -> c.type.equals(type)).toList();
        }
    }

    private Boxes() {
    }

    /** The top-level boxes of a file; fails when the sizes do not add up exactly. */
    static Box parse(byte[] file) {
        return new Box("file", -8, file.length + 8, children(file, 0, file.length), file);
    }

    private static List<Box> children(byte[] file, int from, int to) {
        List<Box> out = new ArrayList<>();
        int p = from;
        while (p < to) {
            assertTrue(p + 8 <= to, "box header at " + p + " runs past " + to);
            int size = ByteBuffer.wrap(file, p, 4).getInt();
            String type = new String(file, p + 4, 4, StandardCharsets.ISO_8859_1);
            assertTrue(size >= 8 && p + size <= to, "box " + type + " at " + p + " of size " + size
                    + " does not fit its parent ending at " + to);
            List<Box> kids = List.of();
            if (CONTAINERS.contains(type)) {
                kids = children(file, p + 8, p + size);
            } else if (SKIP.containsKey(type)) {
                kids = children(file, p + 8 + SKIP.get(type), p + size);
            }
            out.add(new Box(type, p, size, kids, file));
            p += size;
        }
        assertEquals(to, p, "boxes end where their parent ends");
        return out;
    }
}
