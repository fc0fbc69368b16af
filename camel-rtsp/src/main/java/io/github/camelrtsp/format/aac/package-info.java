/**
 * AAC over RTP: {@link io.github.camelrtsp.format.aac.Mpeg4GenericDepacketizer} (MPEG4-GENERIC, RFC 3640, modes
 * AAC-hbr and AAC-lbr) and {@link io.github.camelrtsp.format.aac.Mp4aLatmDepacketizer} (MP4A-LATM, RFC 6416) rebuild
 * access units and emit each as one ADTS frame (7-byte header without CRC, then the raw access unit), so the bodies
 * of a track concatenate into a playable {@code .aac} file; {@code codecConfig()} gives the AudioSpecificConfig for
 * users who want raw AAC, and {@link io.github.camelrtsp.format.aac.AudioSpecificConfig} parses it.
 * <p>
 * What ADTS cannot carry: object types other than AAC Main/LC/SSR/LTP (with or without SBR/PS), sampling rates
 * outside the ADTS table and channel configurations above 7 produce no frames; such tracks log one WARN when the
 * config is seen and their packets are counted in {@code packetsSkipped()}. Channel configuration 0 (layout in a
 * program config element) is carried by repeating that element at the start of every frame. 960-sample frames are
 * passed through with a WARN, since ADTS has no field for the frame length.
 */
package io.github.camelrtsp.format.aac;
