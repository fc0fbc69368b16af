package io.github.camelrtsp.format.h264;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.testsupport.Corpus;
import io.github.camelrtsp.testsupport.FfProbe;

import static io.github.camelrtsp.format.annexb.NalTestSupport.accessUnitStarts;
import static io.github.camelrtsp.format.annexb.NalTestSupport.feed;
import static io.github.camelrtsp.format.annexb.NalTestSupport.nalUnits;
import static io.github.camelrtsp.format.annexb.NalTestSupport.writeFrames;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The camera corpus: a real captured H.264 session, and the H.264 parameter sets of every camera's SDP. */
class H264CorpusTest {

    private static final int MAX_FRAME_SIZE = 1 << 20;

    @BeforeAll
    static void tools() {
        FfProbe.requireAvailable();
    }

    /** The RTP packets of the H.264 track of {@code bunny-interleaved.rtsp} (interleaved channel 2). */
    static List<byte[]> bunnyVideoPackets() throws IOException {
        byte[] bytes = Files.readAllBytes(Corpus.dir().resolve("bunny-interleaved.rtsp"));
        List<byte[]> packets = new ArrayList<>();
        int pos = 0;
        while (pos + 4 <= bytes.length) {
            assertEquals('$', bytes[pos], "interleaved frame at " + pos);
            int channel = bytes[pos + 1] & 0xFF;
            int length = (bytes[pos + 2] & 0xFF) << 8 | bytes[pos + 3] & 0xFF;
            if (channel == 2) {
                packets.add(Arrays.copyOfRange(bytes, pos + 4, pos + 4 + length));
            }
            pos += 4 + length;
        }
        return packets;
    }

    @Test
    void aRealCapturedSessionDecodesFrameForFrame() throws IOException {
        FormatParameters parameters = Corpus.track("bunny_describe.txt", "H264", MAX_FRAME_SIZE);
        List<byte[]> packets = bunnyVideoPackets();
        H264Depacketizer d = new H264Depacketizer(parameters);
        List<MediaFrame> frames = feed(d, packets, 0, Set.of());

        assertEquals(accessUnitStarts(packets).size(), frames.size());
        assertEquals(0, d.framesDropped() + d.packetsSkipped() + d.undecodableFramesSkipped());
        long keys = frames.stream().filter(MediaFrame::keyFrame).count();
        assertEquals(6, keys, "two key frames in STAP-A, four in FU-A");
        Path file = writeFrames(Path.of("target", "h26x", "bunny.h264"), frames);
        assertEquals(frames.size(), FfProbe.countDecodedVideoFrames(file, "h264"));
    }

    @Test
    void aRealCapturedSessionJoinedLateAndWithALossStillDecodesCleanly() throws IOException {
        FormatParameters parameters = Corpus.track("bunny_describe.txt", "H264", MAX_FRAME_SIZE);
        List<byte[]> packets = bunnyVideoPackets();
        // join at packet 20, and lose the second fragment of the key frame carried by packets 97..102
        H264Depacketizer d = new H264Depacketizer(parameters);
        List<MediaFrame> frames = feed(d, packets, 20, Set.of(99));

        assertEquals(1, d.framesDropped());
        assertTrue(d.undecodableFramesSkipped() > 0);
        assertTrue(frames.get(0).keyFrame() && frames.get(0).discontinuity());
        Path file = writeFrames(Path.of("target", "h26x", "bunny-joined-lossy.h264"), frames);
        assertEquals(frames.size(), FfProbe.countDecodedVideoFrames(file, "h264"));
    }

    static List<String> h264Sdps() {
        List<String> files = Corpus.filesWith("H264");
        assertTrue(files.size() >= 15, "H.264 SDPs in the corpus: " + files);
        return files;
    }

    @ParameterizedTest
    @MethodSource("h264Sdps")
    void everyCameraSdpGivesAnSpsAndAPps(String file) {
        H264Depacketizer d = new H264Depacketizer(Corpus.track(file, "H264", MAX_FRAME_SIZE));
        byte[] config = d.codecConfig();
        assertNotNull(config, file);
        List<byte[]> sets = nalUnits(config);
        assertEquals(2, sets.size(), file);
        assertEquals(7, sets.get(0)[0] & 0x1F, file);
        assertEquals(8, sets.get(1)[0] & 0x1F, file);
        for (byte[] set : sets) {
            assertTrue(set[set.length - 1] != 0, file + ": no trailing zero byte");
        }
    }

    @Test
    void parameterSetsWithATrailingStartCodeAreCut() {
        // gw_main: sprop-parameter-sets=Z00AKpWoHgCJ+WbgICAgQAAAAAE=,aO48gAAAAAE= (each ends in 00 00 00 01)
        H264Depacketizer d = new H264Depacketizer(Corpus.track("gw_main_describe.txt", "H264", 10000));
        List<byte[]> sets = nalUnits(d.codecConfig());
        assertArrayEquals(new byte[] {0x68, (byte) 0xEE, 0x3C, (byte) 0x80}, sets.get(1));
        assertEquals(16, sets.get(0).length);
    }

    @Test
    void parameterSetsWithATrailingZeroByteAreCut() {
        // dahua: the PPS aO4xshsA decodes to 68 ee 31 b2 1b 00
        H264Depacketizer d = new H264Depacketizer(
                Corpus.track("dahua_describe_h264_aac_onvif.txt", "H264", 10000));
        assertArrayEquals(new byte[] {0x68, (byte) 0xEE, 0x31, (byte) 0xB2, 0x1B}, nalUnits(d.codecConfig()).get(1));
    }

    @Test
    void parameterSetsWithALowNalRefIdcAreRecognized() {
        // ipcam: SPS and PPS headers 0x27 and 0x28 (nal_ref_idc 1 instead of 3)
        H264Depacketizer d = new H264Depacketizer(Corpus.track("ipcam_describe.txt", "H264", 10000));
        List<byte[]> sets = nalUnits(d.codecConfig());
        assertEquals(0x27, sets.get(0)[0]);
        assertEquals(0x28, sets.get(1)[0]);
    }

    @Test
    void spacesInsideTheFmtpDoNotHideTheParameterSets() {
        // missing_content_type: "packetization-mode=1; sprop-parameter-sets=...; profile-level-id=64000D"
        H264Depacketizer d = new H264Depacketizer(
                Corpus.track("missing_content_type_describe.txt", "H264", 10000));
        assertFalse(nalUnits(d.codecConfig()).isEmpty());
        assertEquals(7, nalUnits(d.codecConfig()).get(0)[0] & 0x1F);
    }
}
