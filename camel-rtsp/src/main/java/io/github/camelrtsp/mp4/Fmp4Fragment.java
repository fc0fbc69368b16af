package io.github.camelrtsp.mp4;

import java.time.Instant;

/**
 * A piece of a segment delivered as soon as it is complete (fragment delivery): the bytes of one or more
 * {@code moof} + {@code mdat} fragments, preceded by the init segment ({@code ftyp} + {@code moov}) in the first piece
 * of a segment. The pieces of a segment, concatenated in order, are the segment's file ({@link Fmp4Segment#data()}).
 *
 * @param data                   the bytes of this piece
 * @param index                  its number within the segment, from 0
 * @param withInit               true for the first piece of a segment, which starts with the init segment and plays on
 *                               its own
 * @param segmentStart           the start of the segment it belongs to (see {@link Fmp4Segment#start()})
 * @param presentationTimeMicros presentation time of the segment's first frame on the session's timeline
 */
public record Fmp4Fragment(byte[] data, int index, boolean withInit, Instant segmentStart,
                           long presentationTimeMicros) {
}
