package io.github.camelrtsp.format.g711;

import static io.github.camelrtsp.format.PacketizerHarness.audio;
import static io.github.camelrtsp.format.PacketizerHarness.depacketize;
import static io.github.camelrtsp.format.PacketizerHarness.marker;
import static io.github.camelrtsp.format.PacketizerHarness.packetize;
import static io.github.camelrtsp.format.PacketizerHarness.payload;
import static io.github.camelrtsp.format.PacketizerHarness.timestamp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.PacketizerHarness;
import io.github.camelrtsp.format.PacketizerParameters;

class G711PacketizerTest {

    private static PacketizerParameters params(String codec, Integer channels, int firstSequence, int mtu) {
        return new PacketizerParameters(codec, codec.equals("PCMA") ? 8 : 0, 8000, channels, Map.of(), 0xCAFEBABEL,
                                        firstSequence, mtu);
    }

    private static byte[] ramp(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return b;
    }

    @Test
    void smallFrameIsOnePacketWithItsTimestamp() {
        PacketizerParameters p = params("PCMU", null, 100, 1400);
        G711Packetizer packetizer = new G711Packetizer(p);
        byte[] data = ramp(160);
        List<byte[]> packets = packetize(packetizer, p, List.of(audio(12345, data), audio(12505, ramp(160))));
        assertEquals(2, packets.size());
        assertArrayEquals(data, payload(packets.get(0)));
        assertEquals(12345, timestamp(packets.get(0)));
        assertEquals(12505, timestamp(packets.get(1)));
        assertTrue(marker(packets.get(0)), "first packet of the stream starts a talkspurt");
        assertFalse(marker(packets.get(1)));
        assertEquals("PCMU/8000", packetizer.rtpMap());
        assertEquals(Map.of(), packetizer.formatParameters());
    }

    @Test
    void largeStereoFrameSplitsOnSampleInstantsWithAdvancingTimestamps() {
        // 101 payload bytes fit, but a stereo instant is 2 bytes: packets carry 100 bytes = 50 instants
        PacketizerParameters p = params("PCMA", 2, 65534, 12 + 101);
        G711Packetizer packetizer = new G711Packetizer(p);
        assertEquals("PCMA/8000/2", packetizer.rtpMap());
        byte[] data = ramp(1030);
        List<byte[]> packets = packetize(packetizer, p, List.of(audio(0xFFFFFFF0L, data)));
        assertEquals(11, packets.size());
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int i = 0; i < packets.size(); i++) {
            byte[] payload = payload(packets.get(i));
            assertEquals(i < 10 ? 100 : 30, payload.length);
            assertEquals((0xFFFFFFF0L + 50L * i) & 0xFFFFFFFFL, timestamp(packets.get(i)), "timestamp wraps");
            assertEquals(i == 0, marker(packets.get(i)));
            joined.writeBytes(payload);
        }
        assertArrayEquals(data, joined.toByteArray());
        assertEquals(9, packetizer.nextSequenceNumber(), "sequence numbers wrap after 65535");
    }

    @Test
    void discontinuitySetsTheMarkerAgain() {
        PacketizerParameters p = params("PCMU", null, 0, 1400);
        G711Packetizer packetizer = new G711Packetizer(p);
        List<byte[]> packets = packetize(packetizer, p, List.of(audio(0, ramp(80)), audio(80, ramp(80)),
                new MediaFrame(8000, ramp(80), true, true, 80)));
        assertEquals(List.of(true, false, true), packets.stream().map(PacketizerHarness::marker).toList());
    }

    @Test
    void badInputIsRejectedAndNothingIsSent() {
        PacketizerParameters p = params("PCMU", 2, 0, 1400);
        G711Packetizer packetizer = new G711Packetizer(p);
        List<Object> sent = new ArrayList<>();
        assertThrows(IllegalArgumentException.class, () -> packetizer.packetize(audio(0, ramp(3)), sent::add));
        assertThrows(IllegalArgumentException.class, () -> packetizer.packetize(audio(0, new byte[0]), sent::add));
        assertThrows(IllegalArgumentException.class, () -> packetizer.packetize(audio(0, null), sent::add));
        assertTrue(sent.isEmpty());
        assertEquals(0, packetizer.nextSequenceNumber());
        assertThrows(IllegalArgumentException.class, () -> new G711Packetizer(params("L16", null, 0, 1400)));
        assertThrows(IllegalArgumentException.class, () -> new G711Packetizer(params("PCMU", 0, 0, 1400)));
        assertThrows(IllegalArgumentException.class, () -> new G711Packetizer(params("PCMU", 2, 0, 13)));
        assertThrows(IllegalArgumentException.class, () -> new G711Packetizer(params("PCMU", null, 0, 70_000)));
        assertThrows(IllegalArgumentException.class, () -> new G711Packetizer(
                new PacketizerParameters("PCMU", 128, 8000, null, Map.of(), 1, 0, 1400)));
    }

    /**
     * Real G.711 from GStreamer's encoder, in 200 ms frames (larger than the MTU), through the packetizer: our
     * depacketizer gets the frames back byte for byte, and GStreamer's depayloader and decoder turn the RFC 4571 file
     * into exactly one 16-bit sample per encoded byte.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"PCMU, mulawenc, rtppcmudepay ! mulawdec", "PCMA, alawenc, rtppcmadepay ! alawdec"})
    void gstreamerDecodesWhatWeSend(String codec, String encoder, String decoder) {
        Path dir = PacketizerHarness.workDir("g711");
        Path raw = PacketizerHarness.gstreamerMake("audiotestsrc num-buffers=10 samplesperbuffer=1600 "
                + "! audio/x-raw,rate=8000,channels=1 ! " + encoder, dir.resolve(codec + ".raw"));
        byte[] encoded = PacketizerHarness.read(raw);
        assertEquals(16000, encoded.length);
        List<MediaFrame> frames = PacketizerHarness.frames(encoded, 1600, 1, 4000);
        PacketizerParameters p = params(codec, null, 40000, 500);
        List<byte[]> packets = packetize(new G711Packetizer(p), p, frames);
        assertEquals(40, packets.size(), "each 1600-byte frame in four packets");

        G711Depacketizer d = new G711Depacketizer(new FormatParameters(codec, p.payloadType(), 8000, null, Map.of(),
                                                                       65536));
        List<MediaFrame> back = depacketize(d, packets);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        back.forEach(f -> joined.writeBytes(f.data()));
        assertArrayEquals(encoded, joined.toByteArray());
        for (int i = 0; i < back.size(); i++) {
            assertEquals(4000 + 1600L * (i / 4) + 488L * (i % 4), back.get(i).rtpTimestamp(), "packet " + i);
        }

        Path rtp = PacketizerHarness.writeRfc4571(packets, dir.resolve(codec + ".rtp"));
        Path pcm = PacketizerHarness.gstreamerDecode(rtp, "application/x-rtp-stream,media=audio,clock-rate=8000,"
                + "encoding-name=" + codec + ",payload=" + p.payloadType(), decoder, dir.resolve(codec + ".s16"));
        assertEquals(2L * encoded.length, PacketizerHarness.read(pcm).length, "decoded samples");
    }
}
