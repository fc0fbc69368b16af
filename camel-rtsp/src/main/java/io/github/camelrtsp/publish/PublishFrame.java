package io.github.camelrtsp.publish;

import java.util.Map;
import java.util.Objects;

import io.github.camelrtsp.RtspConstants;

/**
 * One frame to publish, with the metadata of the consumer's frame exchanges.
 *
 * @param track              the source track index ({@link RtspConstants#TRACK}); frames of one track share a format
 * @param codec              the encoding name as given ({@link RtspConstants#CODEC})
 * @param data               the frame in the layout the consumer emits (Annex B, ADTS, Opus packet, samples ...)
 * @param presentationMicros presentation time in microseconds ({@link RtspConstants#PRESENTATION_TIME})
 * @param keyFrame           whether decoding can start here ({@link RtspConstants#KEY_FRAME}; true for audio)
 * @param discontinuity      whether data was lost right before it ({@link RtspConstants#DISCONTINUITY})
 * @param sampleCount        audio samples per channel, or 0 ({@link RtspConstants#SAMPLE_COUNT})
 */
public record PublishFrame(int track, String codec, byte[] data, long presentationMicros, boolean keyFrame,
                           boolean discontinuity, int sampleCount) {

    /** Checks the fields. */
    public PublishFrame {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(data, "data");
        if (track < 0) {
            throw new IllegalArgumentException("track index must not be negative: " + track);
        }
    }

    /**
     * The frame a message carries: {@code data} is the body; {@link RtspConstants#CODEC} and
     * {@link RtspConstants#PRESENTATION_TIME} are required, {@link RtspConstants#TRACK} defaults to 0,
     * {@link RtspConstants#KEY_FRAME} to true for audio and false for video, {@link RtspConstants#DISCONTINUITY} to
     * false and {@link RtspConstants#SAMPLE_COUNT} to 0.
     *
     * @throws IllegalArgumentException if a required header is missing or a header has the wrong kind of value
     */
    public static PublishFrame fromHeaders(Map<String, ?> headers, byte[] data) {
        Object codec = headers.get(RtspConstants.CODEC);
        if (codec == null) {
            throw new IllegalArgumentException("frame without header " + RtspConstants.CODEC);
        }
        if (data == null || data.length == 0) {
            throw new IllegalArgumentException("frame without a body");
        }
        Object pts = headers.get(RtspConstants.PRESENTATION_TIME);
        if (pts == null) {
            throw new IllegalArgumentException("frame without header " + RtspConstants.PRESENTATION_TIME);
        }
        Object key = headers.get(RtspConstants.KEY_FRAME);
        boolean keyFrame = key == null ? !isVideoCodec(codec.toString()) : bool(RtspConstants.KEY_FRAME, key);
        Object disc = headers.get(RtspConstants.DISCONTINUITY);
        Object track = headers.get(RtspConstants.TRACK);
        Object samples = headers.get(RtspConstants.SAMPLE_COUNT);
        return new PublishFrame(track == null ? 0 : (int) number(RtspConstants.TRACK, track), codec.toString(), data,
                                number(RtspConstants.PRESENTATION_TIME, pts), keyFrame,
                                disc != null && bool(RtspConstants.DISCONTINUITY, disc),
                                samples == null ? 0 : (int) number(RtspConstants.SAMPLE_COUNT, samples));
    }

    /** Whether the encoding name is one of the video codecs that can be published (H264, H265, JPEG). */
    static boolean isVideoCodec(String codec) {
        String c = codec.trim();
        return c.equalsIgnoreCase("H264") || c.equalsIgnoreCase("H265") || c.equalsIgnoreCase("JPEG");
    }

    private static long number(String name, Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("header " + name + " is not a number: '" + value + "'", e);
        }
    }

    private static boolean bool(String name, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        String s = value.toString().trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException("header " + name + " is not a boolean: '" + value + "'");
    }
}
