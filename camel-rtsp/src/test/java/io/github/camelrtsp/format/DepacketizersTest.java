package io.github.camelrtsp.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.camelrtsp.format.aac.Mp4aLatmDepacketizer;
import io.github.camelrtsp.format.aac.Mpeg4GenericDepacketizer;
import io.github.camelrtsp.format.g711.G711Depacketizer;
import io.github.camelrtsp.format.g722.G722Depacketizer;
import io.github.camelrtsp.format.h264.H264Depacketizer;
import io.github.camelrtsp.format.h265.H265Depacketizer;
import io.github.camelrtsp.format.lpcm.LpcmDepacketizer;
import io.github.camelrtsp.format.mjpeg.JpegDepacketizer;
import io.github.camelrtsp.format.opus.OpusDepacketizer;
import io.github.camelrtsp.format.passthrough.PassthroughDepacketizer;
import io.github.camelrtsp.format.passthrough.WholePayloadDepacketizer;
import io.github.camelrtsp.sdp.MediaDescription;
import io.github.camelrtsp.sdp.RtpMap;
import io.github.camelrtsp.sdp.SessionDescription;
import io.github.camelrtsp.testsupport.Corpus;

/** The factory: encoding names to depacketizers, the tolerated name forms, and every track of the camera corpus. */
class DepacketizersTest {

    private static final int MAX = 1 << 20;

    private static FormatParameters params(String codec, int pt, int clockRate, Integer channels,
                                           Map<String, String> fmtp) {
        return new FormatParameters(codec, pt, clockRate, channels, fmtp, MAX);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "OPUS, 111, 48000, opus.OpusDepacketizer",
        "PCMU, 0, 8000, g711.G711Depacketizer",
        "PCMA, 8, 8000, g711.G711Depacketizer",
        "G722, 9, 8000, g722.G722Depacketizer",
        "L16, 11, 44100, lpcm.LpcmDepacketizer",
        "L8, 96, 8000, lpcm.LpcmDepacketizer",
        "GSM, 3, 8000, passthrough.PassthroughDepacketizer",
        "VND.ONVIF.METADATA, 107, 90000, passthrough.PassthroughDepacketizer",
        "MPA, 14, 90000, passthrough.PassthroughDepacketizer",
        "L24, 97, 48000, passthrough.PassthroughDepacketizer",
    })
    void audioAndUnknownCodecs(String codec, int pt, int clockRate, String className) throws Exception {
        Depacketizer d = Depacketizers.create(params(codec, pt, clockRate, null, Map.of()));
        assertSame(Class.forName("io.github.camelrtsp.format." + className), d.getClass());
    }

    @Test
    void videoAndAacCodecsGoToTheirDepacketizers() {
        assertInstanceOf(H264Depacketizer.class, Depacketizers.create(params("H264", 96, 90000, null,
                Map.of("packetization-mode", "1", "sprop-parameter-sets", "Z00AH5WoFAFuQA==,aO48gA=="))));
        assertInstanceOf(H265Depacketizer.class, Depacketizers.create(params("H265", 96, 90000, null, Map.of(
                "sprop-vps", "QAEMAf//AWAAAAMAAAMAAAMAAAMAlqwJ",
                "sprop-sps", "QgEBAWAAAAMAAAMAAAMAAAMAlqABQCAFof4qtO6JLuaAgA27oADN/mAE",
                "sprop-pps", "RAHAcvAbJA=="))));
        assertInstanceOf(JpegDepacketizer.class, Depacketizers.create(params("JPEG", 26, 90000, null, Map.of())));
        assertInstanceOf(Mpeg4GenericDepacketizer.class, Depacketizers.create(params("MPEG4-GENERIC", 97, 16000, 1,
                Map.of("streamtype", "5", "mode", "AAC-hbr", "config", "1408", "sizelength", "13",
                       "indexlength", "3", "indexdeltalength", "3"))));
        assertInstanceOf(Mp4aLatmDepacketizer.class, Depacketizers.create(params("MP4A-LATM", 96, 44100, 2,
                Map.of("cpresent", "0", "config", "400024203fc0", "object", "2"))));
    }

    @Test
    void encodingNameInAnyCaseWithWhiteSpace() {
        Depacketizer d = Depacketizers.create(params(" pcma ", 8, 8000, 1, Map.of()));
        G711Depacketizer g711 = assertInstanceOf(G711Depacketizer.class, d);
        assertTrue(g711.aLaw());
        assertEquals("PCMA", g711.parameters().codec(), "passed on upper-cased");
        assertInstanceOf(LpcmDepacketizer.class, Depacketizers.create(params("l16", 96, 16000, 2, Map.of())));
        assertInstanceOf(OpusDepacketizer.class, Depacketizers.create(params("Opus", 96, 48000, 2, Map.of())));
        assertInstanceOf(G722Depacketizer.class, Depacketizers.create(params("g722", 9, 8000, null, Map.of())));
        assertInstanceOf(H264Depacketizer.class, Depacketizers.create(params("h264", 96, 90000, null,
                Map.of("packetization-mode", "1", "sprop-parameter-sets", "Z00AH5WoFAFuQA==,aO48gA=="))));
    }

    @Test
    void missingEncodingNameFallsBackOnTheStaticPayloadType() {
        G711Depacketizer pcma = assertInstanceOf(G711Depacketizer.class,
                Depacketizers.create(params(null, 8, 0, null, Map.of())));
        assertTrue(pcma.aLaw());
        assertEquals(8000, pcma.parameters().clockRate(), "clock rate from the table");
        assertEquals(1, pcma.parameters().channels(), "channels from the table");
        G711Depacketizer pcmu = assertInstanceOf(G711Depacketizer.class,
                Depacketizers.create(params("", 0, 8000, null, Map.of())));
        assertFalse(pcmu.aLaw());
        LpcmDepacketizer l16 = assertInstanceOf(LpcmDepacketizer.class,
                Depacketizers.create(params(" ", 10, 44100, null, Map.of())));
        assertEquals(2, l16.channels(), "PT 10 is L16 stereo");
        assertInstanceOf(PassthroughDepacketizer.class, Depacketizers.create(params(null, 96, 90000, null,
                Map.of())), "a dynamic payload type without a name is passed through");
    }

    @Test
    void unchangedParametersAreNotCopied() {
        FormatParameters p = params("PCMU", 0, 8000, 1, Map.of());
        assertSame(p, Depacketizers.normalize(p));
    }

    @Test
    void rejectsNullAndBadSizes() {
        assertThrows(NullPointerException.class, () -> Depacketizers.create(null));
        assertThrows(IllegalArgumentException.class,
                     () -> Depacketizers.create(new FormatParameters("PCMU", 0, 8000, 1, Map.of(), 0)));
    }

    // ---- camera corpus: FormatParameters built as a consumer would, from the SDP of each file

    private static SessionDescription sdp(String file) {
        return SessionDescription.parse(Corpus.sdp(file));
    }

    /** The encoding name is passed as written in the rtpmap (not upper-cased), to exercise the factory's tolerance. */
    private static FormatParameters fromSdp(MediaDescription m) {
        RtpMap map = m.rtpMap();
        return new FormatParameters(map.encodingName(), m.payloadType(), map.clockRate(), map.channels(),
                                    m.formatParameters(), MAX);
    }

    private static MediaDescription audio(String file) {
        return sdp(file).media().stream().filter(m -> m.mediaType().equals("audio")).findFirst().orElseThrow();
    }

    @Test
    void lowerCaseOpusNameFromTheCorpus() {
        // ubiquiti_sdp.txt: "a=rtpmap:96 opus/48000/2" with an empty "a=fmtp:96"
        MediaDescription opus = sdp("ubiquiti_sdp.txt").media().stream()
                .filter(m -> m.rtpMap() != null && m.rtpMap().encodingName().equals("opus")).findFirst()
                .orElseThrow();
        OpusDepacketizer d = assertInstanceOf(OpusDepacketizer.class, Depacketizers.create(fromSdp(opus)));
        assertEquals(1, d.channels(), "no sprop-stereo: mono announced");
    }

    @Test
    void rtpmapNameOverridesTheStaticPayloadTypeFromTheCorpus() {
        // gw_main_describe.txt: "m=audio 0 RTP/AVP 8" with "a=rtpmap:8 PCMU/8000/1": mu-law, not PT 8's A-law
        G711Depacketizer gw = assertInstanceOf(G711Depacketizer.class,
                Depacketizers.create(fromSdp(audio("gw_main_describe.txt"))));
        assertFalse(gw.aLaw());
        // anpviz_sdp.txt: "m=audio 0 RTP/AVP 0" with "a=rtpmap:0 MPEG4-GENERIC/16000/2": AAC, not PT 0's PCMU
        assertInstanceOf(Mpeg4GenericDepacketizer.class, Depacketizers.create(fromSdp(audio("anpviz_sdp.txt"))));
    }

    @Test
    void staticPayloadTypeWithoutRtpmapFromTheCorpus() {
        // h264dvr_describe.txt: "m=audio 0 RTP/AVP 8" without rtpmap; foscam_describe.txt: PT 0 without rtpmap
        MediaDescription dvr = audio("h264dvr_describe.txt");
        assertTrue(dvr.attribute("rtpmap") == null, "corpus file changed");
        assertTrue(assertInstanceOf(G711Depacketizer.class, Depacketizers.create(fromSdp(dvr))).aLaw());
        assertTrue(assertInstanceOf(G711Depacketizer.class, Depacketizers.create(
                new FormatParameters(null, dvr.payloadType(), 0, null, dvr.formatParameters(), MAX))).aLaw(),
                "even when the caller passes no encoding name");
        assertFalse(assertInstanceOf(G711Depacketizer.class,
                Depacketizers.create(fromSdp(audio("foscam_describe.txt")))).aLaw());
    }

    @Test
    void everyCorpusTrackGetsADepacketizer() throws IOException {
        List<String> files = Corpus.sdpFiles();
        assertTrue(files.size() >= 10, files.toString());
        List<String> seen = new ArrayList<>();
        for (String file : files) {
            for (MediaDescription m : sdp(file).media()) {
                if (m.rtpMap() == null) {
                    continue; // a non-numeric format (tplink_sdp.txt's "smart/1/90000"): no RTP payload type
                }
                Depacketizer d = Depacketizers.create(fromSdp(m));
                assertNotNull(d);
                String codec = m.rtpMap().codec();
                boolean own = List.of("H264", "H265", "JPEG", "MPEG4-GENERIC", "MP4A-LATM", "OPUS", "PCMU", "PCMA",
                        "G722", "L16", "L8").contains(codec);
                assertEquals(!own, d instanceof PassthroughDepacketizer, file + " " + codec);
                if (codec.equals("PCMA") || codec.equals("PCMU") || codec.equals("OPUS")) {
                    assertInstanceOf(WholePayloadDepacketizer.class, d);
                }
                seen.add(codec);
            }
        }
        assertTrue(seen.containsAll(List.of("H264", "H265", "MPEG4-GENERIC", "PCMA", "PCMU", "OPUS",
                                            "VND.ONVIF.METADATA")), seen.toString());
    }
}
