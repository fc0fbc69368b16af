package io.github.camelrtsp.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.camelrtsp.testsupport.FfProbe.DecodeResult;
import io.github.camelrtsp.testsupport.FfProbe.FfResult;

class FfProbeTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        GstRtspServer.requireAvailable();
        FfProbe.requireAvailable();
    }

    @Test
    void countsTheFramesOfARecordingFromTheServerAndSpotsCorruption() throws Exception {
        Path recording = dir.resolve("rec.h264");
        Path audio = dir.resolve("rec.aac");
        try (GstRtspServer server = GstRtspServer.builder().audio("aac").start()) {
            // -t before -i limits the input, so both outputs end after 2 s.
            FfResult rec = FfProbe.ffmpeg(Duration.ofSeconds(20), "-v", "error", "-rtsp_transport", "tcp",
                    "-t", "2", "-i", server.url(),
                    "-map", "0:v:0", "-c", "copy", "-f", "h264", recording.toString(),
                    "-map", "0:a:0", "-c", "copy", "-f", "adts", audio.toString());
            assertTrue(rec.succeeded(), rec.describe());
        }
        int frames = FfProbe.countDecodedVideoFrames(recording, "h264");
        // 2 s at 15 fps; ffmpeg's -t on a live input is approximate.
        assertTrue(frames >= 20 && frames <= 45, "frames: " + frames);
        DecodeResult aac = FfProbe.decode(audio, "aac", "a:0");
        assertTrue(aac.clean(), aac.errors());
        // 2 s of 44.1 kHz AAC is about 86 frames of 1024 samples.
        assertTrue(aac.frames() >= 60 && aac.frames() <= 120, "AAC frames: " + aac.frames());

        byte[] data = Files.readAllBytes(recording);
        for (int i = data.length / 3; i < data.length / 3 + 4000 && i < data.length; i += 7) {
            data[i] ^= 0x5a;
        }
        Path damaged = dir.resolve("damaged.h264");
        Files.write(damaged, data);
        DecodeResult result = FfProbe.decode(damaged, "h264", "v:0");
        assertFalse(result.clean(), "damaged stream decoded without complaint");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> FfProbe.countDecodedVideoFrames(damaged, "h264"));
        assertTrue(e.getMessage().contains("decodes with errors"), e.getMessage());
    }

    @Test
    void decodeOfANonMediaFileFailsWithFfprobesMessage() throws Exception {
        Path junk = dir.resolve("junk.bin");
        Files.writeString(junk, "this is not video");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> FfProbe.countDecodedVideoFrames(junk, null));
        assertTrue(e.getMessage().contains("junk.bin"), e.getMessage());
    }

    @Test
    void runKillsAProgramThatOverrunsItsTimeout() {
        long start = System.nanoTime();
        FfResult result = FfProbe.ffmpeg(Duration.ofMillis(1500), "-v", "error", "-re", "-f", "lavfi",
                "-i", "testsrc=size=64x48:rate=5", "-f", "null", "-");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(result.timedOut(), result.describe());
        assertFalse(result.succeeded());
        assertEquals(-1, result.exitCode());
        assertTrue(millis < 5000, "took " + millis + " ms");
    }

    @Test
    void runReportsAMissingProgramClearly() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> FfProbe.run(Duration.ofSeconds(5), "/nonexistent/ffprobe-camelrtsp", "-version"));
        assertTrue(e.getMessage().contains("cannot start /nonexistent/ffprobe-camelrtsp"), e.getMessage());
    }
}
