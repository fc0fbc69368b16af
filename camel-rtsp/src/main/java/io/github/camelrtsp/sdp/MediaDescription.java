package io.github.camelrtsp.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One media section of a {@link SessionDescription}: the {@code m=} line and the lines that follow it up to the next
 * {@code m=}. Immutable. Obtained from {@link SessionDescription#media()}.
 */
public final class MediaDescription {

    private final String mediaLine;
    private final String mediaType;
    private final int port;
    private final int portCount;
    private final String protocol;
    private final List<String> formats;
    private final int payloadType;
    private final List<SdpLine> lines;
    private final List<SdpAttribute> attributes;
    private final String connection;
    private final Integer bandwidthKbps;
    private final String direction;
    private final Map<Integer, RtpMap> rtpMaps;
    private final Map<Integer, FormatParameters> formatParameters;

    MediaDescription(String mediaLine, List<SdpLine> lines, List<SdpAttribute> attributes, String connection,
                     Integer bandwidthKbps, String sessionConnection, String sessionDirection) {
        this.mediaLine = mediaLine;
        this.lines = List.copyOf(lines);
        this.attributes = List.copyOf(attributes);
        this.connection = connection != null ? connection : sessionConnection;
        this.bandwidthKbps = bandwidthKbps;

        String[] tokens = mediaLine.split("[ \t]+");
        String media = tokens[0].toLowerCase(Locale.ROOT);
        int slash = media.indexOf('/');
        this.mediaType = slash < 0 ? media : media.substring(0, slash);
        int[] ports = tokens.length > 1 ? parsePort(tokens[1]) : new int[] {-1, 1};
        this.port = ports[0];
        this.portCount = ports[1];
        this.protocol = tokens.length > 2 ? tokens[2] : null;
        List<String> fmts = new ArrayList<>();
        for (int i = 3; i < tokens.length; i++) {
            fmts.add(tokens[i]);
        }
        this.formats = Collections.unmodifiableList(fmts);
        int pt = -1;
        for (String f : fmts) {
            int n = RtpMap.unsignedInt(f);
            if (n >= 0 && n <= 127) {
                pt = n;
                break;
            }
        }
        this.payloadType = pt;

        String dir = null;
        Map<Integer, RtpMap> maps = new HashMap<>();
        Map<Integer, FormatParameters> fmtps = new HashMap<>();
        for (SdpAttribute a : this.attributes) {
            String name = a.name();
            if (a.value() == null) {
                if (dir == null && isDirection(name)) {
                    dir = name.toLowerCase(Locale.ROOT);
                }
            } else if (name.equalsIgnoreCase("rtpmap")) {
                RtpMap map = RtpMap.parse(a.value(), mediaType);
                if (map != null) {
                    maps.putIfAbsent(map.payloadType(), map);
                }
            } else if (name.equalsIgnoreCase("fmtp")) {
                String v = a.value();
                int digits = 0;
                while (digits < v.length() && v.charAt(digits) >= '0' && v.charAt(digits) <= '9') {
                    digits++;
                }
                if (digits > 0 && digits <= 3) {
                    int fmtPt = Integer.parseInt(v, 0, digits, 10);
                    if (!fmtps.containsKey(fmtPt)) {
                        fmtps.put(fmtPt, FormatParameters.parse(v.substring(digits)));
                    }
                }
            }
        }
        this.direction = dir != null ? dir : sessionDirection;
        this.rtpMaps = maps;
        this.formatParameters = fmtps;
    }

    private static int[] parsePort(String token) {
        int slash = token.indexOf('/');
        int p = RtpMap.unsignedInt(slash < 0 ? token : token.substring(0, slash));
        if (p > 65535) {
            p = -1;
        }
        int count = slash < 0 ? 1 : RtpMap.unsignedInt(token.substring(slash + 1));
        return new int[] {p, count > 0 ? count : 1};
    }

    static boolean isDirection(String name) {
        return name.equalsIgnoreCase("sendrecv") || name.equalsIgnoreCase("recvonly")
                || name.equalsIgnoreCase("sendonly") || name.equalsIgnoreCase("inactive");
    }

    /**
     * The media type in lower case: {@code video}, {@code audio}, {@code application}, ... When a camera writes a
     * suffix after a {@code /} ({@code m=application/TP-LINK ...}) only the part before it is returned; the text
     * as written stays in {@link #toString()}.
     */
    public String mediaType() {
        return mediaType;
    }

    /** The port of the {@code m=} line (usually 0 for RTSP), or -1 when it is missing or not a port number. */
    public int port() {
        return port;
    }

    /** The number of ports from {@code <port>/<count>}, 1 when no count is written. */
    public int portCount() {
        return portCount;
    }

    /** The transport protocol as written, such as {@code RTP/AVP}, or null when the {@code m=} line has none. */
    public String protocol() {
        return protocol;
    }

    /** The formats of the {@code m=} line as written; they need not be numbers ({@code smart/1/90000}). */
    public List<String> formats() {
        return formats;
    }

    /** The first format that is a payload type number (0 to 127), or -1 when there is none. */
    public int payloadType() {
        return payloadType;
    }

    /** The {@code a=} lines of this section, in written order. */
    public List<SdpAttribute> attributes() {
        return attributes;
    }

    /**
     * The value of the first media-level attribute with this name (compared without regard to case); {@code ""}
     * for a flag attribute; null when there is none. Session-level attributes are not consulted.
     */
    public String attribute(String name) {
        return SdpAttribute.valueOf(attributes, name);
    }

    /** The media-level {@code a=control} value as written, or null. See {@link ControlUrl} to make it a URL. */
    public String control() {
        return SdpAttribute.controlOf(attributes);
    }

    /**
     * The direction flag ({@code sendrecv}, {@code recvonly}, {@code sendonly} or {@code inactive}, lower case) of
     * this section, else the session-level one, else null.
     */
    public String direction() {
        return direction;
    }

    /** The value of this section's {@code c=} line, else the session-level {@code c=}, else null. */
    public String connection() {
        return connection;
    }

    /** The value of this section's first {@code b=AS:} line in kbit/s, or null when there is none. */
    public Integer bandwidthKbps() {
        return bandwidthKbps;
    }

    /**
     * What the payload type carries: this section's {@code a=rtpmap} for it (the first usable one; see
     * {@link RtpMap} for the tolerated forms and the default clock rates), else the RFC 3551 static entry
     * ({@link RtpMap#staticPayloadType(int)}), else null. The payload type need not be listed in {@link #formats()}.
     */
    public RtpMap rtpMap(int payloadType) {
        RtpMap map = rtpMaps.get(payloadType);
        return map != null ? map : RtpMap.staticPayloadType(payloadType);
    }

    /** {@link #rtpMap(int)} for {@link #payloadType()}; null when the section has no numeric format. */
    public RtpMap rtpMap() {
        return payloadType < 0 ? null : rtpMap(payloadType);
    }

    /**
     * The parameters of this section's first {@code a=fmtp} for the payload type, in written order, keys and values
     * trimmed and keys as written; lookups with {@code get}/{@code containsKey} ignore the case of the key. Values
     * keep embedded {@code =} ({@code sprop-parameter-sets=Z0IA...==,aM4...}). Tolerates spaces around {@code ;}
     * and {@code =}, a trailing {@code ;}, an empty {@code a=fmtp:96}, and space-separated parameters. Never null:
     * empty when there is no fmtp for the payload type. The map is unmodifiable.
     */
    public Map<String, String> formatParameters(int payloadType) {
        FormatParameters p = formatParameters.get(payloadType);
        return p != null ? p : FormatParameters.EMPTY;
    }

    /** {@link #formatParameters(int)} for {@link #payloadType()}. */
    public Map<String, String> formatParameters() {
        return formatParameters(payloadType);
    }

    void appendTo(StringBuilder sb) {
        sb.append("m=").append(mediaLine).append("\r\n");
        for (SdpLine line : lines) {
            line.appendTo(sb);
        }
    }

    /** This section as SDP text ({@code m=} line first, CRLF line ends). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(64 + 48 * lines.size());
        appendTo(sb);
        return sb.toString();
    }
}
