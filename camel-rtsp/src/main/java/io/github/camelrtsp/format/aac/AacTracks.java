package io.github.camelrtsp.format.aac;

import io.github.camelrtsp.format.FormatParameters;

/** What the two AAC depacketizers share: the checks of a track's parameters and the RTP duration of frames. */
final class AacTracks {

    private AacTracks() {
    }

    /**
     * Checks the parameters every AAC depacketizer needs.
     *
     * @param params the track's parameters
     * @param codec  the codec name the depacketizer reads, e.g. {@code MP4A-LATM} (case is ignored)
     * @throws IllegalArgumentException for another codec, a clock rate below 1 or a maximum frame size that does not
     *                                  leave room after an ADTS header
     */
    static void check(FormatParameters params, String codec) {
        if (!codec.equalsIgnoreCase(params.codec())) {
            throw new IllegalArgumentException("codec " + params.codec() + " is not " + codec);
        }
        if (params.clockRate() <= 0) {
            throw new IllegalArgumentException("clock rate " + params.clockRate() + " is not positive");
        }
        if (params.maxFrameSize() <= AdtsFramer.HEADER_LENGTH) {
            throw new IllegalArgumentException("maximum frame size " + params.maxFrameSize() + " is too small");
        }
    }

    /**
     * RTP clock ticks that {@code frames} access units of {@code config} last at {@code clockRate}, rounded to the
     * nearest tick.
     */
    static long ticks(AudioSpecificConfig config, int clockRate, long frames) {
        long rate = config.samplingFrequency();
        return (2 * frames * config.frameLength() * clockRate + rate) / (2 * rate);
    }
}
