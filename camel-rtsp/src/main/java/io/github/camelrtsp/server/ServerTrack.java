package io.github.camelrtsp.server;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One media of a {@link ServerStream}, as announced in the SDP: media type ({@code video}, {@code audio},
 * {@code application}), RTP payload type, rtpmap value ({@code H264/90000}, {@code MPEG4-GENERIC/44100/2}), format
 * parameters (the {@code a=fmtp} pairs, in order) and clock rate.
 *
 * @param mediaType   SDP media type, lower case letters only
 * @param payloadType RTP payload type, 0..127
 * @param rtpmap      encoding name / clock rate [/ channels]
 * @param fmtp        format parameters, may be empty
 * @param clockRate   RTP clock rate in Hz; must match the one in {@code rtpmap}
 */
public record ServerTrack(String mediaType, int payloadType, String rtpmap, Map<String, String> fmtp, int clockRate) {

    /** Validates and copies the parameters. */
    public ServerTrack {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(rtpmap, "rtpmap");
        if (!mediaType.matches("[a-z]+")) {
            throw new IllegalArgumentException("media type must be lower-case letters: '" + mediaType + "'");
        }
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type must be 0..127: " + payloadType);
        }
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate must be positive: " + clockRate);
        }
        String[] parts = rtpmap.split("/", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isBlank() || !rtpmap.matches("[\\w.+-]+(/\\d+){1,2}")) {
            throw new IllegalArgumentException("rtpmap must be encoding/clockrate[/channels]: '" + rtpmap + "'");
        }
        if (Long.parseLong(parts[1]) != clockRate) {
            throw new IllegalArgumentException("rtpmap '" + rtpmap + "' does not have clock rate " + clockRate);
        }
        Map<String, String> copy = new LinkedHashMap<>();
        if (fmtp != null) {
            fmtp.forEach((k, v) -> {
                if (k == null || !k.matches("[\\w.-]+") || (v != null && v.matches(".*[;\\r\\n].*"))) {
                    throw new IllegalArgumentException("bad fmtp parameter " + k + "=" + v);
                }
                copy.put(k, v == null ? "" : v.trim());
            });
        }
        fmtp = Collections.unmodifiableMap(copy);
    }

    /** A video track with clock rate 90000, e.g. {@code video(96, "H264", fmtp)}. */
    public static ServerTrack video(int payloadType, String encoding, Map<String, String> fmtp) {
        return new ServerTrack("video", payloadType, encoding + "/90000", fmtp, 90000);
    }

    /** An audio track, e.g. {@code audio(97, "MPEG4-GENERIC", 44100, 2, fmtp)}; {@code channels <= 1} omits them. */
    public static ServerTrack audio(int payloadType, String encoding, int clockRate, int channels,
            Map<String, String> fmtp) {
        String map = encoding + "/" + clockRate + (channels > 1 ? "/" + channels : "");
        return new ServerTrack("audio", payloadType, map, fmtp, clockRate);
    }

    /** True for video tracks, whose sessions start at a key frame; every packet of other tracks is a start point. */
    public boolean isVideo() {
        return "video".equals(mediaType);
    }
}
