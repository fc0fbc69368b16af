package io.github.camelrtsp.sdp;

/**
 * Turns the {@code a=control} values of an SDP into the URLs an RTSP client sends SETUP, PLAY and TEARDOWN to.
 *
 * <p>
 * Cameras expect relative controls to be joined as text, not resolved the way {@link java.net.URI#resolve} does:
 * <ul>
 * <li>an absolute control ({@code rtsp://} or {@code rtsps://}, any case) is used as it is;</li>
 * <li>a control starting with {@code ?} is appended to the base as it is
 * ({@code rtsp://h/live} + {@code ?track=1} = {@code rtsp://h/live?track=1});</li>
 * <li>a control starting with {@code /} replaces the path and query of the base
 * ({@code rtsp://h:554/a/b?x=1} + {@code /c} = {@code rtsp://h:554/c});</li>
 * <li>any other control is appended after a {@code /}, which is inserted only when the base does not already end
 * with one, even when the base has a query ({@code rtsp://h/cam/realmonitor?channel=1&subtype=0/} +
 * {@code trackID=0} = {@code rtsp://h/cam/realmonitor?channel=1&subtype=0/trackID=0}, {@code rtsp://h/H264?ch=1} +
 * {@code video} = {@code rtsp://h/H264?ch=1/video}).</li>
 * </ul>
 * All inputs are trimmed; null, empty and blank count as missing.
 */
public final class ControlUrl {

    private ControlUrl() {
    }

    /**
     * The base URL of a described session, chosen as RFC 2326 C.1.1 says: {@code Content-Base}, else
     * {@code Content-Location}, else the request URL (the first of them that is not blank). A value without a scheme
     * is completed: one starting with {@code /} gets the scheme and authority of the request URL
     * ({@code /live/ch0} with request {@code rtsp://h:554/x} = {@code rtsp://h:554/live/ch0}); any other gets the
     * request URL's scheme, or {@code rtsp://} without one, in front ({@code 192.168.1.10:554/stream0/} =
     * {@code rtsp://192.168.1.10:554/stream0/}). The chosen value is otherwise kept as written.
     *
     * @throws IllegalArgumentException when all three are missing, or when the chosen value is a path and the
     *                                  request URL is not absolute
     */
    public static String baseUrl(String contentBase, String contentLocation, String requestUrl) {
        String request = clean(requestUrl);
        String chosen = clean(contentBase);
        if (chosen == null) {
            chosen = clean(contentLocation);
        }
        if (chosen == null) {
            chosen = request;
        }
        if (chosen == null) {
            throw new IllegalArgumentException("no Content-Base, Content-Location or request URL to take a base from");
        }
        if (schemeEnd(chosen) > 0) {
            return chosen;
        }
        boolean requestAbsolute = request != null && schemeEnd(request) > 0;
        if (chosen.startsWith("/")) {
            if (!requestAbsolute) {
                throw new IllegalArgumentException("base '" + chosen + "' is a path and there is no absolute request"
                        + " URL to take the scheme and host from");
            }
            return origin(request) + chosen;
        }
        String scheme = requestAbsolute ? request.substring(0, schemeEnd(request)) : "rtsp://";
        return scheme + chosen;
    }

    /**
     * The URL to send SETUP to for one media section: an absolute media control as it is; a missing or {@code *}
     * media control gives {@link #aggregateUrl(String, String)} (the base, or the session control when that is
     * absolute); a relative media control is joined to the base by the rules of this class.
     *
     * @param baseUrl        the result of {@link #baseUrl(String, String, String)}
     * @param sessionControl the session-level {@code a=control} or null
     * @param mediaControl   the media-level {@code a=control} or null
     * @throws IllegalArgumentException when a base is needed and {@code baseUrl} is missing
     */
    public static String resolve(String baseUrl, String sessionControl, String mediaControl) {
        String control = clean(mediaControl);
        if (control == null || control.equals("*")) {
            return aggregateUrl(baseUrl, sessionControl);
        }
        if (isAbsolute(control)) {
            return control;
        }
        return join(requireBase(baseUrl), control);
    }

    /**
     * The URL for PLAY, PAUSE and TEARDOWN of the whole session: an absolute session control as it is; a missing or
     * {@code *} session control gives the base; a relative session control is joined to the base by the rules of
     * this class.
     *
     * @throws IllegalArgumentException when a base is needed and {@code baseUrl} is missing
     */
    public static String aggregateUrl(String baseUrl, String sessionControl) {
        String control = clean(sessionControl);
        if (control != null && isAbsolute(control)) {
            return control;
        }
        String base = requireBase(baseUrl);
        if (control == null || control.equals("*")) {
            return base;
        }
        return join(base, control);
    }

    /** Whether a control value is an absolute RTSP URL ({@code rtsp://} or {@code rtsps://}, any case). */
    public static boolean isAbsolute(String control) {
        return control != null && (control.regionMatches(true, 0, "rtsp://", 0, 7)
                || control.regionMatches(true, 0, "rtsps://", 0, 8));
    }

    private static String join(String base, String control) {
        if (control.startsWith("?")) {
            return base + control;
        }
        if (control.startsWith("/")) {
            return origin(base) + control;
        }
        return base.endsWith("/") ? base + control : base + "/" + control;
    }

    /** {@code scheme://authority} of an absolute URL (everything before the path, query or fragment). */
    private static String origin(String url) {
        int start = schemeEnd(url);
        if (start < 0) {
            start = 0;
        }
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        return url.substring(0, end);
    }

    /** The index after {@code ://} when the text starts with {@code scheme://}, else -1. */
    private static int schemeEnd(String url) {
        int i = 0;
        while (i < url.length()) {
            char c = url.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            boolean other = (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
            if (letter || (i > 0 && other)) {
                i++;
            } else {
                break;
            }
        }
        return i > 0 && url.startsWith("://", i) ? i + 3 : -1;
    }

    private static String requireBase(String baseUrl) {
        String base = clean(baseUrl);
        if (base == null) {
            throw new IllegalArgumentException("no base URL to join a relative control to");
        }
        return base;
    }

    private static String clean(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        return t.isEmpty() ? null : t;
    }
}
