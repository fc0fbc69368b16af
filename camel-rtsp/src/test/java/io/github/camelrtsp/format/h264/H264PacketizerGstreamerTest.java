package io.github.camelrtsp.format.h264;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.PacketizerParameters;
import io.github.camelrtsp.testsupport.GstRtpCapture;
import io.github.camelrtsp.testsupport.GstRtpCapture.Capture;
import io.github.camelrtsp.format.annexb.PacketizerTestSupport.Packets;
import io.github.camelrtsp.testsupport.FfProbe;

import static io.github.camelrtsp.format.annexb.NalTestSupport.annexB;
import static io.github.camelrtsp.format.annexb.NalTestSupport.feed;
import static io.github.camelrtsp.format.annexb.NalTestSupport.parameters;
import static io.github.camelrtsp.format.annexb.NalTestSupport.payloadOf;
import static io.github.camelrtsp.format.annexb.PacketizerTestSupport.assertRtpHeaders;
import static io.github.camelrtsp.format.annexb.PacketizerTestSupport.gstDepayload;
import static io.github.camelrtsp.format.annexb.PacketizerTestSupport.packetizeAll;
import static io.github.camelrtsp.format.annexb.PacketizerTestSupport.writeRfc4571;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real x264 access units (GStreamer's rtph264pay depacketized by our {@link H264Depacketizer}) packetized by
 * {@link H264Packetizer} and handed to a real peer: GStreamer's rtph264depay reads the RFC 4571 framed packets and
 * its Annex B output decodes with ffmpeg without error, one picture per frame packetized; our depacketizer gives back
 * every frame byte for byte.
 */
class H264PacketizerGstreamerTest {

    private static final Path DIR = Path.of("target", "h26x-pk");
    private static final int FRAMES = 45;

    private static Capture baseline;
    private static Capture high;

    @BeforeAll
    static void generate() {
        FfProbe.requireAvailable();
        baseline = capture("baseline", "x264enc", "key-int-max=20", "tune=zerolatency", "!",
                "video/x-h264,profile=baseline", "!", "rtph264pay", "pt=96", "mtu=1200", "config-interval=-1");
        high = capture("high", "x264enc", "key-int-max=20", "bframes=2", "b-adapt=false", "!",
                "video/x-h264,profile=high", "!", "rtph264pay", "pt=96", "mtu=1400", "config-interval=0");
    }

    private static Capture capture(String name, String... encoderAndPayloader) {
        List<String> elements = new java.util.ArrayList<>(List.of("videotestsrc", "num-buffers=" + FRAMES,
                "horizontal-speed=4", "!", "video/x-raw,width=320,height=240,framerate=30/1", "!"));
        elements.addAll(List.of(encoderAndPayloader));
        return GstRtpCapture.run(DIR.resolve(name + "-source.rtp"), elements);
    }

    private static List<MediaFrame> framesOf(Capture capture) {
        Map<String, String> fmtp = Map.of("sprop-parameter-sets", capture.caps().get("sprop-parameter-sets"));
        List<MediaFrame> frames = feed(new H264Depacketizer(parameters("H264", 1 << 20, fmtp)), capture.packets(), 0,
                Set.of());
        assertEquals(FRAMES, frames.size(), "premise: every source frame depacketized");
        return frames;
    }

    private static void sendToGstreamer(String name, Capture capture, int mtu) throws IOException {
        List<MediaFrame> frames = framesOf(capture);
        H264Packetizer packetizer = new H264Packetizer(new PacketizerParameters("H264", 96, 90000, null, Map.of(),
                0x1234_5678L, 60000, mtu));
        Packets packets = packetizeAll(packetizer, frames, mtu);
        assertRtpHeaders(packets, frames, 96, 0x1234_5678L, 60000);
        assertTrue(packets.all.stream().anyMatch(p -> (payloadOf(p)[0] & 0x1F) == 28), "premise: FU-A in use");
        assertTrue(packets.all.stream().anyMatch(p -> (payloadOf(p)[0] & 0x1F) == 24), "premise: STAP-A in use");

        Map<String, String> fmtp = packetizer.formatParameters();
        assertEquals(capture.caps().get("sprop-parameter-sets"), fmtp.get("sprop-parameter-sets"));
        assertEquals(capture.caps().get("profile-level-id").toLowerCase(java.util.Locale.ROOT),
                fmtp.get("profile-level-id"));

        // our own depacketizer gives back every frame byte for byte
        List<MediaFrame> back = feed(new H264Depacketizer(parameters("H264", 1 << 20, Map.of())), packets.all, 0,
                Set.of());
        assertEquals(frames.size(), back.size());
        for (int i = 0; i < frames.size(); i++) {
            assertArrayEquals(frames.get(i).data(), back.get(i).data(), "frame " + i);
        }

        // GStreamer depayloads them; ffmpeg decodes the result without error, picture for picture
        Path rtp = writeRfc4571(DIR.resolve(name + ".rtp"), packets.all);
        Path depayloaded = gstDepayload(rtp, "H264", fmtp, DIR.resolve(name + ".h264"));
        assertEquals(frames.size(), FfProbe.countDecodedVideoFrames(depayloaded, "h264"),
                "decoded pictures of " + depayloaded);
        // byte for byte what was sent, behind the parameter sets of the caps that rtph264depay puts first
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (String set : fmtp.get("sprop-parameter-sets").split(",")) {
            expected.writeBytes(annexB(Base64.getDecoder().decode(set)));
        }
        frames.forEach(f -> expected.writeBytes(f.data()));
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(depayloaded), "GStreamer depayloads what was sent");
    }

    @Test
    void baselineWithSeveralSlicesPerFrameDecodesAfterGstreamerDepayloadsIt() throws IOException {
        sendToGstreamer("baseline-1200", baseline, 1200);
    }

    @Test
    void baselineAtASmallMtuDecodesAfterGstreamerDepayloadsIt() throws IOException {
        sendToGstreamer("baseline-300", baseline, 300);
    }

    @Test
    void highProfileWithBFramesDecodesAfterGstreamerDepayloadsIt() throws IOException {
        sendToGstreamer("high-1400", high, 1400);
    }

    @Test
    void highProfileAtASmallMtuDecodesAfterGstreamerDepayloadsIt() throws IOException {
        sendToGstreamer("high-200", high, 200);
    }
}
