package io.github.camelrtsp.format.opus;

import static io.github.camelrtsp.format.audiotest.Packets.bytes;
import static io.github.camelrtsp.format.audiotest.Packets.withFill;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** The TOC / framing reader against RFC 6716 3.1-3.4, one case per rule. */
class OpusPacketsTest {

    private static int toc(int config, boolean stereo, int code) {
        return (config << 3) | (stereo ? 4 : 0) | code;
    }

    /** Reads {@code packet} placed after some unrelated bytes, so the index is honoured. */
    private static int count(byte[] packet) {
        ByteBuf buf = Unpooled.buffer();
        buf.writeBytes(bytes(0xFF, 0xFF, 0xFF));
        buf.writeBytes(packet);
        buf.writeBytes(bytes(0x03, 0x03));
        return OpusPackets.sampleCount(buf, 3, packet.length);
    }

    @Test
    void frameSizeOfEveryConfiguration() {
        int[] expected = {
            480, 960, 1920, 2880, 480, 960, 1920, 2880, 480, 960, 1920, 2880, // SILK NB, MB, WB: 10/20/40/60 ms
            480, 960, 480, 960, // hybrid SWB, FB: 10/20 ms
            120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960 // CELT: 2.5/5/10/20 ms
        };
        for (int config = 0; config < 32; config++) {
            for (int low = 0; low < 8; low++) {
                assertEquals(expected[config], OpusPackets.samplesPerFrame((config << 3) | low), "config " + config);
            }
        }
    }

    @Test
    void code0OneFrame() {
        assertEquals(960, count(bytes(toc(1, false, 0))), "TOC alone: one empty frame (DTX / PLC)");
        assertEquals(2880, count(withFill(bytes(toc(3, true, 0)), 40)));
        assertEquals(120, count(withFill(bytes(toc(16, false, 0)), 1275)), "longest frame");
        assertEquals(OpusPackets.ERR_FRAME_TOO_LONG, count(withFill(bytes(toc(16, false, 0)), 1276)));
    }

    @Test
    void code1TwoEqualFrames() {
        assertEquals(2 * 480, count(withFill(bytes(toc(12, false, 1)), 80)));
        assertEquals(2 * 960, count(bytes(toc(31, true, 1))), "two empty frames");
        assertEquals(OpusPackets.ERR_CODE1_ODD, count(withFill(bytes(toc(12, false, 1)), 81)));
        assertEquals(2 * 240, count(withFill(bytes(toc(17, false, 1)), 2 * 1275)));
        assertEquals(OpusPackets.ERR_FRAME_TOO_LONG, count(withFill(bytes(toc(17, false, 1)), 2 * 1276)));
    }

    @Test
    void code2TwoFramesWithLength() {
        assertEquals(2 * 960, count(withFill(bytes(toc(9, false, 2), 10), 25)), "10 + 15 bytes");
        assertEquals(2 * 960, count(withFill(bytes(toc(9, false, 2), 10), 10)), "second frame empty");
        assertEquals(2 * 960, count(withFill(bytes(toc(9, false, 2), 0), 30)), "first frame empty");
        // two-byte length: 252 + 4 * 2 = 260
        assertEquals(2 * 480, count(withFill(bytes(toc(14, false, 2), 252, 2), 300)));
        assertEquals(OpusPackets.ERR_CODE2_LENGTH, count(withFill(bytes(toc(14, false, 2), 252, 2), 259)));
        assertEquals(OpusPackets.ERR_CODE2_LENGTH, count(withFill(bytes(toc(9, false, 2), 200), 20)));
        assertEquals(OpusPackets.ERR_TRUNCATED, count(bytes(toc(9, false, 2))), "no length byte");
        assertEquals(OpusPackets.ERR_TRUNCATED, count(bytes(toc(9, false, 2), 253)), "second length byte missing");
        assertEquals(OpusPackets.ERR_FRAME_TOO_LONG, count(withFill(bytes(toc(9, false, 2), 1), 1 + 1276)));
    }

    @Test
    void code3ConstantBitrate() {
        assertEquals(3 * 960, count(withFill(bytes(toc(1, false, 3), 3), 30)), "3 frames of 10 bytes");
        assertEquals(5 * 120, count(bytes(toc(16, false, 3), 5)), "5 empty frames");
        assertEquals(48 * 120, count(bytes(toc(16, false, 3), 48)), "120 ms of 2.5 ms frames");
        assertEquals(OpusPackets.ERR_TOO_LONG_DURATION, count(bytes(toc(16, false, 3), 49)));
        assertEquals(OpusPackets.ERR_TOO_LONG_DURATION, count(bytes(toc(3, false, 3), 3)), "3 x 60 ms");
        assertEquals(2 * 2880, count(bytes(toc(3, false, 3), 2)), "2 x 60 ms");
        assertEquals(OpusPackets.ERR_NO_FRAMES, count(withFill(bytes(toc(1, false, 3), 0), 10)));
        assertEquals(OpusPackets.ERR_CBR_SIZE, count(withFill(bytes(toc(1, false, 3), 3), 31)));
        assertEquals(OpusPackets.ERR_TRUNCATED, count(bytes(toc(1, false, 3))), "no frame count byte");
        assertEquals(OpusPackets.ERR_FRAME_TOO_LONG, count(withFill(bytes(toc(19, false, 3), 2), 2 * 1276)));
    }

    @Test
    void code3Padding() {
        // padding flag, padding length 5: 3 frames of 4 bytes + 5 padding bytes
        assertEquals(3 * 480, count(withFill(bytes(toc(8, false, 3), 0x40 | 3, 5), 12 + 5)));
        // length bytes 255, 10: 254 + 10 = 264 padding bytes after 2 frames of 7 bytes
        assertEquals(2 * 1920, count(withFill(bytes(toc(10, false, 3), 0x40 | 2, 255, 10), 14 + 264)));
        assertEquals(OpusPackets.ERR_PADDING, count(withFill(bytes(toc(10, false, 3), 0x40 | 2, 255, 10), 200)));
        assertEquals(OpusPackets.ERR_TRUNCATED, count(bytes(toc(10, false, 3), 0x40 | 2)), "no padding length");
        assertEquals(OpusPackets.ERR_TRUNCATED, count(bytes(toc(10, false, 3), 0x40 | 2, 255)),
                     "padding length continues past the end");
        assertEquals(2 * 1920, count(bytes(toc(10, false, 3), 0x40 | 2, 0)), "padding length 0, empty frames");
    }

    @Test
    void code3VariableBitrate() {
        // 3 frames: lengths 5 and 7 coded, last = rest (9)
        assertEquals(3 * 960, count(withFill(bytes(toc(13, true, 3), 0x80 | 3, 5, 7), 5 + 7 + 9)));
        // with padding 4 and a two-byte length 252 + 4 * 1 = 256
        assertEquals(2 * 960, count(withFill(bytes(toc(13, false, 3), 0xC0 | 2, 4, 252, 1), 256 + 10 + 4)));
        assertEquals(OpusPackets.ERR_VBR_LENGTHS, count(withFill(bytes(toc(13, true, 3), 0x80 | 3, 50, 7), 20)));
        assertEquals(OpusPackets.ERR_TRUNCATED, count(bytes(toc(13, true, 3), 0x80 | 3, 5)),
                     "second frame length missing");
        assertEquals(OpusPackets.ERR_TRUNCATED, count(bytes(toc(13, true, 3), 0x80 | 2, 252)),
                     "two-byte frame length cut");
        assertEquals(OpusPackets.ERR_FRAME_TOO_LONG, count(withFill(bytes(toc(13, true, 3), 0x80 | 2, 1), 1 + 1276)));
        assertEquals(960, count(withFill(bytes(toc(13, true, 3), 0x80 | 1), 1275)), "one frame, no lengths");
    }

    @Test
    void emptyPacket() {
        assertEquals(OpusPackets.ERR_EMPTY, count(new byte[0]));
    }

    @Test
    void everyErrorHasItsOwnDescription() {
        Set<String> texts = new HashSet<>();
        for (int code = -1; code >= -10; code--) {
            String text = OpusPackets.describe(code);
            assertFalse(text.isBlank());
            assertTrue(texts.add(text), "duplicate description " + text);
        }
    }
}
