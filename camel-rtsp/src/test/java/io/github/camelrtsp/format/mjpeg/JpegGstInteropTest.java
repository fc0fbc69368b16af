package io.github.camelrtsp.format.mjpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.rtp.RtpPacket;
import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.GstRtpCapture;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real RTP/JPEG from GStreamer 1.22's {@code rtpjpegpay} (fed by {@code jpegenc}, or by ffmpeg's MJPEG encoder for
 * restart markers). The encoder's own JPEG files are written beside the RTP, so every rebuilt image is compared pixel
 * by pixel with the original after decoding both with {@code javax.imageio}; ffmpeg must also decode every emitted
 * image on its own, without errors, at the right size.
 */
class JpegGstInteropTest {

    private static final int FRAMES = 6;

    @BeforeAll
    static void toolsAreInstalled() {
        FfProbe.requireAvailable();
        FfProbe.FfResult gst = FfProbe.run(Duration.ofSeconds(20), "gst-inspect-1.0", "rtpjpegpay");
        assertTrue(gst.succeeded(), "GStreamer with rtpjpegpay is needed (gstreamer1.0-plugins-good): "
                                    + gst.describe());
    }

    private static FormatParameters params(Map<String, String> fmtp) {
        return new FormatParameters("JPEG", 26, 90000, null, fmtp, 4 << 20);
    }

    /** Feeds every packet (none lost) and returns the frames. */
    private static List<MediaFrame> depacketize(JpegDepacketizer d, List<byte[]> packets) {
        List<MediaFrame> frames = new ArrayList<>();
        RtpPacket rtp = new RtpPacket();
        for (byte[] p : packets) {
            d.onPacket(rtp.wrap(Unpooled.wrappedBuffer(p)), false, frames::add);
        }
        return frames;
    }

    private static List<Path> files(Path dir, String prefix) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Checks the frames against the encoder's files (same count, same pixels, expected size) and has ffmpeg decode
     * each frame written to its own .jpg file.
     */
    private static void assertFramesMatch(List<Path> originals, List<MediaFrame> frames, int width, int height,
                                          Path dir, String name) {
        assertEquals(originals.size(), frames.size(), "one image per encoded frame");
        for (int i = 0; i < frames.size(); i++) {
            MediaFrame frame = frames.get(i);
            assertTrue(frame.keyFrame());
            BufferedImage expected = TestJpeg.decode(read(originals.get(i)));
            BufferedImage actual = TestJpeg.decode(frame.data());
            assertEquals(width, actual.getWidth(), "width of frame " + i);
            assertEquals(height, actual.getHeight(), "height of frame " + i);
            assertArrayEquals(TestJpeg.pixels(expected), TestJpeg.pixels(actual), "pixels of frame " + i);
            write(dir.resolve(String.format("%s-%03d.jpg", name, i)), frame.data());
        }
        // the image2 demuxer hands each file to the decoder as one packet: every file decodes on its own
        Path pattern = dir.resolve(name + "-%03d.jpg");
        assertEquals(frames.size(), FfProbe.countDecodedVideoFrames(pattern, "image2"), "frames ffmpeg decodes");
        FfProbe.FfResult probe = FfProbe.ffprobe(FfProbe.DECODE_TIMEOUT, "-v", "error", "-show_entries",
                "stream=codec_name,width,height", "-of", "csv=p=0", dir.resolve(name + "-000.jpg").toString());
        assertEquals("mjpeg," + width + "," + height, probe.lines().get(0), probe.describe());
    }

    private static void write(Path file, byte[] data) {
        try {
            Files.write(file, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The RFC 2435 payload of an RTP packet. */
    private static byte[] payload(byte[] packet) {
        RtpPacket rtp = new RtpPacket().wrap(Unpooled.wrappedBuffer(packet));
        return Arrays.copyOfRange(packet, rtp.payloadOffset(), rtp.payloadOffset() + rtp.payloadLength());
    }

    /** The in-band quantization tables of a first packet (8-bit tables), as 128 values. */
    private static int[] inBandTables(byte[] firstPacket) {
        byte[] p = payload(firstPacket);
        int pos = 8 + ((p[4] & 0xFF) >= 64 ? 4 : 0);
        assertEquals(0, p[pos + 1], "8-bit tables");
        int[] tables = new int[128];
        for (int i = 0; i < 128; i++) {
            tables[i] = p[pos + 4 + i] & 0xFF;
        }
        return tables;
    }

    /**
     * The same packets as if the sender had used {@code q} (below 128) instead of in-band tables: Q replaced, the
     * quantization table header removed from first packets. Fragment offsets count scan bytes only, so they stay.
     */
    private static List<byte[]> withQ(List<byte[]> packets, int q) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] packet : packets) {
            RtpPacket rtp = new RtpPacket().wrap(Unpooled.wrappedBuffer(packet));
            int start = rtp.payloadOffset();
            byte[] p = payload(packet);
            int headers = 8 + ((p[4] & 0xFF) >= 64 ? 4 : 0);
            int offset = (p[1] & 0xFF) << 16 | (p[2] & 0xFF) << 8 | p[3] & 0xFF;
            int skip = 0;
            if (offset == 0 && (p[5] & 0xFF) >= 128) {
                skip = 4 + ((p[headers + 2] & 0xFF) << 8 | p[headers + 3] & 0xFF);
            }
            byte[] rewritten = new byte[packet.length - skip];
            System.arraycopy(packet, 0, rewritten, 0, start + headers);
            rewritten[start + 5] = (byte) q;
            System.arraycopy(packet, start + headers + skip, rewritten, start + headers,
                    packet.length - start - headers - skip);
            out.add(rewritten);
        }
        return out;
    }

    @ParameterizedTest(name = "jpegenc quality {0}, {1}, {2}")
    @CsvSource({
        "30, I420, smpte",
        "75, I420, snow",
        "95, I420, ball",
        "50, Y42B, snow",
        "85, Y42B, smpte",
    })
    void jpegencThroughRtpjpegpay(int quality, String format, String pattern) {
        String name = "q" + quality + "-" + format + "-" + pattern;
        Path dir = workDir(name);
        GstRtpCapture.Capture capture = GstRtpCapture.run(dir.resolve("stream.rtp"),
                "videotestsrc num-buffers=" + FRAMES + " pattern=" + pattern
                + " ! video/x-raw,width=320,height=240,format=" + format + ",framerate=10/1"
                + " ! jpegenc quality=" + quality + " ! tee name=t"
                + " t. ! queue ! multifilesink location=" + dir.resolve("orig-%03d.jpg")
                + " t. ! queue ! rtpjpegpay pt=26 mtu=1200");
        List<byte[]> packets = capture.packets();
        assertTrue(packets.size() > FRAMES, "fragmented frames: " + packets.size() + " packets");
        byte[] first = payload(packets.get(0));
        assertEquals(format.equals("I420") ? 1 : 0, first[4], "RTP/JPEG type");
        assertEquals((byte) 255, first[5], "rtpjpegpay sends in-band tables");
        int[] expectedTables = new int[128];
        JpegTables.scaledTables(quality, expectedTables);
        assertArrayEquals(expectedTables, inBandTables(packets.get(0)),
                "libjpeg's tables for quality " + quality + " are those of RFC 2435 Appendix A");

        List<Path> originals = files(dir, "orig-");
        assertEquals(FRAMES, originals.size());

        JpegDepacketizer d = new JpegDepacketizer(params(Map.of()));
        List<MediaFrame> frames = depacketize(d, packets);
        assertFramesMatch(originals, frames, 320, 240, dir, "inband");
        assertEquals(0, d.framesDropped());
        assertEquals(0, d.packetsSkipped());
        for (MediaFrame f : frames) {
            assertFalse(f.discontinuity());
            assertEquals(format.equals("I420") ? 0x22 : 0x21, TestJpeg.parse(f.data()).lumaSampling());
        }
        for (int i = 1; i < frames.size(); i++) {
            long step = frames.get(i).rtpTimestamp() - frames.get(i - 1).rtpTimestamp() & 0xFFFFFFFFL;
            assertTrue(Math.abs(step - 9000) <= 1, "10 fps at 90 kHz, step " + step);
        }

        // the same stream with Q instead of tables: the computed tables must rebuild identical pictures
        JpegDepacketizer computed = new JpegDepacketizer(params(Map.of()));
        List<MediaFrame> fromQ = depacketize(computed, withQ(packets, quality));
        assertFramesMatch(originals, fromQ, 320, 240, dir, "computed");
        assertEquals(0, computed.framesDropped());
    }

    /**
     * Restart markers need a JPEG encoder that writes them: ffmpeg's MJPEG encoder does when it encodes in slices
     * (4:2:0 only: its 4:2:2 output samples chroma 1x2, which RFC 2435 cannot carry), the JDK encoder does when asked
     * (4:2:2 here). {@code rtpjpegpay} turns them into types 65/64 with a restart marker header.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ffmpeg-420", "jdk-422"})
    void restartMarkersThroughRtpjpegpay(String source) {
        Path dir = workDir("restart-" + source);
        boolean yuv420 = source.endsWith("420");
        if (source.startsWith("ffmpeg")) {
            FfProbe.FfResult encoded = FfProbe.ffmpeg(FfProbe.DECODE_TIMEOUT, "-v", "error", "-y", "-f", "lavfi",
                    "-i", "testsrc=size=320x240:rate=10", "-frames:v", "4", "-c:v", "mjpeg", "-huffman", "default",
                    "-pix_fmt", "yuvj420p", "-threads", "2", "-slices", "3", "-q:v", "4", "-start_number", "0",
                    dir.resolve("orig-%03d.jpg").toString());
            assertTrue(encoded.succeeded(), encoded.describe());
        } else {
            int[] qualities = {40, 60, 80, 90};
            for (int i = 0; i < qualities.length; i++) {
                write(dir.resolve(String.format("orig-%03d.jpg", i)), TestJpeg.encode(320, 240, qualities[i], false,
                        20));
            }
        }
        List<Path> originals = files(dir, "orig-");
        assertEquals(4, originals.size());
        TestJpeg.Parsed sourceImage = TestJpeg.parse(read(originals.get(0)));
        assertNotNull(sourceImage.first(0xDD), "the source images use restart markers");

        GstRtpCapture.Capture capture = GstRtpCapture.run(dir.resolve("stream.rtp"),
                "multifilesrc location=" + dir.resolve("orig-%03d.jpg") + " caps=image/jpeg,framerate=10/1"
                + " ! jpegparse ! rtpjpegpay pt=26 mtu=700");
        byte[] first = payload(capture.packets().get(0));
        assertEquals(yuv420 ? 65 : 64, first[4], "RTP/JPEG type with restart markers");

        JpegDepacketizer d = new JpegDepacketizer(params(Map.of()));
        List<MediaFrame> frames = depacketize(d, capture.packets());
        assertFramesMatch(originals, frames, 320, 240, dir, "rebuilt");
        for (MediaFrame f : frames) {
            TestJpeg.Parsed out = TestJpeg.parse(f.data());
            assertArrayEquals(sourceImage.first(0xDD).payload(), out.first(0xDD).payload(), "restart interval");
            assertEquals(yuv420 ? 0x22 : 0x21, out.lumaSampling());
        }
    }

    @Test
    void sizesAbove2040NeedXDimensions() {
        Path dir = workDir("wide");
        GstRtpCapture.Capture capture = GstRtpCapture.run(dir.resolve("stream.rtp"),
                "videotestsrc num-buffers=3 ! video/x-raw,width=2560,height=64,format=I420,framerate=10/1"
                + " ! jpegenc ! tee name=t t. ! queue ! multifilesink location=" + dir.resolve("orig-%03d.jpg")
                + " t. ! queue ! rtpjpegpay pt=26 mtu=1400");
        byte[] first = payload(capture.packets().get(0));
        assertEquals(0, first[6], "width units: RFC 2435 cannot express 2560");
        assertEquals(0, first[7], "height units: GStreamer zeroes both");
        // rtpjpegpay announces the size in its caps (SDP a=x-dimensions); gst-launch -v may not get to print the
        // caps of so short a pipeline on a loaded machine, so the value is checked when it was printed
        String dims = capture.capsField("x-dimensions");
        if (dims != null) {
            assertEquals("2560,64", dims, "rtpjpegpay's x-dimensions");
        } else {
            dims = "2560,64";
        }

        JpegDepacketizer without = new JpegDepacketizer(params(Map.of()));
        assertTrue(depacketize(without, capture.packets()).isEmpty());
        assertEquals(3, without.framesDropped());
        assertEquals(3, without.packetsSkipped(), "the first packet of each frame");

        Map<String, String> fmtp = new HashMap<>();
        fmtp.put(JpegDepacketizer.X_DIMENSIONS, dims);
        JpegDepacketizer with = new JpegDepacketizer(params(fmtp));
        List<MediaFrame> frames = depacketize(with, capture.packets());
        assertFramesMatch(files(dir, "orig-"), frames, 2560, 64, dir, "rebuilt");
    }

    @Test
    void lossInARealStreamCostsOnlyTheDamagedFrames() {
        Path dir = workDir("loss");
        GstRtpCapture.Capture capture = GstRtpCapture.run(dir.resolve("stream.rtp"),
                "videotestsrc num-buffers=" + FRAMES + " pattern=snow"
                + " ! video/x-raw,width=320,height=240,format=I420,framerate=10/1"
                + " ! jpegenc quality=80 ! tee name=t t. ! queue ! multifilesink location="
                + dir.resolve("orig-%03d.jpg") + " t. ! queue ! rtpjpegpay pt=26 mtu=1200");
        List<Path> originals = files(dir, "orig-");
        // index packets by frame
        List<List<byte[]>> byFrame = new ArrayList<>();
        long lastTs = -1;
        for (byte[] p : capture.packets()) {
            long ts = new RtpPacket().wrap(Unpooled.wrappedBuffer(p)).timestamp();
            if (ts != lastTs) {
                byFrame.add(new ArrayList<>());
                lastTs = ts;
            }
            byFrame.get(byFrame.size() - 1).add(p);
        }
        assertEquals(FRAMES, byFrame.size());
        assertTrue(byFrame.get(1).size() >= 3 && byFrame.get(3).size() >= 3, "multi-packet frames");

        JpegDepacketizer d = new JpegDepacketizer(params(Map.of()));
        List<MediaFrame> frames = new ArrayList<>();
        RtpPacket rtp = new RtpPacket();
        for (int f = 0; f < FRAMES; f++) {
            List<byte[]> packets = byFrame.get(f);
            for (int i = 0; i < packets.size(); i++) {
                boolean lost = false;
                if (f == 1 && i == 1) {
                    continue; // lost, and reported on the next packet
                }
                if (f == 1 && i == 2) {
                    lost = true;
                }
                if (f == 3 && i == packets.size() - 1) {
                    continue; // the marker packet is lost and nobody reports it
                }
                d.onPacket(rtp.wrap(Unpooled.wrappedBuffer(packets.get(i))), lost, frames::add);
            }
        }
        assertEquals(2, d.framesDropped());
        assertEquals(0, d.packetsSkipped());
        List<Integer> kept = List.of(0, 2, 4, 5);
        assertEquals(kept.size(), frames.size());
        for (int i = 0; i < kept.size(); i++) {
            MediaFrame frame = frames.get(i);
            int source = kept.get(i);
            assertEquals(source == 2 || source == 4, frame.discontinuity(), "discontinuity of frame " + source);
            assertArrayEquals(TestJpeg.pixels(TestJpeg.decode(read(originals.get(source)))),
                    TestJpeg.pixels(TestJpeg.decode(frame.data())), "pixels of frame " + source);
        }
    }

    /** A fresh (emptied) working folder {@code target/mjpeg-gst/<name>} under the module. */
    private static Path workDir(String name) {
        Path dir = Path.of("target", "mjpeg-gst", name).toAbsolutePath();
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}
