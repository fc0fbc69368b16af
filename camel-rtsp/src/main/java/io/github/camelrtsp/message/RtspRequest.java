package io.github.camelrtsp.message;

import java.util.Objects;

/** An RTSP request: method, request URI, headers and body. */
public final class RtspRequest extends RtspMessage {

    private final String method;
    private final String uri;

    /**
     * Creates a request.
     *
     * @param method method name such as {@code DESCRIBE} (letters, digits, '_', '-', '.')
     * @param uri    request URI ({@code *} or an absolute URI; no white space or control characters)
     * @throws IllegalArgumentException if either would break the request line
     */
    public RtspRequest(String method, String uri) {
        this.method = checkMethod(Objects.requireNonNull(method, "method"));
        this.uri = checkUri(Objects.requireNonNull(uri, "uri"));
    }

    /** Returns the method name as given. */
    public String method() {
        return method;
    }

    /** Returns the request URI as given. */
    public String uri() {
        return uri;
    }

    @Override
    String startLine() {
        return method + ' ' + uri + ' ' + version();
    }

    static boolean isMethodChar(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
                || c == '.';
    }

    static boolean isUriChar(int c) {
        return c > 0x20 && c != 0x7f;
    }

    private static String checkMethod(String method) {
        if (method.isEmpty()) {
            throw new IllegalArgumentException("RTSP method is empty");
        }
        for (int i = 0; i < method.length(); i++) {
            if (!isMethodChar(method.charAt(i))) {
                throw new IllegalArgumentException("RTSP method '" + method + "' contains a character other than"
                        + " letters, digits, '_', '-' and '.'");
            }
        }
        return method;
    }

    private static String checkUri(String uri) {
        if (uri.isEmpty()) {
            throw new IllegalArgumentException("RTSP request URI is empty");
        }
        for (int i = 0; i < uri.length(); i++) {
            if (!isUriChar(uri.charAt(i))) {
                throw new IllegalArgumentException("RTSP request URI contains white space or a control character: '"
                        + uri + "'");
            }
        }
        return uri;
    }
}
