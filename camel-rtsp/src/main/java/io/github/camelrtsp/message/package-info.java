/**
 * RTSP framing on a Netty pipeline: {@link io.github.camelrtsp.message.RtspMessageDecoder} turns one connection's
 * byte stream into requests, responses and {@code $}-interleaved frames in any order;
 * {@link io.github.camelrtsp.message.RtspMessageEncoder} writes them back.
 */
package io.github.camelrtsp.message;
