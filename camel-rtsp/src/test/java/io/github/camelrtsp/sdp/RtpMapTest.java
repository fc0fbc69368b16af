package io.github.camelrtsp.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RtpMapTest {

    static Stream<Arguments> staticTable() {
        return Stream.of(
                Arguments.of(0, "PCMU", 8000, 1), Arguments.of(3, "GSM", 8000, 1), Arguments.of(4, "G723", 8000, 1),
                Arguments.of(5, "DVI4", 8000, 1), Arguments.of(6, "DVI4", 16000, 1), Arguments.of(7, "LPC", 8000, 1),
                Arguments.of(8, "PCMA", 8000, 1), Arguments.of(9, "G722", 8000, 1),
                Arguments.of(10, "L16", 44100, 2), Arguments.of(11, "L16", 44100, 1),
                Arguments.of(12, "QCELP", 8000, 1), Arguments.of(13, "CN", 8000, 1),
                Arguments.of(14, "MPA", 90000, null), Arguments.of(15, "G728", 8000, 1),
                Arguments.of(16, "DVI4", 11025, 1), Arguments.of(17, "DVI4", 22050, 1),
                Arguments.of(18, "G729", 8000, 1), Arguments.of(25, "CelB", 90000, null),
                Arguments.of(26, "JPEG", 90000, null), Arguments.of(28, "nv", 90000, null),
                Arguments.of(31, "H261", 90000, null), Arguments.of(32, "MPV", 90000, null),
                Arguments.of(33, "MP2T", 90000, null), Arguments.of(34, "H263", 90000, null));
    }

    @ParameterizedTest
    @MethodSource("staticTable")
    void staticPayloadTypes(int pt, String name, int clockRate, Integer channels) {
        assertEquals(new RtpMap(pt, name, clockRate, channels), RtpMap.staticPayloadType(pt));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 1, 2, 19, 20, 24, 27, 29, 30, 35, 72, 96, 127, 128, 1000})
    void unassignedPayloadTypesHaveNoStaticEntry(int pt) {
        assertNull(RtpMap.staticPayloadType(pt));
    }

    static Stream<Arguments> rtpmapValues() {
        return Stream.of(
                // value, media type, expected
                Arguments.of("96 H264/90000", "video", new RtpMap(96, "H264", 90000, null)),
                Arguments.of("  96   H264 / 90000  ", "video", new RtpMap(96, "H264", 90000, null)),
                Arguments.of("96\tH264/90000", "video", new RtpMap(96, "H264", 90000, null)),
                Arguments.of("97 mpeg4-generic/48000/2", "audio", new RtpMap(97, "mpeg4-generic", 48000, 2)),
                Arguments.of("97 opus / 48000 / 2", "audio", new RtpMap(97, "opus", 48000, 2)),
                Arguments.of("96 H264", "video", new RtpMap(96, "H264", 90000, null)),
                Arguments.of("96 H265/", "video", new RtpMap(96, "H265", 90000, null)),
                Arguments.of("97 PCMU", "audio", new RtpMap(97, "PCMU", 8000, null)),
                Arguments.of("0 PCMU", "audio", new RtpMap(0, "PCMU", 8000, null)),
                Arguments.of("6 DVI4", "audio", new RtpMap(6, "DVI4", 16000, null)),
                Arguments.of("14 MPA", "audio", new RtpMap(14, "MPA", 90000, null)),
                Arguments.of("107 vnd.onvif.metadata", "application", new RtpMap(107, "vnd.onvif.metadata", 90000, null)),
                Arguments.of("96 H264/abc", "video", new RtpMap(96, "H264", 90000, null)),
                Arguments.of("96 H264/0", "video", new RtpMap(96, "H264", 90000, null)),
                Arguments.of("97 L16/44100/0", "audio", new RtpMap(97, "L16", 44100, null)),
                Arguments.of("97 L16/44100/x", "audio", new RtpMap(97, "L16", 44100, null)),
                Arguments.of("97 G726-32/8000/1/extra", "audio", new RtpMap(97, "G726-32", 8000, 1)),
                Arguments.of("096 H264/90000", "video", new RtpMap(96, "H264", 90000, null)));
    }

    @ParameterizedTest
    @MethodSource("rtpmapValues")
    void rtpmapParsedTolerantly(String value, String mediaType, RtpMap expected) {
        assertEquals(expected, RtpMap.parse(value, mediaType));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "96", "96   ", "abc H264/90000", "H264/90000", "200 H264/90000",
        "1000 H264/90000", "96 /90000", "-1 PCMU/8000", "99999999999999999999 X/1"})
    void unusableRtpmapGivesNull(String value) {
        assertNull(RtpMap.parse(value, "video"));
    }

    @Test
    void codecIsUpperCaseEncodingNameAsWrittenIsKept() {
        RtpMap map = new RtpMap(96, "mpeg4-generic", 48000, 1);
        assertEquals("MPEG4-GENERIC", map.codec());
        assertEquals("mpeg4-generic", map.encodingName());
        assertEquals("OPUS", new RtpMap(111, "opus", 48000, 2).codec());
        assertEquals("MP4A-LATM", new RtpMap(98, "MP4A-LATM", 90000, null).codec());
    }

    @Test
    void recordRejectsImpossibleValues() {
        assertThrows(IllegalArgumentException.class, () -> new RtpMap(128, "X", 8000, null));
        assertThrows(IllegalArgumentException.class, () -> new RtpMap(-1, "X", 8000, null));
        assertThrows(IllegalArgumentException.class, () -> new RtpMap(96, "", 8000, null));
        assertThrows(NullPointerException.class, () -> new RtpMap(96, null, 8000, null));
        assertThrows(IllegalArgumentException.class, () -> new RtpMap(96, "X", 0, null));
        assertThrows(IllegalArgumentException.class, () -> new RtpMap(96, "X", 8000, 0));
    }

    @Test
    void mediaRtpMapFallsBackToStaticTableThenNull() {
        SessionDescription sdp = SessionDescription.parse("""
                v=0
                m=audio 0 RTP/AVP 0 8 97 98
                a=rtpmap:97 PCMU
                a=rtpmap:97 PCMA/16000
                a=rtpmap:bogus
                """);
        MediaDescription m = sdp.media().get(0);
        assertEquals(new RtpMap(0, "PCMU", 8000, 1), m.rtpMap(0));
        assertEquals(new RtpMap(8, "PCMA", 8000, 1), m.rtpMap(8));
        assertEquals(new RtpMap(97, "PCMU", 8000, null), m.rtpMap(97), "the first rtpmap for a payload type wins");
        assertNull(m.rtpMap(98));
        assertEquals(new RtpMap(26, "JPEG", 90000, null), m.rtpMap(26), "need not be listed in formats");
        assertEquals(m.rtpMap(0), m.rtpMap());
    }
}
