package io.github.camelrtsp.format.g722;

import static io.github.camelrtsp.format.audiotest.Packets.feed;
import static io.github.camelrtsp.format.audiotest.Packets.params;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.audiotest.RawStreamCheck;
import io.github.camelrtsp.testsupport.FfProbe;

/** G.722 with hand-built packets and with RTP from GStreamer ({@code avenc_g722 ! rtpg722pay}) decoded by ffmpeg. */
class G722DepacketizerTest {

    @BeforeAll
    static void tools() {
        FfProbe.requireAvailable();
    }

    @Test
    void sampleCountIsInEightKilohertzClockUnits() {
        G722Depacketizer d = new G722Depacketizer(params("G722", 9, 8000, null, 2000));
        byte[] payload = new byte[160];
        payload[0] = 0x12;
        payload[159] = 0x34;
        List<MediaFrame> frames = feed(d, 9, 1, 1000, payload, false);
        assertEquals(1, frames.size());
        assertArrayEquals(payload, frames.get(0).data());
        assertEquals(160, frames.get(0).sampleCount(), "20 ms = 160 units of the 8 kHz RTP clock");
        assertEquals(1000, frames.get(0).rtpTimestamp());
        assertTrue(frames.get(0).keyFrame());
    }

    @Test
    void stereoHalfSampleEmptyOversizeAndLoss() {
        G722Depacketizer d = new G722Depacketizer(params("G722", 9, 8000, 2, 320));
        assertEquals(2, d.channels());
        assertEquals(160, feed(d, 9, 1, 0, new byte[320], false).get(0).sampleCount());
        assertTrue(feed(d, 9, 2, 160, new byte[159], false).isEmpty(), "odd byte count for two channels");
        assertEquals(1, d.packetsSkipped());
        assertEquals(1, d.framesDropped());
        assertTrue(feed(d, 9, 3, 320, new byte[2], false).get(0).discontinuity());
        assertTrue(feed(d, 9, 4, 321, new byte[0], false).isEmpty());
        assertEquals(2, d.packetsSkipped());
        assertTrue(feed(d, 9, 5, 321, new byte[322], false).isEmpty(), "over the limit");
        assertEquals(2, d.framesDropped());
        assertTrue(feed(d, 9, 6, 482, new byte[2], false).get(0).discontinuity());
        assertTrue(feed(d, 9, 8, 484, new byte[2], true).get(0).discontinuity());
        assertFalse(feed(d, 9, 9, 485, new byte[2], false).get(0).discontinuity());
        d.reset();
        assertTrue(feed(d, 9, 10, 486, new byte[2], false).get(0).discontinuity());
    }

    @Test
    void rejectsBadChannelCount() {
        assertThrows(IllegalArgumentException.class, () -> new G722Depacketizer(params("G722", 9, 8000, -1, 100)));
    }

    @Test
    void gstreamerG722DecodesIntoTwiceTheClockUnits() {
        G722Depacketizer d = new G722Depacketizer(params("G722", 9, 8000, 1, 64 * 1024));
        RawStreamCheck.check("g722", "audiotestsrc num-buffers=50 samplesperbuffer=640 freq=1200 ! audio/x-raw,"
                + "rate=16000,channels=1 ! avenc_g722", "rtpg722pay", d, 1, 1, 2, "-f", "g722");
    }
}
