package io.github.camelrtsp.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionDescriptionTest {

    private static final String CANONICAL = "v=0\r\n"
            + "o=- 1 1 IN IP4 10.0.0.1\r\n"
            + "s=Cam\r\n"
            + "c=IN IP4 0.0.0.0\r\n"
            + "t=0 0\r\n"
            + "a=control:*\r\n"
            + "a=range:npt=0-\r\n"
            + "m=video 0 RTP/AVP 96\r\n"
            + "b=AS:2000\r\n"
            + "a=rtpmap:96 H264/90000\r\n"
            + "a=fmtp:96 packetization-mode=1;profile-level-id=42001F\r\n"
            + "a=control:trackID=1\r\n"
            + "m=audio 0 RTP/AVP 8\r\n"
            + "a=control:trackID=2\r\n";

    @Test
    void canonicalTextRoundTripsExactly() {
        SessionDescription sdp = SessionDescription.parse(CANONICAL);
        assertEquals(CANONICAL, sdp.toString());
        assertEquals("- 1 1 IN IP4 10.0.0.1", sdp.origin());
        assertEquals("Cam", sdp.sessionName());
        assertEquals("IN IP4 0.0.0.0", sdp.connection());
        assertEquals("*", sdp.control());
        assertEquals("npt=0-", sdp.range());
        assertNull(sdp.bandwidthKbps());
        assertEquals(List.of(new SdpAttribute("control", "*"), new SdpAttribute("range", "npt=0-")), sdp.attributes());
        assertEquals(0, sdp.skippedLines());
        assertEquals(2, sdp.media().size());
        assertEquals("m=audio 0 RTP/AVP 8\r\na=control:trackID=2\r\n", sdp.media().get(1).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r", "\r\n", "\n\n", "\r\n\r\n", " \t\r\n"})
    void anyLineEndAndBlankLines(String lineEnd) {
        String text = "\n  \t" + CANONICAL.replace("\r\n", lineEnd) + "   \n\n";
        SessionDescription sdp = SessionDescription.parse(text);
        assertEquals(CANONICAL, sdp.toString());
        assertEquals(0, sdp.skippedLines());
    }

    @Test
    void mixedLineEndsAndWhiteSpaceAroundLines() {
        SessionDescription sdp = SessionDescription.parse(
                "v=0\n  s=Cam  \r\nm=video 0 RTP/AVP 96\r\ta=rtpmap:96 H264/90000\t\r\n a = control : trackID=1 ");
        assertEquals("Cam", sdp.sessionName());
        MediaDescription m = sdp.media().get(0);
        assertEquals("H264", m.rtpMap().codec());
        assertEquals("trackID=1", m.control());
        assertEquals(0, sdp.skippedLines());
    }

    @Test
    void missingVersionOriginAndName() {
        SessionDescription sdp = SessionDescription.parse("m=video 0 RTP/AVP 26\r\na=control:track1\r\n");
        assertNull(sdp.origin());
        assertNull(sdp.sessionName());
        assertNull(sdp.connection());
        assertNull(sdp.control());
        assertNull(sdp.range());
        assertTrue(sdp.attributes().isEmpty());
        assertEquals("JPEG", sdp.media().get(0).rtpMap().codec());
        assertEquals("m=video 0 RTP/AVP 26\r\na=control:track1\r\n", sdp.toString());
    }

    @Test
    void sessionWithoutMedia() {
        SessionDescription sdp = SessionDescription.parse("v=0\r\ns=-\r\n");
        assertTrue(sdp.media().isEmpty());
        assertEquals("-", sdp.sessionName());
    }

    @Test
    void unknownLineTypesAreKeptAndUpperCaseTypesRead() {
        SessionDescription sdp = SessionDescription.parse(
                "v=0\r\nx=vendor thing\r\nS=Name\r\nk=clear:key\r\nm=video 0 RTP/AVP 96\r\nq=media thing\r\n"
                        + "A=rtpmap:96 H265/90000\r\n");
        assertEquals(0, sdp.skippedLines());
        assertEquals("Name", sdp.sessionName());
        assertEquals("H265", sdp.media().get(0).rtpMap().codec());
        assertEquals("v=0\r\nx=vendor thing\r\ns=Name\r\nk=clear:key\r\nm=video 0 RTP/AVP 96\r\nq=media thing\r\n"
                + "a=rtpmap:96 H265/90000\r\n", sdp.toString());
    }

    @Test
    void malformedLinesAreSkippedAndCounted() {
        SessionDescription sdp = SessionDescription.parse("v=0\r\n"
                + "this line has no equals sign\r\n"
                + "=no type\r\n"
                + "ab=two-letter type\r\n"
                + "1=digit type\r\n"
                + "a=\r\n"
                + "a=:value without name\r\n"
                + "s=Name\u0001with control character\r\n"
                + "m=\r\n"
                + "s=Cam\r\n"
                + "m=video 0 RTP/AVP 96\r\n"
                + "garbage\r\n"
                + "a=control:trackID=1\r\n");
        assertEquals(9, sdp.skippedLines());
        assertEquals("Cam", sdp.sessionName());
        assertEquals(1, sdp.media().size());
        assertEquals("trackID=1", sdp.media().get(0).control());
        assertEquals("v=0\r\ns=Cam\r\nm=video 0 RTP/AVP 96\r\na=control:trackID=1\r\n", sdp.toString());
        assertEquals(0, SessionDescription.parse(sdp.toString()).skippedLines());
    }

    @Test
    void trailingNulPaddingIsIgnored() {
        SessionDescription sdp = SessionDescription.parse(CANONICAL + "\0\0\0\0");
        assertEquals(CANONICAL, sdp.toString());
        assertEquals(0, sdp.skippedLines());
    }

    @Test
    void attributesFlagsAndEmptyValues() {
        SessionDescription sdp = SessionDescription.parse("v=0\r\na=recvonly\r\na=tool:\r\na=Tool:second\r\n"
                + "a=x-dimensions: 704, 576\r\na=control:\r\n"
                + "m=video 0 RTP/AVP 96\r\na=SendOnly\r\na=framerate:25\r\na=framerate:30\r\n"
                + "m=audio 0 RTP/AVP 0\r\n");
        assertEquals("", sdp.attribute("recvonly"));
        assertEquals(new SdpAttribute("recvonly", null), sdp.attributes().get(0));
        assertTrue(sdp.attributes().get(0).isFlag());
        assertEquals("", sdp.attribute("TOOL"), "first of repeated names, looked up without regard to case");
        assertEquals("704, 576", sdp.attribute("x-dimensions"));
        assertNull(sdp.control(), "empty control counts as missing");
        assertNull(sdp.attribute("sendonly"));
        MediaDescription video = sdp.media().get(0);
        assertEquals("sendonly", video.direction());
        assertEquals("25", video.attribute("framerate"));
        assertNull(video.attribute("tool"), "media attribute lookup does not consult the session");
        assertEquals("recvonly", sdp.media().get(1).direction(), "session-level direction applies");
    }

    @Test
    void mediaLineFields() {
        SessionDescription sdp = SessionDescription.parse("v=0\r\n"
                + "m=video 5000/2 RTP/AVP 96 97\r\n"
                + "m=Audio 0 RTP/SAVP 8\t \r\n"
                + "m=video\r\n"
                + "m=audio x RTP/AVP\r\n"
                + "m=audio 70000 udp x 300 12\r\n"
                + "m=video 0/0 RTP/AVP 96\r\n");
        List<MediaDescription> media = sdp.media();
        MediaDescription first = media.get(0);
        assertEquals("video", first.mediaType());
        assertEquals(5000, first.port());
        assertEquals(2, first.portCount());
        assertEquals("RTP/AVP", first.protocol());
        assertEquals(List.of("96", "97"), first.formats());
        assertEquals(96, first.payloadType());
        assertEquals("audio", media.get(1).mediaType());
        assertEquals("RTP/SAVP", media.get(1).protocol());
        assertEquals(List.of("8"), media.get(1).formats());
        assertEquals(1, media.get(1).portCount());
        MediaDescription bare = media.get(2);
        assertEquals(-1, bare.port());
        assertNull(bare.protocol());
        assertTrue(bare.formats().isEmpty());
        assertEquals(-1, bare.payloadType());
        assertNull(bare.rtpMap());
        assertEquals(-1, media.get(3).port());
        assertEquals(-1, media.get(4).port(), "above 65535");
        assertEquals(12, media.get(4).payloadType(), "first format that is a payload type number");
        assertEquals(1, media.get(5).portCount());
    }

    @Test
    void connectionAndBandwidthPerLevel() {
        SessionDescription sdp = SessionDescription.parse("v=0\r\nc=IN IP4 10.0.0.1\r\nc=IN IP4 10.0.0.2\r\n"
                + "b=CT:1000\r\nb=AS:900\r\n"
                + "m=video 0 RTP/AVP 96\r\nc=IN IP4 10.0.0.3\r\nb=TIAS:5000\r\nb=AS: 700\r\n"
                + "m=audio 0 RTP/AVP 0\r\nb=AS:lots\r\n");
        assertEquals("IN IP4 10.0.0.1", sdp.connection());
        assertEquals(900, sdp.bandwidthKbps());
        assertEquals("IN IP4 10.0.0.3", sdp.media().get(0).connection());
        assertEquals(700, sdp.media().get(0).bandwidthKbps());
        assertEquals("IN IP4 10.0.0.1", sdp.media().get(1).connection(), "session-level c= applies");
        assertNull(sdp.media().get(1).bandwidthKbps());
    }

    @Test
    void sessionLevelLinesInsideMediaDoNotChangeTheSession() {
        SessionDescription sdp = SessionDescription.parse("v=0\r\ns=First\r\nm=video 0 RTP/AVP 96\r\ns=Other\r\n"
                + "o=x 1 1 IN IP4 1.2.3.4\r\n");
        assertEquals("First", sdp.sessionName());
        assertNull(sdp.origin());
        assertTrue(sdp.media().get(0).toString().contains("s=Other\r\n"));
    }

    @Test
    void unicodeSessionNameIsKept() {
        SessionDescription sdp = SessionDescription.parse("v=0\r\ns=Kamera Einfahrt \u00fc\u6444\u50cf\u673a\r\n");
        assertEquals("Kamera Einfahrt \u00fc\u6444\u50cf\u673a", sdp.sessionName());
    }

    @Test
    void listsAreUnmodifiable() {
        SessionDescription sdp = SessionDescription.parse(CANONICAL);
        assertThrows(UnsupportedOperationException.class, () -> sdp.media().clear());
        assertThrows(UnsupportedOperationException.class, () -> sdp.attributes().clear());
        assertThrows(UnsupportedOperationException.class, () -> sdp.media().get(0).formats().clear());
        assertThrows(UnsupportedOperationException.class, () -> sdp.media().get(0).attributes().clear());
    }

    // ---- input that is not SDP or is hostile -------------------------------------------------------------------

    @Test
    void nullEmptyAndBlankAreRejected() {
        assertEquals("no SDP text (null)", assertThrows(SdpException.class, () -> SessionDescription.parse(null))
                .getMessage());
        assertEquals("SDP text is empty", assertThrows(SdpException.class, () -> SessionDescription.parse(""))
                .getMessage());
        assertEquals("SDP text is empty", assertThrows(SdpException.class,
                () -> SessionDescription.parse(" \r\n\t\n")).getMessage());
    }

    @Test
    void textWithoutSdpLinesIsRejected() {
        SdpException e = assertThrows(SdpException.class, () -> SessionDescription.parse(
                "<html>\r\n<head><meta http-equiv=\"refresh\" content=\"0\"></head>\r\n<body>Not Found</body>\r\n"
                        + "</html>\r\n"));
        assertTrue(e.getMessage().startsWith("no SDP content"), e.getMessage());
        assertTrue(e.getMessage().contains("4 line(s)"), e.getMessage());
        assertTrue(e instanceof IllegalArgumentException);
        assertThrows(SdpException.class, () -> SessionDescription.parse("a=control:*\r\nt=0 0\r\nx=1\r\n"),
                "attributes alone describe no session");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 4711, 65535, 123456789})
    void binaryGarbageIsRejectedFast(long seed) {
        Random random = new Random(seed);
        for (int size : new int[] {16, 1000, 60_000}) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            String latin1 = new String(bytes, StandardCharsets.ISO_8859_1);
            String utf8 = new String(bytes, StandardCharsets.UTF_8);
            assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
                assertThrows(SdpException.class, () -> SessionDescription.parse(latin1));
                assertThrows(SdpException.class, () -> SessionDescription.parse(utf8));
            });
        }
    }

    @Test
    void textAboveSizeLimitIsRejectedBeforeReading() {
        String big = CANONICAL + "a=x:" + "y".repeat(SessionDescription.MAX_TEXT_LENGTH);
        SdpException e = assertTimeoutPreemptively(Duration.ofSeconds(1),
                () -> assertThrows(SdpException.class, () -> SessionDescription.parse(big)));
        assertTrue(e.getMessage().contains("too long"), e.getMessage());
        String huge = "v=0\n".repeat(4_000_000);
        assertTimeoutPreemptively(Duration.ofSeconds(1),
                () -> assertThrows(SdpException.class, () -> SessionDescription.parse(huge)));
    }

    @Test
    void textAtSizeLimitIsRead() {
        String line = "a=x-pad:" + "p".repeat(90) + "\r\n";
        StringBuilder sb = new StringBuilder(CANONICAL);
        while (sb.length() + line.length() <= SessionDescription.MAX_TEXT_LENGTH) {
            sb.append(line);
        }
        SessionDescription sdp = SessionDescription.parse(sb.toString());
        assertTrue(sdp.media().get(1).attributes().size() > 600);
    }

    @Test
    void tooManyLinesAreRejected() {
        String ok = "v=0\n" + "\n".repeat(SessionDescription.MAX_LINES - 1);
        assertEquals(0, SessionDescription.parse(ok).media().size());
        String blankLines = "v=0\n" + "\n".repeat(SessionDescription.MAX_LINES);
        SdpException e = assertTimeoutPreemptively(Duration.ofSeconds(1),
                () -> assertThrows(SdpException.class, () -> SessionDescription.parse(blankLines)));
        assertTrue(e.getMessage().contains("10000 lines"), e.getMessage());
        String shortLines = "v=0\r\n" + "a=x\r\n".repeat(SessionDescription.MAX_LINES);
        assertThrows(SdpException.class, () -> SessionDescription.parse(shortLines));
        String crOnly = "\r".repeat(SessionDescription.MAX_LINES + 1) + "v=0";
        assertThrows(SdpException.class, () -> SessionDescription.parse(crOnly));
    }

    @Test
    void tooManyMediaSectionsAreRejected() {
        String ok = "v=0\r\n" + "m=video 0 RTP/AVP 96\r\n".repeat(SessionDescription.MAX_MEDIA);
        assertEquals(SessionDescription.MAX_MEDIA, SessionDescription.parse(ok).media().size());
        String tooMany = ok + "m=audio 0 RTP/AVP 0\r\n";
        SdpException e = assertThrows(SdpException.class, () -> SessionDescription.parse(tooMany));
        assertTrue(e.getMessage().contains("64 media sections"), e.getMessage());
    }

    @Test
    void manyMalformedLinesAreCountedNotFatal() {
        String text = "v=0\r\n" + "junk line\r\n".repeat(5000) + "m=video 0 RTP/AVP 96\r\n";
        SessionDescription sdp = assertTimeoutPreemptively(Duration.ofSeconds(1),
                () -> SessionDescription.parse(text));
        assertEquals(5000, sdp.skippedLines());
        assertEquals(1, sdp.media().size());
    }
}
