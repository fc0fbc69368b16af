package io.github.camelrtsp.format.annexb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the NAL units of an Annex B byte stream in place: the bytes between {@code 00 00 01} start codes (a
 * {@code 00 00 00 01} start code is the same with a leading zero byte), each without the zero bytes at its end, which
 * belong to the next start code or are trailing zero bytes. A NAL unit cannot hold {@code 00 00 00}, {@code 00 00 01}
 * or {@code 00 00 02} (emulation prevention), so the split is exact. Bytes in front of the first start code count as
 * a NAL unit when they are not all zero; empty pieces are left out.
 * <p>
 * An instance keeps the positions it found in arrays it grows as needed and reuses, so scanning allocates nothing once
 * the arrays are large enough. Not thread safe.
 */
public final class AnnexBNalUnits {

    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private int count;
    private boolean startCodeFirst;

    /**
     * Finds the NAL units of {@code data[from, to)}, replacing what an earlier scan found.
     *
     * @return the number of NAL units found
     * @throws IndexOutOfBoundsException if the range is not within {@code data}
     */
    public int scan(byte[] data, int from, int to) {
        if (from < 0 || to > data.length || from > to) {
            throw new IndexOutOfBoundsException("range " + from + ".." + to + " of " + data.length + " bytes");
        }
        count = 0;
        startCodeFirst = false;
        int pieceStart = from;
        boolean first = true;
        int i = from;
        while (i + 2 < to) {
            int third = data[i + 2];
            if (third == 1) {
                if (data[i] == 0 && data[i + 1] == 0) {
                    boolean added = addTrimmed(data, pieceStart, i);
                    if (first) {
                        startCodeFirst = !added;
                        first = false;
                    }
                    i += 3;
                    pieceStart = i;
                } else {
                    i += 3;
                }
            } else if (third == 0) {
                i++;
            } else {
                // no start code can begin at i, i + 1 or i + 2
                i += 3;
            }
        }
        addTrimmed(data, pieceStart, to);
        return count;
    }

    /** The number of NAL units the last scan found. */
    public int count() {
        return count;
    }

    /** Index of the first byte (the NAL unit header) of NAL unit {@code i} of the last scan. */
    public int start(int i) {
        checkIndex(i);
        return starts[i];
    }

    /** Index just past the last byte of NAL unit {@code i} of the last scan. */
    public int end(int i) {
        checkIndex(i);
        return ends[i];
    }

    /** Length in bytes of NAL unit {@code i} of the last scan. */
    public int length(int i) {
        checkIndex(i);
        return ends[i] - starts[i];
    }

    /**
     * Whether the last scan found a start code before any non-zero byte, as an Annex B access unit begins; false
     * when the scanned bytes began with something else or held no start code at all.
     */
    public boolean beginsWithStartCode() {
        return startCodeFirst;
    }

    /** The NAL units of {@code data} as new arrays, split as described for this class. */
    public static List<byte[]> split(byte[] data) {
        AnnexBNalUnits units = new AnnexBNalUnits();
        int n = units.scan(data, 0, data.length);
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Arrays.copyOfRange(data, units.starts[i], units.ends[i]));
        }
        return out;
    }

    /**
     * The NAL units of an SDP parameter-set list ({@code sprop-parameter-sets}, {@code sprop-sps}, ...): comma-
     * separated base64 values, with white space, missing padding and start codes inside a value tolerated. An item
     * that is not base64 is passed to {@code notBase64} with the decoder's message and skipped.
     */
    public static List<byte[]> fromBase64List(String value, java.util.function.BiConsumer<String, String> notBase64) {
        List<byte[]> out = new ArrayList<>();
        for (String item : value.split(",")) {
            String base64 = item.replaceAll("\\s", "");
            if (base64.isEmpty()) {
                continue;
            }
            byte[] decoded;
            try {
                decoded = java.util.Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                notBase64.accept(base64, e.getMessage());
                continue;
            }
            out.addAll(split(decoded));
        }
        return out;
    }

    private boolean addTrimmed(byte[] data, int from, int to) {
        while (to > from && data[to - 1] == 0) {
            to--;
        }
        if (to == from) {
            return false;
        }
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
        }
        starts[count] = from;
        ends[count] = to;
        count++;
        return true;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("NAL unit " + i + " of " + count);
        }
    }
}
