package io.github.camelrtsp.format;

import java.util.Map;

/**
 * What a {@link Packetizer} is created from.
 *
 * @param codec         upper-case encoding name (H264, H265, JPEG, MPEG4-GENERIC, OPUS, PCMU, ...)
 * @param payloadType   RTP payload type to write
 * @param clockRate     RTP clock rate in Hz
 * @param channels      audio channels, or null
 * @param fmtp          known format parameters (e.g. AAC {@code config}, H.264 {@code sprop-parameter-sets}), never
 *                      null
 * @param ssrc          SSRC to write (unsigned 32-bit)
 * @param firstSequence first sequence number (random per stream, RFC 3550)
 * @param mtu           largest RTP packet in bytes (header included), e.g. 1400
 */
public record PacketizerParameters(String codec, int payloadType, int clockRate, Integer channels,
                                   Map<String, String> fmtp, long ssrc, int firstSequence, int mtu) {
}
