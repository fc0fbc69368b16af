package io.github.camelrtsp.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FormatParametersTest {

    private static List<String> keys(Map<String, String> map) {
        return new ArrayList<>(map.keySet());
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t", ";", " ; ;; ", "=", "=x; =y"})
    void nothingUsableGivesEmptyMap(String text) {
        Map<String, String> p = FormatParameters.parse(text);
        assertTrue(p.isEmpty());
        assertSame(FormatParameters.EMPTY, p);
    }

    @Test
    void plainList() {
        Map<String, String> p = FormatParameters.parse(
                " packetization-mode=1;profile-level-id=42C01E;sprop-parameter-sets=Z0LAHtkDxWhAAAADAEAAAAwDxYuS,aMuMsg==");
        assertEquals(ordered("packetization-mode", "1", "profile-level-id", "42C01E",
                "sprop-parameter-sets", "Z0LAHtkDxWhAAAADAEAAAAwDxYuS,aMuMsg=="), p);
        assertEquals(List.of("packetization-mode", "profile-level-id", "sprop-parameter-sets"), keys(p));
    }

    @Test
    void spacesAnywhereAndTrailingSemicolon() {
        Map<String, String> p = FormatParameters.parse(
                " profile-level-id = 1 ;mode= AAC-hbr ;  sizelength =13;\tconfig=1408; profile=1; ");
        assertEquals(ordered("profile-level-id", "1", "mode", "AAC-hbr", "sizelength", "13", "config", "1408",
                "profile", "1"), p);
        assertEquals(List.of("profile-level-id", "mode", "sizelength", "config", "profile"), keys(p));
    }

    @Test
    void valuesKeepEqualsSigns() {
        Map<String, String> p = FormatParameters.parse("sprop-parameter-sets=Z0IAKZY1QPAET8s3AQEBQAAAAwBAAAAHoQ==,aM4xsg==;"
                + "x=a=b");
        assertEquals("Z0IAKZY1QPAET8s3AQEBQAAAAwBAAAAHoQ==,aM4xsg==", p.get("sprop-parameter-sets"));
        assertEquals("a=b", p.get("x"));
    }

    @Test
    void spaceSeparatedParametersAreSplit() {
        assertEquals(ordered("DecoderTag", "h3c-v3", "RTCP", "0"), FormatParameters.parse("DecoderTag=h3c-v3 RTCP=0"));
        assertEquals(ordered("a", "1", "b", "2", "c", "3"), FormatParameters.parse("a=1  b = 2;c=3"));
    }

    @Test
    void spacesInsideListsAndBase64AreNotSplit() {
        Map<String, String> p = FormatParameters.parse("sprop-parameter-sets=Z0IA, aM4=;y=abc ==;z= 12");
        assertEquals(ordered("sprop-parameter-sets", "Z0IA, aM4=", "y", "abc ==", "z", "12"), p);
    }

    @Test
    void keyWithoutValueAndEmptyValue() {
        Map<String, String> p = FormatParameters.parse("0-15;x=;y");
        assertEquals(ordered("0-15", "", "x", "", "y", ""), p);
    }

    @Test
    void lookupIgnoresCaseKeysKeepSpelling() {
        Map<String, String> p = FormatParameters.parse("SizeLength=13; IndexLength=3; IndexDeltaLength=3");
        assertEquals("13", p.get("sizelength"));
        assertEquals("3", p.get("INDEXLENGTH"));
        assertTrue(p.containsKey("indexdeltalength"));
        assertFalse(p.containsKey("config"));
        assertNull(p.get("config"));
        assertNull(p.get(42));
        assertEquals(List.of("SizeLength", "IndexLength", "IndexDeltaLength"), keys(p));
    }

    @Test
    void repeatedKeyKeepsFirstValue() {
        Map<String, String> p = FormatParameters.parse("mode=AAC-hbr;MODE=AAC-lbr;config=1188");
        assertEquals(ordered("mode", "AAC-hbr", "config", "1188"), p);
    }

    @Test
    void mapIsUnmodifiableAndEqualsOtherMaps() {
        Map<String, String> p = FormatParameters.parse("a=1;b=2");
        assertThrows(UnsupportedOperationException.class, () -> p.put("c", "3"));
        assertThrows(UnsupportedOperationException.class, () -> p.remove("a"));
        assertThrows(UnsupportedOperationException.class, p::clear);
        Iterator<Map.Entry<String, String>> it = p.entrySet().iterator();
        it.next();
        assertThrows(UnsupportedOperationException.class, it::remove);
        assertThrows(UnsupportedOperationException.class, () -> p.entrySet().iterator().next().setValue("x"));
        assertEquals(Map.of("a", "1", "b", "2"), p);
        assertEquals(p, Map.of("a", "1", "b", "2"));
        assertEquals(Map.of("a", "1", "b", "2").hashCode(), p.hashCode());
        assertEquals(Map.of("a", "1", "b", "2"), Map.copyOf(p));
    }

    @Test
    void fmtpOfMediaSelectedByPayloadType() {
        SessionDescription sdp = SessionDescription.parse("""
                v=0
                m=video 0 RTP/AVP 96 97 98
                a=fmtp:97 packetization-mode=1
                a=fmtp:96
                a=fmtp:97 packetization-mode=0
                a=fmtp:98profile-id=1
                a=fmtp:smart x=1
                """);
        MediaDescription m = sdp.media().get(0);
        assertTrue(m.formatParameters(96).isEmpty());
        assertTrue(m.formatParameters().isEmpty());
        assertEquals(Map.of("packetization-mode", "1"), m.formatParameters(97), "the first fmtp for a payload type wins");
        assertEquals(Map.of("profile-id", "1"), m.formatParameters(98));
        assertTrue(m.formatParameters(99).isEmpty());
        assertTrue(m.formatParameters(-1).isEmpty());
    }

    @Test
    void longParameterListIsReadInLinearTime() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            sb.append("k").append(i).append("=v ");
        }
        String spaced = sb.toString();
        String semicolons = spaced.replace(' ', ';');
        String oneValue = "x=" + " y".repeat(30_000);
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            assertEquals(5000, FormatParameters.parse(spaced).size());
            assertEquals(5000, FormatParameters.parse(semicolons).size());
            assertEquals(1, FormatParameters.parse(oneValue).size());
        });
    }
}
