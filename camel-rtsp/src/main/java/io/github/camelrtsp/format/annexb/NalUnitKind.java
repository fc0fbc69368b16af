package io.github.camelrtsp.format.annexb;

/**
 * What a NAL unit type means for assembling access units, common to H.264 and H.265. A codec maps each of its NAL
 * unit types to one kind; {@link AnnexBDepacketizer} decides frame boundaries, key frames and parameter-set insertion
 * from the kinds alone.
 */
public enum NalUnitKind {

    /** Video parameter set (H.265 only). */
    VIDEO_PARAMETER_SET,

    /** Sequence parameter set. */
    SEQUENCE_PARAMETER_SET,

    /** Picture parameter set. */
    PICTURE_PARAMETER_SET,

    /** Access unit delimiter: dropped from the output, frames are delimited by the exchange itself. */
    ACCESS_UNIT_DELIMITER,

    /** Slice of an instantaneous decoding refresh picture (H.264 IDR, H.265 IDR_W_RADL / IDR_N_LP): a key frame. */
    IDR_SLICE,

    /**
     * Slice of a clean random access picture (H.265 CRA): a key frame whose skipped leading pictures (RASL) cannot
     * be decoded when decoding starts at it; where it resumes decoding after a gap it is handed over as a BLA.
     */
    CRA_SLICE,

    /** Slice of a broken link access picture (H.265 BLA): a key frame whose RASL pictures are never decodable. */
    BLA_SLICE,

    /** Slice of a picture that follows its key frame in output order (H.264 non-IDR slices, H.265 trailing). */
    SLICE,

    /** Slice of a random access decodable leading picture (H.265 RADL): decodable from the key frame before it. */
    DECODABLE_LEADING_SLICE,

    /** Slice of a random access skipped leading picture (H.265 RASL): needs pictures before its key frame. */
    SKIPPED_LEADING_SLICE,

    /** Any other NAL unit (SEI, end of sequence, filler, reserved types, ...): passed through unchanged. */
    OTHER;

    /** Whether the kind is a coded slice of a picture. */
    public boolean isSlice() {
        return ordinal() >= IDR_SLICE.ordinal() && ordinal() <= SKIPPED_LEADING_SLICE.ordinal();
    }

    /** Whether decoding can start at a picture made of slices of this kind. */
    public boolean isKey() {
        return this == IDR_SLICE || this == CRA_SLICE || this == BLA_SLICE;
    }

    /** Whether the kind is a parameter set. */
    public boolean isParameterSet() {
        return this == VIDEO_PARAMETER_SET || this == SEQUENCE_PARAMETER_SET || this == PICTURE_PARAMETER_SET;
    }
}
