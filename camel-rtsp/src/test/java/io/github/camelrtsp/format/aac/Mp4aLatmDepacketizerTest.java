package io.github.camelrtsp.format.aac;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.aac.AacTestSupport.Adts;
import io.github.camelrtsp.format.aac.AacTestSupport.Bits;
import io.github.camelrtsp.testsupport.CapturedLog;

import static io.github.camelrtsp.format.aac.AacTestSupport.body;
import static io.github.camelrtsp.format.aac.AacTestSupport.concat;
import static io.github.camelrtsp.format.aac.AacTestSupport.feed;
import static io.github.camelrtsp.format.aac.AacTestSupport.packet;
import static io.github.camelrtsp.format.aac.AacTestSupport.params;
import static io.github.camelrtsp.format.aac.AacTestSupport.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Mp4aLatmDepacketizerTest {

    /** AAC LC, 48 kHz, stereo: object type 2, index 3, channel configuration 2, GASpecificConfig 000. */
    private static final long ASC_48K_STEREO = 0x1190;
    /** AAC LC, 16 kHz, mono. */
    private static final long ASC_16K_MONO = 0x1408;

    /** StreamMuxConfig, audioMuxVersion 0, one program and layer, frame length type 0. */
    private static Bits streamMuxConfig(Bits b, int numSubFrames, long asc, int ascBits, long otherDataBits,
                                        boolean crc) {
        b.put(0, 1).put(1, 1).put(numSubFrames, 6).put(0, 4).put(0, 3);
        b.put(asc, ascBits);
        b.put(0, 3).put(0xFF, 8);
        if (otherDataBits > 0) {
            b.put(1, 1).put(0, 1).put(otherDataBits, 8); // one escape group
        } else {
            b.put(0, 1);
        }
        b.put(crc ? 1 : 0, 1);
        if (crc) {
            b.put(0xA5, 8);
        }
        return b;
    }

    private static String configHex(int numSubFrames, long asc) {
        return HexFormat.of().formatHex(streamMuxConfig(new Bits(), numSubFrames, asc, 16, 0, false).toBytes());
    }

    private static Bits lengthInfo(Bits b, int length) {
        while (length >= 255) {
            b.put(255, 8);
            length -= 255;
        }
        return b.put(length, 8);
    }

    /** A cpresent=0 payload: PayloadLengthInfo and PayloadMux for each AU. */
    private static byte[] outOfBand(byte[]... aus) {
        Bits b = new Bits();
        for (byte[] au : aus) {
            lengthInfo(b, au.length).bytes(au);
        }
        return b.toBytes();
    }

    private static Mp4aLatmDepacketizer latm(Map<String, String> fmtp, int clockRate, int max) {
        return new Mp4aLatmDepacketizer(params("MP4A-LATM", clockRate, fmtp, max));
    }

    private static Mp4aLatmDepacketizer outOfBand48k() {
        return latm(Map.of("cpresent", "0", "config", configHex(0, ASC_48K_STEREO)), 48000, 8192);
    }

    @Test
    void configCutShortAfterTheAudioSpecificConfigAsGstreamerWritesIt() {
        // rtpmp4apay for 48 kHz mono: 0x40 0x00, then the config 0x1188 shifted by one bit, nothing after it
        Mp4aLatmDepacketizer d = latm(Map.of("cpresent", "0", "config", "40002310"), 48000, 8192);
        byte[] au = pattern(1, 200);
        List<MediaFrame> frames = feed(d, packet(true, 1, 500, outOfBand(au)), false);
        assertEquals(1, frames.size());
        assertEquals(new Adts(0, true, 1, 3, 1, 207, 0x7FF, 0), Adts.of(frames.get(0).data()));
        assertArrayEquals(au, body(frames.get(0)));
        assertEquals(500, frames.get(0).rtpTimestamp());
        assertEquals(1024, frames.get(0).sampleCount());
        assertArrayEquals(new byte[] {0x11, (byte) 0x88}, d.codecConfig());
    }

    @Test
    void configWithTheSyncExtensionWhereTheFrameLengthTypeBelongsAsGstreamerWritesIt() {
        // rtpmp4apay for avenc_aac at 44.1 kHz stereo: codec_data 121056e500 (with its SBR sync extension) shifted in
        Mp4aLatmDepacketizer d = latm(Map.of("cpresent", "0", "config", "40002420adca00"), 44100, 8192);
        assertArrayEquals(HexFormat.of().parseHex("121056e500"), d.codecConfig());
        assertEquals(44100, d.audioSpecificConfig().samplingFrequency());
        assertFalse(d.audioSpecificConfig().sbr());
        List<MediaFrame> frames = feed(d, packet(true, 1, 0, outOfBand(pattern(1, 20))), false);
        assertEquals(new Adts(0, true, 1, 4, 2, 27, 0x7FF, 0), Adts.of(frames.get(0).data()));
        // the same bits in band are not a config: frame length type 2 is reserved
        Mp4aLatmDepacketizer inBand = latm(Map.of("cpresent", "1"), 44100, 8192);
        Bits element = new Bits().put(0, 1).bytes(HexFormat.of().parseHex("40002420adca00"));
        assertTrue(feed(inBand, packet(true, 1, 0, element.toBytes()), false).isEmpty());
        assertEquals(1, inBand.packetsSkipped());
    }

    @Test
    void completeConfigAndLengthsOf255AndMore() {
        Mp4aLatmDepacketizer d = outOfBand48k();
        int seq = 0;
        for (int length : new int[] {254, 255, 256, 510, 600}) {
            byte[] au = pattern(length, length);
            List<MediaFrame> frames = feed(d, packet(true, seq++, 1024L * seq, outOfBand(au)), false);
            assertEquals(1, frames.size(), "length " + length);
            assertArrayEquals(au, body(frames.get(0)), "length " + length);
            assertEquals(new Adts(0, true, 1, 3, 2, 7 + length, 0x7FF, 0), Adts.of(frames.get(0).data()));
        }
        assertEquals(0, d.packetsSkipped());
    }

    @Test
    void severalSubframesPerElement() {
        Mp4aLatmDepacketizer d = latm(Map.of("cpresent", "0", "config", configHex(2, ASC_48K_STEREO)), 48000,
                                      8192);
        byte[][] aus = {pattern(1, 100), pattern(2, 300), pattern(3, 5)};
        List<MediaFrame> frames = feed(d, packet(true, 1, 1000, outOfBand(aus)), false);
        assertEquals(3, frames.size());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(aus[i], body(frames.get(i)));
            assertEquals(1000 + 1024L * i, frames.get(i).rtpTimestamp());
        }
    }

    @Test
    void elementSpanningPackets() {
        Mp4aLatmDepacketizer d = outOfBand48k();
        byte[] au = pattern(9, 700);
        byte[] payload = outOfBand(au);
        assertTrue(feed(d, packet(false, 1, 77, slice(payload, 0, 300)), false).isEmpty());
        assertTrue(feed(d, packet(false, 2, 77, slice(payload, 300, 300)), false).isEmpty());
        List<MediaFrame> frames = feed(d, packet(true, 3, 77, slice(payload, 600, payload.length - 600)), false);
        assertEquals(1, frames.size());
        assertArrayEquals(au, body(frames.get(0)));
        assertEquals(77, frames.get(0).rtpTimestamp());
        assertFalse(frames.get(0).discontinuity());
    }

    @Test
    void lossInsideASpanningElementDropsIt() {
        Mp4aLatmDepacketizer d = outOfBand48k();
        byte[] payload = outOfBand(pattern(9, 700));
        feed(d, packet(false, 1, 77, slice(payload, 0, 300)), false);
        // packet 2 lost; 3 is the end of the same element and must not be taken for a new one
        assertTrue(feed(d, packet(true, 3, 77, slice(payload, 600, payload.length - 600)), true).isEmpty());
        assertEquals(1, d.framesDropped());
        assertEquals(0, d.packetsSkipped());
        List<MediaFrame> next = feed(d, packet(true, 4, 77 + 1024, outOfBand(pattern(1, 50))), false);
        assertEquals(1, next.size());
        assertTrue(next.get(0).discontinuity());
    }

    @Test
    void elementWhoseFirstPacketWasLostIsDropped() {
        Mp4aLatmDepacketizer d = outOfBand48k();
        assertEquals(1, feed(d, packet(true, 1, 0, outOfBand(pattern(1, 50))), false).size());
        // packet 2 (first part of the element at 1024) lost; its tail must not be read as an element
        byte[] tail = concat(new byte[] {20}, pattern(3, 20)); // would even parse as a valid element
        assertTrue(feed(d, packet(true, 3, 1024, tail), true).isEmpty());
        assertEquals(1, d.framesDropped());
        assertEquals(0, d.packetsSkipped());
        List<MediaFrame> next = feed(d, packet(true, 4, 2048, outOfBand(pattern(1, 50))), false);
        assertEquals(1, next.size());
        assertTrue(next.get(0).discontinuity());
    }

    @Test
    void headlessElementSpanningSeveralPacketsIsDiscardedToItsMarker() {
        Mp4aLatmDepacketizer d = outOfBand48k();
        feed(d, packet(true, 1, 0, outOfBand(pattern(1, 50))), false);
        byte[] payload = outOfBand(pattern(9, 700));
        // packet 2 lost; 3 and 4 are the rest of the element at 1024
        assertTrue(feed(d, packet(false, 3, 1024, slice(payload, 300, 300)), true).isEmpty());
        assertTrue(feed(d, packet(true, 4, 1024, slice(payload, 600, payload.length - 600)), false).isEmpty());
        assertEquals(1, d.framesDropped());
        assertEquals(0, d.packetsSkipped());
    }

    @Test
    void elementAfterLostWholeElementsIsKept() {
        Mp4aLatmDepacketizer d = outOfBand48k();
        feed(d, packet(true, 1, 0, outOfBand(pattern(1, 50))), false);
        // packets 2 and 3 (the elements at 1024 and 2048) lost: the one at 3072 is provably whole
        List<MediaFrame> frames = feed(d, packet(true, 4, 3072, outOfBand(pattern(2, 50))), true);
        assertEquals(1, frames.size());
        assertTrue(frames.get(0).discontinuity());
        assertEquals(0, d.framesDropped());
        // timestamps that jitter by a few ticks (as GStreamer's are) still count as whole elements
        frames = feed(d, packet(true, 6, 3072 + 2049, outOfBand(pattern(2, 50))), true);
        assertEquals(1, frames.size());
        // one packet lost but two elements missing by the timestamps: cannot happen with whole elements, dropped
        assertTrue(feed(d, packet(true, 8, 3072 + 2049 + 3072, outOfBand(pattern(2, 50))), true).isEmpty());
        assertEquals(1, d.framesDropped());
    }

    @Test
    void lossFlagOnTheFirstPacketDropsItsElement() {
        Mp4aLatmDepacketizer d = outOfBand48k();
        assertTrue(feed(d, packet(true, 1, 0, outOfBand(pattern(1, 50))), true).isEmpty());
        assertEquals(1, d.framesDropped());
        assertEquals(1, feed(d, packet(true, 2, 1024, outOfBand(pattern(1, 50))), false).size());
    }

    @Test
    void sequenceGapInsideASpanningElementIsALoss() {
        Mp4aLatmDepacketizer d = outOfBand48k();
        byte[] payload = outOfBand(pattern(9, 700));
        feed(d, packet(false, 1, 77, slice(payload, 0, 300)), false);
        assertTrue(feed(d, packet(false, 3, 77, slice(payload, 300, 300)), false).isEmpty());
        assertTrue(feed(d, packet(true, 4, 77, slice(payload, 600, payload.length - 600)), false).isEmpty());
        assertEquals(1, d.framesDropped());
    }

    @Test
    void elementEndingWithoutItsMarkerIsDropped() {
        Mp4aLatmDepacketizer d = outOfBand48k();
        byte[] payload = outOfBand(pattern(9, 700));
        feed(d, packet(false, 1, 77, slice(payload, 0, 300)), false);
        List<MediaFrame> frames = feed(d, packet(true, 2, 77 + 1024, outOfBand(pattern(1, 50))), false);
        assertEquals(1, frames.size());
        assertTrue(frames.get(0).discontinuity());
        assertEquals(1, d.framesDropped());
    }

    @Test
    void inBandConfigAndUseSameStreamMux() {
        Mp4aLatmDepacketizer d = latm(Map.of("cpresent", "1"), 48000, 8192);
        assertNull(d.codecConfig());
        byte[] a = pattern(1, 120);
        byte[] b = pattern(2, 130);
        Bits first = new Bits().put(0, 1); // useSameStreamMux 0
        streamMuxConfig(first, 0, ASC_48K_STEREO, 16, 0, false);
        lengthInfo(first, a.length).bytes(a); // not byte aligned: 1 + 42 bits before it
        List<MediaFrame> frames = feed(d, packet(true, 1, 0, first.toBytes()), false);
        assertEquals(1, frames.size());
        assertArrayEquals(a, body(frames.get(0)));
        assertArrayEquals(new byte[] {0x11, (byte) 0x90}, d.codecConfig());

        Bits second = new Bits().put(1, 1); // useSameStreamMux 1
        lengthInfo(second, b.length).bytes(b);
        frames = feed(d, packet(true, 2, 1024, second.toBytes()), false);
        assertEquals(1, frames.size());
        assertArrayEquals(b, body(frames.get(0)));
        assertEquals(new Adts(0, true, 1, 3, 2, 137, 0x7FF, 0), Adts.of(frames.get(0).data()));
    }

    @Test
    void repeatedAndAlternatingInBandConfigs() {
        Mp4aLatmDepacketizer d = latm(Map.of("cpresent", "1"), 48000, 8192);
        long[] sequence = {ASC_48K_STEREO, ASC_48K_STEREO, ASC_16K_MONO, ASC_16K_MONO, ASC_48K_STEREO};
        int[] expectedIndex = {3, 3, 8, 8, 3};
        for (int i = 0; i < sequence.length; i++) {
            Bits b = new Bits().put(0, 1);
            streamMuxConfig(b, 0, sequence[i], 16, 0, false);
            lengthInfo(b, 12).bytes(pattern(i, 12));
            List<MediaFrame> frames = feed(d, packet(true, i, 1024L * i, b.toBytes()), false);
            assertEquals(1, frames.size());
            assertEquals(expectedIndex[i], Adts.of(frames.get(0).data()).frequencyIndex(), "packet " + i);
            assertArrayEquals(pattern(i, 12), body(frames.get(0)));
        }
        assertArrayEquals(new byte[] {0x11, (byte) 0x90}, d.codecConfig());
    }

    @Test
    void useSameStreamMuxBeforeAnyConfigIsSkipped() {
        Mp4aLatmDepacketizer d = latm(Map.of(), 48000, 8192); // cpresent defaults to 1
        Bits same = new Bits().put(1, 1);
        lengthInfo(same, 10).bytes(pattern(1, 10));
        assertTrue(feed(d, packet(true, 1, 0, same.toBytes()), false).isEmpty());
        assertEquals(1, d.packetsSkipped());
        Bits config = new Bits().put(0, 1);
        streamMuxConfig(config, 0, ASC_16K_MONO, 16, 0, false);
        lengthInfo(config, 10).bytes(pattern(1, 10));
        List<MediaFrame> frames = feed(d, packet(true, 2, 1024, config.toBytes()), false);
        assertEquals(1, frames.size());
        assertTrue(frames.get(0).discontinuity());
        assertEquals(8, Adts.of(frames.get(0).data()).frequencyIndex());
    }

    @Test
    void fmtpConfigServesUntilTheFirstInBandOne() {
        Mp4aLatmDepacketizer d = latm(Map.of("cpresent", "1", "config", configHex(0, ASC_16K_MONO)), 16000, 8192);
        Bits same = new Bits().put(1, 1);
        lengthInfo(same, 10).bytes(pattern(1, 10));
        List<MediaFrame> frames = feed(d, packet(true, 1, 0, same.toBytes()), false);
        assertEquals(8, Adts.of(frames.get(0).data()).frequencyIndex());

        Bits change = new Bits().put(0, 1);
        streamMuxConfig(change, 0, ASC_48K_STEREO, 16, 0, false);
        lengthInfo(change, 10).bytes(pattern(1, 10));
        frames = feed(d, packet(true, 2, 1024, change.toBytes()), false);
        assertEquals(3, Adts.of(frames.get(0).data()).frequencyIndex());
        assertArrayEquals(new byte[] {0x11, (byte) 0x90}, d.codecConfig());
    }

    @Test
    void audioMuxVersion1WithSignalledConfigLengthAndOtherData() {
        Mp4aLatmDepacketizer d = latm(Map.of("cpresent", "1"), 48000, 8192);
        byte[] au = pattern(4, 90);
        Bits b = new Bits().put(0, 1);
        b.put(1, 1).put(0, 1);                 // audioMuxVersion 1, audioMuxVersionA 0
        b.put(0, 2).put(0x12, 8);              // taraBufferFullness (LatmGetValue, one byte)
        b.put(1, 1).put(0, 6).put(0, 4).put(0, 3);
        b.put(0, 2).put(21, 8);                // ascLen 21 bits: 16 bits of config and 5 fill bits
        b.put(ASC_48K_STEREO, 16).put(0b10101, 5);
        b.put(0, 3).put(0xFF, 8);
        b.put(1, 1).put(0, 2).put(12, 8);      // otherDataPresent, otherDataLenBits 12 (LatmGetValue)
        b.put(1, 1).put(0x3C, 8);              // crc
        lengthInfo(b, au.length).bytes(au).put(0xABC, 12);
        List<MediaFrame> frames = feed(d, packet(true, 1, 0, b.toBytes()), false);
        assertEquals(1, frames.size());
        assertArrayEquals(au, body(frames.get(0)));
        assertEquals(0, d.packetsSkipped());
    }

    @Test
    void otherDataAndCrcOfVersion0AreSkipped() {
        String config = HexFormat.of().formatHex(streamMuxConfig(new Bits(), 0, ASC_48K_STEREO, 16, 20, true)
                                                         .toBytes());
        Mp4aLatmDepacketizer d = latm(Map.of("cpresent", "0", "config", config), 48000, 8192);
        byte[] a = pattern(1, 40);
        byte[] b = pattern(2, 41);
        // two AudioMuxElements in one payload, each with 20 bits of other data and its byte alignment
        Bits p = new Bits();
        lengthInfo(p, a.length).bytes(a).put(0xFFFFF, 20).align();
        lengthInfo(p, b.length).bytes(b).put(0xFFFFF, 20).align();
        List<MediaFrame> frames = feed(d, packet(true, 1, 0, p.toBytes()), false);
        assertEquals(2, frames.size());
        assertArrayEquals(a, body(frames.get(0)));
        assertArrayEquals(b, body(frames.get(1)));
        assertEquals(1024, frames.get(1).rtpTimestamp());
    }

    @Test
    void concatenatedElementsInOnePayload() {
        Mp4aLatmDepacketizer d = outOfBand48k();
        List<MediaFrame> frames = feed(d, packet(true, 1, 0, concat(outOfBand(pattern(1, 30)),
                                                                  outOfBand(pattern(2, 40)))), false);
        assertEquals(2, frames.size());
        assertEquals(1024, frames.get(1).rtpTimestamp());
        assertArrayEquals(pattern(2, 40), body(frames.get(1)));
    }

    @Test
    void programConfigElementInsideAnUnalignedInBandConfig() {
        byte[] asc = HexFormat.of().parseHex("118004c4010020000d4c61766335392e33372e313030");
        Mp4aLatmDepacketizer d = latm(Map.of(), 48000, 8192);
        byte[] au = pattern(3, 60);
        Bits b = new Bits().put(0, 1).put(0, 1).put(1, 1).put(0, 6).put(0, 4).put(0, 3); // 16 bits: aligned ASC
        b.bytes(asc).put(0, 3).put(0xFF, 8).put(0, 1).put(0, 1);
        lengthInfo(b, au.length).bytes(au);
        List<MediaFrame> frames = feed(d, packet(true, 1, 0, b.toBytes()), false);
        assertEquals(1, frames.size(), "packets skipped: " + d.packetsSkipped());
        AudioSpecificConfig config = d.audioSpecificConfig();
        assertEquals(3, config.channelCount());
        assertArrayEquals(asc, d.codecConfig());
        assertEquals(0, Adts.of(frames.get(0).data()).channelConfiguration());
        assertArrayEquals(concat(config.adtsProgramConfigElement(), au), body(frames.get(0)));
    }

    @Test
    void malformedPayloadsAreSkippedAndCounted() {
        Mp4aLatmDepacketizer d = outOfBand48k();
        byte[][] bad = {
            new byte[0],                                   // empty
            new byte[] {0x00, 0x01},                       // a 0-byte PayloadMux
            concat(new byte[] {50}, pattern(1, 20)),       // length past the payload
            new byte[] {(byte) 0xFF, (byte) 0xFF},          // length info never ends
            concat(outOfBand(pattern(1, 20)), new byte[] {0}), // trailing byte: an empty element
        };
        int seq = 1;
        for (byte[] payload : bad) {
            assertTrue(feed(d, packet(true, seq++, 0, payload), false).isEmpty());
        }
        assertEquals(bad.length, d.packetsSkipped());
        List<MediaFrame> good = feed(d, packet(true, seq, 0, outOfBand(pattern(1, 20))), false);
        assertEquals(1, good.size());
        assertTrue(good.get(0).discontinuity());
    }

    @Test
    void unsupportedInBandStructureIsSkipped() {
        Mp4aLatmDepacketizer d = latm(Map.of("cpresent", "1", "config", configHex(0, ASC_48K_STEREO)), 48000, 8192);
        Bits twoPrograms = new Bits().put(0, 1).put(0, 1).put(1, 1).put(0, 6).put(1, 4).put(0, 3)
                .put(ASC_48K_STEREO, 16).put(0, 3).put(0xFF, 8);
        assertTrue(feed(d, packet(true, 1, 0, twoPrograms.toBytes()), false).isEmpty());
        Bits frameLengthType1 = new Bits().put(0, 1).put(0, 1).put(1, 1).put(0, 6).put(0, 4).put(0, 3)
                .put(ASC_48K_STEREO, 16).put(1, 3).put(100, 9).put(0, 1).put(0, 1);
        assertTrue(feed(d, packet(true, 2, 0, frameLengthType1.toBytes()), false).isEmpty());
        assertEquals(2, d.packetsSkipped());
    }

    @Test
    void configWithoutAnAdtsProfileIsSkippedAndCounted() {
        long ld = new Bits().put(23, 5).put(3, 4).put(1, 4).put(0, 5).bitLength(); // 18 bits
        Bits config = new Bits().put(0, 1).put(1, 1).put(0, 6).put(0, 4).put(0, 3)
                .put(23, 5).put(3, 4).put(1, 4).put(0, 5).put(0, 3).put(0xFF, 8).put(0, 2);
        assertEquals(18, ld);
        try (CapturedLog log = CapturedLog.capture(Mp4aLatmDepacketizer.class)) {
            Mp4aLatmDepacketizer d = latm(Map.of("cpresent", "0", "config",
                                                 HexFormat.of().formatHex(config.toBytes())), 48000, 8192);
            assertEquals(23, d.audioSpecificConfig().audioObjectType());
            for (int i = 0; i < 5; i++) {
                assertTrue(feed(d, packet(true, i, 0, outOfBand(pattern(1, 20))), false).isEmpty());
            }
            assertEquals(5, d.packetsSkipped());
            assertEquals(2, log.warnings().size(), "one at configuration, one rate-limited: " + log.warnings());
        }
    }

    @Test
    void oversizedFramesAndElementsAreDropped() {
        Mp4aLatmDepacketizer d = latm(Map.of("cpresent", "0", "config", configHex(0, ASC_48K_STEREO)), 48000,
                                      300);
        assertTrue(feed(d, packet(true, 1, 0, outOfBand(pattern(1, 294))), false).isEmpty());
        assertEquals(1, d.framesDropped());
        assertEquals(1, feed(d, packet(true, 2, 0, outOfBand(pattern(1, 293))), false).size());
        // an element spanning packets beyond the maximum frame size is dropped without buffering it all
        byte[] big = outOfBand(pattern(1, 1000));
        assertTrue(feed(d, packet(false, 3, 1024, slice(big, 0, 250)), false).isEmpty());
        assertTrue(feed(d, packet(false, 4, 1024, slice(big, 250, 250)), false).isEmpty());
        assertEquals(2, d.framesDropped());
        assertTrue(feed(d, packet(true, 5, 1024, slice(big, 500, big.length - 500)), false).isEmpty());
        assertEquals(2, d.framesDropped());
        List<MediaFrame> next = feed(d, packet(true, 6, 2048, outOfBand(pattern(1, 10))), false);
        assertEquals(1, next.size());
        assertTrue(next.get(0).discontinuity());
    }

    @Test
    void resetForgetsThePartialElement() {
        Mp4aLatmDepacketizer d = outOfBand48k();
        byte[] payload = outOfBand(pattern(9, 700));
        feed(d, packet(false, 1, 77, slice(payload, 0, 300)), false);
        d.reset();
        List<MediaFrame> frames = feed(d, packet(true, 2, 2000, outOfBand(pattern(1, 10))), false);
        assertEquals(1, frames.size());
        assertTrue(frames.get(0).discontinuity());
    }

    @Test
    void parametersThatCannotWorkAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> latm(Map.of("cpresent", "0"), 48000, 8192));
        assertThrows(IllegalArgumentException.class, () -> latm(Map.of("cpresent", "2"), 48000, 8192));
        assertThrows(IllegalArgumentException.class, () -> latm(Map.of("config", "4000"), 48000, 8192));
        assertThrows(IllegalArgumentException.class, () -> latm(Map.of("config", "not hex"), 48000, 8192));
        Bits notSameFraming = new Bits().put(0, 1).put(0, 1).put(0, 6).put(0, 4).put(0, 3).put(ASC_48K_STEREO, 16)
                .put(0, 16);
        assertThrows(IllegalArgumentException.class,
                     () -> latm(Map.of("config", HexFormat.of().formatHex(notSameFraming.toBytes())), 48000, 8192));
        Map<String, String> fmtp = new HashMap<>(Map.of("cpresent", "0", "config", configHex(0, ASC_48K_STEREO)));
        assertThrows(IllegalArgumentException.class,
                     () -> new Mp4aLatmDepacketizer(params("MPEG4-GENERIC", 48000, fmtp, 8192)));
        assertThrows(IllegalArgumentException.class, () -> latm(fmtp, -1, 8192));
        assertThrows(IllegalArgumentException.class, () -> latm(fmtp, 48000, 0));
    }

    private static byte[] slice(byte[] data, int from, int length) {
        byte[] out = new byte[length];
        System.arraycopy(data, from, out, 0, length);
        return out;
    }
}
