package io.github.camelrtsp.headers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A {@code WWW-Authenticate} challenge (RFC 7235): a scheme such as {@code Basic} or {@code Digest} and its
 * parameters. Parameter values may be tokens or quoted strings with backslash escapes (commas inside quotes are
 * kept); missing commas between parameters are tolerated. Immutable.
 */
public final class AuthenticateHeader {

    private static final Pattern TOKEN68 = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    private final String scheme;
    private final Map<String, String> params;
    private final String token68;

    private AuthenticateHeader(String scheme, Map<String, String> params, String token68) {
        this.scheme = scheme;
        this.params = Collections.unmodifiableMap(params);
        this.token68 = token68;
    }

    /**
     * Parses the first challenge of a header value.
     *
     * @throws IllegalArgumentException if the value holds no challenge
     */
    public static AuthenticateHeader parse(String value) {
        List<AuthenticateHeader> all = parseAll(value);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("WWW-Authenticate header holds no challenge: '" + value + "'");
        }
        return all.get(0);
    }

    /** Parses every challenge of a header value (one value may carry several, separated by commas). */
    public static List<AuthenticateHeader> parseAll(String value) {
        Objects.requireNonNull(value, "WWW-Authenticate header value");
        return new Lexer(value).challenges();
    }

    /** Returns the scheme as written. */
    public String scheme() {
        return scheme;
    }

    /** Returns whether the scheme is {@code name}, ignoring case. */
    public boolean isScheme(String name) {
        return scheme.equalsIgnoreCase(name);
    }

    /** Returns the unquoted, unescaped value of parameter {@code name} (case-insensitive), or {@code null}. */
    public String param(String name) {
        return params.get(name.toLowerCase(Locale.ROOT));
    }

    /** Returns all parameters, names in lower case, in the order given. */
    public Map<String, String> params() {
        return params;
    }

    /** Returns the token68 credentials form ({@code Negotiate abc==}) or {@code null}. */
    public String token68() {
        return token68;
    }

    /** Returns the wire form, parameter values quoted except {@code algorithm} and {@code stale}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(scheme);
        if (token68 != null) {
            return sb.append(' ').append(token68).toString();
        }
        String sep = " ";
        for (Map.Entry<String, String> e : params.entrySet()) {
            sb.append(sep).append(e.getKey()).append('=');
            boolean bare = (e.getKey().equals("algorithm") || e.getKey().equals("stale"))
                    && e.getValue().matches("[A-Za-z0-9\\-]+");
            sb.append(bare ? e.getValue() : HeaderTokens.quote(e.getValue()));
            sep = ", ";
        }
        return sb.toString();
    }

    /** Character-level reader of a challenge list. */
    private static final class Lexer {
        private final String s;
        private int pos;

        Lexer(String s) {
            this.s = s;
        }

        List<AuthenticateHeader> challenges() {
            List<AuthenticateHeader> result = new ArrayList<>();
            while (true) {
                skip(" \t,");
                if (pos >= s.length()) {
                    return Collections.unmodifiableList(result);
                }
                String scheme = token();
                if (scheme.isEmpty() || peek() == '=') {
                    skipParameter(); // a parameter without a scheme: nothing to attach it to
                    continue;
                }
                result.add(challenge(scheme));
            }
        }

        private AuthenticateHeader challenge(String scheme) {
            Map<String, String> params = new LinkedHashMap<>();
            skip(" \t");
            int restStart = pos;
            int comma = s.indexOf(',', pos);
            String upToComma = s.substring(pos, comma < 0 ? s.length() : comma).trim();
            if (TOKEN68.matcher(upToComma).matches()) {
                pos = comma < 0 ? s.length() : comma;
                return new AuthenticateHeader(scheme, params, upToComma);
            }
            pos = restStart;
            while (true) {
                skip(" \t,");
                if (pos >= s.length()) {
                    break;
                }
                int nameStart = pos;
                String name = token();
                skip(" \t");
                if (name.isEmpty() || peek() != '=') {
                    pos = nameStart; // the next challenge's scheme
                    if (name.isEmpty()) {
                        pos++; // a stray character: step over it
                        continue;
                    }
                    break;
                }
                pos++; // '='
                skip(" \t");
                String value = peek() == '"' ? quoted() : valueToken();
                params.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
            }
            return new AuthenticateHeader(scheme, params, null);
        }

        private void skipParameter() {
            if (peek() == '=') {
                pos++;
                skip(" \t");
                if (peek() == '"') {
                    quoted();
                } else {
                    valueToken();
                }
            } else {
                pos++;
            }
        }

        private String token() {
            int start = pos;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == ',' || c == '=' || c == '"') {
                    break;
                }
                pos++;
            }
            return s.substring(start, pos);
        }

        /** An unquoted value: everything up to white space or a comma ('=' included, as in base64). */
        private String valueToken() {
            int start = pos;
            while (pos < s.length() && " \t,".indexOf(s.charAt(pos)) < 0) {
                pos++;
            }
            return s.substring(start, pos);
        }

        private String quoted() {
            StringBuilder sb = new StringBuilder();
            pos++; // opening quote
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\' && pos < s.length()) {
                    c = s.charAt(pos++);
                }
                sb.append(c);
            }
            return sb.toString(); // unterminated: take the rest
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : 0;
        }

        private void skip(String chars) {
            while (pos < s.length() && chars.indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
        }
    }
}
