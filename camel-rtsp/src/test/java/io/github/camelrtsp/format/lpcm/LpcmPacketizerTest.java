package io.github.camelrtsp.format.lpcm;

import static io.github.camelrtsp.format.PacketizerHarness.depacketize;
import static io.github.camelrtsp.format.PacketizerHarness.packetize;
import static io.github.camelrtsp.format.PacketizerHarness.payload;
import static io.github.camelrtsp.format.PacketizerHarness.timestamp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.PacketizerHarness;
import io.github.camelrtsp.format.PacketizerParameters;

class LpcmPacketizerTest {

    private static PacketizerParameters params(String codec, int rate, Integer channels, int mtu) {
        return new PacketizerParameters(codec, 97, rate, channels, Map.of(), 0xFFFFFFFFL, 1, mtu);
    }

    @Test
    void splitsNeverInsideASampleInstant() {
        // L16 with 3 channels: 6 bytes per instant; 100 bytes of room carry 16 instants (96 bytes)
        PacketizerParameters p = params("L16", 48000, 3, 12 + 100);
        LpcmPacketizer packetizer = new LpcmPacketizer(p);
        assertEquals(6, packetizer.bytesPerUnit());
        assertEquals("L16/48000/3", packetizer.rtpMap());
        byte[] data = new byte[6 * 40];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        List<byte[]> packets = packetize(packetizer, p, List.of(PacketizerHarness.audio(500, data)));
        assertEquals(List.of(96, 96, 48), packets.stream().map(x -> x.length - 12).toList());
        assertEquals(List.of(500L, 516L, 532L), packets.stream().map(x -> timestamp(x)).toList());
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 96, 192), payload(packets.get(1)));
        assertThrows(IllegalArgumentException.class,
                () -> packetizer.packetize(PacketizerHarness.audio(0, new byte[10]), b -> b.release()));
        assertThrows(IllegalArgumentException.class, () -> new LpcmPacketizer(params("L24", 48000, 1, 1400)));
        assertThrows(IllegalArgumentException.class, () -> new LpcmPacketizer(params("L16", 48000, 8, 12 + 15)));
        assertEquals("L8/8000", new LpcmPacketizer(params("L8", 8000, null, 100)).rtpMap());
    }

    /**
     * Real PCM from GStreamer in 100 ms frames (larger than the MTU): our depacketizer gets every byte back with the
     * right timestamps, and GStreamer's depayloader returns exactly the bytes that were encoded.
     */
    @ParameterizedTest(name = "{0} {1} Hz {2} ch")
    @CsvSource({"L16, 44100, 2, S16BE, 4, rtpL16depay", "L8, 8000, 1, U8, 1, rtpL8depay"})
    void gstreamerGetsTheSamplesBack(String codec, int rate, int channels, String format, int bytesPerInstant,
                                     String depayloader) {
        Path dir = PacketizerHarness.workDir("lpcm");
        String caps = "audio/x-raw,format=" + format + ",rate=" + rate + ",channels=" + channels
                      + (channels == 2 ? ",layout=interleaved,channel-mask=(bitmask)0x3" : ",layout=interleaved");
        Path raw = PacketizerHarness.gstreamerMake("audiotestsrc num-buffers=5 samplesperbuffer=" + rate / 10
                + " ! " + caps, dir.resolve(codec + ".raw"));
        byte[] pcm = PacketizerHarness.read(raw);
        assertEquals(5 * rate / 10 * bytesPerInstant, pcm.length);
        List<MediaFrame> frames = PacketizerHarness.frames(pcm, rate / 10 * bytesPerInstant, bytesPerInstant, 7);
        PacketizerParameters p = params(codec, rate, channels, 1400);
        List<byte[]> packets = packetize(new LpcmPacketizer(p), p, frames);

        LpcmDepacketizer d = new LpcmDepacketizer(new FormatParameters(codec, 97, rate, channels, Map.of(), 65536));
        List<MediaFrame> back = depacketize(d, packets);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        long expectedTimestamp = 7;
        for (MediaFrame f : back) {
            assertEquals(expectedTimestamp, f.rtpTimestamp());
            expectedTimestamp += f.sampleCount();
            joined.writeBytes(f.data());
        }
        assertArrayEquals(pcm, joined.toByteArray());

        Path rtp = PacketizerHarness.writeRfc4571(packets, dir.resolve(codec + ".rtp"));
        Path out = PacketizerHarness.gstreamerDecode(rtp, "application/x-rtp-stream,media=audio,clock-rate=" + rate
                + ",encoding-name=" + codec + ",channels=" + channels + ",payload=97", depayloader,
                dir.resolve(codec + ".out"));
        assertArrayEquals(pcm, PacketizerHarness.read(out), "GStreamer depayloads the same samples");
    }
}
