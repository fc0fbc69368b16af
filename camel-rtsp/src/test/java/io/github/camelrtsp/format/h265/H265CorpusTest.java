package io.github.camelrtsp.format.h265;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.camelrtsp.testsupport.Corpus;

import static io.github.camelrtsp.format.annexb.NalTestSupport.nalUnits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The H.265 SDPs of the camera corpus give a VPS, an SPS and a PPS. */
class H265CorpusTest {

    static List<String> h265Sdps() {
        List<String> files = Corpus.filesWith("H265");
        assertTrue(files.containsAll(List.of("anjvision_describe.txt", "dahua_describe_h265_pcma.txt",
                "tplink_sdp.txt")), "H.265 SDPs in the corpus: " + files);
        return files;
    }

    /**
     * Covers sprop-* in another order than VPS, SPS, PPS (dahua), and a non-standard {@code config} and
     * {@code packetization-mode} beside them (anjvision), which are ignored.
     */
    @ParameterizedTest
    @MethodSource("h265Sdps")
    void everyCameraSdpGivesAVpsAnSpsAndAPps(String file) {
        H265Depacketizer d = new H265Depacketizer(Corpus.track(file, "H265", 1 << 20));
        byte[] config = d.codecConfig();
        assertNotNull(config, file);
        List<Integer> types = nalUnits(config).stream().map(n -> n[0] >> 1 & 0x3F).toList();
        assertEquals(List.of(32, 33, 34), types, file);
    }
}
