package io.github.camelrtsp.format;

/**
 * One whole media frame (access unit) rebuilt from RTP packets: what the consumer emits with {@code output=frame}.
 *
 * @param rtpTimestamp RTP timestamp of the frame (unsigned 32-bit), in the track's clock
 * @param data         the frame in the format's documented byte layout (Annex B for H.264/H.265, a JPEG image, an
 *                     ADTS frame, ...); owned by the receiver
 * @param keyFrame     true for a frame that decoding can start from (always true for audio)
 * @param discontinuity true when data was lost or skipped right before this frame
 * @param sampleCount  audio samples per channel in this frame, or 0 where unknown / not audio
 */
public record MediaFrame(long rtpTimestamp, byte[] data, boolean keyFrame, boolean discontinuity, int sampleCount) {
}
