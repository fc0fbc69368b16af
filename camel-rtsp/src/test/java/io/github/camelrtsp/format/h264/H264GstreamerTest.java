package io.github.camelrtsp.format.h264;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.rtp.RtpPacket;
import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.GstRtpCapture;
import io.github.camelrtsp.testsupport.GstRtpCapture.Capture;
import io.netty.buffer.Unpooled;

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
 * Real RTP from GStreamer's rtph264pay (x264enc, 60 frames at 30 fps, a key frame every 30): the frames written one
 * after another must decode with ffmpeg without any error, one decoded picture per emitted frame, also when the feed
 * starts in the middle of a GOP and when a packet is lost.
 */
class H264GstreamerTest {

    private static final Path DIR = Path.of("target", "h26x");
    private static final int FRAMES = 60;
    private static final int MAX_FRAME_SIZE = 1 << 20;

    @BeforeAll
    static void tools() {
        FfProbe.requireAvailable();
    }

    private static Capture capture(String name, String... encoderAndPayloader) {
        List<String> elements = new ArrayList<>(List.of("videotestsrc", "num-buffers=" + FRAMES,
                "horizontal-speed=4", "!", "video/x-raw,width=320,height=240,framerate=30/1", "!"));
        elements.addAll(List.of(encoderAndPayloader));
        return GstRtpCapture.run(DIR.resolve(name + ".rtp"), elements);
    }

    /** Constrained baseline, several slices per frame (zerolatency), SPS/PPS before every IDR, STAP-A. */
    private static Capture baselineInBand() {
        return capture("baseline-inband", "x264enc", "key-int-max=30", "tune=zerolatency", "!",
                "video/x-h264,profile=baseline", "!", "rtph264pay", "pt=96", "mtu=1200", "config-interval=-1",
                "aggregate-mode=zero-latency");
    }

    /** High profile with two B-frames between references, parameter sets only in the caps (config-interval=0). */
    private static Capture highWithBFrames() {
        return capture("high-bframes", "x264enc", "key-int-max=30", "bframes=2", "b-adapt=false", "!",
                "video/x-h264,profile=high", "!", "rtph264pay", "pt=96", "mtu=1200", "config-interval=0");
    }

    private static Map<String, String> spropFrom(Capture capture) {
        String sprop = capture.caps().get("sprop-parameter-sets");
        assertNotNull(sprop, "payloader caps without sprop-parameter-sets: " + capture.caps());
        return Map.of("packetization-mode", "1", "sprop-parameter-sets", sprop);
    }

    private static H264Depacketizer depacketizer(Map<String, String> fmtp) {
        return new H264Depacketizer(parameters("H264", MAX_FRAME_SIZE, fmtp));
    }

    /** Writes the frames to a file and checks that ffmpeg decodes exactly them, without any complaint. */
    private static void assertDecodesFrameForFrame(String name, List<MediaFrame> frames) {
        Path file = writeFrames(DIR.resolve(name + ".h264"), frames);
        assertEquals(frames.size(), FfProbe.countDecodedVideoFrames(file, "h264"), "decoded pictures of " + file);
    }

    private static void assertKeyFramesCarryParameterSets(List<MediaFrame> frames) {
        for (MediaFrame f : frames) {
            List<Integer> types = nalUnits(f.data()).stream().map(n -> n[0] & 0x1F).toList();
            assertFalse(types.contains(9), "access unit delimiters are dropped");
            assertEquals(f.keyFrame(), types.contains(5), "keyFrame iff the frame holds an IDR slice: " + types);
            if (f.keyFrame()) {
                List<Integer> before = types.subList(0, types.indexOf(5));
                assertTrue(before.contains(7) && before.contains(8), "SPS and PPS ahead of the IDR: " + types);
            }
        }
    }

    private static int packetNalType(byte[] packet) {
        return payloadOf(packet)[0] & 0x1F;
    }

    @Test
    void baselineWithInBandParameterSetsAndSeveralSlicesPerFrameDecodesFrameForFrame() {
        Capture capture = baselineInBand();
        assertTrue(capture.packets().stream().anyMatch(p -> packetNalType(p) == 24), "premise: STAP-A in use");
        H264Depacketizer d = depacketizer(Map.of("packetization-mode", "1")); // nothing from the SDP
        List<MediaFrame> frames = feed(d, capture.packets(), 0, Set.of());

        assertEquals(FRAMES, frames.size());
        List<Integer> keys = idrAccessUnits(capture.packets());
        assertTrue(keys.size() >= 2, "premise: more than one IDR " + keys);
        assertEquals(keys, keyFrameIndexes(frames));
        assertFalse(frames.get(0).discontinuity());
        assertEquals(0, d.framesDropped() + d.packetsSkipped() + d.undecodableFramesSkipped());
        assertKeyFramesCarryParameterSets(frames);
        assertDecodesFrameForFrame("baseline-inband", frames);
        // each key frame is a valid start on its own
        assertDecodesFrameForFrame("baseline-inband-key", List.of(frames.get(keys.get(1))));
    }

    @Test
    void parameterSetsOnlyInTheSdpArePutInFrontOfEveryKeyFrame() {
        Capture capture = highWithBFrames();
        // drop the SPS/PPS packets the encoder sent with its first frame and renumber: the SDP is the only source
        List<byte[]> packets = new ArrayList<>();
        int seq = 1000;
        for (byte[] p : capture.packets()) {
            int type = packetNalType(p);
            if (type == 7 || type == 8) {
                continue;
            }
            byte[] copy = p.clone();
            copy[2] = (byte) (seq >> 8);
            copy[3] = (byte) seq;
            seq++;
            packets.add(copy);
        }
        H264Depacketizer d = depacketizer(spropFrom(capture));
        List<MediaFrame> frames = feed(d, packets, 0, Set.of());

        assertEquals(FRAMES, frames.size());
        List<Integer> keys = idrAccessUnits(packets);
        assertTrue(keys.size() >= 2, "premise: more than one IDR " + keys);
        assertEquals(keys, keyFrameIndexes(frames));
        assertKeyFramesCarryParameterSets(frames);
        assertDecodesFrameForFrame("sdp-only", frames);
        assertDecodesFrameForFrame("sdp-only-key", List.of(frames.get(keys.get(1))));
    }

    @Test
    void highProfileWithBFramesDecodesFrameForFrame() {
        Capture capture = highWithBFrames();
        H264Depacketizer d = depacketizer(spropFrom(capture));
        List<MediaFrame> frames = feed(d, capture.packets(), 0, Set.of());

        assertEquals(FRAMES, frames.size());
        assertTrue(frames.get(2).rtpTimestamp() < frames.get(1).rtpTimestamp(), "premise: B-frames reorder");
        assertEquals(0, d.framesDropped() + d.packetsSkipped() + d.undecodableFramesSkipped());
        assertKeyFramesCarryParameterSets(frames);
        assertDecodesFrameForFrame("high-bframes", frames);
    }

    @Test
    void joiningInTheMiddleOfAGopStartsCleanlyAtTheNextKeyFrame() {
        for (Capture capture : List.of(baselineInBand(), highWithBFrames())) {
            List<byte[]> packets = capture.packets();
            List<Integer> starts = accessUnitStarts(packets);
            // join inside access unit 10, on a fragment that is not the first of its NAL unit
            int from = firstContinuationFragment(packets, starts.get(10), starts.get(11));
            int nextKey = idrAccessUnits(packets).stream().filter(i -> i > 10).findFirst().orElseThrow();
            H264Depacketizer d = depacketizer(spropFrom(capture));
            List<MediaFrame> frames = feed(d, packets, from, Set.of());

            assertEquals(FRAMES - nextKey, frames.size());
            assertTrue(frames.get(0).keyFrame());
            assertTrue(frames.get(0).discontinuity());
            assertEquals(1, d.framesDropped(), "the access unit joined in its middle");
            assertEquals(nextKey - 11, d.undecodableFramesSkipped());
            assertEquals(0, d.packetsSkipped());
            assertDecodesFrameForFrame("joined-" + frames.size() + "-" + from, frames);
        }
    }

    @Test
    void aLostPacketCostsTheFramesUpToTheNextKeyFrameAndTheRestDecodesCleanly() {
        Capture capture = highWithBFrames();
        List<byte[]> packets = capture.packets();
        List<Integer> starts = accessUnitStarts(packets);
        int lost = firstContinuationFragment(packets, starts.get(15), starts.get(16));
        int nextKey = idrAccessUnits(packets).stream().filter(i -> i > 15).findFirst().orElseThrow();
        H264Depacketizer d = depacketizer(spropFrom(capture));
        List<MediaFrame> frames = feed(d, packets, 0, Set.of(lost));

        assertEquals(1, d.framesDropped());
        assertEquals(nextKey - 16, d.undecodableFramesSkipped());
        assertEquals(FRAMES - 1 - (nextKey - 16), frames.size());
        MediaFrame resumed = frames.get(15);
        assertTrue(resumed.keyFrame());
        assertTrue(resumed.discontinuity());
        assertEquals(1, frames.stream().filter(MediaFrame::discontinuity).count());
        assertDecodesFrameForFrame("loss-high-bframes", frames);
    }

    private static List<Integer> keyFrameIndexes(List<MediaFrame> frames) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i).keyFrame()) {
                out.add(i);
            }
        }
        return out;
    }

    /** Indexes of the access units (timestamp runs) that hold an IDR slice, read from the packets directly. */
    private static List<Integer> idrAccessUnits(List<byte[]> packets) {
        List<Integer> starts = accessUnitStarts(packets);
        List<Integer> out = new ArrayList<>();
        for (int au = 0; au < starts.size(); au++) {
            int end = au + 1 < starts.size() ? starts.get(au + 1) : packets.size();
            for (int i = starts.get(au); i < end; i++) {
                if (holdsIdr(payloadOf(packets.get(i)))) {
                    out.add(au);
                    break;
                }
            }
        }
        return out;
    }

    private static boolean holdsIdr(byte[] payload) {
        int type = payload[0] & 0x1F;
        if (type == 28) {
            return (payload[1] & 0x1F) == 5;
        }
        if (type == 24) {
            for (int pos = 1; pos + 2 < payload.length; ) {
                int size = (payload[pos] & 0xFF) << 8 | payload[pos + 1] & 0xFF;
                if ((payload[pos + 2] & 0x1F) == 5) {
                    return true;
                }
                pos += 2 + size;
            }
            return false;
        }
        return type == 5;
    }

    /** The index of a packet in [from, to) carrying an FU-A fragment without the start bit. */
    private static int firstContinuationFragment(List<byte[]> packets, int from, int to) {
        RtpPacket p = new RtpPacket();
        for (int i = from; i < to; i++) {
            p.wrap(Unpooled.wrappedBuffer(packets.get(i)));
            int at = p.payloadIndex();
            if ((p.buffer().getByte(at) & 0x1F) == 28 && (p.buffer().getByte(at + 1) & 0x80) == 0) {
                return i;
            }
        }
        throw new AssertionError("premise: no continuation fragment in packets " + from + ".." + to);
    }
}
