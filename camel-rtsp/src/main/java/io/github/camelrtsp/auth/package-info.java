/** Client authentication towards RTSP servers: Digest (RFC 7616, RFC 2617) and Basic. */
package io.github.camelrtsp.auth;
