package io.github.camelrtsp.headers;

import static io.github.camelrtsp.headers.CorpusHeaders.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SessionHeaderTest {

    @Test
    void idAndTimeout() {
        SessionHeader s = SessionHeader.parse("12345678;timeout=60");
        assertEquals("12345678", s.id());
        assertEquals(60, s.timeoutSeconds());
        assertEquals("12345678", s.format());
        assertEquals(30, SessionHeader.parse("abc;timeout=30").timeoutSeconds());
    }

    /** {@code gw_*.txt}: "; timeout" after a space. */
    @Test
    void timeoutAfterASpace() {
        String setup = header("gw_main_setup_video.txt", "Session");
        assertTrue(setup.contains("; timeout"), "quirk not in file: " + setup);
        SessionHeader s = SessionHeader.parse(setup);
        assertEquals("9a90de54", s.id());
        assertEquals(60, s.timeoutSeconds());
        SessionHeader play = SessionHeader.parse(header("gw_sub_play.txt", "Session"));
        assertEquals("9b0d0e54", play.id());
        assertEquals(120, play.timeoutSeconds());
        assertEquals(45, SessionHeader.parse("12345678 ; timeout = 45").timeoutSeconds());
    }

    /** {@code hikvision_play.txt}: the value is preceded by many spaces; no timeout. */
    @Test
    void paddedValueWithoutTimeout() {
        SessionHeader s = SessionHeader.parse(header("hikvision_play.txt", "Session"));
        assertEquals("708345999", s.id());
        assertEquals(60, s.timeoutSeconds());
    }

    @Test
    void unreadableTimeoutFallsBackToSixtySeconds() {
        assertEquals(60, SessionHeader.parse("abc;timeout=soon").timeoutSeconds());
        assertEquals(60, SessionHeader.parse("abc;timeout=0").timeoutSeconds());
        assertEquals(60, SessionHeader.parse("abc;timeout=-5").timeoutSeconds());
        assertEquals(60, SessionHeader.parse("abc;timeout=99999999999").timeoutSeconds());
    }

    @Test
    void missingIdIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SessionHeader.parse(""));
        assertThrows(IllegalArgumentException.class, () -> SessionHeader.parse(";timeout=60"));
        assertThrows(IllegalArgumentException.class, () -> SessionHeader.parse("timeout=60"));
    }
}
