/**
 * Tolerant parsers (and, where a client sends them, formatters) for RTSP header values: Transport, Session,
 * RTP-Info, WWW-Authenticate, Public and Range.
 */
package io.github.camelrtsp.headers;
