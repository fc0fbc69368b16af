package io.github.camelrtsp.client;

import java.util.List;

/** What a playing session is: its id, the transport in use and the tracks that were set up. */
public record RtspSessionInfo(String sessionId, TransportMode transport, List<MediaTrack> tracks, String sdp) {
}
