package io.github.camelrtsp.headers;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/** The RTSP {@code Public} header: the methods a server supports. */
public final class PublicHeader {

    private PublicHeader() {
    }

    /** Returns the method names, upper-case, in the order given; commas and/or white space separate them. */
    public static Set<String> parse(String value) {
        Objects.requireNonNull(value, "Public header value");
        Set<String> methods = new LinkedHashSet<>();
        for (String m : value.split("[,\\s]+")) {
            if (!m.isEmpty()) {
                methods.add(m.toUpperCase(Locale.ROOT));
            }
        }
        return Collections.unmodifiableSet(methods);
    }

    /** Returns the wire form, for example {@code OPTIONS, DESCRIBE, SETUP}. */
    public static String format(Collection<String> methods) {
        return String.join(", ", methods);
    }
}
