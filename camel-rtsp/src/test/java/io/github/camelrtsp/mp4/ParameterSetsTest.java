package io.github.camelrtsp.mp4;

import java.util.List;

import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.annexb.AnnexBNalUnits;
import io.github.camelrtsp.testsupport.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPS parsing against real cameras' parameter sets (from the corpus SDPs); the expected values are what ffmpeg's
 * trace_headers bitstream filter reads from the same bytes.
 */
class ParameterSetsTest {

    static List<byte[]> sprop(FormatParameters p, String key) {
        String value = p.fmtp().get(key);
        assertTrue(value != null, key + " in " + p);
        return AnnexBNalUnits.fromBase64List(value, (item, problem) -> {
            throw new AssertionError(item + ": " + problem);
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // file, profile, level, chroma, width, height
        "hikvision_describe.txt, 77, 41, 1, 1920, 1080",
        "dahua_describe_h264_aac_onvif.txt, 100, 30, 1, 704, 480",
    })
    void h264(String file, int profile, int level, int chroma, int width, int height) {
        byte[] sps = sprop(Corpus.track(file, "H264", 1 << 20), "sprop-parameter-sets").get(0);
        H264Sps s = H264Sps.parse(sps);
        assertEquals(profile, s.profileIdc());
        assertEquals(level, s.levelIdc());
        assertEquals(chroma, s.chromaFormatIdc());
        assertEquals(8, s.bitDepthLuma());
        assertEquals(width, s.width());
        assertEquals(height, s.height());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // file, level, width, height
        "dahua_describe_h265_pcma.txt, 90, 704, 480",
        "anjvision_describe.txt, 153, 1280, 704",
        "tplink_sdp.txt, 150, 2560, 1440",
    })
    void h265(String file, int level, int width, int height) {
        byte[] sps = sprop(Corpus.track(file, "H265", 1 << 20), "sprop-sps").get(0);
        H265Sps s = H265Sps.parse(sps);
        assertEquals(0, s.profileSpace());
        assertEquals(0, s.tier());
        assertEquals(1, s.profileIdc(), "Main");
        assertEquals(level, s.levelIdc());
        assertEquals(1, s.maxSubLayers());
        assertTrue(s.temporalIdNested());
        assertEquals(1, s.chromaFormatIdc());
        assertEquals(8, s.bitDepthLuma());
        assertEquals(8, s.bitDepthChroma());
        assertEquals(width, s.width());
        assertEquals(height, s.height());
        assertTrue((s.compatibilityFlags() & (1L << 30)) != 0, "compatible with Main (flag 1)");
    }

    @Test
    void malformedParameterSetsAreRejectedClearly() {
        assertThrows(Mp4FormatException.class, () -> H264Sps.parse(new byte[] {0x68, 1, 2, 3}), "a PPS");
        assertThrows(Mp4FormatException.class, () -> H264Sps.parse(new byte[] {0x67, 0x42, 0, 0x1E}), "truncated");
        assertThrows(Mp4FormatException.class, () -> H265Sps.parse(new byte[] {0x40, 1, 2, 3}), "a VPS");
        assertThrows(Mp4FormatException.class, () -> H265Sps.parse(new byte[] {0x42, 1, 1, 1, 0x60}), "truncated");
        // an Exp-Golomb code of 40 zero bits cannot be a valid value
        assertThrows(Mp4FormatException.class, () -> H264Sps.parse(new byte[] {0x67, 0x42, 0, 0x1E, 0, 0, 3, 0, 0, 3,
            0, 0, 3, 0, 0, 1}));
    }
}
