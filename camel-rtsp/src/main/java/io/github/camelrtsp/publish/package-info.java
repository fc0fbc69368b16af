/**
 * Publishing media: from frames with their metadata (the consumer's frame headers) to an SDP and RTP packets, shared
 * by the RTSP RECORD client and the embedded server. {@link io.github.camelrtsp.publish.TrackFormat} describes an
 * outgoing track, {@link io.github.camelrtsp.publish.PublishTrack} turns its frames into packets and sender reports,
 * {@link io.github.camelrtsp.publish.FramePacer} releases frames at their presentation times.
 */
package io.github.camelrtsp.publish;
