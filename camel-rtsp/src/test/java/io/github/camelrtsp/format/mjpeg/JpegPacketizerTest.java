package io.github.camelrtsp.format.mjpeg;

import static io.github.camelrtsp.format.PacketizerHarness.depacketize;
import static io.github.camelrtsp.format.PacketizerHarness.marker;
import static io.github.camelrtsp.format.PacketizerHarness.packetize;
import static io.github.camelrtsp.format.PacketizerHarness.payload;
import static io.github.camelrtsp.format.PacketizerHarness.timestamp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.stream.ImageOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.PacketizerHarness;
import io.github.camelrtsp.format.PacketizerParameters;

class JpegPacketizerTest {

    private static PacketizerParameters params(int mtu) {
        return new PacketizerParameters("JPEG", 26, 90000, null, Map.of(), 0xABCDL, 60000, mtu);
    }

    private static FormatParameters depacketizerParams(Map<String, String> fmtp) {
        return new FormatParameters("JPEG", 26, 90000, null, fmtp, 8 << 20);
    }

    private static MediaFrame frame(long timestamp, byte[] jpeg) {
        return new MediaFrame(timestamp, jpeg, true, false, 0);
    }

    /** Checks the RFC 2435 headers of a frame's packets and returns the fragment payloads joined. */
    private static byte[] checkPackets(List<byte[]> packets, int type, int widthUnits, int heightUnits,
                                       int restartInterval, int tableBytes) {
        ByteArrayOutputStream scan = new ByteArrayOutputStream();
        for (int i = 0; i < packets.size(); i++) {
            byte[] p = payload(packets.get(i));
            int offset = ((p[1] & 0xFF) << 16) | ((p[2] & 0xFF) << 8) | (p[3] & 0xFF);
            assertEquals(scan.size(), offset, "fragment offset of packet " + i);
            assertEquals(type + (restartInterval > 0 ? 64 : 0), p[4] & 0xFF, "type");
            assertEquals(255, p[5] & 0xFF, "Q");
            assertEquals(widthUnits, p[6] & 0xFF);
            assertEquals(heightUnits, p[7] & 0xFF);
            int pos = 8;
            if (restartInterval > 0) {
                assertEquals(restartInterval, ((p[8] & 0xFF) << 8) | (p[9] & 0xFF));
                assertEquals(0xFFFF, ((p[10] & 0xFF) << 8) | (p[11] & 0xFF), "F=1, L=1, count 0x3FFF");
                pos += 4;
            }
            if (i == 0) {
                assertEquals(tableBytes, ((p[pos + 2] & 0xFF) << 8) | (p[pos + 3] & 0xFF), "table length");
                pos += 4 + tableBytes;
            }
            scan.write(p, pos, p.length - pos);
            assertEquals(i == packets.size() - 1, marker(packets.get(i)), "marker on the last packet only");
        }
        return scan.toByteArray();
    }

    private static void assertSamePixels(byte[] expected, byte[] actual) {
        BufferedImage a = TestJpeg.decode(expected);
        BufferedImage b = TestJpeg.decode(actual);
        assertEquals(a.getWidth(), b.getWidth());
        assertEquals(a.getHeight(), b.getHeight());
        assertArrayEquals(TestJpeg.pixels(a), TestJpeg.pixels(b), "decoded pixels");
    }

    /**
     * Images of each shape RFC 2435 carries go out fragmented with in-band tables; our depacketizer rebuilds images
     * with the same scan, tables and pixels, and a second pass is byte-exact.
     */
    @ParameterizedTest(name = "{0}x{1} 4:2:{2} restart {3}")
    @CsvSource({"320, 240, 0, 0", "256, 128, 2, 4", "200, 96, 0, 7"})
    void roundTripThroughOurDepacketizer(int width, int height, int subsampling, int restart) {
        byte[] jpeg = TestJpeg.encode(width, height, 70, subsampling == 0, restart);
        TestJpeg.Parsed in = TestJpeg.parse(jpeg);
        PacketizerParameters p = params(400);
        JpegPacketizer packetizer = new JpegPacketizer(p);
        assertEquals("JPEG/90000", packetizer.rtpMap());
        assertEquals(Map.of(), packetizer.formatParameters());
        List<byte[]> packets = packetize(packetizer, p, List.of(frame(90000, jpeg)));
        assertTrue(packets.size() > 3, packets.size() + " packets");
        assertTrue(packets.stream().allMatch(x -> timestamp(x) == 90000));
        byte[] scan = checkPackets(packets, subsampling == 0 ? 1 : 0, width / 8, height / 8, restart, 128);
        assertArrayEquals(in.scan(), scan, "the scan data up to EOI");
        assertNull(packetizer.xDimensions());

        List<MediaFrame> back = depacketize(new JpegDepacketizer(depacketizerParams(Map.of())), packets);
        assertEquals(1, back.size());
        TestJpeg.Parsed out = TestJpeg.parse(back.get(0).data());
        assertArrayEquals(in.scan(), out.scan());
        assertArrayEquals(in.tables(), out.tables());
        assertSamePixels(jpeg, back.get(0).data());

        JpegPacketizer second = new JpegPacketizer(p);
        List<MediaFrame> again = depacketize(new JpegDepacketizer(depacketizerParams(Map.of())),
                                             packetize(second, p, back));
        assertArrayEquals(back.get(0).data(), again.get(0).data(), "second pass is byte-exact");
    }

    /** 16-bit quantization tables travel with precision bits set and 128 bytes each. */
    @Test
    void sixteenBitTables() {
        byte[] jpeg = widenTables(TestJpeg.encode(64, 48, 80, true, 0));
        PacketizerParameters p = params(1400);
        List<byte[]> packets = packetize(new JpegPacketizer(p), p, List.of(frame(0, jpeg)));
        byte[] first = payload(packets.get(0));
        assertEquals(3, first[9] & 0xFF, "precision bits of both tables");
        checkPackets(packets, 1, 8, 6, 0, 256);
        List<MediaFrame> back = depacketize(new JpegDepacketizer(depacketizerParams(Map.of())), packets);
        assertSamePixels(jpeg, back.get(0).data());
    }

    /** Sizes above 2040 go out as 0 with x-dimensions; sizes off the 8-pixel grid are rounded up. */
    @Test
    void largeAndOddSizes() {
        byte[] wide = TestJpeg.encode(2064, 16, 50, true, 0);
        PacketizerParameters p = params(1400);
        JpegPacketizer packetizer = new JpegPacketizer(p);
        List<byte[]> packets = packetize(packetizer, p, List.of(frame(0, wide)));
        assertEquals(0, payload(packets.get(0))[6], "width units");
        assertEquals(2, payload(packets.get(0))[7], "height units");
        assertEquals("2064,16", packetizer.xDimensions());
        List<MediaFrame> back = depacketize(new JpegDepacketizer(depacketizerParams(
                Map.of(JpegDepacketizer.X_DIMENSIONS, packetizer.xDimensions()))), packets);
        assertSamePixels(wide, back.get(0).data());

        byte[] odd = TestJpeg.encode(100, 60, 50, true, 0);
        JpegPacketizer oddPacketizer = new JpegPacketizer(p);
        List<byte[]> oddPackets = packetize(oddPacketizer, p, List.of(frame(3000, odd)));
        assertNull(oddPacketizer.xDimensions());
        assertEquals(13, payload(oddPackets.get(0))[6]);
        assertEquals(8, payload(oddPackets.get(0))[7]);
        List<MediaFrame> oddBack = depacketize(new JpegDepacketizer(depacketizerParams(Map.of())), oddPackets);
        BufferedImage decoded = TestJpeg.decode(oddBack.get(0).data());
        assertEquals(104, decoded.getWidth());
        assertEquals(64, decoded.getHeight());
    }

    @Test
    void whatRfc2435CannotCarryIsRejectedAndNothingIsSent() {
        byte[] good = TestJpeg.encode(64, 48, 75, true, 0);
        TestJpeg.Parsed parsed = TestJpeg.parse(good);
        int sof = parsed.first(0xC0).position();
        byte[] yuv444 = good.clone();
        yuv444[sof + 4 + 7] = 0x11;
        byte[] twoChromaTables = good.clone();
        twoChromaTables[sof + 4 + 14] = 0;
        byte[] markerAfterScan = good.clone();
        markerAfterScan[good.length - 1] = (byte) 0xC4;
        byte[] noSoi = good.clone();
        noSoi[1] = 0;
        List<byte[]> bad = List.of(encode(true, false, false), encode(false, true, false), encode(false, false, true),
                                   yuv444, twoChromaTables, markerAfterScan, noSoi,
                                   Arrays.copyOf(good, good.length - 2), Arrays.copyOf(good, 200), new byte[0]);
        PacketizerParameters p = params(1400);
        JpegPacketizer packetizer = new JpegPacketizer(p);
        List<Object> sent = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        for (byte[] jpeg : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> packetizer.packetize(frame(0, jpeg), sent::add));
            messages.add(e.getMessage());
        }
        assertTrue(messages.get(0).contains("not baseline"), messages.get(0));
        assertTrue(messages.get(1).contains("components"), messages.get(1));
        assertTrue(messages.get(2).contains("Huffman"), messages.get(2));
        assertTrue(messages.get(3).contains("sampling"), messages.get(3));
        assertTrue(sent.isEmpty());
        assertEquals(60000, packetizer.nextSequenceNumber());
        assertThrows(IllegalArgumentException.class, () -> new JpegPacketizer(params(200)));
        assertThrows(IllegalArgumentException.class, () -> new JpegPacketizer(
                new PacketizerParameters("JPEG", 26, 8000, null, Map.of(), 1, 0, 1400)));
    }

    /**
     * JPEGs from GStreamer's jpegenc: our depacketizer rebuilds each with the same pixels, and GStreamer's rtpjpegdepay
     * and jpegdec decode the RFC 4571 file into one full picture per frame.
     */
    @Test
    void gstreamerDecodesWhatWeSend() {
        Path dir = PacketizerHarness.workDir("jpeg");
        byte[] all = PacketizerHarness.read(PacketizerHarness.gstreamerMake("videotestsrc num-buffers=5 pattern=ball "
                + "! video/x-raw,width=320,height=240,format=I420 ! jpegenc quality=80", dir.resolve("jpegenc.mjpeg")));
        List<MediaFrame> frames = new ArrayList<>();
        int start = 0;
        for (int i = 2; i + 1 < all.length; i++) {
            if ((all[i - 2] & 0xFF) == 0xFF && (all[i - 1] & 0xFF) == 0xD9 && (all[i] & 0xFF) == 0xFF
                && (all[i + 1] & 0xFF) == 0xD8) {
                frames.add(frame(3000L * frames.size(), Arrays.copyOfRange(all, start, i)));
                start = i;
            }
        }
        frames.add(frame(3000L * frames.size(), Arrays.copyOfRange(all, start, all.length)));
        assertEquals(5, frames.size());
        PacketizerParameters p = params(1400);
        List<byte[]> packets = packetize(new JpegPacketizer(p), p, frames);
        List<MediaFrame> back = depacketize(new JpegDepacketizer(depacketizerParams(Map.of())), packets);
        assertEquals(5, back.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(frames.get(i).rtpTimestamp(), back.get(i).rtpTimestamp());
            assertSamePixels(frames.get(i).data(), back.get(i).data());
        }
        Path rtp = PacketizerHarness.writeRfc4571(packets, dir.resolve("jpeg.rtp"));
        Path raw = PacketizerHarness.gstreamerDecode(rtp, "application/x-rtp-stream,media=video,clock-rate=90000,"
                + "encoding-name=JPEG,payload=26", "rtpjpegdepay ! jpegdec ! videoconvert "
                + "! video/x-raw,format=I420,width=320,height=240", dir.resolve("jpeg.i420"));
        assertEquals(5L * 320 * 240 * 3 / 2, PacketizerHarness.read(raw).length, "five decoded pictures");
    }

    /** A JPEG from the JDK encoder: progressive, grayscale, or with optimized Huffman tables. */
    private static byte[] encode(boolean progressive, boolean gray, boolean optimized) {
        BufferedImage colour = TestJpeg.picture(64, 48);
        BufferedImage img = colour;
        if (gray) {
            img = new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_GRAY);
            img.getGraphics().drawImage(colour, 0, 0, null);
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            JPEGImageWriteParam param = (JPEGImageWriteParam) writer.getDefaultWriteParam();
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            if (optimized) {
                param.setOptimizeHuffmanTables(true);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(img, null, null), param);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    /** The same JPEG with every DQT table rewritten with 16-bit precision (same values). */
    private static byte[] widenTables(byte[] jpeg) {
        TestJpeg.Parsed parsed = TestJpeg.parse(jpeg);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        for (TestJpeg.Segment s : parsed.segments()) {
            byte[] body = s.payload();
            if (s.marker() == 0xDB) {
                ByteArrayOutputStream wide = new ByteArrayOutputStream();
                for (int i = 0; i < body.length; i += 65) {
                    wide.write(0x10 | (body[i] & 0x0F));
                    for (int k = 1; k <= 64; k++) {
                        wide.write(0);
                        wide.write(body[i + k]);
                    }
                }
                body = wide.toByteArray();
            }
            out.write(0xFF);
            out.write(s.marker());
            out.write((body.length + 2) >> 8);
            out.write((body.length + 2) & 0xFF);
            out.writeBytes(body);
        }
        out.writeBytes(parsed.scan());
        out.write(0xFF);
        out.write(0xD9);
        return out.toByteArray();
    }
}
