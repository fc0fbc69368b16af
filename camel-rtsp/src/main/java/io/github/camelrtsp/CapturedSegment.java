package io.github.camelrtsp;

import io.github.camelrtsp.mp4.Fmp4Segment;
import org.apache.camel.Message;

/**
 * A finished fragmented MP4 segment waiting for the route (output=fmp4).
 *
 * @param segment   the segment
 * @param sequence  its number, from 0 per consumer start
 * @param sessionId RTSP session it was recorded in
 */
record CapturedSegment(Fmp4Segment segment, long sequence, String sessionId) implements CapturedMedia {

    @Override
    public void writeTo(Message in) {
        in.setBody(segment.data());
        if (sessionId != null) {
            in.setHeader(RtspConstants.SESSION_ID, sessionId);
        }
        in.setHeader(RtspConstants.SEGMENT_START, segment.start());
        in.setHeader(RtspConstants.SEGMENT_DURATION, segment.duration());
        in.setHeader(RtspConstants.SEGMENT_SEQUENCE, sequence);
    }
}
