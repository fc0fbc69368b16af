package io.github.camelrtsp.format.passthrough;

import static io.github.camelrtsp.format.audiotest.Packets.bytes;
import static io.github.camelrtsp.format.audiotest.Packets.feed;
import static io.github.camelrtsp.format.audiotest.Packets.params;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.testsupport.CapturedLog;
import io.github.camelrtsp.format.audiotest.Decoded;
import io.github.camelrtsp.testsupport.GstRtpCapture;
import io.github.camelrtsp.format.audiotest.Packets;
import io.github.camelrtsp.testsupport.FfProbe;

/** The passthrough: every payload as is, one INFO line per track, problems counted and logged. */
class PassthroughDepacketizerTest {

    @Test
    void everyPayloadIsOneFrameAsIsAndTheTrackIsLoggedOnce() {
        try (CapturedLog log = CapturedLog.capture(PassthroughDepacketizer.class)) {
            PassthroughDepacketizer d = new PassthroughDepacketizer(params("VND.ONVIF.METADATA", 107, 90000, null,
                                                                           1500));
            for (int i = 0; i < 50; i++) {
                byte[] payload = bytes('<', 'x', i, '>');
                List<MediaFrame> frames = feed(d, 107, i, 3000L * i, payload, false);
                assertEquals(1, frames.size());
                MediaFrame f = frames.get(0);
                assertArrayEquals(payload, f.data());
                assertEquals(3000L * i, f.rtpTimestamp());
                assertEquals(0, f.sampleCount(), "unknown");
                assertTrue(f.keyFrame());
                assertFalse(f.discontinuity());
            }
            List<String> lines = log.lines();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).startsWith("INFO VND.ONVIF.METADATA/90000 pt 107: no depacketizer"), lines.get(0));
            assertNull(d.codecConfig());
        }
    }

    @Test
    void aSecondTrackLogsItsOwnLine() {
        try (CapturedLog log = CapturedLog.capture(PassthroughDepacketizer.class)) {
            new PassthroughDepacketizer(params("GSM", 3, 8000, 1, 1500));
            new PassthroughDepacketizer(params(null, 99, 90000, null, 1500));
            assertEquals(List.of("INFO GSM/8000/1 pt 3", "INFO (no codec)/90000 pt 99"),
                         log.lines().stream().map(l -> l.substring(0, l.indexOf(':'))).toList());
        }
    }

    @Test
    void emptyAndOversizePayloadsAreCountedAndWarned() {
        try (CapturedLog log = CapturedLog.capture(PassthroughDepacketizer.class)) {
            PassthroughDepacketizer d = new PassthroughDepacketizer(params("X-UNKNOWN", 100, 90000, null, 10));
            assertTrue(feed(d, 100, 1, 0, new byte[0], false).isEmpty());
            assertEquals(1, d.packetsSkipped());
            assertEquals(0, d.framesDropped());
            assertTrue(feed(d, 100, 2, 0, new byte[11], false).isEmpty());
            assertEquals(1, d.framesDropped());
            assertEquals(1, d.packetsSkipped());
            List<String> warnings = log.lines("WARN");
            assertEquals(1, warnings.size(), "second problem within 10 s is counted, not logged");
            assertTrue(warnings.get(0).contains("empty payload"), warnings.get(0));
            MediaFrame next = feed(d, 100, 3, 0, new byte[10], false).get(0);
            assertTrue(next.discontinuity(), "the dropped frame makes a gap");
        }
    }

    @Test
    void lossAndResetFlagTheNextFrame() {
        PassthroughDepacketizer d = new PassthroughDepacketizer(params("X", 100, 90000, null, 100));
        assertTrue(feed(d, 100, 5, 0, bytes(1), true).get(0).discontinuity());
        assertFalse(feed(d, 100, 6, 0, bytes(1), false).get(0).discontinuity());
        d.reset();
        assertTrue(feed(d, 100, 7, 0, bytes(1), false).get(0).discontinuity());
        assertEquals(0, d.framesDropped());
    }

    @Test
    void rejectsNonPositiveMaxFrameSize() {
        assertThrows(IllegalArgumentException.class,
                     () -> new PassthroughDepacketizer(params("X", 100, 90000, null, 0)));
    }

    /** GSM has no depacketizer, but one GSM frame per packet: passed through, the bodies form a raw GSM stream. */
    @Test
    void gstreamerGsmPassesThroughIntoADecodableStream() {
        FfProbe.requireAvailable();
        Path dir = GstRtpCapture.workDir("format-audio");
        List<byte[]> packets = GstRtpCapture.run(dir.resolve("gsm.rtp"), "audiotestsrc num-buffers=50 "
                + "samplesperbuffer=160 ! audio/x-raw,rate=8000,channels=1 ! gsmenc ! rtpgsmpay").packets();
        PassthroughDepacketizer d = new PassthroughDepacketizer(params("GSM", 3, 8000, 1, 1500));
        List<MediaFrame> frames = Packets.feedAll(d, packets);
        assertEquals(packets.size(), frames.size());
        for (MediaFrame f : frames) {
            assertEquals(33, f.data().length, "one GSM 06.10 frame");
        }
        Path body = Decoded.concatenate(frames, dir.resolve("gsm.body"));
        Decoded.Result decoded = Decoded.decode(body, 1, "-f", "gsm", "-ar", "8000");
        assertTrue(decoded.errors().isBlank(), decoded.errors());
        assertEquals(160L * frames.size(), decoded.samples());
    }
}
