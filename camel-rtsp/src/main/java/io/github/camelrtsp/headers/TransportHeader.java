package io.github.camelrtsp.headers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One transport specification of an RTSP {@code Transport} header (RFC 2326 section 12.39), for example
 * {@code RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=4cacc3d1}. Parameters may come in any order and names compare
 * case-insensitively; values that cannot be read make their accessor return {@code null} instead of failing.
 * Immutable.
 */
public final class TransportHeader {

    private final String spec;
    private final String profile;
    private final String lowerTransport;
    /** Parameters as written: name, then value or {@code null} for a flag. */
    private final List<String[]> params;

    private TransportHeader(String spec, List<String[]> params) {
        this.spec = spec;
        String[] parts = spec.split("/", -1);
        this.profile = parts.length >= 2 ? parts[0] + '/' + parts[1] : spec;
        this.lowerTransport = parts.length >= 3 ? parts[2] : null;
        this.params = params;
    }

    /**
     * Parses one transport specification.
     *
     * @throws IllegalArgumentException if the value is blank or has no transport protocol
     */
    public static TransportHeader parse(String value) {
        Objects.requireNonNull(value, "Transport header value");
        List<String> parts = HeaderTokens.split(value, ';');
        if (parts.isEmpty() || parts.get(0).indexOf('=') >= 0) {
            throw new IllegalArgumentException("Transport header does not start with a transport protocol such"
                    + " as RTP/AVP: '" + value.trim() + "'");
        }
        List<String[]> params = new ArrayList<>(parts.size() - 1);
        for (int i = 1; i < parts.size(); i++) {
            String p = parts.get(i);
            int eq = p.indexOf('=');
            String name = (eq < 0 ? p : p.substring(0, eq)).trim();
            if (!name.isEmpty()) {
                params.add(new String[] {name, eq < 0 ? null : p.substring(eq + 1).trim()});
            }
        }
        return new TransportHeader(parts.get(0), Collections.unmodifiableList(params));
    }

    /**
     * Parses a header value that lists alternatives separated by commas.
     *
     * @throws IllegalArgumentException if any alternative cannot be parsed or none is present
     */
    public static List<TransportHeader> parseList(String value) {
        Objects.requireNonNull(value, "Transport header value");
        List<TransportHeader> result = new ArrayList<>();
        for (String alternative : HeaderTokens.split(value, ',')) {
            result.add(parse(alternative));
        }
        if (result.isEmpty()) {
            throw new IllegalArgumentException("Transport header is empty");
        }
        return Collections.unmodifiableList(result);
    }

    /** What a client asks for RTP over the RTSP connection: {@code RTP/AVP/TCP;unicast;interleaved=n-(n+1)}. */
    public static TransportHeader tcpInterleaved(int rtpChannel) {
        if (rtpChannel < 0 || rtpChannel > 254) {
            throw new IllegalArgumentException("interleaved RTP channel must be 0..254: " + rtpChannel);
        }
        return parse("RTP/AVP/TCP;unicast;interleaved=" + rtpChannel + '-' + (rtpChannel + 1));
    }

    /** What a client asks for RTP over UDP: {@code RTP/AVP;unicast;client_port=p-(p+1)}. */
    public static TransportHeader udpUnicast(int rtpPort) {
        if (rtpPort < 1 || rtpPort > 65534) {
            throw new IllegalArgumentException("client RTP port must be 1..65534: " + rtpPort);
        }
        return parse("RTP/AVP;unicast;client_port=" + rtpPort + '-' + (rtpPort + 1));
    }

    /** What a client asks for multicast delivery: {@code RTP/AVP;multicast}. */
    public static TransportHeader udpMulticast() {
        return parse("RTP/AVP;multicast");
    }

    /**
     * Returns a copy with parameter {@code name} set to {@code value} ({@code null} for a flag such as
     * {@code unicast}), replacing an existing one of that name in place or appending it.
     */
    public TransportHeader with(String name, String value) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || (name + (value == null ? "" : value)).matches(".*[;,=\"\\s].*")) {
            throw new IllegalArgumentException("Transport parameter cannot contain ';', ',', '=', quotes or white"
                    + " space: " + name + "=" + value);
        }
        List<String[]> copy = new ArrayList<>(params.size() + 1);
        boolean replaced = false;
        for (String[] p : params) {
            if (!replaced && p[0].equalsIgnoreCase(name)) {
                copy.add(new String[] {name, value});
                replaced = true;
            } else if (!p[0].equalsIgnoreCase(name)) {
                copy.add(p);
            }
        }
        if (!replaced) {
            copy.add(new String[] {name, value});
        }
        return new TransportHeader(spec, Collections.unmodifiableList(copy));
    }

    /** Returns the transport protocol and profile, such as {@code RTP/AVP} or {@code RTP/SAVP}. */
    public String profile() {
        return profile;
    }

    /** Returns the lower transport as written ({@code TCP}, {@code UDP}) or {@code null} when not given (UDP). */
    public String lowerTransport() {
        return lowerTransport;
    }

    /** Returns whether the lower transport is TCP (as in {@code RTP/AVP/TCP}). */
    public boolean tcp() {
        return "TCP".equalsIgnoreCase(lowerTransport);
    }

    /**
     * Returns whether delivery is unicast. RFC 2326 makes multicast the default, but servers that omit both flags
     * mean unicast, so this is true unless {@code multicast} is given (and {@code unicast} is not).
     */
    public boolean unicast() {
        return !multicast();
    }

    /** Returns whether the {@code multicast} flag is given (without {@code unicast}). */
    public boolean multicast() {
        return has("multicast") && !has("unicast");
    }

    /** Returns the two interleaved channels; a single value {@code n} means {@code n, n+1}; null when absent. */
    public int[] interleaved() {
        return HeaderTokens.pair(param("interleaved"), 255);
    }

    /** Returns the client's RTP and RTCP ports ({@code client_port}), or {@code null}. */
    public int[] clientPort() {
        return HeaderTokens.pair(param("client_port"), 65535);
    }

    /** Returns the server's RTP and RTCP ports ({@code server_port}), or {@code null}. */
    public int[] serverPort() {
        return HeaderTokens.pair(param("server_port"), 65535);
    }

    /** Returns the multicast RTP and RTCP ports ({@code port}), or {@code null}. */
    public int[] port() {
        return HeaderTokens.pair(param("port"), 65535);
    }

    /**
     * Returns the SSRC (hexadecimal; white space and fewer than 8 digits tolerated) or {@code null} when absent or
     * unreadable.
     */
    public Long ssrc() {
        String v = param("ssrc");
        return v == null ? null : HeaderTokens.hex32(HeaderTokens.unquote(v));
    }

    /** Returns the mode without quotes ({@code PLAY}, {@code play}, {@code RECORD}) as written, or {@code null}. */
    public String mode() {
        String v = param("mode");
        return v == null ? null : HeaderTokens.unquote(v);
    }

    /** Returns the {@code destination} address, or {@code null}. */
    public String destination() {
        String v = param("destination");
        return v == null ? null : HeaderTokens.unquote(v);
    }

    /** Returns the {@code source} address, or {@code null}. */
    public String source() {
        String v = param("source");
        return v == null ? null : HeaderTokens.unquote(v);
    }

    /** Returns the multicast {@code ttl}, or {@code null}. */
    public Integer ttl() {
        Long v = HeaderTokens.decimal(param("ttl"), 0, 255);
        return v == null ? null : v.intValue();
    }

    /** Returns the raw value of parameter {@code name} (case-insensitive), "" for a flag, {@code null} if absent. */
    public String param(String name) {
        for (String[] p : params) {
            if (p[0].equalsIgnoreCase(name)) {
                return p[1] == null ? "" : p[1];
            }
        }
        return null;
    }

    /** Returns whether parameter or flag {@code name} is present. */
    public boolean has(String name) {
        return param(name) != null;
    }

    /** Returns the wire form, for example {@code RTP/AVP/TCP;unicast;interleaved=0-1}. */
    public String format() {
        StringBuilder sb = new StringBuilder(spec);
        for (String[] p : params) {
            sb.append(';').append(p[0]);
            if (p[1] != null) {
                sb.append('=').append(p[1]);
            }
        }
        return sb.toString();
    }

    /** Same as {@link #format()}. */
    @Override
    public String toString() {
        return format();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransportHeader
                && format().toLowerCase(Locale.ROOT).equals(((TransportHeader) o).format().toLowerCase(Locale.ROOT));
    }

    @Override
    public int hashCode() {
        return format().toLowerCase(Locale.ROOT).hashCode();
    }
}
