package io.github.camelrtsp;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.camelrtsp.client.RtspUrls;
import org.apache.camel.util.SensitiveUtils;

/**
 * An {@code rtsp:} or {@code rtsps:} endpoint URI taken apart without re-encoding anything: user info (decoded, for
 * authentication), host, port, the path and every query parameter as written, so that the camera's own query can be
 * sent on unchanged.
 */
final class RtspUri {

    /** Default port of rtsp (RFC 2326). */
    static final int DEFAULT_PORT = RtspUrls.DEFAULT_PORT;
    /** Default port of rtsps (RFC 7826). */
    static final int DEFAULT_TLS_PORT = RtspUrls.DEFAULT_TLS_PORT;

    /** What replaces a secret in a URI shown to users (Camel's own convention). */
    static final String MASK = RtspUrls.MASK;

    /** A {@code key=value} pair in a path ({@code /user=a&password=b}) or a query; RAW values kept whole. */
    private static final Pattern PAIR = Pattern.compile(
            "([^/?&;=]+)=(RAW\\(.*?\\)(?=&|$)|RAW\\{.*?\\}(?=&|$)|[^/?&;]*)");

    /** One query parameter as written in the URI. */
    record QueryParam(String raw, String key) {

        /** Whether the value is written as Camel's {@code RAW(...)} or {@code RAW{...}}. */
        boolean isRawValue() {
            int eq = raw.indexOf('=');
            if (eq < 0) {
                return false;
            }
            String value = raw.substring(eq + 1);
            return value.length() >= 5 && value.startsWith("RAW")
                   && (value.charAt(3) == '(' && value.endsWith(")") || value.charAt(3) == '{' && value.endsWith("}"));
        }

        /** The text to send to the camera: as written, except that a Camel {@code RAW(...)} value is unwrapped. */
        String forCamera() {
            if (!isRawValue()) {
                return raw;
            }
            int eq = raw.indexOf('=');
            return raw.substring(0, eq + 1) + raw.substring(eq + 5, raw.length() - 1);
        }
    }

    private final String scheme;
    private final String rawUser;
    private final String user;
    private final String password;
    private final String host;
    private final int port;
    private final boolean portGiven;
    private final String rawPath;
    private final List<QueryParam> query;

    private RtspUri(String scheme, String rawUser, String user, String password, String host, int port,
                    boolean portGiven, String rawPath, List<QueryParam> query) {
        this.scheme = scheme;
        this.rawUser = rawUser;
        this.user = user;
        this.password = password;
        this.host = host;
        this.port = port;
        this.portGiven = portGiven;
        this.rawPath = rawPath;
        this.query = query;
    }

    /**
     * Parses {@code rtsp://[user[:password]@]host[:port][/path][?query]} (the {@code //} may be left out). Messages
     * of the exceptions never contain the password.
     */
    static RtspUri parse(String uri) {
        if (uri == null) {
            throw new IllegalArgumentException("RTSP URI is null");
        }
        int colon = uri.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("Not an rtsp: or rtsps: URI");
        }
        String scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!"rtsp".equals(scheme) && !"rtsps".equals(scheme)) {
            throw new IllegalArgumentException("Not an rtsp: or rtsps: URI (scheme " + scheme + ")");
        }
        String rest = uri.substring(colon + 1);
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        int authorityEnd = indexOfAny(rest, "/?", 0);
        String authority = authorityEnd < 0 ? rest : rest.substring(0, authorityEnd);
        String afterAuthority = authorityEnd < 0 ? "" : rest.substring(authorityEnd);

        String rawUser = null;
        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int sep = userInfo.indexOf(':');
            rawUser = sep < 0 ? userInfo : userInfo.substring(0, sep);
            user = percentDecode(rawUser, "user name");
            if (sep >= 0) {
                password = percentDecode(userInfo.substring(sep + 1), "password");
            }
            if (user.isEmpty()) {
                throw new IllegalArgumentException("The user info of the RTSP URI has an empty user name");
            }
        }

        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("Unterminated IPv6 address in RTSP URI: " + authority);
            }
            host = authority.substring(0, close + 1);
            String tail = authority.substring(close + 1);
            if (!tail.isEmpty()) {
                if (!tail.startsWith(":")) {
                    throw new IllegalArgumentException("Unexpected text after the IPv6 address in RTSP URI: " + tail);
                }
                portText = tail.substring(1);
            }
        } else {
            int sep = authority.lastIndexOf(':');
            host = sep < 0 ? authority : authority.substring(0, sep);
            portText = sep < 0 ? null : authority.substring(sep + 1);
        }
        if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '%' || c == '\\')) {
            throw new IllegalArgumentException("The RTSP URI has no valid host: '" + host + "'");
        }
        boolean portGiven = portText != null && !portText.isEmpty();
        int port = "rtsps".equals(scheme) ? DEFAULT_TLS_PORT : DEFAULT_PORT;
        if (portGiven) {
            port = parsePort(portText);
        }

        int q = afterAuthority.indexOf('?');
        String rawPath = q < 0 ? afterAuthority : afterAuthority.substring(0, q);
        String rawQuery = q < 0 ? "" : afterAuthority.substring(q + 1);
        return new RtspUri(scheme, rawUser, user, password, host, port, portGiven, rawPath, splitQuery(rawQuery));
    }

    private static int parsePort(String text) {
        if (text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("Invalid port in RTSP URI: '" + text + "'");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Port out of range in RTSP URI: " + port);
        }
        return port;
    }

    /** Splits a raw query on {@code &}, keeping Camel's {@code RAW(...)} / {@code RAW{...}} values whole. */
    static List<QueryParam> splitQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return List.of();
        }
        List<QueryParam> params = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i <= rawQuery.length()) {
            if (i == rawQuery.length() || rawQuery.charAt(i) == '&') {
                if (i > start) {
                    String raw = rawQuery.substring(start, i);
                    params.add(new QueryParam(raw, decodeKey(raw)));
                }
                start = i + 1;
                i++;
                continue;
            }
            if (rawQuery.startsWith("=RAW", i) && i + 4 < rawQuery.length()) {
                char open = rawQuery.charAt(i + 4);
                if (open == '(' || open == '{') {
                    int end = findRawEnd(rawQuery, i + 5, open == '(' ? ')' : '}');
                    if (end > 0) {
                        i = end + 1;
                        continue;
                    }
                }
            }
            i++;
        }
        return Collections.unmodifiableList(params);
    }

    /** The closing character of a RAW value: the first one followed by {@code &} or the end; -1 when none. */
    private static int findRawEnd(String s, int from, char close) {
        for (int j = s.indexOf(close, from); j >= 0; j = s.indexOf(close, j + 1)) {
            if (j + 1 == s.length() || s.charAt(j + 1) == '&') {
                return j;
            }
        }
        return -1;
    }

    private static String decodeKey(String raw) {
        int eq = raw.indexOf('=');
        String key = eq < 0 ? raw : raw.substring(0, eq);
        try {
            return URLDecoder.decode(key, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return key;
        }
    }

    /** RFC 3986 percent-decoding as UTF-8 ({@code +} stays a plus); the message never shows the value. */
    static String percentDecode(String s, String what) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("Invalid percent-encoding in the " + what
                                                       + " of the RTSP URI user info");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("The " + what + " of the RTSP URI user info is not UTF-8 after"
                                               + " percent-decoding");
        }
    }

    private static int indexOfAny(String s, String chars, int from) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** Whether a parameter name looks like it carries a secret (Camel's list, plus pass/pwd spellings). */
    static boolean isSecretKey(String key) {
        return SensitiveUtils.containsSensitive(key.toLowerCase(Locale.ROOT)) || RtspUrls.isSecretKey(key);
    }

    /** Masks the values of secret-looking {@code key=value} pairs (password, token, ...) in a path or query. */
    static String maskSecrets(String s) {
        if (s == null || s.indexOf('=') < 0) {
            return s;
        }
        Matcher m = PAIR.matcher(s);
        StringBuilder sb = new StringBuilder(s.length());
        while (m.find()) {
            String replacement = isSecretKey(m.group(1)) ? m.group(1) + "=" + MASK : m.group();
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    String scheme() {
        return scheme;
    }

    boolean isTls() {
        return "rtsps".equals(scheme);
    }

    /** Decoded user of the user info, or null. */
    String user() {
        return user;
    }

    /** Decoded password of the user info, or null. */
    String password() {
        return password;
    }

    /** The host as written (an IPv6 literal keeps its brackets). */
    String host() {
        return host;
    }

    /** The port, or the scheme's default. */
    int port() {
        return port;
    }

    boolean portGiven() {
        return portGiven;
    }

    /** The path as written, without the leading slash. */
    String path() {
        return rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
    }

    List<QueryParam> query() {
        return query;
    }

    /** The URL to send to the camera: no user info, and only the query parameters {@code keep} accepts. */
    String cameraUrl(Predicate<QueryParam> keep) {
        return build(false, keep, false);
    }

    /** {@link #cameraUrl(Predicate)} for display: secret-looking values in the path and query masked. */
    String sanitizedCameraUrl(Predicate<QueryParam> keep) {
        return build(false, keep, true);
    }

    /** The whole URI for display: the user info password and secret-looking values replaced by {@link #MASK}. */
    String sanitized() {
        return build(true, p -> true, true);
    }

    private String build(boolean withUser, Predicate<QueryParam> keep, boolean mask) {
        StringBuilder sb = new StringBuilder(64).append(scheme).append("://");
        if (withUser && rawUser != null) {
            sb.append(rawUser);
            if (password != null) {
                sb.append(':').append(MASK);
            }
            sb.append('@');
        }
        sb.append(host);
        if (portGiven) {
            sb.append(':').append(port);
        }
        sb.append(mask ? maskSecrets(rawPath) : rawPath);
        char sep = '?';
        for (QueryParam p : query) {
            if (keep.test(p)) {
                sb.append(sep);
                if (!mask) {
                    sb.append(p.forCamera());
                } else if (isSecretKey(p.key())) {
                    sb.append(p.key()).append('=').append(MASK);
                } else {
                    sb.append(p.raw());
                }
                sep = '&';
            }
        }
        return sb.toString();
    }
}
