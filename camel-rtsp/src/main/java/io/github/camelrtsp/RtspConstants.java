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

    @Metadata(description = "output=frame: the frame's presentation time in microseconds on the session's timeline:"
                            + " monotonic across RTP timestamp wrap-around and comparable across the tracks of one"
                            + " session (aligned by RTCP sender reports, else RTP-Info, else the first frame)."
                            + " Video with B-frames keeps presentation order, so it is not increasing in decode"
                            + " order.",
              javaType = "long")
    public static final String PRESENTATION_TIME = "CamelRtspPresentationTime";

    @Metadata(description = "output=frame: the capture time of the frame by the server's clock, from the RTCP sender"
                            + " reports; absent until the first sender report arrived.",
              javaType = "java.time.Instant")
    public static final String WALL_CLOCK = "CamelRtspWallClock";

    @Metadata(description = "output=frame: whether decoding can start at this frame (an IDR, IRAP or JPEG image;"
                            + " true for every audio frame). H.264/H.265 key frames carry their parameter sets.",
              javaType = "boolean")
    public static final String KEY_FRAME = "CamelRtspKeyFrame";

    @Metadata(description = "output=frame: true on the first frame after data was lost, a frame was dropped or the"
                            + " timeline jumped.",
              javaType = "boolean")
    public static final String DISCONTINUITY = "CamelRtspDiscontinuity";

    @Metadata(description = "output=frame: codec configuration, where the format has one: the AudioSpecificConfig"
                            + " for AAC (for users who want raw AAC instead of ADTS), the OpusHead for Opus.",
              javaType = "byte[]")
    public static final String CODEC_CONFIG = "CamelRtspCodecConfig";

    @Metadata(description = "output=frame: audio samples per channel in the frame, where known.", javaType = "int")
    public static final String SAMPLE_COUNT = "CamelRtspSampleCount";

    @Metadata(description = "output=fmp4: when the segment starts: the capture time of its first frame by the"
                            + " server's clock (RTCP sender reports) when known, else the local time that frame"
                            + " arrived.",
              javaType = "java.time.Instant")
    public static final String SEGMENT_START = "CamelRtspSegmentStart";

    @Metadata(description = "output=fmp4: the media duration of the segment.", javaType = "java.time.Duration")
    public static final String SEGMENT_DURATION = "CamelRtspSegmentDuration";

    @Metadata(description = "output=fmp4: the number of the segment, from 0 for each consumer start.",
              javaType = "long")
    public static final String SEGMENT_SEQUENCE = "CamelRtspSegmentSequence";

    @Metadata(description = "output=fmp4 with fmp4Delivery=fragment: the number of the piece within its segment,"
                            + " from 0. Pieces of one segment share CamelRtspSegmentSequence and"
                            + " CamelRtspSegmentStart; CamelRtspSegmentDuration is not set on them.",
              javaType = "int")
    public static final String FRAGMENT_SEQUENCE = "CamelRtspFragmentSequence";

    @Metadata(description = "output=fmp4 with fmp4Delivery=fragment: true when the body starts with the init segment"
                            + " (ftyp and moov boxes), that is on the first piece of each segment, which plays on its"
                            + " own; false when it holds only moof and mdat boxes continuing the segment.",
              javaType = "boolean")
    public static final String INIT_SEGMENT = "CamelRtspInitSegment";

    @Metadata(description = "output=frame: the RTP clock rate of the track in Hz (90000 for video, usually the"
                            + " sampling rate for audio). The publish mode reads it when set.",
              javaType = "int")
    public static final String CLOCK_RATE = "CamelRtspClockRate";

    @Metadata(description = "output=frame: the number of audio channels of the track, where the SDP or the codec"
                            + " configuration gives it. The publish mode reads it when set.",
              javaType = "int")
    public static final String CHANNELS = "CamelRtspChannels";

    @Metadata(label = "producer", description = "The RTSP method the producer sends: OPTIONS, DESCRIBE, SETUP, PLAY,"
                                                + " PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER, ANNOUNCE or RECORD;"
                                                + " overrides the method option.",
              javaType = "String")
    public static final String METHOD = "CamelRtspMethod";

    @Metadata(label = "producer", description = "The URL of the request, absolute or relative to the Content-Base of"
                                                + " the last DESCRIBE answer (for example a track control URL for"
                                                + " SETUP); by default the endpoint URL.",
              javaType = "String")
    public static final String REQUEST_URI = "CamelRtspRequestUri";

    @Metadata(label = "producer", description = "The status code of the RTSP answer.", javaType = "int")
    public static final String STATUS_CODE = "CamelRtspStatusCode";

    @Metadata(label = "producer", description = "The reason phrase of the RTSP answer.", javaType = "String")
    public static final String REASON_PHRASE = "CamelRtspReasonPhrase";

    @Metadata(label = "producer", description = "The route id of a running rtsp consumer whose session PLAY or PAUSE"
                                                + " controls, instead of a request of the producer's own; overrides"
                                                + " the consumerRouteId option.",
              javaType = "String")
    public static final String CONSUMER_ROUTE_ID = "CamelRtspConsumerRouteId";

    @Metadata(description = "output=frame: System.nanoTime() of this JVM when the packet that completed the frame"
                            + " reached the consumer; System.nanoTime() minus this value is how long the frame"
                            + " waited before the route.",
              javaType = "long")
    public static final String RECEIVED_NANOS = "CamelRtspReceivedNanos";

    private RtspConstants() {
    }
}
