package io.github.camelrtsp.format.aac;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.camelrtsp.format.Depacketizer;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.FfProbe.DecodeResult;
import io.github.camelrtsp.testsupport.FfProbe.FfResult;
import io.github.camelrtsp.testsupport.GstRtpCapture;
import io.github.camelrtsp.testsupport.GstRtpCapture.Capture;
import io.netty.buffer.ByteBuf;

import static io.github.camelrtsp.format.aac.AacTestSupport.feedAll;
import static io.github.camelrtsp.format.aac.AacTestSupport.output;
import static io.github.camelrtsp.format.aac.AacTestSupport.params;
import static io.github.camelrtsp.format.aac.AacTestSupport.writeAndDecode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real RTP from GStreamer's payloaders (rtpmp4gpay for RFC 3640, rtpmp4apay for MP4A-LATM) and real LATM from
 * ffmpeg, through the depacketizers: the concatenated ADTS bodies decode with ffmpeg without error, one decoded frame
 * per emitted frame.
 */
class GstAacInteropTest {

    private static final int MAX_FRAME = 64 * 1024;

    @BeforeAll
    static void tools() {
        FfProbe.requireAvailable();
        FfResult gst = FfProbe.run(GstRtpCapture.TIMEOUT, "gst-inspect-1.0", "rtpmp4gpay");
        assertTrue(gst.succeeded(), "GStreamer (gst-plugins-good) is needed: " + gst.describe());
    }

    /** Checks the frames against the capture (one per marker, same timestamps) and decodes them. */
    private static void assertDecodes(Capture capture, Depacketizer d, List<MediaFrame> frames, String file)
            throws IOException {
        assertEquals(0, d.packetsSkipped());
        assertEquals(0, d.framesDropped());
        assertEquals(capture.markers(), frames.size(), "one access unit per marked packet");
        List<Long> markedTimestamps = new ArrayList<>();
        for (byte[] p : capture.packets()) {
            if ((p[1] & 0x80) != 0) {
                markedTimestamps.add(((p[4] & 0xFFL) << 24) | ((p[5] & 0xFF) << 16) | ((p[6] & 0xFF) << 8)
                                     | (p[7] & 0xFF));
            }
        }
        assertEquals(markedTimestamps, frames.stream().map(MediaFrame::rtpTimestamp).toList());
        DecodeResult decoded = writeAndDecode(frames, output(file));
        assertTrue(decoded.clean(), decoded.errors());
        assertEquals(frames.size(), decoded.frames());
    }

    @Test
    void rfc3640FromAvencAac() throws IOException {
        Capture capture = GstRtpCapture.run(output("avenc-aac-mp4g.rtp"),
                "audiotestsrc num-buffers=60 ! audio/x-raw,rate=44100,channels=2 ! avenc_aac ! rtpmp4gpay pt=96");
        assertEquals("AAC-hbr", capture.caps().get("mode"));
        Mpeg4GenericDepacketizer d = new Mpeg4GenericDepacketizer(capture.params(MAX_FRAME));
        assertEquals(44100, d.audioSpecificConfig().samplingFrequency());
        List<MediaFrame> frames = feedAll(d, capture.packets(), i -> false);
        assertTrue(frames.size() > 40, "frames: " + frames.size());
        assertDecodes(capture, d, frames, "avenc-aac-mp4g.aac");
    }

    @Test
    void rfc3640FragmentedAccessUnitsFromVoaacenc() throws IOException {
        Capture capture = GstRtpCapture.run(output("voaacenc-mp4g-frag.rtp"),
                "audiotestsrc num-buffers=60 wave=white-noise ! audio/x-raw,rate=48000,channels=1 "
                + "! voaacenc bitrate=128000 ! rtpmp4gpay pt=96 mtu=120");
        assertTrue(capture.packets().size() > 2 * capture.markers(), "access units span several packets");
        Mpeg4GenericDepacketizer d = new Mpeg4GenericDepacketizer(capture.params(MAX_FRAME));
        List<MediaFrame> frames = feedAll(d, capture.packets(), i -> false);
        assertDecodes(capture, d, frames, "voaacenc-mp4g-frag.aac");
    }

    @Test
    void rfc3640LostFragmentsNeverYieldABrokenFrame() throws IOException {
        Capture capture = GstRtpCapture.run(output("voaacenc-mp4g-lossy.rtp"),
                "audiotestsrc num-buffers=60 wave=white-noise ! audio/x-raw,rate=48000,channels=1 "
                + "! voaacenc bitrate=128000 ! rtpmp4gpay pt=96 mtu=120");
        assertLossNeverCorruptsAFrame(capture, () -> new Mpeg4GenericDepacketizer(capture.params(MAX_FRAME)));
        Mpeg4GenericDepacketizer d = new Mpeg4GenericDepacketizer(capture.params(MAX_FRAME));
        List<MediaFrame> frames = feedAll(d, capture.packets(), i -> i % 7 == 5);
        assertTrue(d.framesDropped() > 0);
        assertTrue(frames.size() + d.framesDropped() <= capture.markers());
        assertTrue(frames.stream().anyMatch(MediaFrame::discontinuity));
        DecodeResult decoded = writeAndDecode(frames, output("voaacenc-mp4g-lossy.aac"));
        assertTrue(decoded.clean(), decoded.errors());
        assertEquals(frames.size(), decoded.frames());
    }

    /**
     * Feeds the capture again under many loss patterns (periodic, random, bursts): every frame that comes out must be
     * byte for byte the frame the lossless run gave for its timestamp, so no loss ever yields a cut or spliced frame.
     */
    private static void assertLossNeverCorruptsAFrame(Capture capture, Supplier<Depacketizer> factory) {
        List<MediaFrame> reference = feedAll(factory.get(), capture.packets(), i -> false);
        Map<Long, byte[]> byTimestamp = new HashMap<>();
        reference.forEach(f -> byTimestamp.put(f.rtpTimestamp(), f.data()));
        assertEquals(reference.size(), byTimestamp.size(), "timestamps are unique");
        Random random = new Random(20240611L);
        List<IntPredicate> patterns = new ArrayList<>();
        for (int period = 2; period <= 13; period++) {
            for (int phase = 0; phase < period; phase += 3) {
                int m = period;
                int r = phase;
                patterns.add(i -> i % m == r);
            }
        }
        for (int k = 0; k < 30; k++) {
            boolean[] lose = new boolean[capture.packets().size()];
            double p = 0.02 + 0.01 * k;
            for (int i = 0; i < lose.length; i++) {
                if (random.nextDouble() < p) {
                    int burst = 1 + random.nextInt(k % 4 + 1);
                    for (int j = i; j < Math.min(lose.length, i + burst); j++) {
                        lose[j] = true;
                    }
                }
            }
            patterns.add(i -> lose[i]);
        }
        long kept = 0;
        for (IntPredicate pattern : patterns) {
            Depacketizer d = factory.get();
            List<MediaFrame> frames = feedAll(d, capture.packets(), pattern);
            for (MediaFrame f : frames) {
                byte[] expected = byTimestamp.get(f.rtpTimestamp());
                assertTrue(expected != null && java.util.Arrays.equals(expected, f.data()),
                           "frame at " + f.rtpTimestamp() + " differs from the lossless run");
            }
            assertEquals(0, d.packetsSkipped(), "a damaged payload is a dropped frame, never parsed as one");
            kept += frames.size();
        }
        assertTrue(kept > 0);
    }

    @Test
    void rfc3640ProgramConfigElementLayout() throws IOException {
        // 2.1 has no channel configuration: avenc_aac writes a program config element in the AudioSpecificConfig
        Capture capture = GstRtpCapture.run(output("avenc-aac-pce.rtp"),
                "audiotestsrc num-buffers=40 ! audio/x-raw,rate=48000,channels=3,channel-mask=(bitmask)0xb "
                + "! avenc_aac ! rtpmp4gpay pt=96 mtu=200");
        Mpeg4GenericDepacketizer d = new Mpeg4GenericDepacketizer(capture.params(MAX_FRAME));
        assertEquals(0, d.audioSpecificConfig().channelConfiguration());
        assertEquals(3, d.audioSpecificConfig().channelCount());
        List<MediaFrame> frames = feedAll(d, capture.packets(), i -> false);
        assertDecodes(capture, d, frames, "avenc-aac-pce.aac");
        FfResult probe = FfProbe.ffprobe(FfProbe.DECODE_TIMEOUT, "-v", "error", "-show_entries", "stream=channels",
                                         "-of", "csv=p=0", "-f", "aac", output("avenc-aac-pce.aac").toString());
        assertEquals(List.of("3"), probe.lines(), probe.describe());
    }

    @Test
    void latmFromRtpmp4apay() throws IOException {
        Capture capture = GstRtpCapture.run(output("voaacenc-mp4a.rtp"),
                "audiotestsrc num-buffers=60 ! audio/x-raw,rate=48000,channels=1 ! voaacenc ! rtpmp4apay pt=96");
        assertEquals("0", capture.caps().get("cpresent"));
        Mp4aLatmDepacketizer d = new Mp4aLatmDepacketizer(capture.params(MAX_FRAME));
        assertEquals(48000, d.audioSpecificConfig().samplingFrequency());
        List<MediaFrame> frames = feedAll(d, capture.packets(), i -> false);
        assertTrue(frames.size() > 40, "frames: " + frames.size());
        assertDecodes(capture, d, frames, "voaacenc-mp4a.aac");
    }

    @Test
    void latmSpanningPacketsFromRtpmp4apay() throws IOException {
        Capture capture = GstRtpCapture.run(output("avenc-aac-mp4a-span.rtp"),
                "audiotestsrc num-buffers=60 wave=white-noise ! audio/x-raw,rate=44100,channels=2 "
                + "! avenc_aac bitrate=192000 ! rtpmp4apay pt=96 mtu=150");
        assertTrue(capture.packets().size() > 2 * capture.markers(), "payloads span several packets");
        Mp4aLatmDepacketizer d = new Mp4aLatmDepacketizer(capture.params(MAX_FRAME));
        List<MediaFrame> frames = feedAll(d, capture.packets(), i -> false);
        assertDecodes(capture, d, frames, "avenc-aac-mp4a-span.aac");

        assertLossNeverCorruptsAFrame(capture, () -> new Mp4aLatmDepacketizer(capture.params(MAX_FRAME)));
        Mp4aLatmDepacketizer lossy = new Mp4aLatmDepacketizer(capture.params(MAX_FRAME));
        List<MediaFrame> kept = feedAll(lossy, capture.packets(), i -> i % 9 == 4);
        assertTrue(lossy.framesDropped() > 0);
        DecodeResult decoded = writeAndDecode(kept, output("avenc-aac-mp4a-span-lossy.aac"));
        assertTrue(decoded.clean(), decoded.errors());
        assertEquals(kept.size(), decoded.frames());
    }

    /**
     * MP4A-LATM with {@code cpresent=1}: ffmpeg's LOAS muxer writes AudioMuxElements with an in-band StreamMuxConfig
     * every few frames and useSameStreamMux in between (so the payloads are not byte aligned), here for a 2.1 layout
     * whose config holds a program config element. The elements are packetized as RFC 6416 says, large ones over
     * several packets.
     */
    @Test
    void latmWithInBandConfigFromFfmpegLoas() throws IOException {
        Path loas = output("ffmpeg-pce.loas");
        Files.createDirectories(loas.getParent());
        FfResult made = FfProbe.ffmpeg(FfProbe.DECODE_TIMEOUT, "-v", "error", "-y", "-f", "lavfi", "-i",
                "sine=frequency=440:duration=1.5:sample_rate=48000", "-af", "aformat=channel_layouts=2.1",
                "-c:a", "aac", "-f", "latm", loas.toString());
        assertTrue(made.succeeded(), made.describe());
        List<byte[]> elements = loasElements(Files.readAllBytes(loas));
        assertTrue(elements.size() > 50);

        List<byte[]> packets = new ArrayList<>();
        int seq = 100;
        long ts = 90_000;
        for (byte[] element : elements) {
            for (int from = 0; from < element.length; from += 200) {
                int length = Math.min(200, element.length - from);
                ByteBuf buf = AacTestSupport.packet(from + length == element.length, seq++, ts, new byte[0]);
                buf.writeBytes(element, from, length);
                byte[] packet = new byte[buf.readableBytes()];
                buf.readBytes(packet);
                packets.add(packet);
            }
            ts += 1024;
        }
        assertTrue(packets.size() > elements.size(), "some elements span packets");

        Mp4aLatmDepacketizer d = new Mp4aLatmDepacketizer(params("MP4A-LATM", 48000, Map.of("cpresent", "1"),
                                                                 MAX_FRAME));
        List<MediaFrame> frames = feedAll(d, packets, i -> false);
        assertEquals(0, d.packetsSkipped());
        assertEquals(elements.size(), frames.size());
        assertEquals(3, d.audioSpecificConfig().channelCount());
        assertEquals(0, d.audioSpecificConfig().channelConfiguration());
        assertFalse(frames.get(0).discontinuity());
        DecodeResult decoded = writeAndDecode(frames, output("ffmpeg-pce-latm.aac"));
        assertTrue(decoded.clean(), decoded.errors());
        assertEquals(frames.size(), decoded.frames());
    }

    /** Splits LOAS (AudioSyncStream): 11-bit sync 0x2B7, 13-bit length, then one AudioMuxElement(1). */
    private static List<byte[]> loasElements(byte[] bytes) {
        List<byte[]> elements = new ArrayList<>();
        int pos = 0;
        while (pos + 3 <= bytes.length) {
            int header = ((bytes[pos] & 0xFF) << 16) | ((bytes[pos + 1] & 0xFF) << 8) | (bytes[pos + 2] & 0xFF);
            assertEquals(0x2B7, header >>> 13, "LOAS sync at " + pos);
            int length = header & 0x1FFF;
            byte[] element = new byte[length];
            System.arraycopy(bytes, pos + 3, element, 0, length);
            elements.add(element);
            pos += 3 + length;
        }
        assertEquals(bytes.length, pos);
        return elements;
    }
}
