package io.github.camelrtsp.format.g722;

import static io.github.camelrtsp.format.PacketizerHarness.assertSameFrames;
import static io.github.camelrtsp.format.PacketizerHarness.depacketize;
import static io.github.camelrtsp.format.PacketizerHarness.packetize;
import static io.github.camelrtsp.format.PacketizerHarness.timestamp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.PacketizerHarness;
import io.github.camelrtsp.format.PacketizerParameters;

class G722PacketizerTest {

    private static PacketizerParameters params(int clockRate, Integer channels, int mtu) {
        return new PacketizerParameters("G722", 9, clockRate, channels, Map.of(), 77L, 5, mtu);
    }

    @Test
    void clockRateMustBe8000AndChannelsSplitTogether() {
        assertThrows(IllegalArgumentException.class, () -> new G722Packetizer(params(16000, null, 1400)));
        assertThrows(IllegalArgumentException.class,
                () -> new G722Packetizer(new PacketizerParameters("PCMU", 9, 8000, null, Map.of(), 1, 0, 1400)));
        PacketizerParameters p = params(8000, 2, 12 + 63);
        G722Packetizer packetizer = new G722Packetizer(p);
        assertEquals("G722/8000/2", packetizer.rtpMap());
        List<byte[]> packets = packetize(packetizer, p, List.of(PacketizerHarness.audio(1000, new byte[200])));
        assertEquals(List.of(62, 62, 62, 14), packets.stream().map(x -> x.length - 12).toList());
        assertEquals(List.of(1000L, 1031L, 1062L, 1093L), packets.stream().map(x -> timestamp(x)).toList());
        assertThrows(IllegalArgumentException.class,
                () -> packetizer.packetize(PacketizerHarness.audio(0, new byte[3]), b -> b.release()));
    }

    /**
     * Real G.722 from libav's encoder in 100 ms frames: the frames come back through our depacketizer unchanged, and
     * GStreamer decodes the RFC 4571 file into two 16 kHz samples per byte.
     */
    @Test
    void gstreamerDecodesWhatWeSend() {
        Path dir = PacketizerHarness.workDir("g722");
        Path raw = PacketizerHarness.gstreamerMake("audiotestsrc num-buffers=10 samplesperbuffer=1600 "
                + "! audio/x-raw,rate=16000,channels=1 ! avenc_g722", dir.resolve("g722.raw"));
        byte[] encoded = PacketizerHarness.read(raw);
        assertEquals(8000, encoded.length);
        List<MediaFrame> frames = PacketizerHarness.frames(encoded, 800, 1, 0);
        PacketizerParameters p = params(8000, null, 400);
        List<byte[]> packets = packetize(new G722Packetizer(p), p, frames);
        assertEquals(30, packets.size());

        G722Depacketizer d = new G722Depacketizer(new FormatParameters("G722", 9, 8000, null, Map.of(), 65536));
        List<MediaFrame> back = depacketize(d, packets);
        // split frames come back as one frame per packet: join them per original frame to compare
        List<MediaFrame> joined = PacketizerHarness.frames(concat(back), 800, 1, 0);
        assertSameFrames(frames, joined);

        Path rtp = PacketizerHarness.writeRfc4571(packets, dir.resolve("g722.rtp"));
        Path pcm = PacketizerHarness.gstreamerDecode(rtp, "application/x-rtp-stream,media=audio,clock-rate=8000,"
                + "encoding-name=G722,payload=9", "rtpg722depay ! avdec_g722", dir.resolve("g722.s16"));
        assertEquals(2L * 2 * encoded.length, PacketizerHarness.read(pcm).length, "two 16-bit samples per byte");
    }

    private static byte[] concat(List<MediaFrame> frames) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        frames.forEach(f -> out.writeBytes(f.data()));
        return out.toByteArray();
    }
}
