/**
 * Presentation timing of a session's tracks: {@link io.github.camelrtsp.timing.PresentationClock} turns RTP
 * timestamps into presentation times shared by all tracks (aligned by RTCP sender reports or RTP-Info) and into
 * the sender's wall-clock time.
 */
package io.github.camelrtsp.timing;
