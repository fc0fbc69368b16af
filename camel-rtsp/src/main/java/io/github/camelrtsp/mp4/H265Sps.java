package io.github.camelrtsp.mp4;

/**
 * The fields of an H.265 sequence parameter set (ITU-T H.265 7.3.2.2) that an {@code hvcC} box needs.
 *
 * @param profileSpace          general_profile_space
 * @param tier                  general_tier_flag
 * @param profileIdc            general_profile_idc
 * @param compatibilityFlags    the 32 general_profile_compatibility_flags
 * @param constraintFlags       the 48 bits from general_progressive_source_flag on
 * @param levelIdc              general_level_idc
 * @param maxSubLayers          sps_max_sub_layers_minus1 plus 1
 * @param temporalIdNested      sps_temporal_id_nesting_flag
 * @param chromaFormatIdc       chroma_format_idc
 * @param bitDepthLuma          luma bit depth
 * @param bitDepthChroma        chroma bit depth
 * @param width                 picture width after the conformance window
 * @param height                picture height after the conformance window
 */
public record H265Sps(int profileSpace, int tier, int profileIdc, long compatibilityFlags, long constraintFlags,
                      int levelIdc, int maxSubLayers, boolean temporalIdNested, int chromaFormatIdc,
                      int bitDepthLuma, int bitDepthChroma, int width, int height) {

    /**
     * Parses an SPS NAL unit (with its two-byte header, without start code).
     *
     * @throws Mp4FormatException if it is not an SPS or is malformed
     */
    public static H265Sps parse(byte[] nal) {
        if (nal.length < 4 || ((nal[0] >> 1) & 0x3F) != 33) {
            throw new Mp4FormatException("not an H.265 SPS");
        }
        RbspReader r = new RbspReader(nal, 2);
        r.skip(4); // sps_video_parameter_set_id
        int maxSubLayersMinus1 = r.u(3);
        boolean nested = r.bit() == 1;
        int space = r.u(2);
        int tier = r.u(1);
        int profile = r.u(5);
        long compat = r.bits(32);
        long constraints = (r.bits(32) << 16) | r.bits(16);
        int level = r.u(8);
        boolean[] profilePresent = new boolean[maxSubLayersMinus1];
        boolean[] levelPresent = new boolean[maxSubLayersMinus1];
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            profilePresent[i] = r.bit() == 1;
            levelPresent[i] = r.bit() == 1;
        }
        if (maxSubLayersMinus1 > 0) {
            r.skip(2L * (8 - maxSubLayersMinus1));
        }
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            if (profilePresent[i]) {
                r.skip(88);
            }
            if (levelPresent[i]) {
                r.skip(8);
            }
        }
        r.ue(); // sps_seq_parameter_set_id
        int chroma = r.ue();
        if (chroma > 3) {
            throw new Mp4FormatException("H.265 SPS: chroma_format_idc " + chroma);
        }
        if (chroma == 3) {
            r.skip(1);
        }
        long width = r.ue();
        long height = r.ue();
        if (r.bit() == 1) { // conformance_window_flag
            int subW = chroma == 1 || chroma == 2 ? 2 : 1;
            int subH = chroma == 1 ? 2 : 1;
            long left = r.ue();
            long right = r.ue();
            long top = r.ue();
            long bottom = r.ue();
            width -= subW * (left + right);
            height -= subH * (top + bottom);
        }
        int depthLuma = 8 + r.ue();
        int depthChroma = 8 + r.ue();
        if (width <= 0 || height <= 0 || width > 65535 || height > 65535 || depthLuma > 16 || depthChroma > 16) {
            throw new Mp4FormatException("H.265 SPS: picture size " + width + "x" + height + " or bit depth "
                    + depthLuma + "/" + depthChroma + " out of range");
        }
        return new H265Sps(space, tier, profile, compat, constraints, level, maxSubLayersMinus1 + 1, nested, chroma,
                depthLuma, depthChroma, (int) width, (int) height);
    }
}
