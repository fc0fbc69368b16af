/** Opus over RTP (RFC 7587): one Opus packet per frame, its duration read from the TOC byte (RFC 6716). */
package io.github.camelrtsp.format.opus;
