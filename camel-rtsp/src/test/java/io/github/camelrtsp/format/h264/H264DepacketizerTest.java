package io.github.camelrtsp.format.h264;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.annexb.AnnexBDepacketizer;
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

/** Hand-built RTP packets for every H.264 packetization and every loss, malformed and oversize case. */
class H264DepacketizerTest {

    static final byte[] SPS = nal(bytes(0x67, 0x42, 0xC0, 0x1E), 12);
    static final byte[] PPS = nal(bytes(0x68, 0xCE, 0x3C, 0x80), 4);
    static final byte[] AUD = bytes(0x09, 0xF0);
    static final byte[] SEI = nal(bytes(0x06, 0x05), 10);

    /** IDR slice with first_mb_in_slice 0 (first bit after the header is 1). */
    static byte[] idr(int length) {
        return nal(bytes(0x65, 0x88), length);
    }

    /** IDR slice with first_mb_in_slice above 0: a later slice of the picture. */
    static byte[] idrLaterSlice(int length) {
        return nal(bytes(0x65, 0x40), length);
    }

    static byte[] p(int length) {
        return nal(bytes(0x41, 0x9A), length);
    }

    static byte[] pLaterSlice(int length) {
        return nal(bytes(0x41, 0x40), length);
    }

    static byte[] stapA(byte[]... nals) {
        List<byte[]> parts = new ArrayList<>();
        parts.add(bytes(0x78));
        for (byte[] n : nals) {
            parts.add(bytes(n.length >> 8, n.length));
            parts.add(n);
        }
        return concat(parts.toArray(byte[][]::new));
    }

    /** The NAL unit as FU-A payloads, the data after the header cut into pieces of the given sizes (rest last). */
    static List<byte[]> fuA(byte[] nal, int... sizes) {
        List<byte[]> out = new ArrayList<>();
        int pos = 1;
        for (int i = 0; i <= sizes.length; i++) {
            int end = i < sizes.length ? pos + sizes[i] : nal.length;
            int fu = (i == 0 ? 0x80 : 0) | (i == sizes.length ? 0x40 : 0) | nal[0] & 0x1F;
            out.add(concat(bytes(nal[0] & 0xE0 | 28, fu), java.util.Arrays.copyOfRange(nal, pos, end)));
            pos = end;
        }
        return out;
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static Map<String, String> sprop() {
        return Map.of("packetization-mode", "1", "sprop-parameter-sets", b64(SPS) + "," + b64(PPS));
    }

    /** Sends packets with increasing sequence numbers; {@link #lose(int)} makes the next one report a loss. */
    static final class Sender {
        final H264Depacketizer d;
        final Frames frames = new Frames();
        int seq = 65530;
        boolean lostNext;

        Sender(Map<String, String> fmtp) {
            this(fmtp, 1 << 20);
        }

        Sender(Map<String, String> fmtp, int maxFrameSize) {
            d = new H264Depacketizer(parameters("H264", maxFrameSize, fmtp));
        }

        void send(long ts, boolean marker, byte[] payload) {
            d.onPacket(packet(seq, ts, marker, payload), lostNext, frames);
            seq = (seq + 1) & 0xFFFF;
            lostNext = false;
        }

        /** Sends each payload in its own packet, the marker on the last one. */
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
    }

    // ------------------------------------------------------------------ packetization modes

    @Test
    void singleNalUnitPacketsGiveOneAnnexBFramePerMarker() {
        Sender s = new Sender(Map.of());
        byte[] idr = idr(200);
        byte[] p = p(80);
        s.frame(0, SPS, PPS, idr);
        s.frame(3000, p);

        assertEquals(2, s.frames.size());
        MediaFrame key = s.frames.get(0);
        assertArrayEquals(annexB(SPS, PPS, idr), key.data());
        assertTrue(key.keyFrame());
        assertFalse(key.discontinuity());
        assertEquals(0, key.rtpTimestamp());
        assertEquals(0, key.sampleCount());
        MediaFrame delta = s.frames.get(1);
        assertArrayEquals(annexB(p), delta.data());
        assertFalse(delta.keyFrame());
        assertEquals(3000, delta.rtpTimestamp());
        assertEquals(0, s.d.framesDropped() + s.d.packetsSkipped() + s.d.undecodableFramesSkipped());
    }

    @Test
    void stapAWithParameterSetsAndSliceIsUnpackedAndItsParameterSetsRemembered() {
        Sender s = new Sender(Map.of());
        byte[] idr = idr(300);
        s.frame(90000, stapA(SPS, PPS, SEI, idr));

        assertEquals(1, s.frames.size());
        assertArrayEquals(annexB(SPS, PPS, SEI, idr), s.frames.get(0).data());
        assertTrue(s.frames.get(0).keyFrame());
        assertArrayEquals(annexB(SPS, PPS), s.d.codecConfig());
    }

    @Test
    void fuARebuildsTheNalUnitHeaderFromIndicatorAndFuHeader() {
        Sender s = new Sender(sprop());
        byte[] idr = idr(3000);
        byte[] p = nal(bytes(0x21, 0x9A), 2500); // nal_ref_idc 1: the rebuilt header must keep it
        List<byte[]> idrParts = new ArrayList<>();
        idrParts.add(stapA(SPS, PPS));
        idrParts.addAll(fuA(idr, 1000, 1000));
        s.frame(0, idrParts);
        s.frame(3000, fuA(p, 1199));

        assertEquals(2, s.frames.size());
        assertArrayEquals(annexB(SPS, PPS, idr), s.frames.get(0).data());
        assertArrayEquals(annexB(p), s.frames.get(1).data());
    }

    @Test
    void fuAWithStartAndEndBitInOnePacketIsAWholeNalUnit() {
        Sender s = new Sender(sprop());
        byte[] idr = idr(50);
        s.frame(0, concat(bytes(0x7C, 0xC5), java.util.Arrays.copyOfRange(idr, 1, idr.length)));
        assertEquals(1, s.frames.size());
        assertArrayEquals(annexB(SPS, PPS, idr), s.frames.get(0).data());
    }

    @Test
    void accessUnitDelimitersAreDroppedWhereverTheyCome() {
        Sender s = new Sender(sprop());
        byte[] idr = idr(100);
        byte[] p = p(100);
        s.frame(0, AUD, SPS, PPS, idr);
        s.frame(3000, stapA(AUD, p));
        s.frame(6000, concat(bytes(0x1C, 0xC9), bytes(0xF0)), p); // AUD in a (pointless) FU-A

        assertEquals(3, s.frames.size());
        assertArrayEquals(annexB(SPS, PPS, idr), s.frames.get(0).data());
        assertArrayEquals(annexB(p), s.frames.get(1).data());
        assertArrayEquals(annexB(p), s.frames.get(2).data());
    }

    @Test
    void multiSliceFramesStayTogether() {
        Sender s = new Sender(sprop());
        byte[] a = idr(700);
        byte[] b = idrLaterSlice(900);
        List<byte[]> parts = new ArrayList<>(fuA(a, 400));
        parts.add(stapA(SPS, PPS)); // parameter sets between slices, as rtph264pay config-interval=-1 sends them
        parts.addAll(fuA(b, 400));
        s.frame(0, parts);
        assertEquals(1, s.frames.size());
        // parameter sets between slices would start a new access unit for a decoder: they are moved to the front
        assertArrayEquals(annexB(SPS, PPS, a, b), s.frames.get(0).data());
    }

    // ------------------------------------------------------------------ frame boundaries

    @Test
    void aCameraThatNeverSetsTheMarkerGetsFramesAtTimestampChanges() {
        Sender s = new Sender(sprop());
        byte[] idr = idr(100);
        byte[] p1 = p(60);
        byte[] p2 = p(70);
        s.send(0, false, idr);
        s.send(3000, false, fuA(p1, 20).get(0));
        s.send(3000, false, fuA(p1, 20).get(1));
        assertEquals(1, s.frames.size(), "the first frame is complete once the timestamp changes");
        s.send(6000, false, p2);
        assertEquals(2, s.frames.size());
        assertArrayEquals(annexB(SPS, PPS, idr), s.frames.get(0).data());
        assertArrayEquals(annexB(p1), s.frames.get(1).data());
        assertEquals(3000, s.frames.get(1).rtpTimestamp());
        s.send(9000, false, p2);
        assertArrayEquals(annexB(p2), s.frames.get(2).data());
        assertEquals(0, s.d.framesDropped());
    }

    @Test
    void aTimestampChangeEndsAFrameWhoseMarkerIsMissing() {
        Sender s = new Sender(sprop());
        s.frame(0, idr(100));
        s.send(3000, false, p(50));
        s.send(6000, true, p(51));
        assertEquals(3, s.frames.size());
        assertEquals(List.of(0L, 3000L, 6000L), s.frames.list.stream().map(MediaFrame::rtpTimestamp).toList());
    }

    @Test
    void parameterSetsSentAsTheirOwnAccessUnitGoInFrontOfTheNextFrame() {
        // a sender that marks its SPS packet and gives the PPS the previous frame's timestamp
        Sender s = new Sender(Map.of());
        byte[] idr1 = idr(100);
        byte[] idr2 = idr(120);
        s.send(0, true, SPS);
        s.send(0, false, PPS);
        s.frame(3000, idr1);
        s.frame(6000, p(30));
        // and later: parameter sets with the timestamp of the frame before, after its marker
        s.send(6000, false, SPS);
        s.send(6000, false, PPS);
        s.frame(9000, idr2);

        assertEquals(3, s.frames.size());
        assertArrayEquals(annexB(SPS, PPS, idr1), s.frames.get(0).data());
        assertEquals(3000, s.frames.get(0).rtpTimestamp());
        assertArrayEquals(annexB(SPS, PPS, idr2), s.frames.get(2).data());
        assertEquals(9000, s.frames.get(2).rtpTimestamp());
        assertEquals(0, s.d.framesDropped() + s.d.packetsSkipped() + s.d.undecodableFramesSkipped());
        assertFalse(s.frames.get(2).discontinuity());
    }

    @Test
    void aSenderThatMarksEverySliceIsThenSplitAtTimestampChangesOnly() {
        Sender s = new Sender(sprop());
        byte[] a = idr(100);
        byte[] b = idrLaterSlice(100);
        try (CapturedLog warnings = CapturedLog.capture(H264Depacketizer.class)) {
            s.send(0, true, a);
            s.send(0, true, b); // the picture was cut by the marker: detected here
            assertEquals(1, warnings.warnings().size(), warnings.warnings().toString());
            assertTrue(warnings.warnings().get(0).contains("marker"), warnings.warnings().get(0));
        }
        s.send(3000, true, p(40));
        assertEquals(1, s.d.framesDropped(), "the rest of the cut picture");
        s.send(3000, true, pLaterSlice(40));
        s.send(6000, true, a);
        s.send(6000, true, b);
        s.send(9000, true, p(41));
        s.send(9000, true, pLaterSlice(41));
        s.send(12000, true, p(42));

        // frame 0: the cut first slice, already out; P at 3000 skipped (its reference was dropped); then whole frames
        assertEquals(3, s.frames.size());
        assertArrayEquals(annexB(SPS, PPS, a, b), s.frames.get(1).data());
        assertTrue(s.frames.get(1).discontinuity());
        assertArrayEquals(annexB(p(41), pLaterSlice(41)), s.frames.get(2).data());
        assertEquals(1, s.d.undecodableFramesSkipped());
    }

    // ------------------------------------------------------------------ parameter sets

    @Test
    void parameterSetsOnlyInTheSdpArePutInFrontOfEveryKeyFrame() {
        Sender s = new Sender(sprop());
        byte[] idr = idr(100);
        byte[] p = p(30);
        s.frame(0, idr);
        s.frame(3000, p);
        s.frame(6000, fuA(idr, 50));
        assertArrayEquals(annexB(SPS, PPS, idr), s.frames.get(0).data());
        assertArrayEquals(annexB(p), s.frames.get(1).data(), "nothing is added to a frame that is not a key frame");
        assertArrayEquals(annexB(SPS, PPS, idr), s.frames.get(2).data());
        assertArrayEquals(annexB(SPS, PPS), s.d.codecConfig());
    }

    @Test
    void parameterSetsOnlyInBandAreRememberedAndTheLatestOnesReused() {
        Sender s = new Sender(Map.of());
        assertNull(s.d.codecConfig());
        byte[] idr = idr(100);
        s.frame(0, SPS, PPS, idr);
        s.frame(3000, idr);
        assertArrayEquals(annexB(SPS, PPS, idr), s.frames.get(1).data());

        byte[] newSps = nal(bytes(0x67, 0x64, 0x00, 0x28), 15);
        s.frame(6000, stapA(newSps, PPS), fuA(idr, 40).get(0), fuA(idr, 40).get(1));
        s.frame(9000, idr);
        assertArrayEquals(annexB(newSps, PPS, idr), s.frames.get(2).data());
        assertArrayEquals(annexB(newSps, PPS, idr), s.frames.get(3).data());
        assertArrayEquals(annexB(newSps, PPS), s.d.codecConfig());
    }

    @Test
    void parameterSetsAfterTheLastSliceOfAMarkerlessSenderAreMovedToTheNextKeyFrame() {
        Sender s = new Sender(sprop());
        byte[] newSps = nal(bytes(0x67, 0x64, 0x00, 0x28), 15);
        byte[] idr = idr(100);
        byte[] p = p(50);
        s.send(0, false, idr);
        s.send(3000, false, p);
        s.send(3000, false, stapA(newSps, PPS)); // the next frame's parameter sets, with this frame's timestamp
        s.send(6000, false, idr);
        s.send(9000, false, p);
        assertEquals(3, s.frames.size());
        assertArrayEquals(annexB(p), s.frames.get(1).data());
        assertArrayEquals(annexB(newSps, PPS, idr), s.frames.get(2).data());
    }

    @Test
    void aKeyFrameMissingOnlyThePpsGetsTheWholeRememberedSetInFront() {
        Sender s = new Sender(sprop());
        byte[] idr = idr(100);
        s.frame(0, SPS, idr);
        assertArrayEquals(annexB(SPS, PPS, SPS, idr), s.frames.get(0).data());
    }

    @Test
    void aKeyFrameWithoutAnyKnownParameterSetIsSkippedUntilOneComes() {
        Sender s = new Sender(Map.of());
        byte[] idr = idr(100);
        try (CapturedLog warnings = CapturedLog.capture(H264Depacketizer.class)) {
            s.frame(0, idr);
            assertEquals(1, warnings.warnings().size(), warnings.warnings().toString());
        }
        s.frame(3000, p(20));
        s.frame(6000, SPS, PPS, idr);
        assertEquals(1, s.frames.size());
        assertTrue(s.frames.get(0).discontinuity());
        assertEquals(2, s.d.undecodableFramesSkipped());
    }

    @Test
    void sdpParameterSetsAreReadTolerantly() {
        // white space, no base64 padding, a start code and zero bytes after the value, a junk entry
        String sps = b64(concat(SPS, bytes(0, 0, 0, 1))).replace("=", "");
        String pps = " " + b64(concat(PPS, bytes(0, 0))) + " ";
        String both = b64(concat(bytes(0, 0, 0, 1), SPS, bytes(0, 0, 1), PPS));
        H264Depacketizer d = new H264Depacketizer(parameters("H264", 10000,
                Map.of("SPROP-PARAMETER-SETS", sps + "," + pps + ",%%%,")));
        assertArrayEquals(annexB(SPS, PPS), d.codecConfig());
        H264Depacketizer d2 = new H264Depacketizer(parameters("H264", 10000, Map.of("sprop-parameter-sets", both)));
        assertArrayEquals(annexB(SPS, PPS), d2.codecConfig());
    }

    // ------------------------------------------------------------------ loss

    @Test
    void aLostMiddleFragmentDropsTheFrameAndVideoResumesAtTheNextKeyFrame() {
        Sender s = new Sender(sprop());
        byte[] idr = idr(100);
        s.frame(0, idr);
        List<byte[]> parts = fuA(p(3000), 1000, 1000);
        s.send(3000, false, parts.get(0));
        s.lose(1);
        s.send(3000, true, parts.get(2));
        assertEquals(1, s.frames.size());
        assertEquals(1, s.d.framesDropped());

        s.frame(6000, p(30));
        s.frame(9000, fuA(idr, 30));
        s.frame(12000, p(31));
        assertEquals(3, s.frames.size());
        assertEquals(1, s.d.undecodableFramesSkipped());
        MediaFrame resumed = s.frames.get(1);
        assertTrue(resumed.keyFrame());
        assertTrue(resumed.discontinuity());
        assertEquals(9000, resumed.rtpTimestamp());
        assertArrayEquals(annexB(SPS, PPS, idr), resumed.data());
        assertFalse(s.frames.get(2).discontinuity());
    }

    @Test
    void aLostMarkerPacketDropsTheFrameItEnded() {
        Sender s = new Sender(sprop());
        s.frame(0, idr(100));
        List<byte[]> parts = fuA(p(300), 100);
        s.send(3000, false, parts.get(0));
        s.lose(1);
        s.frame(6000, fuA(idr(100), 50));
        assertEquals(2, s.frames.size());
        assertEquals(1, s.d.framesDropped());
        assertTrue(s.frames.get(1).discontinuity());
        assertEquals(6000, s.frames.get(1).rtpTimestamp());
    }

    @Test
    void aLossBetweenFramesResumesAtAKeyFrameThatFollowsIt() {
        Sender s = new Sender(sprop());
        s.frame(0, idr(100));
        s.frame(3000, p(40));
        s.lose(3);
        s.frame(9000, p(40));
        s.lose(1);
        s.frame(15000, stapA(SPS, PPS), idr(80));
        assertEquals(3, s.frames.size());
        assertEquals(0, s.d.framesDropped(), "no frame was seen in part");
        assertEquals(1, s.d.undecodableFramesSkipped());
        assertTrue(s.frames.get(2).discontinuity());
        assertTrue(s.frames.get(2).keyFrame());
    }

    @Test
    void afterALossAFrameWhoseFirstSliceIsMissingIsDropped() {
        Sender s = new Sender(sprop());
        s.frame(0, idr(100));
        s.lose(1); // the packet with the first slice of the IDR at 3000
        s.frame(3000, idrLaterSlice(100));
        s.frame(6000, idr(90), idrLaterSlice(90));
        assertEquals(2, s.frames.size());
        assertEquals(1, s.d.framesDropped());
        assertEquals(6000, s.frames.get(1).rtpTimestamp());
        assertTrue(s.frames.get(1).discontinuity());
    }

    @Test
    void joiningInTheMiddleOfAGopSkipsFramesUntilTheFirstKeyFrame() {
        Sender s = new Sender(sprop());
        List<byte[]> cut = fuA(p(500), 100, 100);
        s.send(0, false, cut.get(1)); // joined in the middle of a fragmented frame
        s.send(0, true, cut.get(2));
        s.frame(3000, p(40));
        s.frame(6000, p(40));
        s.frame(9000, idr(100));
        s.frame(12000, p(40));
        assertEquals(2, s.frames.size());
        assertEquals(1, s.d.framesDropped(), "the partial first frame");
        assertEquals(0, s.d.packetsSkipped(), "a cut fragment at the start is expected, not malformed");
        assertEquals(2, s.d.undecodableFramesSkipped());
        assertTrue(s.frames.get(0).keyFrame());
        assertTrue(s.frames.get(0).discontinuity());
    }

    @Test
    void aStreamThatStartsWithAKeyFrameIsNotADiscontinuity() {
        Sender s = new Sender(sprop());
        s.frame(0, idr(100));
        assertFalse(s.frames.get(0).discontinuity());
    }

    @Test
    void resetForgetsThePartialFrameAndFlagsTheNextOne() {
        Sender s = new Sender(sprop());
        s.frame(0, idr(100));
        List<byte[]> parts = fuA(idr(500), 100);
        s.send(3000, false, parts.get(0));
        s.d.reset();
        s.send(3000, true, parts.get(1)); // a stray end fragment after the reset
        s.frame(6000, p(20));
        s.frame(9000, idr(100));
        assertEquals(2, s.frames.size());
        assertTrue(s.frames.get(1).discontinuity());
        assertEquals(9000, s.frames.get(1).rtpTimestamp());
        assertEquals(0, s.d.packetsSkipped());
    }

    // ------------------------------------------------------------------ malformed and unsupported

    @Test
    void aFragmentWithoutItsStartIsSkippedAndItsFrameDropped() {
        Sender s = new Sender(sprop());
        s.frame(0, idr(100));
        List<byte[]> parts = fuA(p(500), 100, 100);
        s.send(3000, false, parts.get(1));
        s.send(3000, true, parts.get(2));
        s.frame(6000, idr(100));
        assertEquals(1, s.d.packetsSkipped());
        assertEquals(1, s.d.framesDropped());
        assertEquals(2, s.frames.size());
        assertTrue(s.frames.get(1).discontinuity());
    }

    @Test
    void aFragmentSequenceWithoutItsEndDropsTheFrame() {
        Sender s = new Sender(sprop());
        s.frame(0, idr(100));
        List<byte[]> parts = fuA(p(500), 100, 100);
        s.send(3000, false, parts.get(0));
        s.send(3000, true, parts.get(1)); // marker, but no end fragment
        List<byte[]> other = fuA(idr(500), 100, 100);
        s.send(6000, false, other.get(0));
        s.send(6000, false, other.get(1));
        s.send(6000, false, stapA(SPS, PPS)); // a whole NAL unit before the end fragment
        s.send(6000, true, other.get(2));
        s.frame(9000, idr(100));
        assertEquals(2, s.d.framesDropped());
        assertEquals(2, s.frames.size());
        assertEquals(9000, s.frames.get(1).rtpTimestamp());
    }

    @Test
    void aFragmentOfAnotherTypeThanItsStartIsSkipped() {
        Sender s = new Sender(sprop());
        List<byte[]> parts = fuA(idr(500), 100);
        byte[] wrong = parts.get(1).clone();
        wrong[1] = (byte) (0x40 | 1);
        s.send(0, false, parts.get(0));
        s.send(0, true, wrong);
        assertEquals(1, s.d.packetsSkipped());
        assertEquals(1, s.d.framesDropped());
        assertEquals(0, s.frames.size());
    }

    static List<byte[]> malformedPayloads() {
        byte[] idr = idr(40);
        return List.of(
                concat(stapA(SPS, idr), bytes(0x00)),            // truncated NAL unit size
                concat(bytes(0x78), bytes(0x00, 0x50), SPS),     // size runs past the end
                bytes(0x78),                                     // no NAL unit at all
                concat(bytes(0x78, 0x00, 0x00), stapA(SPS)),     // a NAL unit of size 0
                concat(bytes(0x78, 0x00, 0x02, 0x7C, 0x85)),     // a FU-A inside a STAP-A
                bytes(0x7C),                                     // FU-A without FU header
                bytes(0x7C, 0x98, 0x11),                         // FU-A of a STAP-A
                bytes(0x79, 0x00, 0x01, 0x00, 0x04, 0x65, 0x88, 0x11, 0x12), // STAP-B
                bytes(0x7A, 0x00, 0x01, 0x00, 0x04, 0x01, 0x00, 0x00, 0x65), // MTAP16
                bytes(0x7B, 0x00, 0x01, 0x00, 0x04, 0x01, 0x00, 0x00, 0x00), // MTAP24
                bytes(0x7D, 0x85, 0x00, 0x01, 0x88, 0x11));      // FU-B
    }

    @ParameterizedTest
    @MethodSource("malformedPayloads")
    void aMalformedOrInterleavedModePacketIsSkippedCountedAndItsFrameDropped(byte[] payload) {
        Sender s = new Sender(sprop());
        s.frame(0, idr(100));
        s.send(3000, false, stapA(SPS, PPS));
        s.send(3000, true, payload);
        s.frame(6000, p(20));
        s.frame(9000, idr(100));
        assertEquals(1, s.d.packetsSkipped());
        assertEquals(1, s.d.framesDropped());
        assertEquals(1, s.d.undecodableFramesSkipped());
        assertEquals(2, s.frames.size());
        assertTrue(s.frames.get(1).discontinuity());
    }

    @Test
    void undefinedPacketTypesAreSkippedWithoutDroppingTheFrame() {
        Sender s = new Sender(sprop());
        byte[] idr = idr(100);
        s.frame(0, bytes(0x00, 0x11), bytes(0x1E, 0x11), bytes(0x1F, 0x11), idr);
        assertEquals(3, s.d.packetsSkipped());
        assertEquals(0, s.d.framesDropped());
        assertArrayEquals(annexB(SPS, PPS, idr), s.frames.get(0).data());
    }

    @Test
    void anEmptyPayloadIsCountedAndOtherwiseIgnored() {
        Sender s = new Sender(sprop());
        byte[] idr = idr(100);
        s.send(0, false, stapA(SPS, PPS));
        s.send(0, false, new byte[0]);
        s.send(0, true, idr);
        s.send(3000, false, new byte[0]); // alone, with another timestamp: no frame is cut by it
        s.frame(3000, p(10));
        assertEquals(2, s.d.packetsSkipped());
        assertEquals(0, s.d.framesDropped());
        assertEquals(2, s.frames.size());
        assertArrayEquals(annexB(SPS, PPS, idr), s.frames.get(0).data());
    }

    @Test
    void anEmptyPayloadWithTheMarkerEndsTheFrame() {
        Sender s = new Sender(sprop());
        s.send(0, false, idr(100));
        s.send(0, true, new byte[0]);
        assertEquals(1, s.frames.size());
    }

    // ------------------------------------------------------------------ sizes

    @Test
    void anOversizeFrameIsDroppedAndTheAssemblyBufferStaysWithinTheMaximum() throws Exception {
        Sender s = new Sender(sprop(), 4000);
        byte[] big = idr(30000);
        s.frame(0, fuA(big, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000));
        assertEquals(1, s.d.framesDropped());
        assertTrue(assemblyCapacity(s.d) <= 4000, "assembly buffer of " + assemblyCapacity(s.d));
        byte[] idr = idr(3980);
        s.frame(3000, fuA(idr, 1000));
        assertEquals(2, s.d.framesDropped(), "3980 + 4 bytes fit, but not with the parameter sets put in front");
        s.frame(6000, stapA(SPS, PPS), idr(3000));
        assertEquals(1, s.frames.size());
        assertTrue(s.frames.get(0).discontinuity());
        assertTrue(assemblyCapacity(s.d) <= 4000);
    }

    @Test
    void aNeverEndingFrameWithoutMarkerOrTimestampChangeStaysBounded() throws Exception {
        Sender s = new Sender(sprop(), 100_000);
        for (int i = 0; i < 2000; i++) {
            s.send(0, false, p(1000));
        }
        s.frame(3000, idr(10));
        assertEquals(1, s.d.framesDropped());
        assertEquals(1, s.frames.size());
        assertTrue(assemblyCapacity(s.d) <= 100_000);
    }

    static int assemblyCapacity(AnnexBDepacketizer d) throws ReflectiveOperationException {
        Field f = AnnexBDepacketizer.class.getDeclaredField("assembly");
        f.setAccessible(true);
        return ((byte[]) f.get(d)).length;
    }

    // ------------------------------------------------------------------ logging, robustness, construction

    @Test
    void warningsAboutBadPacketsAreRateLimited() {
        Sender s = new Sender(sprop());
        try (CapturedLog warnings = CapturedLog.capture(H264Depacketizer.class)) {
            for (int i = 0; i < 1000; i++) {
                s.send(i * 3000L, true, bytes(0x78));
            }
            assertEquals(1, warnings.warnings().size(), warnings.warnings().toString());
            assertTrue(warnings.warnings().get(0).contains("STAP-A"), warnings.warnings().get(0));
        }
        assertEquals(1000, s.d.packetsSkipped());
        assertEquals(1000, s.d.framesDropped());
    }

    @Test
    void randomPayloadsNeverThrowAndNeverGiveAFrameOutsideTheRules() {
        Random random = new Random(6184);
        Sender s = new Sender(sprop(), 20_000);
        byte[][] pieces = {SPS, PPS, idr(300), p(200), AUD, SEI};
        for (int i = 0; i < 50_000; i++) {
            byte[] payload;
            int choice = random.nextInt(6);
            if (choice == 0) {
                payload = new byte[random.nextInt(40)];
                random.nextBytes(payload);
            } else if (choice == 1) {
                payload = stapA(pieces[random.nextInt(pieces.length)], pieces[random.nextInt(pieces.length)]);
                if (random.nextBoolean()) {
                    payload = java.util.Arrays.copyOf(payload, random.nextInt(payload.length + 1));
                }
            } else if (choice == 2) {
                List<byte[]> parts = fuA(random.nextBoolean() ? idr(900) : p(900), 300, 300);
                payload = parts.get(random.nextInt(parts.size())).clone();
                if (random.nextInt(4) == 0) {
                    payload[random.nextInt(payload.length)] = (byte) random.nextInt(256);
                }
            } else {
                payload = pieces[random.nextInt(pieces.length)];
            }
            if (random.nextInt(50) == 0) {
                s.lose(1 + random.nextInt(3));
            }
            s.send(3000L * (i / 3), random.nextInt(3) == 0, payload);
        }
        for (MediaFrame f : s.frames.list) {
            assertTrue(f.data().length <= 20_000);
            List<byte[]> nals = nalUnits(f.data());
            assertFalse(nals.isEmpty());
            boolean hasIdr = nals.stream().anyMatch(n -> n.length > 0 && (n[0] & 0x1F) == 5);
            assertEquals(hasIdr, f.keyFrame());
            if (f.keyFrame()) {
                int firstIdr = 0;
                while ((nals.get(firstIdr)[0] & 0x1F) != 5) {
                    firstIdr++;
                }
                List<Integer> before = nals.subList(0, firstIdr).stream().map(n -> n[0] & 0x1F).toList();
                assertTrue(before.contains(7) && before.contains(8), "SPS and PPS ahead of the IDR: " + before);
            }
        }
        assertTrue(s.frames.size() > 100, "some frames get through: " + s.frames.size());
    }

    @Test
    void constructionChecksItsParameters() {
        assertThrows(IllegalArgumentException.class,
                () -> new H264Depacketizer(parameters("H265", 1000, Map.of())));
        assertThrows(IllegalArgumentException.class,
                () -> new H264Depacketizer(parameters("H264", 0, Map.of())));
        Map<String, String> interleaved = new HashMap<>(sprop());
        interleaved.put("packetization-mode", "2");
        try (CapturedLog warnings = CapturedLog.capture(H264Depacketizer.class)) {
            new H264Depacketizer(parameters("h264", 1000, interleaved));
            assertEquals(1, warnings.warnings().size());
            assertTrue(warnings.warnings().get(0).contains("interleaved"), warnings.warnings().get(0));
        }
    }
}
