package io.github.camelrtsp.mp4;

import java.time.Duration;
import java.time.Instant;

/**
 * One self-contained, playable fragmented MP4: init segment ({@code ftyp} + {@code moov}) followed by one or more
 * {@code moof} + {@code mdat} fragments.
 *
 * @param data                   the MP4 file
 * @param start                  capture time of the first frame by the server's clock (RTCP) when known, else the
 *                               local time the first frame arrived
 * @param duration               media duration of the segment (of its video track when it has one)
 * @param presentationTimeMicros presentation time of the first frame on the session's timeline
 * @param videoFrames            video samples in the segment
 * @param audioFrames            audio samples in the segment (all audio tracks)
 * @param fragments              number of {@code moof} + {@code mdat} pairs
 * @param cutBySize              true when the segment was closed early because it reached the size limit
 */
public record Fmp4Segment(byte[] data, Instant start, Duration duration, long presentationTimeMicros, int videoFrames,
                          int audioFrames, int fragments, boolean cutBySize) {
}
