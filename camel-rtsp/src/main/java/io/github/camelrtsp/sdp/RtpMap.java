package io.github.camelrtsp.sdp;

import java.util.Locale;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an RTP payload type carries: the {@code a=rtpmap} attribute ({@code <pt> <encoding>/<clock rate>[/<channels>]})
 * or an entry of the RFC 3551 static payload type table.
 *
 * @param payloadType  the RTP payload type, 0 to 127
 * @param encodingName the encoding name as written (for example {@code mpeg4-generic} or {@code H264})
 * @param clockRate    the RTP clock rate in Hz, always positive
 * @param channels     the channel count when one is given, else null (RFC 3551: audio without it has one channel)
 */
public record RtpMap(int payloadType, String encodingName, int clockRate, Integer channels) {

    private static final Logger LOG = LoggerFactory.getLogger(RtpMap.class);

    /** Clock rate used for a non-audio media whose rtpmap has no (usable) clock rate and no static entry. */
    static final int DEFAULT_VIDEO_CLOCK_RATE = 90_000;
    /** Clock rate used for an audio media whose rtpmap has no (usable) clock rate and no static entry. */
    static final int DEFAULT_AUDIO_CLOCK_RATE = 8_000;

    private static final RtpMap[] STATIC = new RtpMap[35];

    static {
        defineStatic(0, "PCMU", 8000, 1);
        defineStatic(3, "GSM", 8000, 1);
        defineStatic(4, "G723", 8000, 1);
        defineStatic(5, "DVI4", 8000, 1);
        defineStatic(6, "DVI4", 16000, 1);
        defineStatic(7, "LPC", 8000, 1);
        defineStatic(8, "PCMA", 8000, 1);
        defineStatic(9, "G722", 8000, 1);
        defineStatic(10, "L16", 44100, 2);
        defineStatic(11, "L16", 44100, 1);
        defineStatic(12, "QCELP", 8000, 1);
        defineStatic(13, "CN", 8000, 1);
        defineStatic(14, "MPA", 90000, null);
        defineStatic(15, "G728", 8000, 1);
        defineStatic(16, "DVI4", 11025, 1);
        defineStatic(17, "DVI4", 22050, 1);
        defineStatic(18, "G729", 8000, 1);
        defineStatic(25, "CelB", 90000, null);
        defineStatic(26, "JPEG", 90000, null);
        defineStatic(28, "nv", 90000, null);
        defineStatic(31, "H261", 90000, null);
        defineStatic(32, "MPV", 90000, null);
        defineStatic(33, "MP2T", 90000, null);
        defineStatic(34, "H263", 90000, null);
    }

    private static void defineStatic(int pt, String name, int clockRate, Integer channels) {
        STATIC[pt] = new RtpMap(pt, name, clockRate, channels);
    }

    /** Checks the ranges given in the component descriptions. */
    public RtpMap {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type out of range 0-127: " + payloadType);
        }
        Objects.requireNonNull(encodingName, "encodingName");
        if (encodingName.isEmpty()) {
            throw new IllegalArgumentException("encoding name is empty");
        }
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate must be positive: " + clockRate);
        }
        if (channels != null && channels <= 0) {
            throw new IllegalArgumentException("channel count must be positive: " + channels);
        }
    }

    /** The encoding name in upper case, for comparisons: H264, H265, MPEG4-GENERIC, PCMA, OPUS, ... */
    public String codec() {
        return encodingName.toUpperCase(Locale.ROOT);
    }

    /**
     * The RFC 3551 (section 6) static assignment of a payload type: 0 PCMU/8000/1, 3 GSM, 4 G723, 5 and 6 DVI4,
     * 7 LPC, 8 PCMA/8000/1, 9 G722/8000/1, 10 L16/44100/2, 11 L16/44100/1, 12 QCELP, 13 CN, 14 MPA/90000, 15 G728,
     * 16 and 17 DVI4, 18 G729, 25 CelB, 26 JPEG/90000, 28 nv, 31 H261, 32 MPV, 33 MP2T, 34 H263 (all video and MPA
     * entries without a channel count).
     *
     * @return the entry, or null for a dynamic, reserved or unassigned payload type
     */
    public static RtpMap staticPayloadType(int pt) {
        return pt >= 0 && pt < STATIC.length ? STATIC[pt] : null;
    }

    /**
     * Reads the value of an {@code a=rtpmap} attribute. White space anywhere after the payload type is ignored
     * ({@code 96 H264 / 90000} is read as {@code 96 H264/90000}). When the clock rate is missing, zero or not a
     * number, the static table's rate for the payload type is used, else 8000 Hz for {@code audio} media and
     * 90000 Hz for any other media. A channel count that is not a positive number is dropped (null).
     *
     * @param value     the text after {@code a=rtpmap:}
     * @param mediaType the media type of the section ({@code audio}, {@code video}, ...), used for the default rate
     * @return the map, or null when the payload type or the encoding name is missing or unusable
     */
    static RtpMap parse(String value, String mediaType) {
        String text = value.trim();
        int digits = 0;
        while (digits < text.length() && isDigit(text.charAt(digits))) {
            digits++;
        }
        if (digits == 0 || digits > 3) {
            LOG.debug("rtpmap without a usable payload type ignored: '{}'", text);
            return null;
        }
        int pt = Integer.parseInt(text, 0, digits, 10);
        if (pt > 127) {
            LOG.debug("rtpmap with payload type {} above 127 ignored", pt);
            return null;
        }
        String rest = removeWhiteSpace(text.substring(digits));
        String[] parts = rest.split("/", -1);
        String encoding = parts[0];
        if (encoding.isEmpty()) {
            LOG.debug("rtpmap for payload type {} without an encoding name ignored: '{}'", pt, text);
            return null;
        }
        int clockRate = parts.length > 1 ? unsignedInt(parts[1]) : -1;
        if (clockRate <= 0) {
            clockRate = defaultClockRate(pt, mediaType);
            LOG.debug("rtpmap for payload type {} has no usable clock rate; using {} Hz", pt, clockRate);
        }
        Integer channels = null;
        if (parts.length > 2) {
            int n = unsignedInt(parts[2]);
            if (n > 0) {
                channels = n;
            } else {
                LOG.debug("rtpmap for payload type {} has an unusable channel count '{}'; ignored", pt, parts[2]);
            }
        }
        return new RtpMap(pt, encoding, clockRate, channels);
    }

    private static int defaultClockRate(int pt, String mediaType) {
        RtpMap known = staticPayloadType(pt);
        if (known != null) {
            return known.clockRate();
        }
        return "audio".equals(mediaType) ? DEFAULT_AUDIO_CLOCK_RATE : DEFAULT_VIDEO_CLOCK_RATE;
    }

    /** Parses a decimal number of 1 to 9 digits (no sign); -1 when the text is anything else. */
    static int unsignedInt(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return -1;
            }
        }
        return Integer.parseInt(s);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String removeWhiteSpace(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                if (sb == null) {
                    sb = new StringBuilder(s.length());
                    sb.append(s, 0, i);
                }
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }
}
