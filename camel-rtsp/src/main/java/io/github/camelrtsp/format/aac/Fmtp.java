package io.github.camelrtsp.format.aac;

import java.util.Locale;
import java.util.Map;

/** Reads fmtp values by name without regard to case, whatever map implementation the caller passed. */
final class Fmtp {

    private Fmtp() {
    }

    /** The value for {@code key} compared without case, trimmed; null when absent. */
    static String get(Map<String, String> fmtp, String key) {
        String value = fmtp.get(key);
        if (value == null) {
            for (Map.Entry<String, String> e : fmtp.entrySet()) {
                if (e.getKey() != null && e.getKey().trim().equalsIgnoreCase(key)) {
                    value = e.getValue();
                    break;
                }
            }
        }
        return value == null ? null : value.trim();
    }

    /**
     * A non-negative integer parameter no larger than {@code max}; {@code fallback} when absent. Trailing {@code ;}
     * and white space are ignored.
     *
     * @throws IllegalArgumentException if the value is not such an integer
     */
    static int integer(Map<String, String> fmtp, String key, int fallback, int max) {
        String value = get(fmtp, key);
        if (value == null) {
            return fallback;
        }
        String digits = value.replace(";", "").trim();
        try {
            int n = Integer.parseInt(digits);
            if (n < 0 || n > max) {
                throw new IllegalArgumentException("fmtp " + key + "=" + value + " is outside 0.." + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("fmtp " + key + "=" + value + " is not an integer", e);
        }
    }

    /** The value lower-cased, or null. */
    static String lower(Map<String, String> fmtp, String key) {
        String value = get(fmtp, key);
        return value == null ? null : value.replace(";", "").trim().toLowerCase(Locale.ROOT);
    }
}
