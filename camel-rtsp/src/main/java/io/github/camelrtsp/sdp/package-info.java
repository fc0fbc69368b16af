/**
 * SDP (RFC 8866) as IP cameras write it: {@link io.github.camelrtsp.sdp.SessionDescription} reads a DESCRIBE body
 * tolerantly, {@link io.github.camelrtsp.sdp.MediaDescription} gives each track's payload type, codec, clock rate and
 * format parameters, and {@link io.github.camelrtsp.sdp.ControlUrl} turns control attributes into SETUP and PLAY
 * URLs. Pure Java, no network code.
 */
package io.github.camelrtsp.sdp;
