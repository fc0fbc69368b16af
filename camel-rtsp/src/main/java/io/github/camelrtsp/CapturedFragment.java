package io.github.camelrtsp;

import io.github.camelrtsp.mp4.Fmp4Fragment;
import org.apache.camel.Message;

/**
 * A piece of a fragmented MP4 segment waiting for the route (output=fmp4, fmp4Delivery=fragment).
 *
 * @param fragment  the piece
 * @param sequence  number of the segment it belongs to, from 0 per consumer start
 * @param sessionId RTSP session it was recorded in
 */
record CapturedFragment(Fmp4Fragment fragment, long sequence, String sessionId) implements CapturedMedia {

    @Override
    public void writeTo(Message in) {
        in.setBody(fragment.data());
        if (sessionId != null) {
            in.setHeader(RtspConstants.SESSION_ID, sessionId);
        }
        in.setHeader(RtspConstants.SEGMENT_START, fragment.segmentStart());
        in.setHeader(RtspConstants.SEGMENT_SEQUENCE, sequence);
        in.setHeader(RtspConstants.FRAGMENT_SEQUENCE, fragment.index());
        in.setHeader(RtspConstants.INIT_SEGMENT, fragment.withInit());
    }
}
