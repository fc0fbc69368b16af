package io.github.camelrtsp.message;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Headers of an RTSP message: an ordered multimap whose names compare case-insensitively. Names keep the spelling
 * they were added with; values are stored trimmed. Not thread-safe.
 */
public final class RtspHeaders {

    private final List<String> names = new ArrayList<>(12);
    private final List<String> values = new ArrayList<>(12);

    /** Creates an empty header set. */
    public RtspHeaders() {
    }

    /** Returns the first value of {@code name}, or {@code null} when the header is absent. */
    public String get(String name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : values.get(i);
    }

    /** Returns all values of {@code name} in insertion order (an empty, unmodifiable list when absent). */
    public List<String> getAll(String name) {
        List<String> result = null;
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            if (result == null) {
                result = new ArrayList<>(2);
            }
            result.add(values.get(i));
        }
        return result == null ? List.of() : Collections.unmodifiableList(result);
    }

    /**
     * Returns the first value of {@code name} parsed as a decimal integer, or {@code null} when the header is absent
     * or its value is not an integer.
     */
    public Integer getInt(String name) {
        String v = get(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Appends a header, keeping any existing ones of the same name.
     *
     * @throws IllegalArgumentException if the name is empty or contains ':' or a line break, or the value contains a
     *                                  line break (which would let a value inject further headers)
     */
    public RtspHeaders add(String name, String value) {
        String v = checkValue(checkName(name), value);
        names.add(name);
        values.add(v);
        return this;
    }

    /**
     * Sets the single value of {@code name}: the first existing header of that name keeps its position and gets the
     * value, further ones are removed; when absent the header is appended.
     *
     * @throws IllegalArgumentException as for {@link #add(String, String)}
     */
    public RtspHeaders set(String name, String value) {
        checkName(name);
        String v = checkValue(name, value);
        int first = indexOf(name, 0);
        if (first < 0) {
            names.add(name);
            values.add(v);
            return this;
        }
        values.set(first, v);
        for (int i = names.size() - 1; i > first; i--) {
            if (names.get(i).equalsIgnoreCase(name)) {
                names.remove(i);
                values.remove(i);
            }
        }
        return this;
    }

    /** Removes every header named {@code name}; returns whether any was present. */
    public boolean remove(String name) {
        boolean removed = false;
        for (int i = names.size() - 1; i >= 0; i--) {
            if (names.get(i).equalsIgnoreCase(name)) {
                names.remove(i);
                values.remove(i);
                removed = true;
            }
        }
        return removed;
    }

    /** Returns whether at least one header named {@code name} is present. */
    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    /** Returns the number of header lines (a name given twice counts twice). */
    public int size() {
        return names.size();
    }

    /** Returns whether there are no headers. */
    public boolean isEmpty() {
        return names.isEmpty();
    }

    /** Calls {@code action} for every header in insertion order, with the name as it was written. */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < names.size(); i++) {
            action.accept(names.get(i), values.get(i));
        }
    }

    /** Adds a header read from the wire; the decoder has already checked the name and trimmed the value. */
    void addDecoded(String name, String value) {
        names.add(name);
        values.add(value);
    }

    /** Appends a folded continuation line to the last header's value, separated by one space. */
    void appendToLast(String continuation) {
        int last = values.size() - 1;
        String current = values.get(last);
        values.set(last, current.isEmpty() ? continuation : current + ' ' + continuation);
    }

    private int indexOf(String name, int from) {
        Objects.requireNonNull(name, "name");
        for (int i = from; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("RTSP header name is empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == ':' || c == '\r' || c == '\n' || c == ' ' || c == '\t' || c == 0) {
                throw new IllegalArgumentException("RTSP header name '" + name.strip()
                        + "' contains a character not allowed in a name (':', white space or a line break)");
            }
        }
        return name;
    }

    private static String checkValue(String name, String value) {
        Objects.requireNonNull(value, () -> "value of RTSP header " + name);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("value of RTSP header " + name + " contains a line break or NUL");
            }
        }
        return value.trim();
    }

    /** Lists the headers; credentials in {@code Authorization}/{@code Proxy-Authorization} are masked. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            String n = names.get(i);
            sb.append(n).append(": ");
            if (n.equalsIgnoreCase("Authorization") || n.equalsIgnoreCase("Proxy-Authorization")) {
                String v = values.get(i);
                int sp = v.indexOf(' ');
                sb.append(sp > 0 ? v.substring(0, sp) : "").append(" ******");
            } else {
                sb.append(values.get(i));
            }
        }
        return sb.append('}').toString();
    }
}
