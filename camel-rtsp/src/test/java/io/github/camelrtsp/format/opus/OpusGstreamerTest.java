package io.github.camelrtsp.format.opus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.audiotest.Decoded;
import io.github.camelrtsp.testsupport.GstRtpCapture;
import io.github.camelrtsp.format.audiotest.OggOpusWriter;
import io.github.camelrtsp.format.audiotest.Packets;
import io.github.camelrtsp.testsupport.FfProbe;

/**
 * Real Opus RTP from GStreamer ({@code opusenc ! rtpopuspay}): the frames, put into an Ogg Opus file with the
 * depacketizer's OpusHead, decode with ffmpeg without errors, frame for frame and sample for sample.
 */
class OpusGstreamerTest {

    @BeforeAll
    static void tools() {
        FfProbe.requireAvailable();
    }

    @ParameterizedTest(name = "{0} ch, {1} ms frames")
    @CsvSource({"2, 20, 100", "1, 60, 25", "2, 2.5, 200", "1, 10, 100"})
    void gstreamerOpusDecodesSampleForSample(int channels, String frameMs, int buffers) {
        int samplesPerBuffer = (int) Math.round(Double.parseDouble(frameMs) * 48);
        String name = "opus-" + channels + "ch-" + frameMs.replace('.', '_') + "ms";
        List<byte[]> packets = GstRtpCapture.run(GstRtpCapture.workDir("format-audio").resolve(name + ".rtp"),
                "audiotestsrc num-buffers=" + buffers + " samplesperbuffer="
                + samplesPerBuffer + " wave=ticks ! audio/x-raw,rate=48000,channels=" + channels
                + " ! opusenc frame-size=" + frameMs + " ! rtpopuspay pt=96").packets();
        assertTrue(packets.size() >= buffers - 2, packets.size() + " packets");

        OpusDepacketizer d = new OpusDepacketizer(new FormatParameters("OPUS", 96, 48000, 2,
                Map.of("sprop-stereo", channels == 2 ? "1" : "0"), 64 * 1024));
        List<MediaFrame> frames = Packets.feedAll(d, packets);

        assertEquals(packets.size(), frames.size(), "one frame per packet");
        assertEquals(0, d.packetsSkipped());
        assertEquals(0, d.framesDropped());
        for (int i = 0; i < frames.size(); i++) {
            assertEquals(samplesPerBuffer, frames.get(i).sampleCount(), "frame " + i);
        }
        // opusenc takes its encoder delay (pre-skip, 6.5 ms) off the first timestamps, so the first steps are short;
        // from the first full step on, each step equals the previous frame's duration
        int firstFull = 1;
        while (firstFull < frames.size() && step(frames, firstFull) != frames.get(firstFull - 1).sampleCount()) {
            firstFull++;
        }
        assertTrue(firstFull <= 4, "timestamps do not follow the frame durations");
        for (int i = firstFull; i < frames.size(); i++) {
            assertEquals(frames.get(i - 1).sampleCount(), step(frames, i), "timestamp step before frame " + i);
        }

        Path ogg = OggOpusWriter.write(GstRtpCapture.workDir("format-audio").resolve(name + ".opus"), d.codecConfig(),
                                       frames);
        FfProbe.DecodeResult probe = FfProbe.decode(ogg, "ogg", "a:0");
        assertTrue(probe.clean(), probe.errors());
        assertEquals(frames.size(), probe.frames(), "decoded frames");
        Decoded.Result decoded = Decoded.decode(ogg, channels);
        assertTrue(decoded.errors().isBlank(), decoded.errors());
        assertEquals(Decoded.sampleSum(frames), decoded.samples(), "decoded samples per channel");
    }

    private static long step(List<MediaFrame> frames, int i) {
        return (frames.get(i).rtpTimestamp() - frames.get(i - 1).rtpTimestamp()) & 0xFFFF_FFFFL;
    }
}
