package io.github.camelrtsp.format.h265;

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
 * Real x265 access units (GStreamer's rtph265pay depacketized by our {@link H265Depacketizer}: an IDR, then a CRA
 * with leading pictures) packetized by {@link H265Packetizer} and handed to a real peer: GStreamer's rtph265depay
 * reads the RFC 4571 framed packets and its output decodes with ffmpeg without error, one picture per frame
 * packetized, byte for byte what was sent; our depacketizer gives back every frame byte for byte.
 */
class H265PacketizerGstreamerTest {

    private static final Path DIR = Path.of("target", "h26x-pk");
    private static final int FRAMES = 45;
    private static final List<String> SPROP = List.of("sprop-vps", "sprop-sps", "sprop-pps");

    private static Capture capture;

    @BeforeAll
    static void generate() {
        FfProbe.requireAvailable();
        capture = GstRtpCapture.run(DIR.resolve("hevc-source.rtp"), List.of("videotestsrc",
                "num-buffers=" + FRAMES, "horizontal-speed=4", "!", "video/x-raw,width=320,height=240,framerate=30/1",
                "!", "x265enc", "key-int-max=20", "!", "rtph265pay", "pt=96", "mtu=1200"));
    }

    private static void sendToGstreamer(String name, int mtu) throws IOException {
        Map<String, String> sourceFmtp = new java.util.HashMap<>();
        for (String key : SPROP) {
            sourceFmtp.put(key, capture.caps().get(key));
        }
        List<MediaFrame> frames = feed(new H265Depacketizer(parameters("H265", 1 << 20, sourceFmtp)),
                capture.packets(), 0, Set.of());
        assertEquals(FRAMES, frames.size(), "premise: every source frame depacketized");

        H265Packetizer packetizer = new H265Packetizer(new PacketizerParameters("H265", 96, 90000, null, Map.of(),
                0xABCDEF01L, 1, mtu));
        Packets packets = packetizeAll(packetizer, frames, mtu);
        assertRtpHeaders(packets, frames, 96, 0xABCDEF01L, 1);
        assertTrue(packets.all.stream().anyMatch(p -> (payloadOf(p)[0] >> 1 & 0x3F) == 49), "premise: FU in use");
        assertTrue(packets.all.stream().anyMatch(p -> (payloadOf(p)[0] >> 1 & 0x3F) == 48), "premise: AP in use");

        Map<String, String> fmtp = packetizer.formatParameters();
        for (String key : SPROP) {
            assertEquals(capture.caps().get(key), fmtp.get(key), key);
        }
        // x265enc announces profile main-444-12 (range extensions, general_profile_idc 4), main tier, level 2.1
        assertEquals("4", fmtp.get("profile-id"));
        assertEquals("0", fmtp.get("tier-flag"));
        assertEquals("63", fmtp.get("level-id"));

        List<MediaFrame> back = feed(new H265Depacketizer(parameters("H265", 1 << 20, Map.of())), packets.all, 0,
                Set.of());
        assertEquals(frames.size(), back.size());
        for (int i = 0; i < frames.size(); i++) {
            assertArrayEquals(frames.get(i).data(), back.get(i).data(), "frame " + i);
        }

        Path rtp = writeRfc4571(DIR.resolve(name + ".rtp"), packets.all);
        Path depayloaded = gstDepayload(rtp, "H265", fmtp, DIR.resolve(name + ".h265"));
        assertEquals(frames.size(), FfProbe.countDecodedVideoFrames(depayloaded, "hevc"),
                "decoded pictures of " + depayloaded);
        // byte for byte what was sent, behind the parameter sets of the caps that rtph265depay puts first
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (String key : SPROP) {
            expected.writeBytes(annexB(Base64.getDecoder().decode(fmtp.get(key))));
        }
        frames.forEach(f -> expected.writeBytes(f.data()));
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(depayloaded), "GStreamer depayloads what was sent");
    }

    @Test
    void framesDecodeAfterGstreamerDepayloadsThem() throws IOException {
        sendToGstreamer("hevc-1200", 1200);
    }

    @Test
    void framesAtASmallMtuDecodeAfterGstreamerDepayloadsThem() throws IOException {
        sendToGstreamer("hevc-250", 250);
    }
}
