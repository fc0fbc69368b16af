package io.github.camelrtsp.format.opus;

import static io.github.camelrtsp.format.audiotest.Packets.bytes;
import static io.github.camelrtsp.format.audiotest.Packets.feed;
import static io.github.camelrtsp.format.audiotest.Packets.withFill;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.testsupport.CapturedLog;
import io.github.camelrtsp.rtp.RtpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Opus depacketizer with hand-built packets: every frame count code, malformed framing, empty, oversize, loss. */
class OpusDepacketizerTest {

    private static final int PT = 111;

    private static OpusDepacketizer opus(int maxFrameSize) {
        return new OpusDepacketizer(new FormatParameters("OPUS", PT, 48000, 2, Map.of(), maxFrameSize));
    }

    private static int toc(int config, boolean stereo, int code) {
        return (config << 3) | (stereo ? 4 : 0) | code;
    }

    @Test
    void eachFrameCountCodeGivesOneFrameWithItsDuration() {
        OpusDepacketizer d = opus(4000);
        byte[][] packets = {
            withFill(bytes(toc(31, true, 0)), 120), // code 0: one 20 ms CELT frame
            withFill(bytes(toc(1, false, 1)), 60), // code 1: two 20 ms SILK frames
            withFill(bytes(toc(14, false, 2), 20), 50), // code 2: two 10 ms hybrid frames
            withFill(bytes(toc(16, false, 3), 8), 80), // code 3 CBR: eight 2.5 ms frames
            withFill(bytes(toc(11, true, 3), 0x80 | 2, 30), 70), // code 3 VBR: two 60 ms frames
        };
        int[] samples = {960, 1920, 960, 960, 5760};
        long ts = 4_000_000_000L;
        for (int i = 0; i < packets.length; i++) {
            List<MediaFrame> frames = feed(d, PT, 100 + i, ts, packets[i], false);
            assertEquals(1, frames.size(), "packet " + i);
            MediaFrame f = frames.get(0);
            assertArrayEquals(packets[i], f.data(), "body is the Opus packet as is");
            assertEquals(ts, f.rtpTimestamp());
            assertEquals(samples[i], f.sampleCount(), "packet " + i);
            assertTrue(f.keyFrame());
            assertFalse(f.discontinuity());
            ts = (ts + samples[i]) & 0xFFFF_FFFFL;
        }
        assertEquals(0, d.framesDropped());
        assertEquals(0, d.packetsSkipped());
    }

    @Test
    void malformedFramingIsSkippedCountedAndFlagsTheNextFrame() {
        OpusDepacketizer d = opus(4000);
        byte[][] malformed = {
            withFill(bytes(toc(1, false, 1)), 61), // code 1 with an odd byte count
            bytes(toc(9, false, 2)), // code 2 without its length byte
            bytes(toc(16, false, 3), 0), // code 3 with zero frames
            bytes(toc(3, false, 3), 3), // code 3 of 180 ms
            withFill(bytes(toc(16, false, 0)), 1276), // frame longer than 1275 bytes
        };
        int seq = 1;
        for (byte[] packet : malformed) {
            assertTrue(feed(d, PT, seq++, 960L * seq, packet, false).isEmpty());
        }
        assertEquals(malformed.length, d.packetsSkipped());
        assertEquals(malformed.length, d.framesDropped());
        List<MediaFrame> next = feed(d, PT, seq, 960L * seq, withFill(bytes(toc(31, false, 0)), 40), false);
        assertTrue(next.get(0).discontinuity());
        assertFalse(feed(d, PT, seq + 1, 960L * seq + 960, withFill(bytes(toc(31, false, 0)), 40), false)
                .get(0).discontinuity());
    }

    @Test
    void emptyPayloadIsSkippedWithoutDroppingAFrame() {
        OpusDepacketizer d = opus(4000);
        assertTrue(feed(d, PT, 1, 0, new byte[0], false).isEmpty());
        assertEquals(1, d.packetsSkipped());
        assertEquals(0, d.framesDropped());
        assertFalse(feed(d, PT, 2, 960, bytes(toc(31, false, 0), 1, 2), false).get(0).discontinuity());
    }

    @Test
    void oversizePacketIsDroppedAtTheLimit() {
        OpusDepacketizer d = opus(100);
        assertEquals(1, feed(d, PT, 1, 0, withFill(bytes(toc(31, false, 0)), 99), false).size(), "100 bytes fit");
        assertTrue(feed(d, PT, 2, 960, withFill(bytes(toc(31, false, 0)), 100), false).isEmpty());
        assertEquals(1, d.framesDropped());
        assertEquals(0, d.packetsSkipped());
        assertTrue(feed(d, PT, 3, 1920, bytes(toc(31, false, 0)), false).get(0).discontinuity());
    }

    @Test
    void lossAndResetFlagTheNextFrameOnly() {
        OpusDepacketizer d = opus(4000);
        byte[] p = bytes(toc(31, false, 0), 7, 7, 7);
        assertFalse(feed(d, PT, 1, 0, p, false).get(0).discontinuity());
        assertTrue(feed(d, PT, 3, 1920, p, true).get(0).discontinuity(), "lost before this packet");
        assertFalse(feed(d, PT, 4, 2880, p, false).get(0).discontinuity());
        d.reset();
        assertTrue(feed(d, PT, 5, 3840, p, false).get(0).discontinuity(), "after reset");
        assertEquals(0, d.framesDropped(), "a lost packet is not a dropped frame");
    }

    @Test
    void rtpPaddingIsNotPartOfTheFrame() {
        OpusDepacketizer d = opus(4000);
        byte[] opusPacket = bytes(toc(31, false, 0), 1, 2, 3);
        ByteBuf buf = Unpooled.buffer();
        RtpPacket.writeHeader(buf, true, PT, 9, 480, 1);
        buf.setByte(0, 0xA0); // padding bit
        buf.writeBytes(opusPacket);
        buf.writeBytes(bytes(0, 0, 3));
        List<MediaFrame> frames = new ArrayList<>();
        d.onPacket(new RtpPacket().wrap(buf), false, frames::add);
        assertArrayEquals(opusPacket, frames.get(0).data());
    }

    @Test
    void codecConfigIsAnOpusHead() {
        OpusDepacketizer stereo = new OpusDepacketizer(new FormatParameters("OPUS", PT, 48000, 2,
                Map.of("sprop-stereo", "1", "sprop-maxcapturerate", "16000"), 4000));
        ByteBuffer head = ByteBuffer.wrap(stereo.codecConfig()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(19, head.remaining());
        byte[] magic = new byte[8];
        head.get(magic);
        assertEquals("OpusHead", new String(magic, StandardCharsets.US_ASCII));
        assertEquals(1, head.get(), "version");
        assertEquals(2, head.get(), "channels");
        assertEquals(0, head.getShort(), "pre-skip");
        assertEquals(16000, head.getInt(), "input sample rate");
        assertEquals(0, head.getShort(), "gain");
        assertEquals(0, head.get(), "mapping family");
        assertEquals(2, stereo.channels());
        assertNotSame(stereo.codecConfig(), stereo.codecConfig());

        OpusDepacketizer mono = new OpusDepacketizer(new FormatParameters("OPUS", PT, 48000, 2,
                Map.of("SPROP-STEREO", " 0 ", "sprop-maxcapturerate", "x"), 4000));
        assertEquals(1, mono.channels());
        assertEquals(1, mono.codecConfig()[9]);
        assertEquals(48000, ByteBuffer.wrap(mono.codecConfig(), 12, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
    }

    @Test
    void clockRateOtherThan48000IsLoggedOnceAndIgnored() {
        try (CapturedLog log = CapturedLog.capture(OpusDepacketizer.class)) {
            OpusDepacketizer d = new OpusDepacketizer(new FormatParameters("OPUS", PT, 16000, 2, Map.of(), 4000));
            assertEquals(1, log.lines("WARN").size(), log.lines().toString());
            assertTrue(log.lines("WARN").get(0).contains("48000"));
            assertEquals(960, feed(d, PT, 1, 0, bytes(toc(31, false, 0)), false).get(0).sampleCount());
            assertEquals(1, log.lines("WARN").size());
        }
        try (CapturedLog log = CapturedLog.capture(OpusDepacketizer.class)) {
            opus(4000);
            assertTrue(log.lines("WARN").isEmpty());
        }
    }

    @Test
    void aStormOfMalformedPacketsLogsOneWarningWithTheCount() {
        try (CapturedLog log = CapturedLog.capture(OpusDepacketizer.class)) {
            OpusDepacketizer d = opus(4000);
            for (int i = 0; i < 1000; i++) {
                feed(d, PT, i, 960L * i, bytes(toc(1, false, 1), 1, 2, 3), false);
            }
            assertEquals(1000, d.packetsSkipped());
            List<String> warnings = log.lines("WARN");
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("odd number"), warnings.get(0));
            assertTrue(warnings.get(0).contains("OPUS/48000/2 pt 111"), warnings.get(0));
        }
    }
}
