/**
 * H.264 RTP payload format (RFC 6184): {@link io.github.camelrtsp.format.h264.H264Depacketizer} turns single NAL
 * unit, STAP-A and FU-A packets into Annex B access units; {@link io.github.camelrtsp.format.h264.H264Packetizer}
 * sends Annex B access units in those packets (packetization mode 1).
 */
package io.github.camelrtsp.format.h264;
