package io.github.camelrtsp.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class RtspHeadersTest {

    @Test
    void namesCompareCaseInsensitivelyAndKeepTheirSpelling() {
        RtspHeaders h = new RtspHeaders().add("CSeq", "1").add("content-TYPE", "application/sdp");
        assertEquals("1", h.get("cseq"));
        assertEquals("application/sdp", h.get("Content-Type"));
        assertTrue(h.contains("CSEQ"));
        assertFalse(h.contains("Session"));
        assertNull(h.get("Session"));
        List<String> seen = new ArrayList<>();
        h.forEach((n, v) -> seen.add(n + "=" + v));
        assertEquals(List.of("CSeq=1", "content-TYPE=application/sdp"), seen);
    }

    @Test
    void multipleValuesKeepInsertionOrder() {
        RtspHeaders h = new RtspHeaders().add("WWW-Authenticate", "Digest realm=\"a\"").add("CSeq", "2")
                .add("www-authenticate", "Basic realm=\"a\"");
        assertEquals(List.of("Digest realm=\"a\"", "Basic realm=\"a\""), h.getAll("WWW-Authenticate"));
        assertEquals("Digest realm=\"a\"", h.get("WWW-Authenticate"));
        assertEquals(List.of(), h.getAll("Transport"));
        assertEquals(3, h.size());
    }

    @Test
    void setReplacesInPlaceAndDropsLaterDuplicates() {
        RtspHeaders h = new RtspHeaders().add("A", "1").add("B", "2").add("a", "3").add("C", "4");
        h.set("A", "x");
        List<String> seen = new ArrayList<>();
        h.forEach((n, v) -> seen.add(n + "=" + v));
        assertEquals(List.of("A=x", "B=2", "C=4"), seen);
        h.set("D", "5");
        assertEquals("5", h.get("d"));
        assertEquals(4, h.size());
    }

    @Test
    void removeDeletesAllOccurrences() {
        RtspHeaders h = new RtspHeaders().add("A", "1").add("B", "2").add("a", "3");
        assertTrue(h.remove("A"));
        assertFalse(h.remove("A"));
        assertEquals(1, h.size());
        assertEquals("2", h.get("B"));
    }

    @Test
    void valuesAreTrimmedAndIntegersParsedTolerantly() {
        RtspHeaders h = new RtspHeaders().add("CSeq", " 17 \t").add("Bad", "x1").add("Big", "99999999999");
        assertEquals("17", h.get("CSeq"));
        assertEquals(17, h.getInt("cseq"));
        assertNull(h.getInt("Bad"));
        assertNull(h.getInt("Big"));
        assertNull(h.getInt("Absent"));
    }

    @Test
    void rejectsNamesAndValuesThatWouldBreakTheWireFormat() {
        RtspHeaders h = new RtspHeaders();
        assertThrows(IllegalArgumentException.class, () -> h.add("X", "a\r\nInjected: yes"));
        assertThrows(IllegalArgumentException.class, () -> h.add("X:Y", "a"));
        assertThrows(IllegalArgumentException.class, () -> h.add("X Y", "a"));
        assertThrows(IllegalArgumentException.class, () -> h.add(" ", "a"));
        assertThrows(IllegalArgumentException.class, () -> h.set("X", "a\nb"));
        assertThrows(NullPointerException.class, () -> h.add("X", null));
        assertEquals(0, h.size());
    }

    @Test
    void toStringMasksCredentials() {
        RtspHeaders h = new RtspHeaders().add("Authorization", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
                .add("CSeq", "3");
        String s = h.toString();
        assertFalse(s.contains("QWxhZGRpbjpvcGVuIHNlc2FtZQ=="), s);
        assertTrue(s.contains("Basic ******"), s);
        assertTrue(s.contains("CSeq: 3"), s);
    }
}
