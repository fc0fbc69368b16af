/**
 * Embedded RTSP server (RFC 2326) for live playback: {@link io.github.camelrtsp.server.RtspServer} with a path
 * registry of {@link io.github.camelrtsp.server.ServerStream}s, each fed RTP packets by
 * {@link io.github.camelrtsp.server.ServerStream#publish(int, io.netty.buffer.ByteBuf, boolean)} and fanned out to
 * every playing session over interleaved TCP or unicast UDP, with RTCP sender reports, session timeouts and
 * slow-client handling. {@link io.github.camelrtsp.server.H264KeyFrames} finds where H.264 decoders can start.
 * {@link io.github.camelrtsp.server.FileMediaSource} publishes H.264/H.265 Annex B and AAC ADTS files in a loop at
 * real-time pace, and {@link io.github.camelrtsp.server.SimulatedCamera} serves a bundled clip that way.
 */
package io.github.camelrtsp.server;
