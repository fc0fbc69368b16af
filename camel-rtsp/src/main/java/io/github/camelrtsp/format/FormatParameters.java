package io.github.camelrtsp.format;

import java.util.Map;

/**
 * What a depacketizer is created from: the track's rtpmap and fmtp values as the SDP gives them.
 *
 * @param codec        upper-case encoding name (H264, H265, JPEG, MPEG4-GENERIC, MP4A-LATM, OPUS, PCMU, ...)
 * @param payloadType  RTP payload type
 * @param clockRate    RTP clock rate in Hz
 * @param channels     audio channels, or null
 * @param fmtp         fmtp parameters (keys compared case-insensitively), never null
 * @param maxFrameSize largest frame accepted, in bytes
 */
public record FormatParameters(String codec, int payloadType, int clockRate, Integer channels,
                               Map<String, String> fmtp, int maxFrameSize) {
}
