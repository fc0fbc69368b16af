package io.github.camelrtsp;

import io.github.camelrtsp.media.TimedFrame;
import org.apache.camel.Message;

/**
 * A whole frame waiting for the route (output=frame).
 *
 * @param frame       the frame with its timing
 * @param sessionId   RTSP session it arrived in
 * @param codecConfig codec configuration of the track (AAC AudioSpecificConfig, OpusHead), or null
 * @param packetsLost cumulative packets lost on the track when the frame was completed
 * @param receivedNanos {@link System#nanoTime()} when the packet that completed the frame reached the consumer
 */
record CapturedFrame(TimedFrame frame, String sessionId, byte[] codecConfig, long packetsLost, long receivedNanos)
        implements CapturedMedia {

    @Override
    public void writeTo(Message in) {
        in.setBody(frame.frame().data());
        if (sessionId != null) {
            in.setHeader(RtspConstants.SESSION_ID, sessionId);
        }
        in.setHeader(RtspConstants.TRACK, frame.track().index());
        in.setHeader(RtspConstants.MEDIA_TYPE, frame.track().mediaType());
        in.setHeader(RtspConstants.CODEC, frame.track().codec());
        in.setHeader(RtspConstants.PAYLOAD_TYPE, frame.track().payloadType());
        in.setHeader(RtspConstants.CLOCK_RATE, frame.track().clockRate());
        if (frame.track().channels() != null) {
            in.setHeader(RtspConstants.CHANNELS, frame.track().channels());
        }
        in.setHeader(RtspConstants.RTP_TIMESTAMP, frame.frame().rtpTimestamp());
        in.setHeader(RtspConstants.PRESENTATION_TIME, frame.presentationTimeMicros());
        if (frame.wallClock() != null) {
            in.setHeader(RtspConstants.WALL_CLOCK, frame.wallClock());
        }
        in.setHeader(RtspConstants.KEY_FRAME, frame.frame().keyFrame());
        in.setHeader(RtspConstants.DISCONTINUITY, frame.discontinuity());
        if (codecConfig != null) {
            in.setHeader(RtspConstants.CODEC_CONFIG, codecConfig);
        }
        if (frame.frame().sampleCount() > 0) {
            in.setHeader(RtspConstants.SAMPLE_COUNT, frame.frame().sampleCount());
        }
        in.setHeader(RtspConstants.PACKETS_LOST, packetsLost);
        in.setHeader(RtspConstants.RECEIVED_NANOS, receivedNanos);
    }
}
