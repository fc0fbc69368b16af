package io.github.camelrtsp.headers;

import static io.github.camelrtsp.headers.CorpusHeaders.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RangeHeaderTest {

    @Test
    void nptForms() {
        RangeHeader open = RangeHeader.parse("npt=0-");
        assertEquals("npt", open.unit());
        assertEquals("0", open.start());
        assertNull(open.end());
        assertEquals(0.0, open.nptStartSeconds());

        RangeHeader closed = RangeHeader.parse("npt=10.5-20");
        assertEquals(10.5, closed.nptStartSeconds());
        assertEquals(20.0, closed.nptEndSeconds());
        assertEquals("npt=10.5-20", closed.format());

        RangeHeader now = RangeHeader.parse("npt=now-");
        assertEquals("now", now.start());
        assertNull(now.nptStartSeconds());

        assertEquals(3723.5, RangeHeader.parse("npt=1:02:03.5-").nptStartSeconds());
        RangeHeader endOnly = RangeHeader.parse("npt=-20");
        assertNull(endOnly.start());
        assertEquals("20", endOnly.end());
    }

    /** {@code bunny_play.txt} and {@code h264dvr_play.txt}. */
    @Test
    void corpusRanges() {
        RangeHeader bunny = RangeHeader.parse(header("bunny_play.txt", "Range"));
        assertEquals(0.0, bunny.nptStartSeconds());
        assertEquals(596.48, bunny.nptEndSeconds());
        RangeHeader live = RangeHeader.parse(header("h264dvr_play.txt", "Range"));
        assertEquals("now", live.start());
        assertEquals(0.0, RangeHeader.parse(header("dahua_play.txt", "Range")).nptStartSeconds());
    }

    @Test
    void clockAndSmpte() {
        RangeHeader clock = RangeHeader.parse("clock=20230101T100000Z-;time=20230101T095900Z");
        assertEquals("clock", clock.unit());
        assertEquals("20230101T100000Z", clock.start());
        assertNull(clock.end());
        assertEquals("20230101T095900Z", clock.time());
        assertNull(clock.nptStartSeconds());
        assertEquals("clock=20230101T100000Z-;time=20230101T095900Z", clock.format());

        RangeHeader extended = RangeHeader.parse("clock=2023-01-01T10:00:00Z-2023-01-01T11:00:00Z");
        assertEquals("2023-01-01T10:00:00Z", extended.start());
        assertEquals("2023-01-01T11:00:00Z", extended.end());

        RangeHeader smpte = RangeHeader.parse("smpte=10:07:33-10:07:34:15");
        assertEquals("smpte", smpte.unit());
        assertEquals("10:07:33", smpte.start());
        assertEquals("10:07:34:15", smpte.end());
    }

    @Test
    void clientForms() {
        assertEquals("npt=0.000-", RangeHeader.nptFrom(0).format());
        assertEquals("npt=10.500-", RangeHeader.nptFrom(10.5).toString());
        assertEquals("npt=now-", RangeHeader.nptNow().format());
        assertEquals("clock=20230101T100000Z-", RangeHeader.of("clock", "20230101T100000Z", null).format());
        assertThrows(IllegalArgumentException.class, () -> RangeHeader.nptFrom(-1));
        assertThrows(IllegalArgumentException.class, () -> RangeHeader.nptFrom(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> RangeHeader.of("npt", "1-2", null));
    }

    @Test
    void malformedIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> RangeHeader.parse("npt"));
        assertThrows(IllegalArgumentException.class, () -> RangeHeader.parse("npt=5"));
        assertThrows(IllegalArgumentException.class, () -> RangeHeader.parse("=0-"));
        assertTrue(RangeHeader.parse("NPT=5-").isNpt());
    }
}
