package io.github.camelrtsp.format.h265;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.annexb.NalTestSupport.Frames;
import io.github.camelrtsp.testsupport.CapturedLog;

import static io.github.camelrtsp.format.annexb.NalTestSupport.annexB;
import static io.github.camelrtsp.format.annexb.NalTestSupport.bytes;
import static io.github.camelrtsp.format.annexb.NalTestSupport.concat;
import static io.github.camelrtsp.format.annexb.NalTestSupport.nal;
import static io.github.camelrtsp.format.annexb.NalTestSupport.nalUnits;
import static io.github.camelrtsp.format.annexb.NalTestSupport.packet;
import static io.github.camelrtsp.format.annexb.NalTestSupport.parameters;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-built RTP packets for every H.265 packetization and every loss, malformed and key-frame case. */
class H265DepacketizerTest {

    static final byte[] VPS = nal(bytes(0x40, 0x01, 0x0C, 0x01), 20);
    static final byte[] SPS = nal(bytes(0x42, 0x01, 0x01, 0x01), 30);
    static final byte[] PPS = nal(bytes(0x44, 0x01, 0xC1, 0x72), 6);
    static final byte[] AUD = bytes(0x46, 0x01, 0x50);
    static final byte[] PREFIX_SEI = nal(bytes(0x4E, 0x01, 0x05), 12);
    static final byte[] SUFFIX_SEI = nal(bytes(0x50, 0x01, 0x84), 12);

    /** A slice of the given NAL unit type (layer 0, TID 1) with first_slice_segment_in_pic_flag set. */
    static byte[] slice(int type, int length) {
        return nal(bytes(type << 1, 0x01, 0xAF), length);
    }

    /** A later slice segment of a picture (first_slice_segment_in_pic_flag 0). */
    static byte[] laterSlice(int type, int length) {
        return nal(bytes(type << 1, 0x01, 0x2F), length);
    }

    static final int TRAIL_R = 1;
    static final int RADL_N = 6;
    static final int RASL_N = 8;
    static final int RASL_R = 9;
    static final int BLA_W_LP = 16;
    static final int IDR_W_RADL = 19;
    static final int IDR_N_LP = 20;
    static final int CRA = 21;

    static byte[] ap(byte[]... nals) {
        List<byte[]> parts = new ArrayList<>();
        parts.add(bytes(48 << 1, 0x01));
        for (byte[] n : nals) {
            parts.add(bytes(n.length >> 8, n.length));
            parts.add(n);
        }
        return concat(parts.toArray(byte[][]::new));
    }

    /** The NAL unit as FU payloads, the data after its 2-byte header cut into pieces of the given sizes. */
    static List<byte[]> fu(byte[] nal, int... sizes) {
        List<byte[]> out = new ArrayList<>();
        int pos = 2;
        int type = nal[0] >> 1 & 0x3F;
        for (int i = 0; i <= sizes.length; i++) {
            int end = i < sizes.length ? pos + sizes[i] : nal.length;
            int fuHeader = (i == 0 ? 0x80 : 0) | (i == sizes.length ? 0x40 : 0) | type;
            out.add(concat(bytes(nal[0] & 0x81 | 49 << 1, nal[1], fuHeader), Arrays.copyOfRange(nal, pos, end)));
            pos = end;
        }
        return out;
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static Map<String, String> sprop() {
        return Map.of("sprop-vps", b64(VPS), "sprop-sps", b64(SPS), "sprop-pps", b64(PPS));
    }

    static final class Sender {
        final H265Depacketizer d;
        final Frames frames = new Frames();
        int seq = 100;
        boolean lostNext;

        Sender(Map<String, String> fmtp) {
            d = new H265Depacketizer(parameters("H265", 1 << 20, fmtp));
        }

        void send(long ts, boolean marker, byte[] payload) {
            d.onPacket(packet(seq, ts, marker, payload), lostNext, frames);
            seq = (seq + 1) & 0xFFFF;
            lostNext = false;
        }

        void frame(long ts, List<byte[]> payloads) {
            for (int i = 0; i < payloads.size(); i++) {
                send(ts, i == payloads.size() - 1, payloads.get(i));
            }
        }

        void frame(long ts, byte[]... payloads) {
            frame(ts, List.of(payloads));
        }

        void lose(int count) {
            seq = (seq + count) & 0xFFFF;
            lostNext = true;
        }

        List<Long> timestamps() {
            return frames.list.stream().map(MediaFrame::rtpTimestamp).toList();
        }
    }

    // ------------------------------------------------------------------ packetizations

    @Test
    void singleNalUnitPacketsGiveOneAnnexBFramePerMarker() {
        Sender s = new Sender(Map.of());
        byte[] idr = slice(IDR_W_RADL, 200);
        byte[] trail = slice(TRAIL_R, 50);
        s.frame(0, VPS, SPS, PPS, PREFIX_SEI, idr, SUFFIX_SEI);
        s.frame(3000, trail);
        assertEquals(2, s.frames.size());
        assertArrayEquals(annexB(VPS, SPS, PPS, PREFIX_SEI, idr, SUFFIX_SEI), s.frames.get(0).data());
        assertTrue(s.frames.get(0).keyFrame());
        assertFalse(s.frames.get(0).discontinuity());
        assertArrayEquals(annexB(trail), s.frames.get(1).data());
        assertFalse(s.frames.get(1).keyFrame());
        assertArrayEquals(annexB(VPS, SPS, PPS), s.d.codecConfig());
    }

    @Test
    void aggregationPacketsAreUnpacked() {
        Sender s = new Sender(Map.of());
        byte[] idr = slice(IDR_N_LP, 100);
        s.frame(0, ap(AUD, VPS, SPS, PPS), ap(idr, SUFFIX_SEI));
        assertEquals(1, s.frames.size());
        assertArrayEquals(annexB(VPS, SPS, PPS, idr, SUFFIX_SEI), s.frames.get(0).data());
    }

    @Test
    void fragmentationUnitsRebuildTheHeaderWithLayerAndTemporalId() {
        Sender s = new Sender(sprop());
        byte[] idr = slice(IDR_W_RADL, 3000);
        byte[] trail = nal(bytes(TRAIL_R << 1, 0x03, 0xAF), 2000); // TID 3
        s.frame(0, fu(idr, 1000, 1000));
        s.frame(3000, fu(trail, 1));
        assertEquals(2, s.frames.size());
        assertArrayEquals(annexB(VPS, SPS, PPS, idr), s.frames.get(0).data());
        assertArrayEquals(annexB(trail), s.frames.get(1).data());
    }

    @Test
    void aFragmentationUnitWithBothStartAndEndIsAWholeNalUnit() {
        Sender s = new Sender(sprop());
        byte[] idr = slice(IDR_W_RADL, 40);
        s.frame(0, concat(bytes(0x62, 0x01, 0xC0 | IDR_W_RADL), Arrays.copyOfRange(idr, 2, idr.length)));
        assertArrayEquals(annexB(VPS, SPS, PPS, idr), s.frames.get(0).data());
    }

    @Test
    void decodingOrderNumbersArePresentAndRemovedWhenSpropMaxDonDiffIsAboveZero() {
        Map<String, String> fmtp = new HashMap<>(sprop());
        fmtp.put("sprop-max-don-diff", "2");
        Sender s = new Sender(fmtp);
        byte[] idr = slice(IDR_W_RADL, 300);
        byte[] trail = slice(TRAIL_R, 40);
        byte[] trail2 = slice(TRAIL_R, 41);
        // AP: DONL 7 for the first unit, DOND 0 for the next ones
        byte[] apWithDon = concat(bytes(0x60, 0x01), bytes(0x00, 0x07), bytes(0, VPS.length), VPS,
                bytes(0x00), bytes(0, SPS.length), SPS, bytes(0x00), bytes(0, PPS.length), PPS);
        List<byte[]> fus = fu(idr, 100, 100);
        byte[] fuStartWithDonl = concat(Arrays.copyOf(fus.get(0), 3), bytes(0x00, 0x0A),
                Arrays.copyOfRange(fus.get(0), 3, fus.get(0).length));
        s.frame(0, apWithDon, fuStartWithDonl, fus.get(1), fus.get(2));
        // single NAL unit packet: payload header, DONL, then the rest of the NAL unit
        s.frame(3000, concat(Arrays.copyOf(trail, 2), bytes(0x00, 0x0B), Arrays.copyOfRange(trail, 2, trail.length)));
        // a forward jump in DON (a NAL unit the sender left out) is accepted
        s.frame(6000, concat(Arrays.copyOf(trail2, 2), bytes(0x00, 0x20), Arrays.copyOfRange(trail2, 2,
                trail2.length)));

        assertEquals(3, s.frames.size());
        assertArrayEquals(annexB(VPS, SPS, PPS, idr), s.frames.get(0).data());
        assertArrayEquals(annexB(trail), s.frames.get(1).data());
        assertArrayEquals(annexB(trail2), s.frames.get(2).data());
        assertEquals(0, s.d.packetsSkipped() + s.d.framesDropped());

        // a DON behind the last one: the sender interleaves, which is not supported
        s.frame(9000, concat(Arrays.copyOf(trail, 2), bytes(0x00, 0x05), Arrays.copyOfRange(trail, 2, trail.length)));
        assertEquals(1, s.d.packetsSkipped());
        assertEquals(1, s.d.framesDropped());
        assertEquals(3, s.frames.size());
    }

    @Test
    void withoutSpropMaxDonDiffTheBytesAfterThePayloadHeaderAreTheNalUnit() {
        Map<String, String> fmtp = new HashMap<>(sprop());
        fmtp.put("sprop-max-don-diff", "0");
        Sender s = new Sender(fmtp);
        byte[] idr = slice(IDR_W_RADL, 30);
        s.frame(0, idr);
        assertArrayEquals(annexB(VPS, SPS, PPS, idr), s.frames.get(0).data());
    }

    // ------------------------------------------------------------------ key frames

    @ParameterizedTest
    @ValueSource(ints = {16, 17, 18, 19, 20, 21})
    void irapPicturesAreKeyFramesWithParameterSetsInFront(int type) {
        Sender s = new Sender(sprop());
        byte[] key = slice(type, 60);
        s.frame(0, key);
        assertEquals(1, s.frames.size());
        assertTrue(s.frames.get(0).keyFrame());
        assertArrayEquals(annexB(VPS, SPS, PPS, key), s.frames.get(0).data());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
    void otherPicturesAreNotKeyFramesAndGetNothingAdded(int type) {
        Sender s = new Sender(sprop());
        s.frame(0, slice(IDR_W_RADL, 60));
        byte[] other = slice(type, 60);
        s.frame(3000, other);
        assertEquals(2, s.frames.size());
        assertFalse(s.frames.get(1).keyFrame());
        assertArrayEquals(annexB(other), s.frames.get(1).data());
    }

    @Test
    void parameterSetsOnlyInBandAreRememberedForLaterKeyFrames() {
        Sender s = new Sender(Map.of());
        assertNull(s.d.codecConfig());
        byte[] cra = slice(CRA, 80);
        s.frame(0, ap(VPS, SPS, PPS), slice(IDR_W_RADL, 80));
        s.frame(3000, slice(TRAIL_R, 30));
        s.frame(6000, cra);
        assertArrayEquals(annexB(VPS, SPS, PPS, cra), s.frames.get(2).data());
    }

    @Test
    void aKeyFrameWithoutAVpsAnywhereIsSkipped() {
        Sender s = new Sender(Map.of("sprop-sps", b64(SPS), "sprop-pps", b64(PPS)));
        s.frame(0, slice(IDR_W_RADL, 80));
        assertEquals(0, s.frames.size());
        assertEquals(1, s.d.undecodableFramesSkipped());
        s.frame(3000, VPS, slice(IDR_W_RADL, 80));
        assertEquals(1, s.frames.size());
        assertTrue(s.frames.get(0).discontinuity());
    }

    @Test
    void afterALossVideoResumesAtACraHandedOverAsABlaAndWithoutItsSkippedLeadingPictures() {
        Sender s = new Sender(sprop());
        byte[] cra = slice(CRA, 100);
        byte[] craLater = laterSlice(CRA, 60);
        byte[] radl = slice(RADL_N, 30);
        byte[] trail = slice(TRAIL_R, 31);
        s.frame(0, slice(IDR_W_RADL, 100));
        s.frame(3000, slice(TRAIL_R, 30));
        List<byte[]> parts = fu(slice(TRAIL_R, 500), 100, 100);
        s.send(6000, false, parts.get(0));
        s.lose(1);
        s.send(6000, true, parts.get(2));
        s.frame(9000, slice(TRAIL_R, 30));
        s.frame(12000, cra, PREFIX_SEI, fu(craLater, 20, 20).get(0), fu(craLater, 20, 20).get(1),
                fu(craLater, 20, 20).get(2));
        s.frame(6500, slice(RASL_R, 20));
        s.frame(7000, slice(RASL_N, 20));
        s.frame(8000, radl);
        s.frame(15000, trail);
        s.frame(14000, slice(RASL_N, 20)); // a RASL after a trailing picture would be invalid; it is kept

        assertEquals(List.of(0L, 3000L, 12000L, 8000L, 15000L, 14000L), s.timestamps());
        assertEquals(1, s.d.framesDropped());
        assertEquals(3, s.d.undecodableFramesSkipped());
        MediaFrame resumed = s.frames.get(2);
        assertTrue(resumed.keyFrame());
        assertTrue(resumed.discontinuity());
        byte[] bla = cra.clone();
        bla[0] = BLA_W_LP << 1;
        byte[] blaLater = craLater.clone();
        blaLater[0] = BLA_W_LP << 1;
        assertArrayEquals(annexB(VPS, SPS, PPS, bla, PREFIX_SEI, blaLater), resumed.data(), "every slice rewritten");
        assertArrayEquals(annexB(radl), s.frames.get(3).data());
        assertFalse(s.frames.get(3).discontinuity());
    }

    @Test
    void aStreamJoinedAtACraKeepsItButLosesItsSkippedLeadingPictures() {
        Sender s = new Sender(sprop());
        byte[] cra = slice(CRA, 100);
        s.frame(0, cra);
        s.frame(-3000 & 0xFFFFFFFFL, slice(RASL_R, 20));
        s.frame(3000, slice(TRAIL_R, 20));
        assertEquals(2, s.frames.size());
        assertArrayEquals(annexB(VPS, SPS, PPS, cra), s.frames.get(0).data());
        assertFalse(s.frames.get(0).discontinuity());
        assertEquals(1, s.d.undecodableFramesSkipped());
    }

    @Test
    void midStreamACraKeepsItsLeadingPicturesAndABlaLosesItsSkippedOnes() {
        Sender s = new Sender(sprop());
        s.frame(0, slice(IDR_W_RADL, 100));
        s.frame(9000, slice(CRA, 100));
        s.frame(3000, slice(RASL_N, 20));
        s.frame(6000, slice(RASL_R, 20));
        s.frame(18000, slice(BLA_W_LP, 100));
        s.frame(12000, slice(RASL_N, 20));
        s.frame(15000, slice(RADL_N, 20));
        s.frame(21000, slice(TRAIL_R, 20));
        assertEquals(List.of(0L, 9000L, 3000L, 6000L, 18000L, 15000L, 21000L), s.timestamps());
        assertEquals(1, s.d.undecodableFramesSkipped());
        assertTrue(s.frames.get(4).keyFrame());
        assertFalse(s.frames.get(4).discontinuity());
        assertArrayEquals(annexB(VPS, SPS, PPS, slice(BLA_W_LP, 100)), s.frames.get(4).data());
        assertArrayEquals(annexB(VPS, SPS, PPS, slice(CRA, 100)), s.frames.get(1).data(), "not after a gap: a CRA");
    }

    @Test
    void afterALossAFrameWhoseFirstSliceSegmentIsMissingIsDropped() {
        Sender s = new Sender(sprop());
        s.frame(0, slice(IDR_W_RADL, 100));
        s.lose(1);
        s.frame(3000, laterSlice(IDR_W_RADL, 100));
        s.frame(6000, slice(IDR_W_RADL, 100), laterSlice(IDR_W_RADL, 100));
        assertEquals(List.of(0L, 6000L), s.timestamps());
        assertEquals(1, s.d.framesDropped());
        assertTrue(s.frames.get(1).discontinuity());
    }

    @Test
    void aLostMiddleFragmentDropsTheFrame() {
        Sender s = new Sender(sprop());
        List<byte[]> parts = fu(slice(IDR_W_RADL, 900), 300, 300);
        s.send(0, false, parts.get(0));
        s.lose(1);
        s.send(0, true, parts.get(2));
        s.frame(3000, slice(IDR_W_RADL, 90));
        assertEquals(1, s.d.framesDropped());
        assertEquals(List.of(3000L), s.timestamps());
        assertTrue(s.frames.get(0).discontinuity());
    }

    @Test
    void accessUnitDelimitersAreDropped() {
        Sender s = new Sender(sprop());
        byte[] idr = slice(IDR_W_RADL, 90);
        s.frame(0, AUD, idr);
        assertArrayEquals(annexB(VPS, SPS, PPS, idr), s.frames.get(0).data());
    }

    // ------------------------------------------------------------------ malformed and unsupported

    static List<byte[]> malformedPayloads() {
        return List.of(
                bytes(0x02),                                          // shorter than the payload header
                bytes(0x02, 0x00, 0xAF, 0x11),                        // TID 0
                concat(ap(SPS), bytes(0x00)),                         // AP with a truncated size
                concat(bytes(0x60, 0x01, 0x00, 0x40), SPS),           // AP unit running past the end
                bytes(0x60, 0x01, 0x00, 0x01, 0x40),                  // AP unit shorter than a NAL header
                bytes(0x60, 0x01),                                    // AP without any unit
                concat(bytes(0x60, 0x01, 0x00, 0x03), bytes(0x62, 0x01, 0x80)), // FU inside an AP
                bytes(0x62, 0x01),                                    // FU without FU header
                bytes(0x62, 0x01, 0x80 | 48, 0x11),                   // FU of an AP
                bytes(0x64, 0x01, 0x26, 0x01, 0x00, 0x00, 0x11));     // PACI
    }

    @ParameterizedTest
    @MethodSource("malformedPayloads")
    void aMalformedOrUnsupportedPacketIsSkippedCountedAndItsFrameDropped(byte[] payload) {
        Sender s = new Sender(sprop());
        s.frame(0, slice(IDR_W_RADL, 100));
        s.send(3000, false, PREFIX_SEI);
        s.send(3000, true, payload);
        s.frame(6000, slice(TRAIL_R, 20));
        s.frame(9000, slice(IDR_W_RADL, 100));
        assertEquals(1, s.d.packetsSkipped());
        assertEquals(1, s.d.framesDropped());
        assertEquals(1, s.d.undecodableFramesSkipped());
        assertEquals(List.of(0L, 9000L), s.timestamps());
        assertTrue(s.frames.get(1).discontinuity());
    }

    @Test
    void malformedDecodingOrderFieldsAreSkipped() {
        Map<String, String> fmtp = new HashMap<>(sprop());
        fmtp.put("sprop-max-don-diff", "10");
        Sender s = new Sender(fmtp);
        s.frame(0, bytes(0x26, 0x01, 0x00));                    // single NAL unit without room for its DONL
        s.frame(3000, bytes(0x60, 0x01, 0x00));                 // AP with a truncated DONL
        s.frame(6000, concat(bytes(0x60, 0x01, 0x00, 0x01), bytes(0, PPS.length), PPS, bytes(0x00))); // DOND, no unit
        s.frame(9000, bytes(0x62, 0x01, 0x80 | IDR_W_RADL, 0x00)); // FU start without room for its DONL
        assertEquals(4, s.d.packetsSkipped());
        assertEquals(0, s.frames.size());
    }

    @Test
    void unspecifiedPacketTypesAreSkippedWithoutDroppingTheFrame() {
        Sender s = new Sender(sprop());
        byte[] idr = slice(IDR_W_RADL, 90);
        s.frame(0, bytes(51 << 1, 0x01, 0x11), bytes(63 << 1, 0x01, 0x11), idr);
        assertEquals(2, s.d.packetsSkipped());
        assertEquals(0, s.d.framesDropped());
        assertArrayEquals(annexB(VPS, SPS, PPS, idr), s.frames.get(0).data());
    }

    @Test
    void randomPayloadsNeverThrow() {
        Random random = new Random(7798);
        Map<String, String> fmtp = new HashMap<>(sprop());
        Sender plain = new Sender(fmtp);
        fmtp.put("sprop-max-don-diff", "100");
        Sender withDon = new Sender(fmtp);
        byte[][] pieces = {VPS, SPS, PPS, slice(CRA, 300), slice(TRAIL_R, 200), slice(RASL_N, 50), AUD};
        for (int i = 0; i < 40_000; i++) {
            byte[] payload;
            int choice = random.nextInt(4);
            if (choice == 0) {
                payload = new byte[random.nextInt(40)];
                random.nextBytes(payload);
            } else if (choice == 1) {
                payload = ap(pieces[random.nextInt(pieces.length)], pieces[random.nextInt(pieces.length)]);
                payload = Arrays.copyOf(payload, random.nextInt(payload.length + 1));
            } else if (choice == 2) {
                List<byte[]> parts = fu(pieces[3 + random.nextInt(3)], 20, 20);
                payload = parts.get(random.nextInt(parts.size()));
            } else {
                payload = pieces[random.nextInt(pieces.length)];
            }
            boolean marker = random.nextInt(3) == 0;
            long ts = 3000L * (i / 3);
            plain.send(ts, marker, payload);
            withDon.send(ts, marker, payload);
        }
        for (Sender s : List.of(plain, withDon)) {
            for (MediaFrame f : s.frames.list) {
                assertFalse(nalUnits(f.data()).isEmpty());
            }
        }
        assertTrue(plain.frames.size() > 100, "frames: " + plain.frames.size());
    }

    @Test
    void constructionChecksItsParameters() {
        assertThrows(IllegalArgumentException.class, () -> new H265Depacketizer(parameters("H264", 1000, Map.of())));
        assertThrows(IllegalArgumentException.class, () -> new H265Depacketizer(parameters("H265", -1, Map.of())));
        assertThrows(IllegalArgumentException.class,
                () -> new H265Depacketizer(parameters("H265", 1000, Map.of("sprop-max-don-diff", "x"))));
        assertThrows(IllegalArgumentException.class,
                () -> new H265Depacketizer(parameters("H265", 1000, Map.of("sprop-max-don-diff", "40000"))));
        try (CapturedLog warnings = CapturedLog.capture(H265Depacketizer.class)) {
            // a parameter set given under the wrong name is still used; a non-parameter-set is logged and ignored
            H265Depacketizer d = new H265Depacketizer(parameters("H265", 1000,
                    Map.of("sprop-vps", b64(SPS) + "," + b64(VPS), "sprop-pps", b64(PPS) + "," + b64(PREFIX_SEI))));
            assertArrayEquals(annexB(VPS, SPS, PPS), d.codecConfig());
            assertEquals(1, warnings.warnings().size(), warnings.warnings().toString());
        }
    }
}
