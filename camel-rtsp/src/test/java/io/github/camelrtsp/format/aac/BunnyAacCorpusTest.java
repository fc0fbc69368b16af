package io.github.camelrtsp.format.aac;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.testsupport.Corpus;
import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.FfProbe.DecodeResult;

import static io.github.camelrtsp.format.aac.AacTestSupport.feedAll;
import static io.github.camelrtsp.format.aac.AacTestSupport.output;
import static io.github.camelrtsp.format.aac.AacTestSupport.writeAndDecode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AAC track of {@code bunny-interleaved.rtsp} (interleaved channel 0, MPEG4-GENERIC AAC-hbr, config from
 * {@code bunny_describe.txt}): every access unit comes out, and the ADTS bodies decode with ffmpeg.
 */
class BunnyAacCorpusTest {

    /** One access unit as the AU headers of the capture describe it. */
    record Unit(long timestamp, byte[] data) {
    }

    private static List<byte[]> packets;
    private static List<Unit> units;

    @BeforeAll
    static void readCapture() throws IOException {
        FfProbe.requireAvailable();
        byte[] bytes = Files.readAllBytes(Corpus.dir().resolve("bunny-interleaved.rtsp"));
        packets = new ArrayList<>();
        int pos = 0;
        while (pos + 4 <= bytes.length && bytes[pos] == '$') {
            int channel = bytes[pos + 1] & 0xFF;
            int length = ((bytes[pos + 2] & 0xFF) << 8) | (bytes[pos + 3] & 0xFF);
            if (channel == 0) {
                byte[] packet = new byte[length];
                System.arraycopy(bytes, pos + 4, packet, 0, length);
                packets.add(packet);
            }
            pos += 4 + length;
        }
        assertEquals(bytes.length, pos, "whole capture read");
        // the expected units, read straight from the 16-bit AU headers (13-bit size, 3-bit index)
        units = new ArrayList<>();
        for (byte[] p : packets) {
            long ts = ((p[4] & 0xFFL) << 24) | ((p[5] & 0xFF) << 16) | ((p[6] & 0xFF) << 8) | (p[7] & 0xFF);
            int headerBits = ((p[12] & 0xFF) << 8) | (p[13] & 0xFF);
            int count = headerBits / 16;
            int data = 14 + 2 * count;
            for (int i = 0; i < count; i++) {
                int header = ((p[14 + 2 * i] & 0xFF) << 8) | (p[15 + 2 * i] & 0xFF);
                int size = header >>> 3;
                byte[] au = new byte[size];
                System.arraycopy(p, data, au, 0, size);
                units.add(new Unit(ts + 1024L * i, au));
                data += size;
            }
            assertEquals(p.length, data, "AU sizes fill the packet");
        }
    }

    @Test
    void everyAccessUnitComesOutAsAnAdtsFrameThatFfmpegDecodes() throws IOException {
        FormatParameters params = Corpus.track("bunny_describe.txt", "MPEG4-GENERIC", 8192);
        Mpeg4GenericDepacketizer d = new Mpeg4GenericDepacketizer(params);
        List<MediaFrame> frames = feedAll(d, packets, i -> false);

        assertEquals(102, packets.size());
        assertTrue(units.size() > packets.size(), "some packets carry two access units");
        assertEquals(units.size(), frames.size());
        for (int i = 0; i < frames.size(); i++) {
            MediaFrame f = frames.get(i);
            assertEquals(units.get(i).timestamp(), f.rtpTimestamp(), "frame " + i);
            assertArrayEquals(units.get(i).data(), AacTestSupport.body(f), "frame " + i);
            assertEquals(1024, f.sampleCount());
            assertFalse(f.discontinuity());
        }
        assertEquals(0, d.framesDropped());
        assertEquals(0, d.packetsSkipped());

        DecodeResult decoded = writeAndDecode(frames, output("bunny.aac"));
        assertTrue(decoded.clean(), decoded.errors());
        assertEquals(frames.size(), decoded.frames());
    }

    @Test
    void lostPacketsLeaveADecodableStream() throws IOException {
        Mpeg4GenericDepacketizer d = new Mpeg4GenericDepacketizer(
                Corpus.track("bunny_describe.txt", "MPEG4-GENERIC", 8192));
        List<MediaFrame> frames = feedAll(d, packets, i -> i % 10 == 3);
        assertTrue(frames.size() < units.size());
        assertEquals(0, d.framesDropped(), "whole units were lost, none was cut");
        assertTrue(frames.stream().filter(MediaFrame::discontinuity).count() >= 10);
        DecodeResult decoded = writeAndDecode(frames, output("bunny-lossy.aac"));
        assertTrue(decoded.clean(), decoded.errors());
        assertEquals(frames.size(), decoded.frames());
    }
}
