package io.github.camelrtsp.client;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small helpers for RTSP URLs: host, port, and the sanitized form shown to users. */
public final class RtspUrls {

    /** Default RTSP port (RFC 2326). */
    public static final int DEFAULT_PORT = 554;
    /** Default RTSPS port (RFC 7826). */
    public static final int DEFAULT_TLS_PORT = 322;

    private static final Pattern USERINFO = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@?#]*@");
    /** A {@code key=value} pair in a path ({@code /user=a&password=b}) or a query. */
    private static final Pattern PAIR = Pattern.compile("([^/?&;=]+)=([^/?&;#]*)");
    /** What replaces a secret in a URL shown to users (Camel's convention). */
    public static final String MASK = "xxxxxx";

    private RtspUrls() {
    }

    /** True for {@code rtsps://} URLs. */
    public static boolean isTls(String url) {
        return url.regionMatches(true, 0, "rtsps:", 0, 6);
    }

    /** The host of an RTSP URL (IPv6 literals without brackets). */
    public static String host(String url) {
        String host = parse(url).getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("RTSP URL has no host: " + sanitize(url));
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host;
    }

    /** The port of an RTSP URL, or the scheme's default. */
    public static int port(String url) {
        int port = parse(url).getPort();
        if (port > 0) {
            return port;
        }
        return isTls(url) ? DEFAULT_TLS_PORT : DEFAULT_PORT;
    }

    /** Removes user info and masks secret-looking query values, so the URL can be logged and shown. */
    public static String sanitize(String url) {
        if (url == null) {
            return null;
        }
        String s = USERINFO.matcher(url).replaceFirst("$1");
        if (s.indexOf('=') < 0) {
            return s;
        }
        Matcher m = PAIR.matcher(s);
        StringBuilder sb = new StringBuilder(s.length());
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(isSecretKey(m.group(1)) ? m.group(1) + "=" + MASK
                    : m.group()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Whether a URL parameter name looks like it carries a secret (password, pwd, token, secret, auth). */
    public static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("pass") || k.contains("pwd") || k.contains("secret") || k.contains("token")
               || k.equals("auth") || k.contains("passphrase") || k.contains("apikey") || k.contains("api_key");
    }

    private static URI parse(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("rtsp://") && !lower.startsWith("rtsps://")) {
            throw new IllegalArgumentException("not an rtsp:// or rtsps:// URL: " + sanitize(url));
        }
        // camera paths and queries are often not valid URI syntax (spaces, '|', ...): only the authority matters here
        int start = url.indexOf("://") + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        try {
            return new URI("rtsp://" + url.substring(start, end) + "/");
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("invalid host or port in RTSP URL: " + sanitize(url), e);
        }
    }
}
