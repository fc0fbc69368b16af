package io.github.camelrtsp.server;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/** Writes the SDP (RFC 4566) a DESCRIBE of a {@link ServerStream} answers with. */
final class SdpWriter {

    private SdpWriter() {
    }

    /**
     * Session level: v, o (with the stream's session id and the server address), s, c (unspecified address), t 0 0,
     * a=tool, a=range:npt=now- and a=control:*; then per track m=, a=rtpmap, a=fmtp (when parameters exist) and
     * a=control:trackID=N.
     */
    static String write(ServerStream stream, InetAddress serverAddress, String sessionName) {
        String family = serverAddress instanceof Inet6Address ? "IP6" : "IP4";
        String address = serverAddress.getHostAddress();
        int zone = address.indexOf('%');
        if (zone >= 0) {
            address = address.substring(0, zone);
        }
        StringBuilder sdp = new StringBuilder(512);
        line(sdp, "v=0");
        line(sdp, "o=- " + Long.toUnsignedString(stream.sdpSessionId()) + " 1 IN " + family + " " + address);
        line(sdp, "s=" + sessionName);
        line(sdp, "c=IN " + family + (family.equals("IP6") ? " ::" : " 0.0.0.0"));
        line(sdp, "t=0 0");
        line(sdp, "a=tool:" + sessionName);
        line(sdp, "a=range:npt=now-");
        line(sdp, "a=control:*");
        List<ServerTrack> tracks = stream.tracks();
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
