package io.github.camelrtsp.headers;

import java.util.List;
import java.util.Objects;

/** The RTSP {@code Session} header (RFC 2326 section 12.37): session id and optional timeout. Immutable. */
public final class SessionHeader {

    /** The timeout RFC 2326 prescribes when the server gives none. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 60;

    private final String id;
    private final int timeoutSeconds;

    private SessionHeader(String id, int timeoutSeconds) {
        this.id = id;
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * Parses {@code id[;timeout=n]}, tolerating spaces around {@code ;} and {@code =}.
     *
     * @throws IllegalArgumentException if there is no session id
     */
    public static SessionHeader parse(String value) {
        Objects.requireNonNull(value, "Session header value");
        List<String> parts = HeaderTokens.split(value, ';');
        if (parts.isEmpty() || parts.get(0).indexOf('=') >= 0 || parts.get(0).matches(".*\\s.*")) {
            throw new IllegalArgumentException("Session header has no session id: '" + value.trim() + "'");
        }
        int timeout = DEFAULT_TIMEOUT_SECONDS;
        for (int i = 1; i < parts.size(); i++) {
            String p = parts.get(i);
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("timeout")) {
                Long t = HeaderTokens.decimal(p.substring(eq + 1), 1, Integer.MAX_VALUE);
                if (t != null) {
                    timeout = t.intValue();
                }
            }
        }
        return new SessionHeader(parts.get(0), timeout);
    }

    /** Returns the session id, as the client must echo it. */
    public String id() {
        return id;
    }

    /** Returns the timeout in seconds; 60 when absent or unreadable. */
    public int timeoutSeconds() {
        return timeoutSeconds;
    }

    /** Returns what a client sends: the session id alone. */
    public String format() {
        return id;
    }

    /** Same as {@link #format()}. */
    @Override
    public String toString() {
        return format();
    }
}
