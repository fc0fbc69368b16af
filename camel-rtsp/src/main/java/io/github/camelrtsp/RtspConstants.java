package io.github.camelrtsp;

import org.apache.camel.spi.Metadata;

/** Names of the message headers the {@code rtsp} consumer sets on every exchange. */
public final class RtspConstants {

    @Metadata(description = "The camera URL being played, without user info and with secret-looking query values"
                            + " masked.",
              javaType = "String")
    public static final String RTSP_URI = "CamelRtspUri";

    @Metadata(description = "The RTSP session identifier the camera assigned (changes on reconnect).",
              javaType = "String")
    public static final String SESSION_ID = "CamelRtspSessionId";

    @Metadata(description = "The 0-based index of the media section in the SDP that the packet belongs to.",
              javaType = "int")
    public static final String TRACK = "CamelRtspTrack";

    @Metadata(description = "The media type of the track: video, audio or application.", javaType = "String")
    public static final String MEDIA_TYPE = "CamelRtspMediaType";

    @Metadata(description = "The encoding name of the track in upper case, for example H264, H265, PCMA,"
                            + " MPEG4-GENERIC.",
              javaType = "String")
    public static final String CODEC = "CamelRtspCodec";

    @Metadata(description = "The RTP payload type of the packet.", javaType = "int")
    public static final String PAYLOAD_TYPE = "CamelRtspPayloadType";

    @Metadata(description = "The RTP sequence number of the packet (0 to 65535).", javaType = "int")
    public static final String SEQUENCE_NUMBER = "CamelRtspSequenceNumber";

    @Metadata(description = "The RTP timestamp of the packet, an unsigned 32-bit value in the track's clock rate.",
              javaType = "long")
    public static final String RTP_TIMESTAMP = "CamelRtspRtpTimestamp";

    @Metadata(description = "The RTP synchronization source (SSRC) of the packet, an unsigned 32-bit value.",
              javaType = "long")
    public static final String SSRC = "CamelRtspSsrc";

    @Metadata(description = "The RTP marker bit; for video it marks the last packet of a frame.", javaType = "boolean")
    public static final String MARKER = "CamelRtspMarker";

    @Metadata(description = "The cumulative number of RTP packets lost on the track in the current session, as"
                            + " counted when the packet arrived.",
              javaType = "long")
    public static final String PACKETS_LOST = "CamelRtspPacketsLost";

    private RtspConstants() {
    }
}
