package io.github.camelrtsp.format.audiotest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.github.camelrtsp.format.Depacketizer;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.testsupport.GstRtpCapture;

/**
 * The end-to-end check of a raw audio format: GStreamer encodes the same test signal once into RTP (through the
 * payloader) and once straight into a file; the depacketizer's frame bodies, concatenated, must equal that file byte
 * for byte, every frame's duration must match the RTP timestamp steps, and ffmpeg must decode the concatenation
 * without errors into as many samples as the frames announce. Test helper.
 */
public final class RawStreamCheck {

    private RawStreamCheck() {
    }

    /**
     * Runs the check.
     *
     * @param name             base name of the files written under {@code target/format-audio}
     * @param source           pipeline up to and including the encoder (no payloader)
     * @param payloader        the payloader element with its properties
     * @param depacketizer     the depacketizer to test
     * @param channels         channels of the audio
     * @param bytesPerUnit     payload bytes per unit of {@code sampleCount}, all channels together
     * @param decodedPerSample decoded samples per unit of {@code sampleCount} (2 for G.722, else 1)
     * @param ffmpegInput      ffmpeg options describing the raw stream, e.g. {@code -f mulaw -ar 8000}
     * @return the frames
     */
    public static List<MediaFrame> check(String name, String source, String payloader, Depacketizer depacketizer,
                                         int channels, int bytesPerUnit, int decodedPerSample,
                                         String... ffmpegInput) {
        Path dir = GstRtpCapture.workDir("format-audio");
        List<byte[]> packets = GstRtpCapture.run(dir.resolve(name + ".rtp"), source + " ! " + payloader).packets();
        Path reference = GstRtpCapture.runToFile(source, dir.resolve(name + ".reference"));

        List<MediaFrame> frames = Packets.feedAll(depacketizer, packets);
        assertEquals(packets.size(), frames.size(), "one frame per packet");
        assertEquals(0, depacketizer.packetsSkipped());
        assertEquals(0, depacketizer.framesDropped());
        for (int i = 0; i < frames.size(); i++) {
            MediaFrame f = frames.get(i);
            assertTrue(f.keyFrame());
            assertFalse(f.discontinuity(), "frame " + i);
            assertEquals(0, f.data().length % bytesPerUnit, "frame " + i);
            assertEquals(f.data().length / bytesPerUnit, f.sampleCount(), "frame " + i);
            if (i > 0) {
                long step = (f.rtpTimestamp() - frames.get(i - 1).rtpTimestamp()) & 0xFFFF_FFFFL;
                assertEquals(frames.get(i - 1).sampleCount(), step, "timestamp step before frame " + i);
            }
        }

        Path body = Decoded.concatenate(frames, dir.resolve(name + ".body"));
        try {
            assertArrayEquals(Files.readAllBytes(reference), Files.readAllBytes(body),
                              "bodies concatenate into the encoder's own stream");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Decoded.Result decoded = Decoded.decode(body, channels, ffmpegInput);
        assertTrue(decoded.errors().isBlank(), decoded.errors());
        assertEquals(decodedPerSample * Decoded.sampleSum(frames), decoded.samples(), "decoded samples per channel");
        assertTrue(decoded.samples() > 0);
        return frames;
    }
}
