package io.github.camelrtsp.format.opus;

import static io.github.camelrtsp.format.PacketizerHarness.assertSameFrames;
import static io.github.camelrtsp.format.PacketizerHarness.depacketize;
import static io.github.camelrtsp.format.PacketizerHarness.marker;
import static io.github.camelrtsp.format.PacketizerHarness.packetize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.PacketizerHarness;
import io.github.camelrtsp.format.PacketizerParameters;
import io.github.camelrtsp.format.audiotest.Decoded;
import io.github.camelrtsp.testsupport.GstRtpCapture;
import io.github.camelrtsp.format.audiotest.Packets;

class OpusPacketizerTest {

    private static PacketizerParameters params(int clockRate, Integer channels, Map<String, String> fmtp, int mtu) {
        return new PacketizerParameters("OPUS", 111, clockRate, channels, fmtp, 0x42L, 300, mtu);
    }

    private static MediaFrame frame(long ts, int... bytes) {
        return new MediaFrame(ts, Packets.bytes(bytes), true, false, 0);
    }

    @Test
    void onePacketPerFrameAndTheSdpValues() {
        PacketizerParameters p = params(48000, 2, Map.of("useinbandfec", "1"), 1400);
        OpusPacketizer packetizer = new OpusPacketizer(p);
        assertEquals("opus/48000/2", packetizer.rtpMap());
        assertEquals(Map.of("useinbandfec", "1", "sprop-stereo", "1"), packetizer.formatParameters());
        assertEquals("0", new OpusPacketizer(params(48000, null, Map.of(), 1400)).formatParameters()
                .get("sprop-stereo"));
        // TOC 0xFC: CELT-only 20 ms, code 0; then code 1 (two equal frames)
        List<byte[]> packets = packetize(packetizer, p, List.of(frame(960, 0xFC, 1, 2, 3), frame(1920, 0xFD, 1, 2),
                new MediaFrame(9600, Packets.bytes(0xFC, 9), true, true, 960)));
        assertEquals(3, packets.size());
        assertEquals(List.of(true, false, true), packets.stream().map(PacketizerHarness::marker).toList());
        assertEquals(960, PacketizerHarness.timestamp(packets.get(0)));
        assertEquals(List.of(4, 3, 2), packets.stream().map(x -> x.length - 12).toList());
    }

    @Test
    void malformedOrOversizedOpusPacketsAreRejected() {
        PacketizerParameters p = params(48000, 1, Map.of(), 12 + 100);
        OpusPacketizer packetizer = new OpusPacketizer(p);
        List<Object> sent = new ArrayList<>();
        // code 1 with an odd number of frame bytes breaks RFC 6716 3.4 R3
        assertThrows(IllegalArgumentException.class, () -> packetizer.packetize(frame(0, 0xFD, 1, 2, 3), sent::add));
        assertThrows(IllegalArgumentException.class, () -> packetizer.packetize(frame(0), sent::add));
        byte[] big = new byte[101];
        big[0] = (byte) 0xFC;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> packetizer.packetize(new MediaFrame(0, big, true, false, 960), sent::add));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        assertTrue(sent.isEmpty());
        assertEquals(300, packetizer.nextSequenceNumber());
        assertThrows(IllegalArgumentException.class, () -> new OpusPacketizer(params(8000, 1, Map.of(), 1400)));
        assertThrows(IllegalArgumentException.class, () -> new OpusPacketizer(params(48000, 3, Map.of(), 1400)));
    }

    /**
     * Real Opus packets from GStreamer's encoder (taken from its RTP through our depacketizer) are sent again by the
     * packetizer: our depacketizer gets the same frames and timestamps back, and GStreamer's depayloader and decoder
     * turn the RFC 4571 file into exactly the samples the frames announce.
     */
    @ParameterizedTest(name = "{0} ch, {1} ms")
    @CsvSource({"2, 20", "1, 60"})
    void gstreamerDecodesWhatWeSend(int channels, String frameMs) {
        Path dir = PacketizerHarness.workDir("opus");
        String name = "opus-" + channels + "ch-" + frameMs + "ms";
        List<byte[]> source = GstRtpCapture.run(dir.resolve(name + "-source.rtp"), "audiotestsrc num-buffers=25"
                + " samplesperbuffer=" + Integer.parseInt(frameMs) * 48 + " ! audio/x-raw,rate=48000,channels="
                + channels + " ! opusenc frame-size=" + frameMs + " ! rtpopuspay pt=96").packets();
        FormatParameters fp = new FormatParameters("OPUS", 111, 48000, 2,
                Map.of("sprop-stereo", channels == 2 ? "1" : "0"), 65536);
        List<MediaFrame> frames = Packets.feedAll(new OpusDepacketizer(fp), source);
        assertTrue(frames.size() >= 20, frames.size() + " frames");

        PacketizerParameters p = params(48000, channels, Map.of(), 1400);
        OpusPacketizer packetizer = new OpusPacketizer(p);
        List<byte[]> packets = packetize(packetizer, p, frames);
        assertEquals(frames.size(), packets.size());
        assertTrue(marker(packets.get(0)));
        List<MediaFrame> back = depacketize(new OpusDepacketizer(fp), packets);
        assertSameFrames(frames, back);

        Path rtp = PacketizerHarness.writeRfc4571(packets, dir.resolve(name + ".rtp"));
        Path pcm = PacketizerHarness.gstreamerDecode(rtp, "application/x-rtp-stream,media=audio,clock-rate=48000,"
                + "encoding-name=OPUS,payload=111,sprop-stereo=(string)"
                + packetizer.formatParameters().get("sprop-stereo"), "rtpopusdepay ! opusdec ! audio/x-raw,format=S16LE",
                dir.resolve(name + ".s16"));
        assertEquals(Decoded.sampleSum(frames) * channels * 2, PacketizerHarness.read(pcm).length,
                     "decoded samples");
    }
}
