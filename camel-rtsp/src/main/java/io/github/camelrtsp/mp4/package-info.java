/**
 * Fragmented MP4 (ISO/IEC 14496-12 ISO BMFF, with the AVC/HEVC file formats of ISO/IEC 14496-15) written without a
 * library: {@link io.github.camelrtsp.mp4.BoxWriter} builds boxes with back-patched sizes,
 * {@link io.github.camelrtsp.mp4.SampleEntry} describes a track's sample entry and sample layout,
 * {@link io.github.camelrtsp.mp4.Fmp4Writer} writes init segments and {@code moof}/{@code mdat} fragments, and
 * {@link io.github.camelrtsp.mp4.Fmp4Segmenter} cuts the timed frames of a session into self-contained, playable
 * segments ({@link io.github.camelrtsp.mp4.Fmp4Segment}), which the consumer routes with {@code output=fmp4}.
 */
package io.github.camelrtsp.mp4;
