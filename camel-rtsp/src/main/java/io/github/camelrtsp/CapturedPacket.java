package io.github.camelrtsp;

import org.apache.camel.Message;

/**
 * What the consumer keeps of one RTP packet between the Netty I/O thread and the route: the header values and a copy
 * of the payload (the packet buffer itself is only valid during the listener call).
 *
 * @param track          0-based SDP media index
 * @param mediaType      video, audio or application
 * @param codec          upper-case encoding name
 * @param sessionId      RTSP session the packet arrived in
 * @param payloadType    RTP payload type
 * @param sequenceNumber RTP sequence number
 * @param rtpTimestamp   RTP timestamp (unsigned 32-bit)
 * @param ssrc           RTP SSRC (unsigned 32-bit)
 * @param marker         RTP marker bit
 * @param packetsLost    cumulative packets lost on the track when the packet arrived
 * @param payload        the RTP payload, owned by this record
 */
record CapturedPacket(int track, String mediaType, String codec, String sessionId, int payloadType,
                      int sequenceNumber, long rtpTimestamp, long ssrc, boolean marker, long packetsLost,
                      byte[] payload) implements CapturedMedia {

    @Override
    public void writeTo(Message in) {
        in.setBody(payload);
        if (sessionId != null) {
            in.setHeader(RtspConstants.SESSION_ID, sessionId);
        }
        in.setHeader(RtspConstants.TRACK, track);
        in.setHeader(RtspConstants.MEDIA_TYPE, mediaType);
        in.setHeader(RtspConstants.CODEC, codec);
        in.setHeader(RtspConstants.PAYLOAD_TYPE, payloadType);
        in.setHeader(RtspConstants.SEQUENCE_NUMBER, sequenceNumber);
        in.setHeader(RtspConstants.RTP_TIMESTAMP, rtpTimestamp);
        in.setHeader(RtspConstants.SSRC, ssrc);
        in.setHeader(RtspConstants.MARKER, marker);
        in.setHeader(RtspConstants.PACKETS_LOST, packetsLost);
    }
}
