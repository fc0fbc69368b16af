package io.github.camelrtsp.sdp;

import java.util.Objects;

/**
 * One {@code a=} line: {@code a=name:value} or the flag form {@code a=name}.
 *
 * @param name  the attribute name as written, trimmed (never null or empty)
 * @param value the text after the first {@code :}, trimmed; {@code null} for a flag attribute such as
 *              {@code a=recvonly}; empty for {@code a=name:} with nothing after the colon
 */
public record SdpAttribute(String name, String value) {

    /** Checks that the name is present. */
    public SdpAttribute {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("attribute name is empty");
        }
    }

    /** True for a flag attribute (no {@code :value} part). */
    public boolean isFlag() {
        return value == null;
    }

    /**
     * The value of the first attribute with this name in {@code attributes} (compared without regard to case);
     * {@code ""} for a flag attribute; null when there is none.
     */
    static String valueOf(java.util.List<SdpAttribute> attributes, String name) {
        for (SdpAttribute a : attributes) {
            if (a.name().equalsIgnoreCase(name)) {
                return a.value() == null ? "" : a.value();
            }
        }
        return null;
    }

    /** The control value among {@code attributes}: null when absent or empty. */
    static String controlOf(java.util.List<SdpAttribute> attributes) {
        String c = valueOf(attributes, "control");
        return c == null || c.isEmpty() ? null : c;
    }

    /** Reads the text after {@code a=}; returns null when there is no name. */
    static SdpAttribute parse(String text) {
        int colon = text.indexOf(':');
        String name = (colon < 0 ? text : text.substring(0, colon)).trim();
        if (name.isEmpty()) {
            return null;
        }
        String value = colon < 0 ? null : text.substring(colon + 1).trim();
        return new SdpAttribute(name, value);
    }
}
