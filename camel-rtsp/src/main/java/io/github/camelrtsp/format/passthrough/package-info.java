/**
 * Payload formats where one RTP packet is one frame:
 * {@link io.github.camelrtsp.format.passthrough.WholePayloadDepacketizer} is the shared base (one copy per packet;
 * loss, empty, oversize and malformed handling), {@link io.github.camelrtsp.format.passthrough.PassthroughDepacketizer}
 * delivers the payloads of formats without a depacketizer as they are.
 */
package io.github.camelrtsp.format.passthrough;
