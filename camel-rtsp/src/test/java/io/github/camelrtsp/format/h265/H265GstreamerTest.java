package io.github.camelrtsp.format.h265;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.annexb.NalTestSupport;
import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.GstRtpCapture;
import io.github.camelrtsp.testsupport.GstRtpCapture.Capture;

import static io.github.camelrtsp.format.annexb.NalTestSupport.accessUnitStarts;
import static io.github.camelrtsp.format.annexb.NalTestSupport.feed;
import static io.github.camelrtsp.format.annexb.NalTestSupport.nalUnits;
import static io.github.camelrtsp.format.annexb.NalTestSupport.parameters;
import static io.github.camelrtsp.format.annexb.NalTestSupport.payloadOf;
import static io.github.camelrtsp.format.annexb.NalTestSupport.writeFrames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real RTP from GStreamer's rtph265pay (x265enc, 60 frames at 30 fps, key-int-max 30: an IDR, then a CRA with RASL
 * pictures after it): the frames written one after another decode with ffmpeg without error, one decoded picture per
 * emitted frame, from the start, joined in the middle of a GOP and after a loss.
 */
class H265GstreamerTest {

    private static final Path DIR = Path.of("target", "h26x");
    private static final int FRAMES = 60;

    private static Capture capture;
    private static List<Integer> picture;

    @BeforeAll
    static void generate() {
        FfProbe.requireAvailable();
        capture = GstRtpCapture.run(DIR.resolve("hevc.rtp"), List.of("videotestsrc", "num-buffers=" + FRAMES,
                "horizontal-speed=4", "!", "video/x-raw,width=320,height=240,framerate=30/1", "!", "x265enc",
                "key-int-max=30", "!", "rtph265pay", "pt=96", "mtu=1200"));
        picture = pictureTypes(capture.packets());
        assertEquals(FRAMES, picture.size());
    }

    private static Map<String, String> sprop() {
        Map<String, String> caps = capture.caps();
        for (String key : List.of("sprop-vps", "sprop-sps", "sprop-pps")) {
            assertNotNull(caps.get(key), "payloader caps without " + key + ": " + caps);
        }
        return Map.of("sprop-vps", caps.get("sprop-vps"), "sprop-sps", caps.get("sprop-sps"), "sprop-pps",
                caps.get("sprop-pps"));
    }

    private static H265Depacketizer depacketizer(Map<String, String> fmtp) {
        return new H265Depacketizer(parameters("H265", 1 << 20, fmtp));
    }

    private static void assertDecodesFrameForFrame(String name, List<MediaFrame> frames) {
        Path file = writeFrames(DIR.resolve(name + ".h265"), frames);
        assertEquals(frames.size(), FfProbe.countDecodedVideoFrames(file, "hevc"), "decoded pictures of " + file);
    }

    private static void assertKeyFramesCarryParameterSets(List<MediaFrame> frames) {
        for (MediaFrame f : frames) {
            List<Integer> types = nalUnits(f.data()).stream().map(n -> n[0] >> 1 & 0x3F).toList();
            int firstSlice = 0;
            while (types.get(firstSlice) >= 32) {
                firstSlice++;
            }
            boolean key = types.get(firstSlice) >= 16 && types.get(firstSlice) <= 21;
            assertFalse(types.contains(35), "access unit delimiters are dropped");
            assertEquals(key, f.keyFrame(), "keyFrame iff an IRAP picture: " + types);
            if (key) {
                List<Integer> before = types.subList(0, firstSlice);
                assertTrue(before.containsAll(List.of(32, 33, 34)), "VPS, SPS and PPS ahead of the slice: " + types);
            }
        }
    }

    @Test
    void aWholeStreamDecodesFrameForFrame() {
        H265Depacketizer d = depacketizer(sprop());
        List<MediaFrame> frames = feed(d, capture.packets(), 0, Set.of());
        assertEquals(FRAMES, frames.size());
        assertEquals(0, d.framesDropped() + d.packetsSkipped() + d.undecodableFramesSkipped());
        assertKeyFramesCarryParameterSets(frames);
        assertDecodesFrameForFrame("hevc-all", frames);
    }

    @Test
    void withParameterSetsOnlyInBandLaterKeyFramesGetTheRememberedOnes() {
        int cra = picture.indexOf(21);
        assertTrue(cra > 0, "premise: a CRA after the first frame: " + picture);
        H265Depacketizer d = depacketizer(Map.of());
        List<MediaFrame> frames = feed(d, capture.packets(), 0, Set.of());
        assertEquals(FRAMES, frames.size());
        assertKeyFramesCarryParameterSets(frames);
        assertDecodesFrameForFrame("hevc-inband", frames);
        // a CRA alone is a valid start; its RASL pictures are not part of this one-frame file
        assertDecodesFrameForFrame("hevc-cra-alone", List.of(frames.get(cra)));
    }

    @Test
    void joiningInTheMiddleOfAGopStartsAtTheCraWithoutItsSkippedLeadingPictures() {
        List<byte[]> packets = capture.packets();
        List<Integer> starts = accessUnitStarts(packets);
        int cra = picture.indexOf(21);
        int rasl = countRaslAfter(cra);
        assertTrue(rasl > 0, "premise: RASL pictures after the CRA: " + picture);
        H265Depacketizer d = depacketizer(sprop());
        List<MediaFrame> frames = feed(d, packets, starts.get(10) + 1, Set.of());

        assertEquals(FRAMES - cra - rasl, frames.size());
        assertTrue(frames.get(0).keyFrame());
        assertTrue(frames.get(0).discontinuity());
        assertEquals(cra - 11 + rasl, d.undecodableFramesSkipped());
        assertEquals(1, d.framesDropped(), "the access unit joined after its first packet");
        assertKeyFramesCarryParameterSets(frames);
        assertDecodesFrameForFrame("hevc-joined", frames);
    }

    @Test
    void aLossResumesAtTheCraHandedOverAsABlaAndDecodesCleanly() {
        List<byte[]> packets = capture.packets();
        List<Integer> starts = accessUnitStarts(packets);
        int cra = picture.indexOf(21);
        int rasl = countRaslAfter(cra);
        H265Depacketizer d = depacketizer(sprop());
        List<MediaFrame> frames = feed(d, packets, 0, Set.of(starts.get(15) + 1));

        assertEquals(1, d.framesDropped());
        assertEquals(cra - 16 + rasl, d.undecodableFramesSkipped());
        assertEquals(FRAMES - 1 - (cra - 16) - rasl, frames.size());
        MediaFrame resumed = frames.get(15);
        assertTrue(resumed.keyFrame());
        assertTrue(resumed.discontinuity());
        List<Integer> types = nalUnits(resumed.data()).stream().map(n -> n[0] >> 1 & 0x3F).toList();
        assertTrue(types.contains(16) && !types.contains(21), "the CRA became a BLA_W_LP: " + types);
        assertDecodesFrameForFrame("hevc-loss", frames);
    }

    private static int countRaslAfter(int cra) {
        int n = 0;
        for (int i = cra + 1; i < picture.size() && (picture.get(i) == 8 || picture.get(i) == 9); i++) {
            n++;
        }
        return n;
    }

    /** The NAL unit type of the first slice of each access unit, read from the packets directly. */
    private static List<Integer> pictureTypes(List<byte[]> packets) {
        List<Integer> starts = NalTestSupport.accessUnitStarts(packets);
        List<Integer> out = new ArrayList<>();
        for (int au = 0; au < starts.size(); au++) {
            int end = au + 1 < starts.size() ? starts.get(au + 1) : packets.size();
            int type = -1;
            for (int i = starts.get(au); i < end && type < 0; i++) {
                type = firstSliceType(payloadOf(packets.get(i)));
            }
            out.add(type);
        }
        return out;
    }

    private static int firstSliceType(byte[] payload) {
        int type = payload[0] >> 1 & 0x3F;
        if (type == 49) {
            int fuType = payload[2] & 0x3F;
            return (payload[2] & 0x80) != 0 && fuType < 32 ? fuType : -1;
        }
        if (type == 48) {
            for (int pos = 2; pos + 2 < payload.length; ) {
                int size = (payload[pos] & 0xFF) << 8 | payload[pos + 1] & 0xFF;
                int inner = payload[pos + 2] >> 1 & 0x3F;
                if (inner < 32) {
                    return inner;
                }
                pos += 2 + size;
            }
            return -1;
        }
        return type < 32 ? type : -1;
    }
}
