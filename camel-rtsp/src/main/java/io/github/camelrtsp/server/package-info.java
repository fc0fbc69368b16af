/**
 * Embedded RTSP server (RFC 2326) for live playback: {@link io.github.camelrtsp.server.RtspServer} with a path
 * registry of {@link io.github.camelrtsp.server.ServerStream}s, each fed RTP packets by
 * {@link io.github.camelrtsp.server.ServerStream#publish(int, io.netty.buffer.ByteBuf, boolean)} and fanned out to
 * every playing session over interleaved TCP or unicast UDP, with RTCP sender reports, session timeouts and
 * slow-client handling. {@link io.github.camelrtsp.server.KeyFrameStarts} finds where H.264 and H.265 decoders can start.
 * Paths opened with {@link io.github.camelrtsp.server.RtspServer#acceptPublishers} take one publisher at a time
 * (ANNOUNCE, SETUP with {@code mode=record}, RECORD) whose packets go to a
 * {@link io.github.camelrtsp.server.PublishListener} and to the path's players, who join at a key frame
 * ({@link io.github.camelrtsp.server.H265KeyFrames} for H.265). Paths can require Basic or Digest credentials
 * ({@link io.github.camelrtsp.server.RtspServer#setCredentials}).
 * {@link io.github.camelrtsp.server.FileMediaSource} publishes H.264/H.265 Annex B and AAC ADTS files in a loop at
 * real-time pace, and {@link io.github.camelrtsp.server.SimulatedCamera} serves a bundled clip that way.
 */
package io.github.camelrtsp.server;
