package io.github.camelrtsp.format.h264;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.PacketizerParameters;
import io.github.camelrtsp.format.annexb.PacketizerTestSupport.Packets;

import static io.github.camelrtsp.format.annexb.NalTestSupport.annexB;
import static io.github.camelrtsp.format.annexb.NalTestSupport.bytes;
import static io.github.camelrtsp.format.annexb.NalTestSupport.concat;
import static io.github.camelrtsp.format.annexb.NalTestSupport.feed;
import static io.github.camelrtsp.format.annexb.NalTestSupport.nal;
import static io.github.camelrtsp.format.annexb.NalTestSupport.parameters;
import static io.github.camelrtsp.format.annexb.NalTestSupport.payloadOf;
import static io.github.camelrtsp.format.annexb.PacketizerTestSupport.assertRtpHeaders;
import static io.github.camelrtsp.format.annexb.PacketizerTestSupport.frame;
import static io.github.camelrtsp.format.annexb.PacketizerTestSupport.packetizeAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-built access units through the H.264 packetizer: packet structures (single NAL unit, STAP-A, FU-A) and their
 * headers, every MTU edge, byte-exact round trips through {@link H264Depacketizer}, format parameters, and the frames
 * and parameters it rejects.
 */
class H264PacketizerTest {

    private static final int PT = 96;
    private static final long SSRC = 0xCAFEBABEL;
    private static final int FIRST_SEQ = 4000;

    private static final byte[] SPS = nal(bytes(0x67, 0x42, 0xC0, 0x1E), 10);
    private static final byte[] PPS = bytes(0x68, 0xCE, 0x3C, 0x80);

    private static byte[] idr(int length) {
        return nal(bytes(0x65, 0x88), length);
    }

    private static byte[] slice(int length) {
        return nal(bytes(0x41, 0x9A), length);
    }

    private static PacketizerParameters params(int mtu, Map<String, String> fmtp) {
        return new PacketizerParameters("H264", PT, 90000, null, fmtp, SSRC, FIRST_SEQ, mtu);
    }

    private static H264Packetizer packetizer(int mtu) {
        return new H264Packetizer(params(mtu, Map.of()));
    }

    /** Packetizes, checks headers, depacketizes with our depacketizer and checks that every frame comes back. */
    private static Packets roundTrip(int mtu, List<MediaFrame> frames) {
        H264Packetizer p = packetizer(mtu);
        Packets packets = packetizeAll(p, frames, mtu);
        assertRtpHeaders(packets, frames, PT, SSRC, FIRST_SEQ);
        assertEquals((FIRST_SEQ + packets.all.size()) & 0xFFFF, p.nextSequenceNumber());
        H264Depacketizer d = new H264Depacketizer(parameters("H264", 1 << 22, Map.of()));
        List<MediaFrame> back = feed(d, packets.all, 0, Set.of());
        assertEquals(frames.size(), back.size(), "frames back at MTU " + mtu);
        for (int i = 0; i < frames.size(); i++) {
            assertArrayEquals(frames.get(i).data(), back.get(i).data(), "frame " + i + " at MTU " + mtu);
            assertEquals(frames.get(i).rtpTimestamp(), back.get(i).rtpTimestamp());
        }
        assertEquals(0, d.framesDropped() + d.packetsSkipped() + d.undecodableFramesSkipped());
        return packets;
    }

    private static int type(byte[] packet) {
        return payloadOf(packet)[0] & 0x1F;
    }

    @Test
    void aSmallKeyFrameGoesInOneStapAWithTheMaximumNri() {
        byte[] sps = nal(bytes(0x27, 0x42, 0xC0, 0x1E), 10); // NRI 1
        byte[] pps = bytes(0x48, 0xCE, 0x3C, 0x80); // NRI 2
        byte[] idr = nal(bytes(0x25, 0x88), 50); // NRI 1
        Packets packets = new Packets();
        packets.add(packetizer(1400), frame(1000, annexB(sps, pps, idr)));

        assertEquals(1, packets.all.size());
        byte[] expected = concat(bytes(0x40 | 24, 0, 10), sps, bytes(0, 4), pps, bytes(0, 50), idr);
        assertArrayEquals(expected, payloadOf(packets.all.get(0)));
    }

    @Test
    void parameterSetsAreAggregatedAndALargeSliceIsCutIntoFullFuAFragments() {
        int mtu = 1200;
        byte[] idr = idr(3000);
        Packets packets = new Packets();
        packets.add(packetizer(mtu), frame(1000, annexB(SPS, PPS, idr)));

        int room = mtu - 12 - 2;
        assertEquals(4, packets.all.size());
        assertArrayEquals(concat(bytes(0x78, 0, 10), SPS, bytes(0, 4), PPS), payloadOf(packets.all.get(0)));
        int[] fuHeaders = {0x85, 0x05, 0x45};
        int pos = 1;
        for (int i = 0; i < 3; i++) {
            byte[] payload = payloadOf(packets.all.get(i + 1));
            assertEquals(0x60 | 28, payload[0] & 0xFF, "FU indicator keeps F and NRI");
            assertEquals(fuHeaders[i], payload[1] & 0xFF, "FU header S/E/type");
            int chunk = Math.min(room, idr.length - pos);
            assertEquals(2 + chunk, payload.length);
            assertArrayEquals(java.util.Arrays.copyOfRange(idr, pos, pos + chunk),
                    java.util.Arrays.copyOfRange(payload, 2, payload.length));
            pos += chunk;
        }
        assertEquals(idr.length, pos);
        assertEquals(mtu, packets.all.get(1).length, "fragments are as full as the MTU allows");
    }

    @Test
    void slicesThatFitGoInSingleNalUnitPacketsUnchanged() {
        List<byte[]> slices = List.of(slice(500), nal(bytes(0x01, 0x9A), 600), slice(1188));
        Packets packets = new Packets();
        packets.add(packetizer(1200), frame(7, annexB(slices.toArray(byte[][]::new))));

        assertEquals(3, packets.all.size());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(slices.get(i), payloadOf(packets.all.get(i)));
        }
        assertEquals(1200, packets.all.get(2).length);
    }

    @ParameterizedTest
    @ValueSource(ints = {15, 16, 17, 40, 100, 1200, 1500})
    void everyMtuEdgeRoundTripsByteExact(int mtu) {
        int max = mtu - 12;
        int room = max - 2;
        List<Integer> lengths = new ArrayList<>(List.of(2, 3, max - 1, max, max + 1, max + 2));
        for (int k = 2; k <= 4; k++) {
            lengths.addAll(List.of(1 + k * room - 1, 1 + k * room, 1 + k * room + 1));
        }
        List<MediaFrame> frames = new ArrayList<>();
        List<Integer> expectedPackets = new ArrayList<>();
        long ts = 0;
        frames.add(frame(ts, annexB(SPS, PPS, idr(40))));
        expectedPackets.add(-1);
        for (int length : lengths) {
            if (length < 2) {
                continue;
            }
            ts += 3000;
            frames.add(frame(ts, annexB(slice(length))));
            expectedPackets.add(length <= max ? 1 : (length - 1 + room - 1) / room);
        }
        Packets packets = roundTrip(mtu, frames);

        for (int f = 1; f < frames.size(); f++) {
            int from = packets.frameEnds.get(f - 1);
            int to = packets.frameEnds.get(f);
            assertEquals(expectedPackets.get(f), to - from, "packets for frame " + f + " at MTU " + mtu);
            int expectedType = to - from == 1 ? 1 : 28;
            for (int i = from; i < to; i++) {
                assertEquals(expectedType, type(packets.all.get(i)));
            }
        }
    }

    @Test
    void anAggregateExactlyAsLargeAsTheMtuIsOnePacketAndOneByteMoreIsNot() {
        int mtu = 200;
        int max = mtu - 12;
        int fitting = max - 1 - (2 + SPS.length) - (2 + PPS.length) - 2;
        Packets one = roundTrip(mtu, List.of(frame(0, annexB(SPS, PPS, idr(fitting)))));
        assertEquals(1, one.all.size());
        assertEquals(mtu, one.all.get(0).length);
        assertEquals(24, type(one.all.get(0)));

        Packets two = roundTrip(mtu, List.of(frame(0, annexB(SPS, PPS, idr(fitting + 1)))));
        assertEquals(2, two.all.size());
        assertEquals(24, type(two.all.get(0)));
        assertEquals(5, type(two.all.get(1)));
    }

    @Test
    void aParameterSetFollowedByNothingThatFitsGoesAlone() {
        int mtu = 12 + 1 + 2 + SPS.length + 2 + PPS.length - 1; // SPS and PPS do not fit together
        Packets packets = roundTrip(mtu, List.of(frame(0, annexB(SPS, PPS, idr(mtu)))));
        assertEquals(7, type(packets.all.get(0)));
        assertEquals(8, type(packets.all.get(1)));
        assertEquals(28, type(packets.all.get(2)));
    }

    @Test
    void manyRandomFramesRoundTripByteExactAtSeveralMtus() {
        Random random = new Random(6184);
        for (int mtu : new int[] {15, 64, 576, 1400}) {
            List<MediaFrame> frames = new ArrayList<>();
            long ts = 0xFFFF_FFFFL - 6000; // the timestamp wraps on the way
            for (int f = 0; f < 60; f++) {
                List<byte[]> nals = new ArrayList<>();
                boolean key = f % 20 == 0;
                if (key) {
                    nals.add(SPS);
                    nals.add(PPS);
                }
                if (random.nextInt(3) == 0) {
                    nals.add(nal(bytes(0x06, 0x05), 2 + random.nextInt(40))); // SEI
                }
                int slices = 1 + random.nextInt(3);
                for (int s = 0; s < slices; s++) {
                    int length = 2 + random.nextInt(random.nextBoolean() ? 60 : 5000);
                    nals.add(key ? idr(length) : slice(length));
                }
                frames.add(frame(ts, annexB(nals.toArray(byte[][]::new))));
                ts = (ts + 3000) & 0xFFFF_FFFFL;
            }
            roundTrip(mtu, frames);
        }
    }

    @Test
    void accessUnitDelimitersAndThreeByteStartCodesAreSentAsGivenWithoutStartCodesOrTrailingZeros() {
        byte[] aud = bytes(0x09, 0xF0);
        byte[] idr = idr(30);
        byte[] data = concat(bytes(0, 0, 1), aud, bytes(0, 0, 0, 1), SPS, bytes(0, 0, 1), PPS, bytes(0, 0, 0, 0, 1),
                idr, bytes(0, 0));
        Packets packets = new Packets();
        packets.add(packetizer(1400), frame(0, data));

        assertEquals(1, packets.all.size());
        assertArrayEquals(concat(bytes(0x78, 0, 2), aud, bytes(0, 10), SPS, bytes(0, 4), PPS, bytes(0, 30), idr),
                payloadOf(packets.all.get(0)));
    }

    @Test
    void theSequenceNumberWrapsAndGoesOnAcrossFrames() {
        H264Packetizer p = new H264Packetizer(new PacketizerParameters("H264", PT, 90000, null, Map.of(), SSRC,
                65534, 1200));
        List<MediaFrame> frames = List.of(frame(0, annexB(SPS, PPS, idr(3000))), frame(3000, annexB(slice(100))));
        Packets packets = packetizeAll(p, frames, 1200);
        assertRtpHeaders(packets, frames, PT, SSRC, 65534);
        assertEquals(5, packets.all.size());
        assertEquals(3, p.nextSequenceNumber());
    }

    @Test
    void malformedFramesAreRejectedWithoutSendingAnything() {
        H264Packetizer p = packetizer(1200);
        List<byte[]> bad = List.of(
                new byte[0],
                bytes(0, 0, 0, 1),
                bytes(0, 0, 0, 1, 0, 0, 1, 0),
                slice(20), // no start code
                concat(bytes(0x11, 0, 0, 0, 1), slice(20)), // bytes before the first start code
                annexB(slice(20), bytes(0x00, 0x11)), // type 0
                annexB(slice(20), bytes(0x18, 0x11)), // STAP-A type inside the frame
                annexB(bytes(0x1C, 0x85, 0x11)), // FU-A type
                annexB(bytes(0x1F, 0x11)), // undefined type 31
                annexB(bytes(0xE5, 0x88, 0x11))); // forbidden bit
        Packets packets = new Packets();
        for (byte[] data : bad) {
            assertThrows(IllegalArgumentException.class, () -> p.packetize(frame(0, data), packets),
                    () -> java.util.HexFormat.of().formatHex(data));
        }
        assertThrows(IllegalArgumentException.class, () -> p.packetize(frame(0, null), packets));
        assertThrows(IllegalArgumentException.class, () -> p.packetize(null, packets));
        assertThrows(IllegalArgumentException.class, () -> p.packetize(frame(-1, annexB(slice(20))), packets));
        assertThrows(IllegalArgumentException.class,
                () -> p.packetize(frame(0x1_0000_0000L, annexB(slice(20))), packets));
        assertTrue(packets.all.isEmpty());
        assertEquals(FIRST_SEQ, p.nextSequenceNumber());

        packets.add(p, frame(0, annexB(slice(20))));
        assertRtpHeaders(packets, List.of(frame(0, null)), PT, SSRC, FIRST_SEQ);
    }

    @Test
    void badParametersAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new H264Packetizer(new PacketizerParameters("H265", PT, 90000, null, Map.of(), 1, 0, 1200)));
        assertThrows(IllegalArgumentException.class,
                () -> new H264Packetizer(new PacketizerParameters("H264", 128, 90000, null, Map.of(), 1, 0, 1200)));
        assertThrows(IllegalArgumentException.class,
                () -> new H264Packetizer(new PacketizerParameters("H264", PT, 8000, null, Map.of(), 1, 0, 1200)));
        assertThrows(IllegalArgumentException.class, () -> packetizer(14));
        assertThrows(IllegalArgumentException.class, () -> packetizer(65536));
        assertEquals(15, packetizer(15).mtu());
        assertEquals("H264/90000", new H264Packetizer(
                new PacketizerParameters("h264", PT, 90000, null, Map.of(), 1, 0, 1200)).rtpMap());
    }

    @Test
    void formatParametersComeFromTheFirstKeyFrameWhenTheFmtpHasNone() {
        H264Packetizer p = packetizer(1200);
        assertEquals(Map.of("packetization-mode", "1"), p.formatParameters());

        p.packetize(frame(0, annexB(slice(30))), new Packets());
        assertEquals(Map.of("packetization-mode", "1"), p.formatParameters());

        p.packetize(frame(3000, annexB(SPS, PPS, idr(30))), new Packets());
        Base64.Encoder b64 = Base64.getEncoder();
        assertEquals(Map.of("packetization-mode", "1", "profile-level-id", "42c01e", "sprop-parameter-sets",
                b64.encodeToString(SPS) + "," + b64.encodeToString(PPS)), p.formatParameters());

        byte[] newerSps = nal(bytes(0x67, 0x64, 0x00, 0x28), 12);
        p.packetize(frame(6000, annexB(newerSps, PPS, idr(30))), new Packets());
        assertEquals("640028", p.formatParameters().get("profile-level-id"), "the latest SPS counts");
        assertEquals(b64.encodeToString(newerSps) + "," + b64.encodeToString(PPS),
                p.formatParameters().get("sprop-parameter-sets"));
    }

    @Test
    void formatParametersComeFromTheFmtpGivenAtCreationToleratingJunk() {
        Base64.Encoder b64 = Base64.getEncoder();
        String sprop = " " + b64.withoutPadding().encodeToString(SPS) + ", not*base64 ,"
                       + b64.encodeToString(concat(bytes(0, 0, 0, 1), PPS)) + "," + b64.encodeToString(slice(9));
        H264Packetizer p = new H264Packetizer(params(1200, Map.of("Sprop-Parameter-Sets", sprop,
                "profile-level-id", "4D401F")));
        assertEquals(Map.of("packetization-mode", "1", "profile-level-id", "42c01e", "sprop-parameter-sets",
                b64.encodeToString(SPS) + "," + b64.encodeToString(PPS)), p.formatParameters());

        H264Packetizer onlyProfile = new H264Packetizer(params(1200, Map.of("profile-level-id", "4D401F")));
        assertEquals(Map.of("packetization-mode", "1", "profile-level-id", "4D401F"),
                onlyProfile.formatParameters());
        assertFalse(new H264Packetizer(params(1200, Map.of("profile-level-id", "x")))
                .formatParameters().containsKey("profile-level-id"));
    }
}
