package io.github.camelrtsp.client;

/** How RTP and RTCP travel from the server to the client. */
public enum TransportMode {
    /** Interleaved in the RTSP TCP connection (RFC 2326 10.12): no loss, backpressure through TCP. */
    TCP,
    /** Unicast UDP port pairs. */
    UDP,
    /** UDP first; TCP when the server answers 461 or no RTP arrives in time. */
    AUTO
}
