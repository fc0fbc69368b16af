/** G.722 over RTP (RFC 3551): one payload per frame, counted in units of the 8 kHz RTP clock. */
package io.github.camelrtsp.format.g722;
