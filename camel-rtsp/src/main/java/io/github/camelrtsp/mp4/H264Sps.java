package io.github.camelrtsp.mp4;

/**
 * The fields of an H.264 sequence parameter set (ITU-T H.264 7.3.2.1.1) that an {@code avc1} sample entry needs.
 *
 * @param profileIdc        profile_idc
 * @param constraints       the constraint_set flags byte
 * @param levelIdc          level_idc
 * @param chromaFormatIdc   chroma_format_idc (1 when absent)
 * @param bitDepthLuma      luma bit depth
 * @param bitDepthChroma    chroma bit depth
 * @param width             picture width in pixels after cropping
 * @param height            picture height in pixels after cropping
 */
public record H264Sps(int profileIdc, int constraints, int levelIdc, int chromaFormatIdc, int bitDepthLuma,
                      int bitDepthChroma, int width, int height) {

    /**
     * Parses an SPS NAL unit (with its one-byte header, without start code).
     *
     * @throws Mp4FormatException if it is not an SPS or is malformed
     */
    public static H264Sps parse(byte[] nal) {
        if (nal.length < 4 || (nal[0] & 0x1F) != 7) {
            throw new Mp4FormatException("not an H.264 SPS");
        }
        RbspReader r = new RbspReader(nal, 1);
        int profile = r.u(8);
        int constraints = r.u(8);
        int level = r.u(8);
        r.ue(); // seq_parameter_set_id
        int chroma = 1;
        int depthLuma = 8;
        int depthChroma = 8;
        if (profile == 100 || profile == 110 || profile == 122 || profile == 244 || profile == 44 || profile == 83
            || profile == 86 || profile == 118 || profile == 128 || profile == 138 || profile == 139
            || profile == 134 || profile == 135) {
            chroma = r.ue();
            if (chroma == 3) {
                r.skip(1); // separate_colour_plane_flag
            }
            depthLuma = 8 + r.ue();
            depthChroma = 8 + r.ue();
            if (chroma > 3 || depthLuma > 14 || depthChroma > 14) {
                throw new Mp4FormatException("H.264 SPS: chroma_format_idc " + chroma + " or bit depth " + depthLuma
                        + "/" + depthChroma + " out of range");
            }
            r.skip(1); // qpprime_y_zero_transform_bypass_flag
            if (r.bit() == 1) { // seq_scaling_matrix_present_flag
                int lists = chroma != 3 ? 8 : 12;
                for (int i = 0; i < lists; i++) {
                    if (r.bit() == 1) {
                        skipScalingList(r, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        r.ue(); // log2_max_frame_num_minus4
        int pocType = r.ue();
        if (pocType == 0) {
            r.ue();
        } else if (pocType == 1) {
            r.skip(1);
            r.se();
            r.se();
            int cycle = r.ue();
            if (cycle > 255) {
                throw new Mp4FormatException("H.264 SPS: num_ref_frames_in_pic_order_cnt_cycle " + cycle);
            }
            for (int i = 0; i < cycle; i++) {
                r.se();
            }
        }
        r.ue(); // max_num_ref_frames
        r.skip(1); // gaps_in_frame_num_value_allowed_flag
        long widthMbs = r.ue() + 1L;
        long heightUnits = r.ue() + 1L;
        int frameMbsOnly = r.bit();
        if (frameMbsOnly == 0) {
            r.skip(1);
        }
        r.skip(1); // direct_8x8_inference_flag
        long cropLeft = 0;
        long cropRight = 0;
        long cropTop = 0;
        long cropBottom = 0;
        if (r.bit() == 1) {
            cropLeft = r.ue();
            cropRight = r.ue();
            cropTop = r.ue();
            cropBottom = r.ue();
        }
        // crop units (H.264 7.4.2.1.1): SubWidthC / SubHeightC for 4:2:0 and 4:2:2, 1 for monochrome and 4:4:4
        int cropUnitX = chroma == 0 || chroma == 3 ? 1 : 2;
        int cropUnitY = (chroma == 1 ? 2 : 1) * (2 - frameMbsOnly);
        long width = widthMbs * 16 - cropUnitX * (cropLeft + cropRight);
        long height = (2 - frameMbsOnly) * heightUnits * 16 - cropUnitY * (cropTop + cropBottom);
        if (width <= 0 || height <= 0 || width > 65535 || height > 65535) {
            throw new Mp4FormatException("H.264 SPS: picture size " + width + "x" + height + " out of range");
        }
        return new H264Sps(profile, constraints, level, chroma, depthLuma, depthChroma, (int) width, (int) height);
    }

    private static void skipScalingList(RbspReader r, int size) {
        int last = 8;
        int next = 8;
        for (int j = 0; j < size; j++) {
            if (next != 0) {
                next = (last + r.se() + 256) % 256;
            }
            last = next == 0 ? last : next;
        }
    }
}
