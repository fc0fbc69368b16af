package io.github.camelrtsp.publish;

import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.github.camelrtsp.RtspConstants;
import io.github.camelrtsp.format.aac.AudioSpecificConfig;

/**
 * What an outgoing track carries: media type, encoding name, RTP clock rate, channels and the format parameters known
 * before the first frame. Built from a frame's metadata with {@link #fromHeaders(Map)} or {@link #of}, which fill in
 * what the codec implies:
 * <ul>
 * <li>H264, H265, JPEG: video, clock rate 90000 (parameter sets are learnt from the key frames later);</li>
 * <li>MPEG4-GENERIC (AAC in ADTS frames): clock rate and channels from the AudioSpecificConfig when given (it is also
 *     announced as fmtp {@code config}); MP4A-LATM frames (also ADTS) are published as MPEG4-GENERIC;</li>
 * <li>OPUS: 48000 Hz, channels from the OpusHead when given (the rtpmap of Opus always says 2), else as given,
 *     else 2;</li>
 * <li>PCMU, PCMA, G722: 8000 Hz (RFC 3551 gives G722 an 8000 Hz RTP clock), one channel unless given;</li>
 * <li>L16, L8: the clock rate must be given; one channel unless given.</li>
 * </ul>
 *
 * @param mediaType {@code video} or {@code audio}
 * @param codec     encoding name, upper case: one that {@link io.github.camelrtsp.format.Packetizers} packetizes
 * @param clockRate RTP clock rate in Hz
 * @param channels  audio channels, or null for video
 * @param fmtp      format parameters known up front (AAC {@code config}); unmodifiable, never null
 */
public record TrackFormat(String mediaType, String codec, int clockRate, Integer channels, Map<String, String> fmtp) {

    /** Validates and copies. */
    public TrackFormat {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(codec, "codec");
        if (!mediaType.equals("video") && !mediaType.equals("audio")) {
            throw new IllegalArgumentException("media type must be video or audio: '" + mediaType + "'");
        }
        if (clockRate <= 0) {
            throw new IllegalArgumentException(codec + ": clock rate must be positive: " + clockRate);
        }
        if (channels != null && (channels < 1 || channels > 255)) {
            throw new IllegalArgumentException(codec + ": channel count must be 1..255: " + channels);
        }
        fmtp = fmtp == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fmtp));
    }

    /** True for a video track. */
    public boolean isVideo() {
        return mediaType.equals("video");
    }

    /**
     * The format of the frames described by a frame message's headers: {@link RtspConstants#CODEC} (required),
     * {@link RtspConstants#MEDIA_TYPE}, {@link RtspConstants#CLOCK_RATE}, {@link RtspConstants#CHANNELS} and
     * {@link RtspConstants#CODEC_CONFIG} (all optional; numbers may be given as any {@link Number} or as text).
     *
     * @throws IllegalArgumentException if the codec header is missing, names a codec that cannot be published, or a
     *                                  header has a value of the wrong kind
     */
    public static TrackFormat fromHeaders(Map<String, ?> headers) {
        Objects.requireNonNull(headers, "headers");
        Object codec = headers.get(RtspConstants.CODEC);
        if (codec == null) {
            throw new IllegalArgumentException("frame without header " + RtspConstants.CODEC);
        }
        Object config = headers.get(RtspConstants.CODEC_CONFIG);
        if (config != null && !(config instanceof byte[])) {
            throw new IllegalArgumentException("header " + RtspConstants.CODEC_CONFIG + " must be a byte[], not "
                                               + config.getClass().getName());
        }
        return of(text(headers.get(RtspConstants.MEDIA_TYPE)), codec.toString(),
                  integer(headers, RtspConstants.CLOCK_RATE), integer(headers, RtspConstants.CHANNELS),
                  (byte[]) config);
    }

    /**
     * The format of a track from what is known of it; see the class description for what is derived.
     *
     * @param mediaType   {@code video}, {@code audio} or null to derive it from the codec
     * @param codec       encoding name in any case (H264, H265, JPEG, MPEG4-GENERIC, MP4A-LATM, OPUS, PCMU, PCMA,
     *                    G722, L16, L8)
     * @param clockRate   RTP clock rate, or null to derive it
     * @param channels    channels, or null to derive them
     * @param codecConfig AAC AudioSpecificConfig or Opus OpusHead, or null
     * @throws IllegalArgumentException if the codec cannot be published, the media type does not match it, the codec
     *                                  config is invalid, or the clock rate is required and missing
     */
    public static TrackFormat of(String mediaType, String codec, Integer clockRate, Integer channels,
            byte[] codecConfig) {
        String name = codec == null ? "" : codec.trim().toUpperCase(Locale.ROOT);
        String type;
        int rate;
        Integer ch = channels;
        Map<String, String> fmtp = new LinkedHashMap<>();
        switch (name) {
            case "H264":
            case "H265":
            case "JPEG":
                type = "video";
                rate = 90000;
                ch = null;
                break;
            case "MP4A-LATM":
            case "MPEG4-GENERIC":
                name = "MPEG4-GENERIC";
                type = "audio";
                if (codecConfig != null && codecConfig.length > 0) {
                    AudioSpecificConfig asc;
                    try {
                        asc = AudioSpecificConfig.parse(codecConfig);
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException("invalid AAC AudioSpecificConfig: " + e.getMessage(), e);
                    }
                    rate = clockRate != null ? clockRate : asc.samplingFrequency();
                    if (ch == null && asc.channelCount() > 0) {
                        ch = asc.channelCount();
                    }
                    fmtp.put("config", HexFormat.of().formatHex(asc.bytes()));
                } else {
                    rate = required(name, clockRate);
                }
                break;
            case "OPUS":
                type = "audio";
                rate = 48000;
                Integer fromHead = opusHeadChannels(codecConfig);
                if (fromHead != null) {
                    ch = fromHead;
                } else if (ch == null) {
                    ch = 2;
                }
                break;
            case "PCMU":
            case "PCMA":
            case "G722":
                type = "audio";
                rate = 8000;
                break;
            case "L16":
            case "L8":
                type = "audio";
                rate = required(name, clockRate);
                break;
            default:
                throw new IllegalArgumentException("cannot publish codec '" + codec + "' (supported: H264, H265, JPEG,"
                                                   + " MPEG4-GENERIC, MP4A-LATM, OPUS, PCMU, PCMA, G722, L16, L8)");
        }
        if (type.equals("audio") && ch == null) {
            ch = 1;
        }
        if (mediaType != null && !mediaType.isBlank() && !mediaType.trim().equalsIgnoreCase(type)) {
            throw new IllegalArgumentException("codec " + name + " is " + type + ", not " + mediaType.trim());
        }
        return new TrackFormat(type, name, rate, ch, fmtp);
    }

    /** Channel count of an OpusHead (RFC 7845 5.1): byte 9 when 1 or 2; null when there is no such head. */
    private static Integer opusHeadChannels(byte[] head) {
        if (head != null && head.length >= 19 && head[0] == 'O' && head[1] == 'p' && head[2] == 'u'
            && head[3] == 's' && head[4] == 'H' && head[5] == 'e' && head[6] == 'a' && head[7] == 'd'
            && (head[9] == 1 || head[9] == 2)) {
            return (int) head[9];
        }
        return null;
    }

    private static int required(String codec, Integer clockRate) {
        if (clockRate == null) {
            throw new IllegalArgumentException(codec + " needs the clock rate (header " + RtspConstants.CLOCK_RATE
                                               + ")");
        }
        return clockRate;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static Integer integer(Map<String, ?> headers, String name) {
        Object value = headers.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.valueOf(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("header " + name + " is not a number: '" + value + "'", e);
        }
    }
}
