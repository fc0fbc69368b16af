package io.github.camelrtsp.server;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * Writes an SDP (RFC 4566) for a list of {@link ServerTrack}s: what a DESCRIBE of a {@link ServerStream} answers with,
 * and what a publisher sends with ANNOUNCE.
 */
public final class SdpWriter {

    private SdpWriter() {
    }

    /**
     * Session level: v, o (with the stream's session id and the server address), s, c (unspecified address), t 0 0,
     * a=tool, a=range:npt=now- and a=control:*; then per track m=, a=rtpmap, a=fmtp (when parameters exist) and
     * a=control:trackID=N.
     */
    static String write(ServerStream stream, InetAddress serverAddress, String sessionName) {
        return write(stream.tracks(), stream.sdpSessionId(), serverAddress, sessionName);
    }

    /**
     * The SDP of {@code tracks}: session level v, o (with {@code sessionId} and {@code address}), s, c (unspecified
     * address), t 0 0, a=tool, a=range:npt=now- and a=control:*; then per track m=, a=rtpmap, a=fmtp (when
     * parameters exist) and a=control:trackID=N, N being the index in the list.
     *
     * @param tracks      the media sections, in order
     * @param sessionId   the origin's session id (unsigned)
     * @param origin      the origin's address
     * @param sessionName the s= and a=tool value
     */
    public static String write(List<ServerTrack> tracks, long sessionId, InetAddress origin, String sessionName) {
        String family = origin instanceof Inet6Address ? "IP6" : "IP4";
        String address = origin.getHostAddress();
        int zone = address.indexOf('%');
        if (zone >= 0) {
            address = address.substring(0, zone);
        }
        StringBuilder sdp = new StringBuilder(512);
        line(sdp, "v=0");
        line(sdp, "o=- " + Long.toUnsignedString(sessionId) + " 1 IN " + family + " " + address);
        line(sdp, "s=" + sessionName);
        line(sdp, "c=IN " + family + (family.equals("IP6") ? " ::" : " 0.0.0.0"));
        line(sdp, "t=0 0");
        line(sdp, "a=tool:" + sessionName);
        line(sdp, "a=range:npt=now-");
        line(sdp, "a=control:*");
        for (int i = 0; i < tracks.size(); i++) {
            ServerTrack t = tracks.get(i);
            line(sdp, "m=" + t.mediaType() + " 0 RTP/AVP " + t.payloadType());
            line(sdp, "a=rtpmap:" + t.payloadType() + " " + t.rtpmap());
            if (!t.fmtp().isEmpty()) {
                StringBuilder f = new StringBuilder();
                for (Map.Entry<String, String> e : t.fmtp().entrySet()) {
                    if (f.length() > 0) {
                        f.append(';');
                    }
                    f.append(e.getKey()).append('=').append(e.getValue());
                }
                line(sdp, "a=fmtp:" + t.payloadType() + " " + f);
            }
            line(sdp, "a=control:trackID=" + i);
        }
        return sdp.toString();
    }

    private static void line(StringBuilder sdp, String line) {
        sdp.append(line).append("\r\n");
    }
}
