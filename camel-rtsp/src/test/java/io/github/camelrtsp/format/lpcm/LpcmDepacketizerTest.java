package io.github.camelrtsp.format.lpcm;

import static io.github.camelrtsp.format.audiotest.Packets.bytes;
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

/** L16 and L8 with hand-built packets and with RTP from GStreamer ({@code rtpL16pay}, {@code rtpL8pay}). */
class LpcmDepacketizerTest {

    @BeforeAll
    static void tools() {
        FfProbe.requireAvailable();
    }

    @Test
    void l16StereoKeepsNetworkOrderAndCountsInstants() {
        LpcmDepacketizer d = new LpcmDepacketizer(params("L16", 10, 44100, 2, 4000));
        assertEquals(2, d.bytesPerSample());
        // two instants: L=0x1234 R=0xFEDC, L=0x0001 R=0x8000 (big-endian as sent)
        byte[] payload = bytes(0x12, 0x34, 0xFE, 0xDC, 0x00, 0x01, 0x80, 0x00);
        List<MediaFrame> frames = feed(d, 10, 1, 441, payload, false);
        assertArrayEquals(payload, frames.get(0).data(), "body keeps the big-endian interleaved samples");
        assertEquals(2, frames.get(0).sampleCount());
        assertEquals(441, frames.get(0).rtpTimestamp());
        assertTrue(frames.get(0).keyFrame());
    }

    @Test
    void l16PartialInstantIsSkipped() {
        LpcmDepacketizer d = new LpcmDepacketizer(params("L16", 96, 16000, 2, 4000));
        for (int length : new int[] {1, 2, 3, 5, 6, 7}) {
            assertTrue(feed(d, 96, length, 0, new byte[length], false).isEmpty(), length + " bytes");
        }
        assertEquals(6, d.packetsSkipped());
        assertEquals(6, d.framesDropped());
        MediaFrame next = feed(d, 96, 10, 0, new byte[8], false).get(0);
        assertTrue(next.discontinuity());
        assertEquals(2, next.sampleCount());
    }

    @Test
    void l8MonoIsOneBytePerSample() {
        LpcmDepacketizer d = new LpcmDepacketizer(params("l8", 96, 8000, null, 4000));
        assertEquals(1, d.bytesPerSample());
        assertEquals(1, d.channels());
        assertEquals(3, feed(d, 96, 1, 0, bytes(0, 128, 255), false).get(0).sampleCount());
    }

    @Test
    void emptyOversizeLossAndReset() {
        LpcmDepacketizer d = new LpcmDepacketizer(params("L16", 11, 44100, 1, 882));
        assertTrue(feed(d, 11, 1, 0, new byte[0], false).isEmpty());
        assertEquals(1, d.packetsSkipped());
        assertEquals(441, feed(d, 11, 2, 0, new byte[882], false).get(0).sampleCount());
        assertTrue(feed(d, 11, 3, 441, new byte[884], false).isEmpty());
        assertEquals(1, d.framesDropped());
        assertTrue(feed(d, 11, 4, 883, new byte[2], false).get(0).discontinuity());
        assertFalse(feed(d, 11, 5, 884, new byte[2], false).get(0).discontinuity());
        assertTrue(feed(d, 11, 7, 886, new byte[2], true).get(0).discontinuity());
        d.reset();
        assertTrue(feed(d, 11, 8, 887, new byte[2], false).get(0).discontinuity());
    }

    @Test
    void rejectsOtherCodecs() {
        assertThrows(IllegalArgumentException.class, () -> new LpcmDepacketizer(params("L24", 96, 48000, 1, 100)));
        assertThrows(IllegalArgumentException.class, () -> new LpcmDepacketizer(params("L16", 96, 48000, 0, 100)));
    }

    @Test
    void gstreamerL16StereoDecodesAsS16be() {
        LpcmDepacketizer d = new LpcmDepacketizer(params("L16", 96, 44100, 2, 64 * 1024));
        RawStreamCheck.check("l16", "audiotestsrc num-buffers=40 samplesperbuffer=1102 freq=500 ! audio/x-raw,"
                + "format=S16BE,rate=44100,channels=2,layout=interleaved", "rtpL16pay pt=96", d, 2, 4, 1,
                "-f", "s16be", "-ar", "44100", "-ac", "2");
    }

    @Test
    void gstreamerL8DecodesAsU8() {
        LpcmDepacketizer d = new LpcmDepacketizer(params("L8", 96, 8000, 1, 64 * 1024));
        RawStreamCheck.check("l8", "audiotestsrc num-buffers=40 samplesperbuffer=200 freq=300 ! audio/x-raw,"
                + "format=U8,rate=8000,channels=1", "rtpL8pay pt=96", d, 1, 1, 1, "-f", "u8", "-ar", "8000");
    }
}
