package io.github.camelrtsp.client;

import java.util.List;
import java.util.Map;

import io.github.camelrtsp.headers.RtpInfoHeader;

/**
 * What a playing session is: its id, the transport in use, the tracks that were set up, the SDP, and the PLAY
 * answer's RTP-Info per track index (empty when the server sent none or it matched no track).
 */
public record RtspSessionInfo(String sessionId, TransportMode transport, List<MediaTrack> tracks, String sdp,
                              Map<Integer, RtpInfoHeader.Entry> rtpInfo) {

    public RtspSessionInfo {
        tracks = List.copyOf(tracks);
        rtpInfo = Map.copyOf(rtpInfo);
    }
}
