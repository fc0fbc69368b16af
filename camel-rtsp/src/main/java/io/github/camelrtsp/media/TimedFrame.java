package io.github.camelrtsp.media;

import java.time.Instant;

import io.github.camelrtsp.client.MediaTrack;
import io.github.camelrtsp.format.MediaFrame;

/**
 * A whole media frame with its place in time.
 *
 * @param track                  the track it belongs to
 * @param frame                  the frame (body, RTP timestamp, key frame flag, sample count)
 * @param presentationTimeMicros microseconds on the session's timeline (see {@link io.github.camelrtsp.timing
 *                               .PresentationClock}): monotonic across RTP timestamp wrap-around and comparable
 *                               across the tracks of the session; B-frames keep their presentation order
 * @param wallClock              capture time from the RTCP sender reports, or null before one arrived
 * @param discontinuity          data was lost or skipped, or the timeline jumped, right before this frame
 */
public record TimedFrame(MediaTrack track, MediaFrame frame, long presentationTimeMicros, Instant wallClock,
                         boolean discontinuity) {
}
