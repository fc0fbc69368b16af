/** Motion JPEG: rebuilds whole JFIF images from RTP packets in the payload format of RFC 2435. */
package io.github.camelrtsp.format.mjpeg;
