/** Linear PCM over RTP (RFC 3551): L16 (big-endian) and L8 (offset binary), one payload per frame. */
package io.github.camelrtsp.format.lpcm;
