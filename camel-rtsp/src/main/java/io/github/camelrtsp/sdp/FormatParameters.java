package io.github.camelrtsp.sdp;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parameters of an {@code a=fmtp} attribute as an unmodifiable map that keeps the written order and the written
 * spelling of the keys, while {@link #get(Object)} and {@link #containsKey(Object)} ignore case (RFC 4855 makes
 * media type parameter names case-insensitive; cameras write {@code SizeLength} as well as {@code sizelength}).
 */
final class FormatParameters extends AbstractMap<String, String> {

    private static final Logger LOG = LoggerFactory.getLogger(FormatParameters.class);

    static final FormatParameters EMPTY = new FormatParameters(List.of(), Map.of());

    private final List<Map.Entry<String, String>> entries;
    private final Map<String, String> byLowerCaseKey;
    private final Set<Map.Entry<String, String>> entrySet;

    private FormatParameters(List<Map.Entry<String, String>> entries, Map<String, String> byLowerCaseKey) {
        this.entries = entries;
        this.byLowerCaseKey = byLowerCaseKey;
        this.entrySet = new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, String>> iterator() {
                return FormatParameters.this.entries.iterator();
            }

            @Override
            public int size() {
                return FormatParameters.this.entries.size();
            }
        };
    }

    /**
     * Reads the parameter list that follows the payload type in {@code a=fmtp}. The list is split at {@code ;};
     * each piece is {@code key=value} split at its first {@code =}, so values keep any further {@code =} (base64
     * padding). Keys and values are trimmed; empty pieces (a trailing {@code ;}, {@code ;;}) are ignored; a piece
     * without {@code =} becomes a key with an empty value. Inside a piece, white space followed by another
     * {@code token=} starts a new parameter, so the space-separated form {@code DecoderTag=h3c-v3 RTCP=0} gives two
     * parameters; this split is not made after a {@code ,} or {@code =}, nor before {@code ==}, so lists and base64
     * values with stray spaces stay whole. When a key repeats (ignoring case) the first value is kept.
     */
    static FormatParameters parse(String text) {
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        Map<String, String> byKey = new HashMap<>();
        int segmentStart = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ';') {
                parseSegment(text, segmentStart, i, entries, byKey);
                segmentStart = i + 1;
            }
        }
        if (entries.isEmpty()) {
            return EMPTY;
        }
        return new FormatParameters(Collections.unmodifiableList(entries), byKey);
    }

    private static void parseSegment(String text, int from, int to, List<Map.Entry<String, String>> entries,
                                     Map<String, String> byKey) {
        while (from < to && isSpace(text.charAt(from))) {
            from++;
        }
        while (to > from && isSpace(text.charAt(to - 1))) {
            to--;
        }
        int partStart = from;
        boolean seenEquals = false;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '=') {
                seenEquals = true;
            } else if (seenEquals && isSpace(c) && !isSpace(text.charAt(i - 1))
                    && startsParameter(text, i, to)) {
                addPart(text, partStart, i, entries, byKey);
                while (isSpace(text.charAt(i))) {
                    i++;
                }
                partStart = i;
                seenEquals = false;
                i--;
            }
        }
        if (partStart < to) {
            addPart(text, partStart, to, entries, byKey);
        }
    }

    /** Whether the white space at {@code at} is followed by {@code token=} and may separate two parameters. */
    private static boolean startsParameter(String text, int at, int to) {
        char previous = text.charAt(at - 1);
        if (previous == ',' || previous == '=') {
            return false;
        }
        int start = at;
        while (start < to && isSpace(text.charAt(start))) {
            start++;
        }
        int end = start;
        while (end < to && isTokenChar(text.charAt(end))) {
            end++;
        }
        if (end == start) {
            return false;
        }
        int eq = end;
        while (eq < to && isSpace(text.charAt(eq))) {
            eq++;
        }
        return eq < to && text.charAt(eq) == '=' && (eq + 1 >= to || text.charAt(eq + 1) != '=');
    }

    private static void addPart(String text, int from, int to, List<Map.Entry<String, String>> entries,
                                Map<String, String> byKey) {
        String part = text.substring(from, to);
        int eq = part.indexOf('=');
        String key = (eq < 0 ? part : part.substring(0, eq)).trim();
        String value = eq < 0 ? "" : part.substring(eq + 1).trim();
        if (key.isEmpty()) {
            LOG.debug("fmtp parameter without a name ignored: '{}'", part);
            return;
        }
        String lower = key.toLowerCase(Locale.ROOT);
        if (byKey.containsKey(lower)) {
            LOG.debug("repeated fmtp parameter '{}' ignored; the first value is kept", key);
            return;
        }
        byKey.put(lower, value);
        entries.add(new AbstractMap.SimpleImmutableEntry<>(key, value));
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.';
    }

    @Override
    public Set<Map.Entry<String, String>> entrySet() {
        return entrySet;
    }

    @Override
    public int size() {
        return entries.size();
    }

    /** The value for the key, compared without regard to case; null when absent. */
    @Override
    public String get(Object key) {
        return key instanceof String s ? byLowerCaseKey.get(s.toLowerCase(Locale.ROOT)) : null;
    }

    /** Whether the key is present, compared without regard to case. */
    @Override
    public boolean containsKey(Object key) {
        return key instanceof String s && byLowerCaseKey.containsKey(s.toLowerCase(Locale.ROOT));
    }
}
