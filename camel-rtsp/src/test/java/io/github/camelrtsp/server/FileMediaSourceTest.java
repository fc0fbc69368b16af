package io.github.camelrtsp.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.FfProbe.FfResult;

/** Splitting of Annex B and ADTS files into frames, the tracks announced and the refusal of bad files. */
class FileMediaSourceTest {

    private static final byte[] SPS = {0x67, 0x4D, 0x00, 0x1E, (byte) 0xAB};
    private static final byte[] PPS = {0x68, (byte) 0xEE, 0x3C, (byte) 0x80};

    @TempDir
    Path dir;

    private static byte[] annexB(byte[]... nals) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] nal : nals) {
            out.writeBytes(new byte[] {0, 0, 0, 1});
            out.writeBytes(nal);
        }
        return out.toByteArray();
    }

    private static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    @Test
    void h264AccessUnitsStartAtParameterSetsAudSeiAndFirstSliceOfAPicture() {
        byte[] idr = b(0x65, 0x88, 0x84, 0x21);          // first_mb_in_slice 0
        byte[] idr2 = b(0x65, 0x40, 0x11);               // first_mb_in_slice 1: same picture
        byte[] p1 = b(0x41, 0x9A, 0x02);                 // first_mb_in_slice 0
        byte[] p1b = b(0x41, 0x20, 0x05);                // first_mb_in_slice 3: same picture
        byte[] aud = b(0x09, 0xF0);
        byte[] p2 = b(0x41, 0x9A, 0x03);
        byte[] sei = b(0x06, 0x05, 0x01, 0x00, 0x80);
        byte[] p3 = b(0x41, 0x9A, 0x04);
        byte[] p4 = b(0x41, 0x9A, 0x05);
        byte[] eos = b(0x0A);                            // end of sequence: stays with the picture before
        byte[] file = annexB(SPS, PPS, idr, idr2, p1, p1b, aud, p2, sei, p3, p4, eos);

        List<byte[]> units = FileMediaSource.splitAccessUnits(file, "h264");

        assertEquals(5, units.size());
        assertArrayEquals(annexB(SPS, PPS, idr, idr2), units.get(0));
        assertArrayEquals(annexB(p1, p1b), units.get(1));
        assertArrayEquals(annexB(aud, p2), units.get(2));
        assertArrayEquals(annexB(sei, p3), units.get(3));
        assertArrayEquals(annexB(p4, eos), units.get(4));
        assertArrayEquals(new boolean[] {true, false, false, false, false}, FileMediaSource.keyFrames(file, "H264"));
    }

    @Test
    void threeByteStartCodesAndTrailingZerosAreAccepted() {
        byte[] file = {0, 0, 1, 0x67, 0x4D, 0, 0, 1, 0x68, (byte) 0xEE, 0, 0, 1, 0x65, (byte) 0x88, 0x10, 0, 0,
            0, 0, 1, 0x41, (byte) 0x9A, 0x22, 0, 0};
        List<byte[]> units = FileMediaSource.splitAccessUnits(file, "H264");
        assertEquals(2, units.size());
        assertArrayEquals(annexB(b(0x67, 0x4D), b(0x68, 0xEE), b(0x65, 0x88, 0x10)), units.get(0));
        assertArrayEquals(annexB(b(0x41, 0x9A, 0x22)), units.get(1));
    }

    @Test
    void h265AccessUnitsStartAtFirstSliceSegmentAndIrapIsKey() {
        byte[] vps = b(0x40, 0x01, 0x0C);
        byte[] sps = b(0x42, 0x01, 0x01);
        byte[] pps = b(0x44, 0x01, 0xC1);
        byte[] idr = b(0x26, 0x01, 0xAF, 0x10);          // IDR_W_RADL, first slice segment
        byte[] idrSeg = b(0x26, 0x01, 0x40, 0x10);       // dependent segment of the same picture
        byte[] trail = b(0x02, 0x01, 0xD0, 0x11);        // TRAIL_R, first slice segment
        byte[] suffixSei = b(0x50, 0x01, 0x84, 0x80);    // type 40: stays
        byte[] aud = b(0x46, 0x01, 0x50);                // type 35
        byte[] trail2 = b(0x02, 0x01, 0xD0, 0x12);
        byte[] file = annexB(vps, sps, pps, idr, idrSeg, trail, suffixSei, aud, trail2);

        List<byte[]> units = FileMediaSource.splitAccessUnits(file, "H265");

        assertEquals(3, units.size());
        assertArrayEquals(annexB(vps, sps, pps, idr, idrSeg), units.get(0));
        assertArrayEquals(annexB(trail, suffixSei), units.get(1));
        assertArrayEquals(annexB(aud, trail2), units.get(2));
        assertArrayEquals(new boolean[] {true, false, false}, FileMediaSource.keyFrames(file, "H265"));
    }

    @Test
    void malformedVideoIsRefusedWithTheReason() {
        IllegalArgumentException noStart = assertThrows(IllegalArgumentException.class,
                () -> FileMediaSource.splitAccessUnits(b(0x67, 0x4D, 0, 0, 1, 0x65, 0x88), "H264"));
        assertTrue(noStart.getMessage().contains("start code"), noStart.getMessage());
        IllegalArgumentException noSlice = assertThrows(IllegalArgumentException.class,
                () -> FileMediaSource.splitAccessUnits(annexB(SPS, PPS), "H264"));
        assertTrue(noSlice.getMessage().contains("no coded slice"), noSlice.getMessage());
        IllegalArgumentException shortSlice = assertThrows(IllegalArgumentException.class,
                () -> FileMediaSource.splitAccessUnits(annexB(SPS, PPS, b(0x65)), "H264"));
        assertTrue(shortSlice.getMessage().contains("no slice header"), shortSlice.getMessage());
        IllegalArgumentException noSps = assertThrows(IllegalArgumentException.class,
                () -> FileMediaSource.of(annexB(PPS, b(0x65, 0x88, 0x80)), null, new FileMediaSource.Options()));
        assertTrue(noSps.getMessage().contains("SPS"), noSps.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FileMediaSource.Options().videoCodec("VP8"));
        assertThrows(IllegalArgumentException.class, () -> new FileMediaSource.Options().frameRate(0));
    }

    /** An ADTS frame: AAC-LC, given frequency index and channels, {@code payload} bytes of raw data. */
    private static byte[] adts(int frequencyIndex, int channels, int payload, int blocks) {
        int length = 7 + payload;
        byte[] f = new byte[length];
        f[0] = (byte) 0xFF;
        f[1] = (byte) 0xF1;
        f[2] = (byte) (1 << 6 | frequencyIndex << 2 | channels >> 2);
        f[3] = (byte) ((channels & 3) << 6 | length >> 11);
        f[4] = (byte) (length >> 3);
        f[5] = (byte) ((length & 7) << 5 | 0x1F);
        f[6] = (byte) (0xFC | blocks);
        for (int i = 7; i < length; i++) {
            f[i] = (byte) (0x20 + i);
        }
        return f;
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void adtsFramesAreSplitByTheirLength() {
        byte[] a = adts(3, 1, 10, 0);
        byte[] c = adts(3, 1, 200, 0);
        byte[] d = adts(3, 1, 1, 0);
        List<byte[]> frames = FileMediaSource.splitAdtsFrames(cat(a, c, d));
        assertEquals(3, frames.size());
        assertArrayEquals(a, frames.get(0));
        assertArrayEquals(c, frames.get(1));
        assertArrayEquals(d, frames.get(2));
    }

    @Test
    void malformedAdtsIsRefusedWithTheOffset() {
        byte[] good = adts(3, 1, 10, 0);
        String truncated = assertThrows(IllegalArgumentException.class,
                () -> FileMediaSource.splitAdtsFrames(cat(good, java.util.Arrays.copyOf(good, 12)))).getMessage();
        assertTrue(truncated.contains("offset 17"), truncated);
        String partialHeader = assertThrows(IllegalArgumentException.class,
                () -> FileMediaSource.splitAdtsFrames(cat(good, b(0xFF, 0xF1)))).getMessage();
        assertTrue(partialHeader.contains("offset 17"), partialHeader);
        String noSync = assertThrows(IllegalArgumentException.class,
                () -> FileMediaSource.splitAdtsFrames(cat(good, b(0x49, 0x44, 0x33, 4, 0, 0, 0, 0)))).getMessage();
        assertTrue(noSync.contains("syncword") && noSync.contains("offset 17"), noSync);
        String blocks = assertThrows(IllegalArgumentException.class,
                () -> FileMediaSource.splitAdtsFrames(adts(3, 1, 10, 1))).getMessage();
        assertTrue(blocks.contains("raw data blocks"), blocks);
        String changed = assertThrows(IllegalArgumentException.class,
                () -> FileMediaSource.splitAdtsFrames(cat(good, adts(4, 1, 10, 0)))).getMessage();
        assertTrue(changed.contains("changes"), changed);
        String pce = assertThrows(IllegalArgumentException.class,
                () -> FileMediaSource.splitAdtsFrames(adts(3, 0, 10, 0))).getMessage();
        assertTrue(pce.contains("channel configuration 0"), pce);
        assertThrows(IllegalArgumentException.class, () -> FileMediaSource.splitAdtsFrames(new byte[0]));
    }

    @Test
    void tracksCarryParameterSetsAndAudioConfigFromTheFiles() {
        byte[] video = annexB(SPS, PPS, b(0x65, 0x88, 0x84), b(0x41, 0x9A, 0x01));
        byte[] audio = cat(adts(3, 1, 10, 0), adts(3, 1, 12, 0));
        FileMediaSource source = FileMediaSource.of(video, audio, new FileMediaSource.Options());
        assertEquals(2, source.videoFrameCount());
        assertEquals(1, source.keyFrameCount());
        assertEquals(2, source.audioFrameCount());
        assertEquals(48000, source.audioSampleRate());
        List<ServerTrack> tracks = source.tracks();
        assertEquals(2, tracks.size());
        ServerTrack v = tracks.get(0);
        assertEquals("H264/90000", v.rtpmap());
        assertEquals(96, v.payloadType());
        assertEquals("Z00AHqs=,aO48gA==", v.fmtp().get("sprop-parameter-sets"));
        assertEquals("4d001e", v.fmtp().get("profile-level-id").toLowerCase());
        ServerTrack a = tracks.get(1);
        assertTrue(a.rtpmap().startsWith("MPEG4-GENERIC/48000"), a.rtpmap());
        assertEquals(48000, a.clockRate());
        assertEquals("1188", a.fmtp().get("config"));
        assertEquals("AAC-hbr", a.fmtp().get("mode"));
        assertEquals(1, FileMediaSource.of(video, null, new FileMediaSource.Options()).tracks().size());
    }

    @Test
    void filesAboveTheLimitAreRefusedBeforeReading() throws IOException {
        Path big = dir.resolve("big.h264");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(FileMediaSource.MAX_FILE_BYTES + 1L);
        }
        String m = assertThrows(IllegalArgumentException.class,
                () -> FileMediaSource.open(big, null, new FileMediaSource.Options())).getMessage();
        assertTrue(m.contains(String.valueOf(FileMediaSource.MAX_FILE_BYTES)), m);
        String stream = assertThrows(IllegalArgumentException.class, () -> FileMediaSource.readBounded(
                Files.newInputStream(big), "big")).getMessage();
        assertTrue(stream.contains("larger than"), stream);
    }

    @Test
    void encoderOutputWithSeveralSlicesPerPictureSplitsIntoOneUnitPerFrame() throws IOException {
        FfProbe.requireAvailable();
        Path h264 = dir.resolve("slices.h264");
        FfResult r = FfProbe.ffmpeg(Duration.ofSeconds(30), "-v", "error", "-f", "lavfi", "-i",
                "testsrc2=size=320x240:rate=10", "-t", "1.5", "-c:v", "libx264", "-preset", "ultrafast", "-g", "5",
                "-bf", "0", "-x264-params", "slices=3:aud=1", "-f", "h264", "-y", h264.toString());
        assertTrue(r.succeeded(), r.describe());
        Path hevc = dir.resolve("slices.h265");
        FfResult r5 = FfProbe.ffmpeg(Duration.ofSeconds(30), "-v", "error", "-f", "lavfi", "-i",
                "testsrc2=size=320x240:rate=10", "-t", "1.5", "-c:v", "libx265", "-preset", "ultrafast",
                "-x265-params", "keyint=5:min-keyint=5:bframes=0:slices=2:log-level=error", "-f", "hevc", "-y",
                hevc.toString());
        assertTrue(r5.succeeded(), r5.describe());

        FileMediaSource avc = FileMediaSource.open(h264, null, new FileMediaSource.Options().frameRate(10));
        assertEquals(15, avc.videoFrameCount());
        assertEquals(3, avc.keyFrameCount());
        FileMediaSource hev = FileMediaSource.open(hevc, null, new FileMediaSource.Options().videoCodec("H265")
                .frameRate(10));
        assertEquals(15, hev.videoFrameCount());
        assertEquals(3, hev.keyFrameCount());
        assertEquals("H265/90000", hev.tracks().get(0).rtpmap());
        assertFalse(hev.tracks().get(0).fmtp().getOrDefault("sprop-sps", "").isEmpty());
    }

    @Test
    void startChecksTheStreamRunsOnceAndEndsWhenTheStreamIsRemoved() throws Exception {
        byte[] video = annexB(SPS, PPS, b(0x65, 0x88, 0x84), b(0x41, 0x9A, 0x01));
        FileMediaSource source = FileMediaSource.of(video, null, new FileMediaSource.Options().frameRate(50));
        RtspServer server = new RtspServer(new RtspServerOptions().host("127.0.0.1").port(0)).start();
        try {
            ServerStream other = server.createStream("/other", List.of(ServerTrack.video(96, "H264", null)));
            assertThrows(IllegalArgumentException.class, () -> source.start(other));
            ServerStream stream = server.createStream("/file", source.tracks());
            source.start(stream);
            assertThrows(IllegalStateException.class, () -> source.start(stream));
            RtspServerProtocolTest.awaitTrue(() -> source.videoFramesSent() >= 5, "frames are sent");
            stream.remove();
            RtspServerProtocolTest.awaitTrue(() -> !source.isRunning(), "source ends with its stream");
            long sent = source.videoFramesSent();
            Thread.sleep(100);
            assertEquals(sent, source.videoFramesSent());
            assertEquals(0, source.failedFrames());
            assertEquals(0, source.lateResets());
        } finally {
            source.stop();
            server.stop();
        }
        assertFalse(source.isRunning());
    }
}
