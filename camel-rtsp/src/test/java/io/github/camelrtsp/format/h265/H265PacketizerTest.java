package io.github.camelrtsp.format.h265;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-built access units through the H.265 packetizer: packet structures (single NAL unit, AP, FU) and their headers,
 * every MTU edge, byte-exact round trips through {@link H265Depacketizer}, format parameters (sprop and the profile,
 * tier and level read from the SPS), and the frames and parameters it rejects.
 */
class H265PacketizerTest {

    private static final int PT = 97;
    private static final long SSRC = 0x12345678L;
    private static final int FIRST_SEQ = 100;

    private static final byte[] VPS = nal(bytes(0x40, 0x01, 0x0C, 0x01, 0xFF, 0xFF), 24);
    /** Main profile, main tier, level 93 (3.1), with emulation prevention bytes inside profile_tier_level. */
    private static final byte[] SPS = concat(bytes(0x42, 0x01, 0x01, 0x01, 0x60, 0x00, 0x00, 0x03, 0x00, 0x90, 0x00,
            0x00, 0x03, 0x00, 0x00, 0x03, 0x00, 0x5D), nal(bytes(0xA0, 0x02, 0x80), 20));
    private static final byte[] PPS = bytes(0x44, 0x01, 0xC1, 0x72, 0xB4, 0x62, 0x40);

    private static byte[] idr(int length) {
        return nal(bytes(0x26, 0x01, 0xAF), length);
    }

    private static byte[] trail(int length) {
        return nal(bytes(0x02, 0x01, 0xD0), length);
    }

    private static PacketizerParameters params(int mtu, Map<String, String> fmtp) {
        return new PacketizerParameters("H265", PT, 90000, null, fmtp, SSRC, FIRST_SEQ, mtu);
    }

    private static H265Packetizer packetizer(int mtu) {
        return new H265Packetizer(params(mtu, Map.of()));
    }

    private static Packets roundTrip(int mtu, List<MediaFrame> frames) {
        H265Packetizer p = packetizer(mtu);
        Packets packets = packetizeAll(p, frames, mtu);
        assertRtpHeaders(packets, frames, PT, SSRC, FIRST_SEQ);
        H265Depacketizer d = new H265Depacketizer(parameters("H265", 1 << 22, Map.of()));
        List<MediaFrame> back = feed(d, packets.all, 0, Set.of());
        assertEquals(frames.size(), back.size(), "frames back at MTU " + mtu);
        for (int i = 0; i < frames.size(); i++) {
            assertArrayEquals(frames.get(i).data(), back.get(i).data(), "frame " + i + " at MTU " + mtu);
        }
        assertEquals(0, d.framesDropped() + d.packetsSkipped() + d.undecodableFramesSkipped());
        return packets;
    }

    private static int type(byte[] packet) {
        return payloadOf(packet)[0] >> 1 & 0x3F;
    }

    @Test
    void aSmallKeyFrameGoesInOneAggregationPacket() {
        Packets packets = new Packets();
        byte[] idr = idr(40);
        packets.add(packetizer(1400), frame(0, annexB(VPS, SPS, PPS, idr)));

        assertEquals(1, packets.all.size());
        byte[] expected = concat(bytes(48 << 1, 0x01, 0, VPS.length), VPS, bytes(0, SPS.length), SPS,
                bytes(0, PPS.length), PPS, bytes(0, 40), idr);
        assertArrayEquals(expected, payloadOf(packets.all.get(0)));
    }

    @Test
    void theAggregationHeaderTakesTheLowestLayerIdAndTemporalId() {
        byte[] sei = nal(bytes(39 << 1, 2 << 3 | 3, 0x11), 8); // LayerId 2, TID 3
        byte[] trail = nal(bytes(0x02, 1 << 3 | 2, 0xD0), 8); // LayerId 1, TID 2
        Packets packets = new Packets();
        packets.add(packetizer(1400), frame(0, annexB(sei, trail)));

        assertEquals(1, packets.all.size());
        byte[] payload = payloadOf(packets.all.get(0));
        int header = (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
        assertEquals(48 << 9 | 1 << 3 | 2, header);
    }

    @Test
    void aLargeSliceIsCutIntoFullFragmentationUnits() {
        int mtu = 1000;
        byte[] idr = idr(2500);
        Packets packets = new Packets();
        packets.add(packetizer(mtu), frame(0, annexB(VPS, SPS, PPS, idr)));

        int room = mtu - 12 - 3;
        assertEquals(1 + 3, packets.all.size());
        assertEquals(48, type(packets.all.get(0)));
        int[] fuHeaders = {0x80 | 19, 19, 0x40 | 19};
        int pos = 2;
        for (int i = 0; i < 3; i++) {
            byte[] payload = payloadOf(packets.all.get(i + 1));
            assertEquals(49 << 1, payload[0] & 0xFF, "payload header: F, type FU, LayerId high bit");
            assertEquals(0x01, payload[1] & 0xFF, "payload header: LayerId, TID kept");
            assertEquals(fuHeaders[i], payload[2] & 0xFF, "FU header S/E/type");
            int chunk = Math.min(room, idr.length - pos);
            assertEquals(3 + chunk, payload.length);
            assertArrayEquals(Arrays.copyOfRange(idr, pos, pos + chunk), Arrays.copyOfRange(payload, 3,
                    payload.length));
            pos += chunk;
        }
        assertEquals(idr.length, pos);
        assertEquals(mtu, packets.all.get(1).length);
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 17, 18, 40, 100, 1200, 1500})
    void everyMtuEdgeRoundTripsByteExact(int mtu) {
        int max = mtu - 12;
        int room = max - 3;
        List<Integer> lengths = new ArrayList<>(List.of(3, 4, max - 1, max, max + 1, max + 2));
        for (int k = 2; k <= 4; k++) {
            lengths.addAll(List.of(2 + k * room - 1, 2 + k * room, 2 + k * room + 1));
        }
        List<MediaFrame> frames = new ArrayList<>();
        List<Integer> expectedPackets = new ArrayList<>();
        long ts = 90000;
        frames.add(frame(ts, annexB(VPS, SPS, PPS, idr(40))));
        expectedPackets.add(-1);
        for (int length : lengths) {
            if (length < 3) {
                continue;
            }
            ts += 3000;
            frames.add(frame(ts, annexB(trail(length))));
            expectedPackets.add(length <= max ? 1 : (length - 2 + room - 1) / room);
        }
        Packets packets = roundTrip(mtu, frames);

        for (int f = 1; f < frames.size(); f++) {
            int from = packets.frameEnds.get(f - 1);
            int to = packets.frameEnds.get(f);
            assertEquals(expectedPackets.get(f), to - from, "packets for frame " + f + " at MTU " + mtu);
            int expectedType = to - from == 1 ? 1 : 49;
            for (int i = from; i < to; i++) {
                assertEquals(expectedType, type(packets.all.get(i)));
            }
        }
    }

    @Test
    void anAggregateExactlyAsLargeAsTheMtuIsOnePacketAndOneByteMoreIsNot() {
        int mtu = 300;
        int fitting = mtu - 12 - 2 - (2 + VPS.length) - (2 + SPS.length) - (2 + PPS.length) - 2;
        Packets one = roundTrip(mtu, List.of(frame(0, annexB(VPS, SPS, PPS, idr(fitting)))));
        assertEquals(1, one.all.size());
        assertEquals(mtu, one.all.get(0).length);

        Packets two = roundTrip(mtu, List.of(frame(0, annexB(VPS, SPS, PPS, idr(fitting + 1)))));
        assertEquals(2, two.all.size());
        assertEquals(48, type(two.all.get(0)));
        assertEquals(19, type(two.all.get(1)));
    }

    @Test
    void manyRandomFramesRoundTripByteExactAtSeveralMtus() {
        Random random = new Random(7798);
        for (int mtu : new int[] {16, 80, 576, 1400}) {
            List<MediaFrame> frames = new ArrayList<>();
            long ts = 0xFFFF_FFFFL - 6000;
            for (int f = 0; f < 60; f++) {
                List<byte[]> nals = new ArrayList<>();
                boolean key = f % 20 == 0;
                if (key) {
                    nals.addAll(List.of(VPS, SPS, PPS));
                }
                if (random.nextInt(3) == 0) {
                    nals.add(nal(bytes(39 << 1, 0x01, 0x05), 3 + random.nextInt(40))); // prefix SEI
                }
                int slices = 1 + random.nextInt(3);
                for (int s = 0; s < slices; s++) {
                    int length = 3 + random.nextInt(random.nextBoolean() ? 60 : 5000);
                    nals.add(key ? idr(length) : trail(length));
                }
                frames.add(frame(ts, annexB(nals.toArray(byte[][]::new))));
                ts = (ts + 3000) & 0xFFFF_FFFFL;
            }
            roundTrip(mtu, frames);
        }
    }

    @Test
    void malformedFramesAreRejectedWithoutSendingAnything() {
        H265Packetizer p = packetizer(1200);
        List<byte[]> bad = List.of(
                new byte[0],
                bytes(0, 0, 1),
                trail(20), // no start code
                annexB(trail(20), bytes(0x02)), // shorter than the header
                annexB(bytes(48 << 1, 0x01, 0x11)), // AP type inside the frame
                annexB(bytes(49 << 1, 0x01, 0x93)), // FU type
                annexB(bytes(50 << 1, 0x01, 0x11)), // PACI
                annexB(bytes(63 << 1, 0x01, 0x11)), // unspecified
                annexB(bytes(0x82, 0x01, 0x11)), // forbidden bit
                annexB(bytes(0x02, 0x00, 0x11))); // TID 0
        Packets packets = new Packets();
        for (byte[] data : bad) {
            assertThrows(IllegalArgumentException.class, () -> p.packetize(frame(0, data), packets),
                    () -> HexFormat.of().formatHex(data));
        }
        assertTrue(packets.all.isEmpty());
        assertEquals(FIRST_SEQ, p.nextSequenceNumber());
    }

    @Test
    void badParametersAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new H265Packetizer(new PacketizerParameters("H264", PT, 90000, null, Map.of(), 1, 0, 1200)));
        assertThrows(IllegalArgumentException.class, () -> packetizer(15));
        assertEquals(16, packetizer(16).mtu());
        assertEquals("H265/90000", packetizer(1200).rtpMap());
    }

    @Test
    void formatParametersComeFromTheFirstKeyFrame() {
        H265Packetizer p = packetizer(1200);
        assertEquals(Map.of(), p.formatParameters());
        p.packetize(frame(0, annexB(VPS, SPS, PPS, idr(30))), new Packets());

        Base64.Encoder b64 = Base64.getEncoder();
        assertEquals(Map.of("sprop-vps", b64.encodeToString(VPS), "sprop-sps", b64.encodeToString(SPS),
                "sprop-pps", b64.encodeToString(PPS), "tier-flag", "0", "profile-id", "1", "level-id", "93"),
                p.formatParameters());
    }

    @Test
    void formatParametersComeFromTheFmtpGivenAtCreation() {
        Base64.Encoder b64 = Base64.getEncoder();
        byte[] sps = SPS.clone();
        sps[3] = 0x62; // profile space 1, high tier, profile 2
        H265Packetizer p = new H265Packetizer(params(1200, Map.of("sprop-vps", b64.encodeToString(VPS),
                "SPROP-SPS", b64.encodeToString(sps), "sprop-pps", b64.encodeToString(PPS) + ",@@@")));
        assertEquals(Map.of("sprop-vps", b64.encodeToString(VPS), "sprop-sps", b64.encodeToString(sps),
                "sprop-pps", b64.encodeToString(PPS), "profile-space", "1", "tier-flag", "1", "profile-id", "2",
                "level-id", "93"), p.formatParameters());
    }

    @Test
    void profileTierLevelSkipsEmulationPreventionAndNeedsThirteenBytes() {
        byte[] ptl = H265Packetizer.profileTierLevel(SPS);
        assertArrayEquals(bytes(0x01, 0x01, 0x60, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 0x5D), ptl);
        assertNull(H265Packetizer.profileTierLevel(Arrays.copyOf(SPS, 17)));
    }
}
