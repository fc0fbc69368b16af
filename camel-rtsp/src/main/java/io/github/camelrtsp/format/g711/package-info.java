/** G.711 over RTP (RFC 3551): PCMU and PCMA, one payload per frame. */
package io.github.camelrtsp.format.g711;
