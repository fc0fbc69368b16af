package io.github.camelrtsp.headers;

import java.util.ArrayList;
import java.util.List;

/** Small lexical helpers shared by the header parsers. */
final class HeaderTokens {

    private HeaderTokens() {
    }

    /** Splits {@code s} at {@code delimiter} outside double quotes; parts are trimmed, empty parts dropped. */
    static List<String> split(String s, char delimiter) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == delimiter && !quoted) {
                addTrimmed(parts, s.substring(start, i));
                start = i + 1;
            }
        }
        addTrimmed(parts, s.substring(start));
        return parts;
    }

    private static void addTrimmed(List<String> parts, String part) {
        String t = part.trim();
        if (!t.isEmpty()) {
            parts.add(t);
        }
    }

    /** Removes surrounding double quotes and backslash escapes; other values are returned trimmed. */
    static String unquote(String v) {
        String t = v.trim();
        if (t.length() < 2 || t.charAt(0) != '"' || t.charAt(t.length() - 1) != '"') {
            return t;
        }
        StringBuilder sb = new StringBuilder(t.length() - 2);
        for (int i = 1; i < t.length() - 1; i++) {
            char c = t.charAt(i);
            if (c == '\\' && i + 1 < t.length() - 1) {
                c = t.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Returns {@code v} as a double-quoted string with '"' and '\' escaped. */
    static String quote(String v) {
        StringBuilder sb = new StringBuilder(v.length() + 2).append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    /** Parses 1 to 8 hexadecimal digits (surrounding white space allowed) as an unsigned 32-bit value. */
    static Long hex32(String v) {
        if (v == null) {
            return null;
        }
        String t = v.trim();
        if (t.isEmpty() || t.length() > 8) {
            return null;
        }
        for (int i = 0; i < t.length(); i++) {
            if (Character.digit(t.charAt(i), 16) < 0) {
                return null;
            }
        }
        return Long.parseLong(t, 16);
    }

    /** Parses a decimal integer within [min, max], or returns {@code null}. */
    static Long decimal(String v, long min, long max) {
        if (v == null) {
            return null;
        }
        String t = v.trim();
        if (t.isEmpty() || t.length() > 19) {
            return null;
        }
        try {
            long n = Long.parseLong(t);
            return n < min || n > max ? null : n;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Parses {@code a-b} or a single {@code a} (taken as {@code a-(a+1)}) with both ends within [0, max]; returns
     * {@code null} when malformed.
     */
    static int[] pair(String v, int max) {
        if (v == null) {
            return null;
        }
        int dash = v.indexOf('-');
        Long first = decimal(dash < 0 ? v : v.substring(0, dash), 0, max);
        if (first == null) {
            return null;
        }
        if (dash < 0) {
            return first < max ? new int[] {first.intValue(), first.intValue() + 1} : null;
        }
        Long second = decimal(v.substring(dash + 1), 0, max);
        return second == null ? null : new int[] {first.intValue(), second.intValue()};
    }
}
