package io.github.camelrtsp.format.g711;

import static io.github.camelrtsp.format.audiotest.Packets.bytes;
import static io.github.camelrtsp.format.audiotest.Packets.feed;
import static io.github.camelrtsp.format.audiotest.Packets.params;
import static io.github.camelrtsp.format.audiotest.Packets.withFill;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.testsupport.CapturedLog;
import io.github.camelrtsp.format.audiotest.RawStreamCheck;
import io.github.camelrtsp.testsupport.FfProbe;

/** G.711 with hand-built packets and with PCMU / PCMA RTP from GStreamer decoded by ffmpeg. */
class G711DepacketizerTest {

    @BeforeAll
    static void tools() {
        FfProbe.requireAvailable();
    }

    @Test
    void monoPayloadIsOneFrameOfOneSamplePerByte() {
        G711Depacketizer d = new G711Depacketizer(params("PCMU", 0, 8000, null, 2000));
        byte[] payload = withFill(bytes(0xFF, 0x7F, 0x00), 157);
        List<MediaFrame> frames = feed(d, 0, 7, 0xFFFF_FF00L, payload, false);
        assertEquals(1, frames.size());
        MediaFrame f = frames.get(0);
        assertArrayEquals(payload, f.data());
        assertEquals(160, f.sampleCount());
        assertEquals(0xFFFF_FF00L, f.rtpTimestamp());
        assertTrue(f.keyFrame());
        assertFalse(f.discontinuity());
        assertFalse(d.aLaw());
        assertEquals(1, d.channels());
    }

    @Test
    void stereoCountsSamplesPerChannelAndSkipsAHalfSample() {
        G711Depacketizer d = new G711Depacketizer(params("pcma", 8, 8000, 2, 2000));
        assertTrue(d.aLaw());
        assertEquals(80, feed(d, 8, 1, 0, new byte[160], false).get(0).sampleCount());
        try (CapturedLog log = CapturedLog.capture(G711Depacketizer.class)) {
            assertTrue(feed(d, 8, 2, 80, new byte[161], false).isEmpty());
            assertEquals(1, log.lines("WARN").size());
            assertTrue(log.lines("WARN").get(0).contains("multiple of the channel count"), log.lines().toString());
        }
        assertEquals(1, d.packetsSkipped());
        assertEquals(1, d.framesDropped());
        assertTrue(feed(d, 8, 3, 160, new byte[160], false).get(0).discontinuity());
    }

    @Test
    void emptyOversizeAndLoss() {
        G711Depacketizer d = new G711Depacketizer(params("PCMU", 0, 8000, 1, 160));
        assertTrue(feed(d, 0, 1, 0, new byte[0], false).isEmpty());
        assertEquals(1, d.packetsSkipped());
        assertEquals(0, d.framesDropped());
        assertFalse(feed(d, 0, 2, 0, new byte[160], false).get(0).discontinuity(), "limit is inclusive");
        assertTrue(feed(d, 0, 3, 160, new byte[161], false).isEmpty());
        assertEquals(1, d.framesDropped());
        assertTrue(feed(d, 0, 4, 321, new byte[80], false).get(0).discontinuity());
        assertTrue(feed(d, 0, 6, 561, new byte[80], true).get(0).discontinuity());
        assertFalse(feed(d, 0, 7, 641, new byte[80], false).get(0).discontinuity());
    }

    @Test
    void rejectsOtherCodecsAndBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> new G711Depacketizer(params("G722", 9, 8000, 1, 100)));
        assertThrows(IllegalArgumentException.class, () -> new G711Depacketizer(params(null, 0, 8000, 1, 100)));
        assertThrows(IllegalArgumentException.class, () -> new G711Depacketizer(params("PCMU", 0, 8000, 0, 100)));
        assertThrows(IllegalArgumentException.class, () -> new G711Depacketizer(params("PCMU", 0, 8000, 1, 0)));
    }

    @Test
    void gstreamerPcmuDecodes() {
        G711Depacketizer d = new G711Depacketizer(params("PCMU", 0, 8000, 1, 64 * 1024));
        RawStreamCheck.check("pcmu", "audiotestsrc num-buffers=50 samplesperbuffer=320 ! audio/x-raw,rate=8000,"
                + "channels=1 ! mulawenc", "rtppcmupay max-ptime=20000000", d, 1, 1, 1, "-f", "mulaw", "-ar",
                "8000");
    }

    @Test
    void gstreamerPcmaDecodes() {
        G711Depacketizer d = new G711Depacketizer(params("PCMA", 8, 8000, 1, 64 * 1024));
        RawStreamCheck.check("pcma", "audiotestsrc num-buffers=40 samplesperbuffer=400 wave=triangle freq=700 "
                + "! audio/x-raw,rate=8000,channels=1 ! alawenc", "rtppcmapay", d, 1, 1, 1, "-f", "alaw", "-ar",
                "8000");
    }
}
