/**
 * H.265 RTP payload format (RFC 7798): {@link io.github.camelrtsp.format.h265.H265Depacketizer} turns single NAL
 * unit, aggregation and fragmentation unit packets into Annex B access units;
 * {@link io.github.camelrtsp.format.h265.H265Packetizer} sends Annex B access units in those packets.
 */
package io.github.camelrtsp.format.h265;
