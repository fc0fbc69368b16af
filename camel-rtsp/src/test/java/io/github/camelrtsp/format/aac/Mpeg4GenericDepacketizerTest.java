package io.github.camelrtsp.format.aac;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.aac.AacTestSupport.Adts;
import io.github.camelrtsp.format.aac.AacTestSupport.Bits;
import io.github.camelrtsp.testsupport.CapturedLog;
import io.github.camelrtsp.testsupport.Corpus;
import io.netty.buffer.ByteBuf;

import static io.github.camelrtsp.format.aac.AacTestSupport.body;
import static io.github.camelrtsp.format.aac.AacTestSupport.concat;
import static io.github.camelrtsp.format.aac.AacTestSupport.feed;
import static io.github.camelrtsp.format.aac.AacTestSupport.packet;
import static io.github.camelrtsp.format.aac.AacTestSupport.params;
import static io.github.camelrtsp.format.aac.AacTestSupport.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Mpeg4GenericDepacketizerTest {

    private static final long TS = 4_000_000_000L;

    private static Map<String, String> hbr(String config) {
        Map<String, String> fmtp = new HashMap<>();
        fmtp.put("streamtype", "5");
        fmtp.put("profile-level-id", "1");
        fmtp.put("mode", "AAC-hbr");
        fmtp.put("SizeLength", "13");
        fmtp.put("IndexLength", "3");
        fmtp.put("IndexDeltaLength", "3");
        fmtp.put("config", config);
        return fmtp;
    }

    private static Mpeg4GenericDepacketizer depacketizer(Map<String, String> fmtp, int clockRate, int max) {
        return new Mpeg4GenericDepacketizer(params("MPEG4-GENERIC", clockRate, fmtp, max));
    }

    private static Mpeg4GenericDepacketizer hbr48k() {
        return depacketizer(hbr("1190"), 48000, 8192); // AAC LC, 48 kHz, stereo
    }

    /** An AAC-hbr payload: AU-headers-length, 13-bit sizes with 3-bit index (first) / delta (others), the AUs. */
    private static byte[] hbrPayload(int[] deltas, byte[]... aus) {
        Bits headers = new Bits();
        for (int i = 0; i < aus.length; i++) {
            headers.put(aus[i].length, 13).put(i == 0 ? 0 : deltas[i], 3);
        }
        int bits = headers.bitLength();
        return concat(new Bits().put(bits, 16).toBytes(), headers.toBytes(), concat(aus));
    }

    private static byte[] hbrPayload(byte[]... aus) {
        return hbrPayload(new int[aus.length], aus);
    }

    /** One AAC-hbr fragment: the header gives the whole AU size, the data is a piece of it. */
    private static byte[] fragment(int auSize, byte[] piece) {
        return concat(new Bits().put(16, 16).put(auSize, 13).put(0, 3).toBytes(), piece);
    }

    @Test
    void oneAccessUnitBecomesOneAdtsFrame() {
        Mpeg4GenericDepacketizer d = hbr48k();
        byte[] au = pattern(1, 300);
        List<MediaFrame> frames = feed(d, packet(true, 1, TS, hbrPayload(au)), false);
        assertEquals(1, frames.size());
        MediaFrame f = frames.get(0);
        assertEquals(TS, f.rtpTimestamp());
        assertEquals(1024, f.sampleCount());
        assertTrue(f.keyFrame());
        assertFalse(f.discontinuity());
        Adts h = Adts.of(f.data());
        assertEquals(new Adts(0, true, 1, 3, 2, 307, 0x7FF, 0), h);
        assertArrayEquals(au, body(f));
        assertEquals(0, d.framesDropped());
        assertEquals(0, d.packetsSkipped());
        assertArrayEquals(new byte[] {0x11, (byte) 0x90}, d.codecConfig());
    }

    @Test
    void threeAccessUnitsInOnePacketGetConsecutiveTimestamps() {
        Mpeg4GenericDepacketizer d = hbr48k();
        byte[][] aus = {pattern(1, 200), pattern(2, 250), pattern(3, 10)};
        long ts = 0xFFFF_F800L; // the third AU is at 2^32, which wraps to 0
        List<MediaFrame> frames = feed(d, packet(true, 7, ts, hbrPayload(aus)), false);
        assertEquals(3, frames.size());
        for (int i = 0; i < 3; i++) {
            assertEquals((ts + 1024L * i) & 0xFFFF_FFFFL, frames.get(i).rtpTimestamp());
            assertArrayEquals(aus[i], body(frames.get(i)));
            assertEquals(7 + aus[i].length, Adts.of(frames.get(i).data()).frameLength());
        }
        assertEquals(0, frames.get(2).rtpTimestamp());
    }

    @Test
    void indexDeltasSpaceTheTimestampsAndInterleavingIsReportedOnce() {
        Mpeg4GenericDepacketizer d = hbr48k();
        try (CapturedLog log = CapturedLog.capture(Mpeg4GenericDepacketizer.class)) {
            List<MediaFrame> frames = feed(d, packet(true, 1, 1000,
                    hbrPayload(new int[] {0, 2, 0}, pattern(1, 20), pattern(2, 20), pattern(3, 20))), false);
            assertEquals(List.of(1000L, 1000L + 3 * 1024, 1000L + 4 * 1024),
                         frames.stream().map(MediaFrame::rtpTimestamp).toList());
            feed(d, packet(true, 2, 9000, hbrPayload(new int[] {0, 1}, pattern(1, 20), pattern(2, 20))), false);
            assertEquals(1, log.warnings().stream().filter(m -> m.contains("interleaved")).count(),
                         log.warnings().toString());
        }
    }

    @Test
    void durationFollowsTheClockRateWhenItDiffersFromTheSamplingRate() {
        // HE-AAC signalled implicitly: the core runs at 24 kHz, the RTP clock at the 48 kHz output rate
        Mpeg4GenericDepacketizer d = depacketizer(hbr("1310"), 48000, 8192);
        List<MediaFrame> frames = feed(d, packet(true, 1, 0, hbrPayload(pattern(1, 9), pattern(2, 9))), false);
        assertEquals(2048, frames.get(1).rtpTimestamp());
    }

    @Test
    void fragmentedAccessUnitIsReassembled() {
        Mpeg4GenericDepacketizer d = hbr48k();
        byte[] au = pattern(5, 2500);
        assertTrue(feed(d, packet(false, 10, TS, fragment(2500, slice(au, 0, 1000))), false).isEmpty());
        assertTrue(feed(d, packet(false, 11, TS, fragment(2500, slice(au, 1000, 1000))), false).isEmpty());
        List<MediaFrame> frames = feed(d, packet(true, 12, TS, fragment(2500, slice(au, 2000, 500))), false);
        assertEquals(1, frames.size());
        assertArrayEquals(au, body(frames.get(0)));
        assertEquals(TS, frames.get(0).rtpTimestamp());
        assertEquals(2507, Adts.of(frames.get(0).data()).frameLength());
        assertFalse(frames.get(0).discontinuity());
        assertEquals(0, d.framesDropped());
    }

    @Test
    void lostFragmentDropsTheAccessUnit() {
        Mpeg4GenericDepacketizer d = hbr48k();
        byte[] au = pattern(5, 2500);
        feed(d, packet(false, 10, TS, fragment(2500, slice(au, 0, 1000))), false);
        // packet 11 lost: 12 arrives flagged
        assertTrue(feed(d, packet(true, 12, TS, fragment(2500, slice(au, 2000, 500))), true).isEmpty());
        assertEquals(1, d.framesDropped());
        List<MediaFrame> next = feed(d, packet(true, 13, TS + 1024, hbrPayload(pattern(9, 40))), false);
        assertEquals(1, next.size());
        assertTrue(next.get(0).discontinuity());
        assertEquals(1, d.framesDropped());
        assertEquals(0, d.packetsSkipped());
        List<MediaFrame> after = feed(d, packet(true, 14, TS + 2048, hbrPayload(pattern(9, 40))), false);
        assertFalse(after.get(0).discontinuity());
    }

    @Test
    void sequenceGapInsideAFragmentedUnitIsALossEvenWithoutTheFlag() {
        Mpeg4GenericDepacketizer d = hbr48k();
        byte[] au = pattern(5, 2500);
        feed(d, packet(false, 65535, TS, fragment(2500, slice(au, 0, 1000))), false);
        // 0 is missing, 1 follows: the reassembly must not splice around the hole
        assertTrue(feed(d, packet(false, 1, TS, fragment(2500, slice(au, 1000, 1000))), false).isEmpty());
        assertTrue(feed(d, packet(true, 2, TS, fragment(2500, slice(au, 2000, 500))), false).isEmpty());
        assertEquals(1, d.framesDropped());
        assertTrue(feed(d, packet(true, 3, TS + 1024, hbrPayload(pattern(1, 5))), false).get(0).discontinuity());
    }

    @Test
    void firstFragmentLostLeavesAShortUnitThatIsDropped() {
        Mpeg4GenericDepacketizer d = hbr48k();
        byte[] au = pattern(5, 2500);
        feed(d, packet(true, 1, TS - 1024, hbrPayload(pattern(1, 5))), false);
        // packet 2 (first fragment) lost; the middle and last fragments still arrive
        assertTrue(feed(d, packet(false, 3, TS, fragment(2500, slice(au, 1000, 1000))), true).isEmpty());
        assertTrue(feed(d, packet(true, 4, TS, fragment(2500, slice(au, 2000, 500))), false).isEmpty());
        assertEquals(1, d.framesDropped());
        assertEquals(0, d.packetsSkipped());
    }

    @Test
    void lastFragmentAloneAfterALossIsADroppedFrame() {
        Mpeg4GenericDepacketizer d = hbr48k();
        assertTrue(feed(d, packet(true, 4, TS, fragment(2500, pattern(1, 500))), true).isEmpty());
        assertEquals(1, d.framesDropped());
        assertEquals(0, d.packetsSkipped());
    }

    @Test
    void markerBeforeTheUnitIsCompleteDropsIt() {
        Mpeg4GenericDepacketizer d = hbr48k();
        feed(d, packet(false, 1, TS, fragment(2500, pattern(1, 1000))), false);
        assertTrue(feed(d, packet(true, 2, TS, fragment(2500, pattern(2, 1000))), false).isEmpty());
        assertEquals(1, d.framesDropped());
    }

    @Test
    void fragmentsLongerThanTheUnitDropIt() {
        Mpeg4GenericDepacketizer d = hbr48k();
        feed(d, packet(false, 1, TS, fragment(1500, pattern(1, 1000))), false);
        assertTrue(feed(d, packet(false, 2, TS, fragment(1500, pattern(2, 1000))), false).isEmpty());
        assertEquals(1, d.framesDropped());
        // the rest of that unit is discarded without counting it twice
        assertTrue(feed(d, packet(true, 3, TS, fragment(1500, pattern(2, 100))), false).isEmpty());
        assertEquals(1, d.framesDropped());
        assertEquals(1, feed(d, packet(true, 4, TS + 1024, hbrPayload(pattern(3, 30))), false).size());
    }

    @Test
    void unitThatStopsWithoutItsLastFragmentIsDroppedWhenTheNextOneStarts() {
        Mpeg4GenericDepacketizer d = hbr48k();
        feed(d, packet(false, 1, TS, fragment(2500, pattern(1, 1000))), false);
        List<MediaFrame> frames = feed(d, packet(true, 2, TS + 1024, hbrPayload(pattern(2, 10))), false);
        assertEquals(1, frames.size());
        assertTrue(frames.get(0).discontinuity());
        assertEquals(1, d.framesDropped());
    }

    @Test
    void lowBitRateMode() {
        Map<String, String> fmtp = new HashMap<>(Map.of("mode", "AAC-lbr", "config", "1408", "sizelength", "6",
                                                         "indexlength", "2", "indexdeltalength", "2"));
        Mpeg4GenericDepacketizer d = depacketizer(fmtp, 16000, 8192);
        byte[] a = pattern(1, 40);
        byte[] b = pattern(2, 63);
        byte[] headers = new Bits().put(40, 6).put(0, 2).put(63, 6).put(0, 2).toBytes();
        byte[] payload = concat(new Bits().put(16, 16).toBytes(), headers, a, b);
        List<MediaFrame> frames = feed(d, packet(true, 1, 100, payload), false);
        assertEquals(2, frames.size());
        assertArrayEquals(a, body(frames.get(0)));
        assertArrayEquals(b, body(frames.get(1)));
        assertEquals(100 + 1024, frames.get(1).rtpTimestamp());
        assertEquals(new Adts(0, true, 1, 8, 1, 70, 0x7FF, 0), Adts.of(frames.get(1).data()));
    }

    @Test
    void lowBitRateDefaultsComeFromTheMode() {
        Mpeg4GenericDepacketizer d = depacketizer(new HashMap<>(Map.of("mode", "aac-lbr", "config", "1408")),
                                                  16000, 8192);
        byte[] payload = concat(new Bits().put(8, 16).put(3, 6).put(0, 2).toBytes(), pattern(1, 3));
        assertEquals(1, feed(d, packet(true, 1, 100, payload), false).size());
    }

    @Test
    void ctsAndDtsDeltasRandomAccessAndStreamStateAreSkippedCorrectly() {
        Map<String, String> fmtp = hbr("1190");
        fmtp.put("CTSDeltaLength", "8");
        fmtp.put("DTSDeltaLength", "6");
        fmtp.put("randomAccessIndication", "1");
        fmtp.put("streamStateIndication", "4");
        Mpeg4GenericDepacketizer d = depacketizer(fmtp, 48000, 8192);
        byte[] a = pattern(1, 33);
        byte[] b = pattern(2, 44);
        byte[] c = pattern(3, 55);
        Bits h = new Bits();
        h.put(33, 13).put(0, 3).put(0, 1).put(1, 1).put(5, 6).put(1, 1).put(3, 4);   // no CTS, DTS, RAP
        h.put(44, 13).put(0, 3).put(1, 1).put(100, 8).put(0, 1).put(0, 1).put(3, 4); // CTS-delta +100
        h.put(55, 13).put(0, 3).put(1, 1).put(0xFE, 8).put(1, 1).put(9, 6).put(0, 1).put(3, 4); // CTS-delta -2
        int bits = h.bitLength();
        byte[] payload = concat(new Bits().put(bits, 16).toBytes(), h.toBytes(), a, b, c);
        List<MediaFrame> frames = feed(d, packet(true, 1, 10_000, payload), false);
        assertEquals(3, frames.size());
        assertArrayEquals(a, body(frames.get(0)));
        assertArrayEquals(b, body(frames.get(1)));
        assertArrayEquals(c, body(frames.get(2)));
        assertEquals(List.of(10_000L, 10_100L, 9_998L),
                     frames.stream().map(MediaFrame::rtpTimestamp).toList());
    }

    @Test
    void auxiliaryDataIsSkipped() {
        Map<String, String> fmtp = hbr("1190");
        fmtp.put("auxiliaryDataSizeLength", "10");
        Mpeg4GenericDepacketizer d = depacketizer(fmtp, 48000, 8192);
        byte[] au = pattern(7, 77);
        // 21 bits of auxiliary data after its 10-bit size field: 31 bits, padded to 4 bytes
        byte[] aux = new Bits().put(21, 10).put(0x1FFFFF, 21).toBytes();
        byte[] payload = concat(new Bits().put(16, 16).put(77, 13).put(0, 3).toBytes(), aux, au);
        List<MediaFrame> frames = feed(d, packet(true, 1, 5, payload), false);
        assertEquals(1, frames.size());
        assertArrayEquals(au, body(frames.get(0)));
    }

    @Test
    void malformedAuHeadersLengthIsSkippedAndCounted() {
        Mpeg4GenericDepacketizer d = hbr48k();
        byte[][] bad = {
            new byte[] {0x00},                                                    // no room for the length
            concat(new Bits().put(0, 16).toBytes(), pattern(1, 10)),               // zero bits of headers
            concat(new Bits().put(800, 16).toBytes(), pattern(1, 10)),             // headers past the payload
            concat(new Bits().put(15, 16).put(10, 13).put(0, 2).toBytes(), pattern(1, 10)), // a partial header
            concat(new Bits().put(16, 16).put(11, 13).put(0, 3).toBytes(), pattern(1, 10)), // sizes != data
            concat(new Bits().put(32, 16).put(5, 13).put(0, 3).put(50, 13).put(0, 3).toBytes(), pattern(1, 20)),
            concat(new Bits().put(16, 16).put(0, 13).put(0, 3).toBytes()),         // AU-size 0
        };
        int seq = 1;
        for (byte[] payload : bad) {
            assertTrue(feed(d, packet(true, seq++, TS, payload), false).isEmpty());
        }
        assertEquals(bad.length, d.packetsSkipped());
        assertEquals(0, d.framesDropped());
        List<MediaFrame> good = feed(d, packet(true, seq, TS, hbrPayload(pattern(1, 10))), false);
        assertEquals(1, good.size());
        assertTrue(good.get(0).discontinuity(), "skipped data before this frame");
    }

    @Test
    void malformedPacketInsideAFragmentedUnitDropsIt() {
        Mpeg4GenericDepacketizer d = hbr48k();
        feed(d, packet(false, 1, TS, fragment(2000, pattern(1, 1000))), false);
        feed(d, packet(false, 2, TS, new byte[] {0x00, 0x00}), false);
        assertEquals(1, d.framesDropped());
        assertEquals(1, d.packetsSkipped());
    }

    @Test
    void warningsAreRateLimited() {
        Mpeg4GenericDepacketizer d = hbr48k();
        try (CapturedLog log = CapturedLog.capture(Mpeg4GenericDepacketizer.class)) {
            for (int i = 0; i < 500; i++) {
                feed(d, packet(true, i, TS, new byte[] {0x00}), false);
            }
            assertEquals(500, d.packetsSkipped());
            assertEquals(1, log.warnings().size(), log.warnings().toString());
            assertTrue(log.warnings().get(0).contains("MPEG4-GENERIC payload type 96"), log.warnings().get(0));
        }
    }

    @Test
    void oversizedAccessUnitsAreDroppedWithoutBuffering() {
        Mpeg4GenericDepacketizer d = depacketizer(hbr("1190"), 48000, 200);
        // fragmented unit of 5000 bytes: dropped at its first fragment, the rest discarded
        assertTrue(feed(d, packet(false, 1, TS, fragment(5000, pattern(1, 1000))), false).isEmpty());
        assertTrue(feed(d, packet(false, 2, TS, fragment(5000, pattern(1, 1000))), false).isEmpty());
        assertTrue(feed(d, packet(true, 3, TS, fragment(5000, pattern(1, 3000))), false).isEmpty());
        assertEquals(1, d.framesDropped());
        // whole packet with one unit too large among small ones
        List<MediaFrame> frames = feed(d, packet(true, 4, TS + 1024,
                hbrPayload(pattern(1, 100), pattern(2, 194), pattern(3, 100))), false);
        assertEquals(2, frames.size());
        assertEquals(2, d.framesDropped());
        assertTrue(frames.get(0).discontinuity());
        assertEquals(TS + 1024, frames.get(0).rtpTimestamp());
        assertEquals(TS + 3 * 1024, frames.get(1).rtpTimestamp());
        assertTrue(frames.get(1).discontinuity(), "the unit before it was dropped");
        // exactly at the limit: 193 + 7 = 200
        assertEquals(1, feed(d, packet(true, 5, TS, hbrPayload(pattern(1, 193))), false).size());
    }

    @Test
    void adtsFrameLimitOf8191Bytes() {
        Mpeg4GenericDepacketizer d = depacketizer(hbr("1190"), 48000, 1 << 20);
        assertTrue(feed(d, packet(true, 1, TS, hbrPayload(pattern(1, 8185))), false).isEmpty());
        assertEquals(1, d.framesDropped());
        List<MediaFrame> max = feed(d, packet(true, 2, TS, hbrPayload(pattern(1, 8184))), false);
        assertEquals(8191, Adts.of(max.get(0).data()).frameLength());
    }

    @Test
    void configWithoutAnAdtsProfileIsSkippedAndCounted() {
        // AAC-LD (object type 23): valid config, but no ADTS profile
        String ld = java.util.HexFormat.of().formatHex(new Bits().put(23, 5).put(3, 4).put(1, 4).put(0, 5).toBytes());
        try (CapturedLog log = CapturedLog.capture(Mpeg4GenericDepacketizer.class)) {
            Mpeg4GenericDepacketizer d = depacketizer(hbr(ld), 48000, 8192);
            assertEquals(1, log.warnings().size());
            assertTrue(log.warnings().get(0).contains("no ADTS profile"), log.warnings().get(0));
            for (int i = 0; i < 3; i++) {
                assertTrue(feed(d, packet(true, i, TS, hbrPayload(pattern(1, 10))), false).isEmpty());
            }
            assertEquals(3, d.packetsSkipped());
            assertEquals(23, d.audioSpecificConfig().audioObjectType());
            assertEquals(ld, java.util.HexFormat.of().formatHex(d.codecConfig()));
        }
    }

    @Test
    void channelConfiguration0RepeatsTheProgramConfigElementInEveryFrame() {
        Mpeg4GenericDepacketizer d = depacketizer(hbr("118004c4010020000d4c61766335392e33372e31303056e500"),
                                                  48000, 8192);
        byte[] pce = d.audioSpecificConfig().adtsProgramConfigElement();
        byte[] au = pattern(3, 100);
        List<MediaFrame> frames = feed(d, packet(true, 1, 0, hbrPayload(au, au)), false);
        for (MediaFrame f : frames) {
            Adts h = Adts.of(f.data());
            assertEquals(0, h.channelConfiguration());
            assertEquals(7 + pce.length + 100, h.frameLength());
            assertArrayEquals(concat(pce, au), body(f));
        }
    }

    @Test
    void maximumFrameSizeBelowTheHeaderAndProgramConfigElementDropsEveryUnit() {
        Mpeg4GenericDepacketizer d = depacketizer(hbr("118004c4010020000d4c61766335392e33372e31303056e500"), 48000,
                                                  10);
        assertTrue(feed(d, packet(true, 1, 0, hbrPayload(pattern(3, 1))), false).isEmpty());
        assertTrue(feed(d, packet(false, 2, 1024, fragment(100, pattern(3, 50))), false).isEmpty());
        assertEquals(2, d.framesDropped());
    }

    @Test
    void frameLength960GivesSampleCount960() {
        String config = java.util.HexFormat.of().formatHex(new Bits().put(2, 5).put(3, 4).put(2, 4).put(4, 3)
                                                                   .toBytes());
        try (CapturedLog log = CapturedLog.capture(Mpeg4GenericDepacketizer.class)) {
            Mpeg4GenericDepacketizer d = depacketizer(hbr(config), 48000, 8192);
            assertTrue(log.warnings().stream().anyMatch(m -> m.contains("960")), log.warnings().toString());
            List<MediaFrame> frames = feed(d, packet(true, 1, 0, hbrPayload(pattern(1, 9), pattern(2, 9))), false);
            assertEquals(960, frames.get(0).sampleCount());
            assertEquals(960, frames.get(1).rtpTimestamp());
        }
    }

    @Test
    void missingModeAndLengthsAreReadAsAacHbr() {
        try (CapturedLog log = CapturedLog.capture(Mpeg4GenericDepacketizer.class)) {
            Mpeg4GenericDepacketizer d = depacketizer(new HashMap<>(Map.of("config", "1408")), 16000, 8192);
            assertEquals(1, log.warnings().size());
            assertEquals(2, feed(d, packet(true, 1, 0, hbrPayload(pattern(1, 9), pattern(2, 9))), false).size());
        }
    }

    @Test
    void corpusTrackWithoutModeIsReadAsAacHbr() throws java.io.IOException {
        // anpviz_sdp.txt: "a=fmtp:0 config=1408", no mode and no AU field lengths
        try (CapturedLog log = CapturedLog.capture(Mpeg4GenericDepacketizer.class)) {
            Mpeg4GenericDepacketizer d = new Mpeg4GenericDepacketizer(
                    Corpus.track("anpviz_sdp.txt", "MPEG4-GENERIC", 8192));
            assertTrue(log.warnings().get(0).contains("neither mode nor AU field lengths"), log.warnings().get(0));
            List<MediaFrame> frames = feed(d, packet(true, 1, 0, hbrPayload(pattern(1, 9), pattern(2, 9))), false);
            assertEquals(2, frames.size());
            assertEquals(new Adts(0, true, 1, 8, 1, 16, 0x7FF, 0), Adts.of(frames.get(1).data()));
        }
    }

    @Test
    void resetForgetsThePartialUnitAndFlagsTheNextFrame() {
        Mpeg4GenericDepacketizer d = hbr48k();
        feed(d, packet(false, 1, TS, fragment(2500, pattern(1, 1000))), false);
        d.reset();
        assertTrue(feed(d, packet(true, 2, TS, fragment(2500, pattern(1, 1500))), false).isEmpty());
        List<MediaFrame> frames = feed(d, packet(true, 900, TS + 1024, hbrPayload(pattern(1, 9))), false);
        assertEquals(1, frames.size());
        assertTrue(frames.get(0).discontinuity());
    }

    @Test
    void lostFlagMarksTheNextFrame() {
        Mpeg4GenericDepacketizer d = hbr48k();
        assertFalse(feed(d, packet(true, 1, 0, hbrPayload(pattern(1, 9))), false).get(0).discontinuity());
        assertTrue(feed(d, packet(true, 5, 4096, hbrPayload(pattern(1, 9))), true).get(0).discontinuity());
        assertEquals(0, d.framesDropped(), "nothing partial was dropped");
    }

    @Test
    void completeUnitsWithoutTheMarkerAreStillEmitted() {
        Mpeg4GenericDepacketizer d = hbr48k();
        assertEquals(1, feed(d, packet(false, 1, 0, hbrPayload(pattern(1, 9))), false).size());
    }

    @Test
    void parametersThatCannotWorkAreRejected() {
        List<Map<String, String>> bad = new ArrayList<>();
        bad.add(new HashMap<>(Map.of("mode", "AAC-hbr")));                                   // no config
        bad.add(new HashMap<>(Map.of("mode", "AAC-hbr", "config", "zz")));                  // config not hex
        bad.add(new HashMap<>(Map.of("mode", "CELP-cbr", "config", "1408")));                // not AAC
        bad.add(new HashMap<>(Map.of("mode", "AAC-hbr", "config", "1408", "streamType", "4")));
        bad.add(new HashMap<>(Map.of("mode", "AAC-hbr", "config", "1408", "sizeLength", "x")));
        bad.add(new HashMap<>(Map.of("mode", "AAC-hbr", "config", "1408", "sizeLength", "33")));
        bad.add(new HashMap<>(Map.of("mode", "AAC-hbr", "config", "1408", "sizeLength", "0")));
        bad.add(new HashMap<>(Map.of("mode", "generic", "config", "1408", "constantSize", "100")));
        for (Map<String, String> fmtp : bad) {
            assertThrows(IllegalArgumentException.class, () -> depacketizer(fmtp, 48000, 8192), fmtp.toString());
        }
        assertThrows(IllegalArgumentException.class,
                     () -> new Mpeg4GenericDepacketizer(params("MP4A-LATM", 48000, hbr("1190"), 8192)));
        assertThrows(IllegalArgumentException.class, () -> depacketizer(hbr("1190"), 0, 8192));
        assertThrows(IllegalArgumentException.class, () -> depacketizer(hbr("1190"), 48000, 7));
    }

    @Test
    void constantSizeWithoutSizeField() {
        Map<String, String> fmtp = new HashMap<>(Map.of("mode", "generic", "config", "1190", "constantSize", "20",
                                                         "indexLength", "3", "indexDeltaLength", "3"));
        Mpeg4GenericDepacketizer d = depacketizer(fmtp, 48000, 8192);
        byte[] payload = concat(new Bits().put(6, 16).put(0, 3).put(0, 3).toBytes(), pattern(1, 20),
                                pattern(2, 20));
        List<MediaFrame> frames = feed(d, packet(true, 1, 0, payload), false);
        assertEquals(2, frames.size());
        assertArrayEquals(pattern(2, 20), body(frames.get(1)));
    }

    @Test
    void fmtpKeysAreReadWithoutRegardToCaseWhateverTheMap() {
        FormatParameters p = params("mpeg4-generic", 48000, Map.of("MODE", "aac-HBR", "CONFIG", "1190",
                                                                   "sizelength", "13"), 8192);
        Mpeg4GenericDepacketizer d = new Mpeg4GenericDepacketizer(p);
        assertEquals(1, feed(d, packet(true, 1, 0, hbrPayload(pattern(1, 9))), false).size());
    }

    @Test
    void paddingAndCsrcOfTheRtpPacketAreRespected() {
        Mpeg4GenericDepacketizer d = hbr48k();
        byte[] payload = hbrPayload(pattern(1, 30));
        ByteBuf buf = io.netty.buffer.Unpooled.buffer();
        buf.writeByte(0x80 | 0x20 | 0x01).writeByte(0x80 | 96).writeShort(1).writeInt(77).writeInt(1).writeInt(2);
        buf.writeBytes(payload).writeBytes(new byte[] {9, 9, 3});
        List<MediaFrame> frames = feed(d, buf, false);
        assertEquals(1, frames.size());
        assertArrayEquals(pattern(1, 30), body(frames.get(0)));
    }

    private static byte[] slice(byte[] data, int from, int length) {
        byte[] out = new byte[length];
        System.arraycopy(data, from, out, 0, length);
        return out;
    }
}
