package io.github.camelrtsp.format.mjpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.rtp.RtpPacket;
import io.github.camelrtsp.testsupport.CapturedLog;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hand-built RFC 2435 packets around real scan data (encoded by the JDK's JPEG encoder): every header variant, every
 * loss, malformed and oversize case. Each emitted image is decoded with {@code javax.imageio} and compared pixel by
 * pixel with the decoded original.
 */
class JpegDepacketizerTest {

    private static final int MAX = 1 << 20;
    private static final long TS = 0xFFFF_FF00L;

    private final List<MediaFrame> frames = new ArrayList<>();
    private final RtpPacket rtp = new RtpPacket();

    static FormatParameters params(int maxFrameSize, Map<String, String> fmtp) {
        return new FormatParameters("JPEG", 26, 90000, null, fmtp, maxFrameSize);
    }

    static JpegDepacketizer depacketizer() {
        return new JpegDepacketizer(params(MAX, Map.of()));
    }

    private void feed(JpegDepacketizer d, ByteBuf packet, boolean lost) {
        try {
            d.onPacket(rtp.wrap(packet), lost, frames::add);
        } finally {
            packet.release();
        }
    }

    private void feed(JpegDepacketizer d, List<ByteBuf> packets) {
        for (ByteBuf p : packets) {
            feed(d, p, false);
        }
    }

    private static void release(List<ByteBuf> packets) {
        packets.forEach(ByteBuf::release);
    }

    /** Asserts the image decodes to exactly the pixels of the original JPEG, at the original size. */
    private static void assertSamePicture(byte[] original, byte[] rebuilt) {
        BufferedImage expected = TestJpeg.decode(original);
        BufferedImage actual = TestJpeg.decode(rebuilt);
        assertEquals(expected.getWidth(), actual.getWidth(), "width");
        assertEquals(expected.getHeight(), actual.getHeight(), "height");
        assertArrayEquals(TestJpeg.pixels(expected), TestJpeg.pixels(actual), "decoded pixels");
    }

    @ParameterizedTest(name = "Q {0}, 4:2:0 {1}")
    @CsvSource({"25, true", "50, true", "75, true", "25, false", "50, false", "75, false"})
    void computedTablesForQBelow128(int q, boolean yuv420) {
        byte[] original = TestJpeg.encode(64, 48, q, yuv420, 0);
        TestJpeg.Parsed parsed = TestJpeg.parse(original);
        int[] expectedTables = new int[128];
        JpegTables.scaledTables(q, expectedTables);
        assertArrayEquals(expectedTables, parsed.tables(), "the encoder used the Appendix A tables for Q " + q);

        Rfc2435Sender sender = new Rfc2435Sender(64, 48, yuv420 ? 1 : 0, q);
        sender.chunk = 60;
        JpegDepacketizer d = depacketizer();
        List<ByteBuf> packets = sender.frame(TS, parsed.scan());
        assertTrue(packets.size() > 2, "several fragments");
        feed(d, packets);

        assertEquals(1, frames.size());
        MediaFrame frame = frames.get(0);
        assertEquals(TS, frame.rtpTimestamp());
        assertTrue(frame.keyFrame());
        assertFalse(frame.discontinuity());
        assertEquals(0, frame.sampleCount());
        TestJpeg.Parsed out = TestJpeg.parse(frame.data());
        assertEquals(64, out.width());
        assertEquals(48, out.height());
        assertEquals(yuv420 ? 0x22 : 0x21, out.lumaSampling());
        assertArrayEquals(expectedTables, out.tables());
        assertEquals(1, out.count(0xE0), "JFIF APP0");
        assertEquals(0, out.count(0xDD), "no DRI without restart markers");
        assertTrue(out.endsWithEoi());
        assertSamePicture(original, frame.data());
        assertEquals(0, d.framesDropped());
        assertEquals(0, d.packetsSkipped());
    }

    @Test
    void inBandTablesWithQ255() {
        byte[] original = TestJpeg.encode(48, 32, 90, false, 0);
        TestJpeg.Parsed parsed = TestJpeg.parse(original);
        Rfc2435Sender sender = new Rfc2435Sender(48, 32, 0, 255);
        sender.tables = parsed.tables();
        JpegDepacketizer d = depacketizer();
        feed(d, sender.frame(1000, parsed.scan()));
        feed(d, sender.frame(4000, parsed.scan()));
        assertEquals(2, frames.size());
        for (MediaFrame f : frames) {
            assertArrayEquals(parsed.tables(), TestJpeg.parse(f.data()).tables());
            assertSamePicture(original, f.data());
        }
        assertEquals(1000, frames.get(0).rtpTimestamp());
        assertEquals(4000, frames.get(1).rtpTimestamp());
    }

    @Test
    void lengthZeroReusesTheTablesLastSentForTheSameQ() {
        byte[] original = TestJpeg.encode(32, 32, 60, true, 0);
        TestJpeg.Parsed parsed = TestJpeg.parse(original);
        Rfc2435Sender sender = new Rfc2435Sender(32, 32, 1, 200);
        sender.tables = parsed.tables();
        JpegDepacketizer d = depacketizer();
        feed(d, sender.frame(1, parsed.scan()));
        sender.tables = null;
        feed(d, sender.frame(2, parsed.scan()));
        assertEquals(2, frames.size());
        assertArrayEquals(parsed.tables(), TestJpeg.parse(frames.get(1).data()).tables());
        assertSamePicture(original, frames.get(1).data());

        // another Q in 128..254 has its own tables: none were sent for 201 yet
        sender.q = 201;
        sender.chunk = 100;
        feed(d, sender.frame(3, parsed.scan()));
        assertEquals(2, frames.size());
        assertEquals(1, d.packetsSkipped(), "only the first packet is malformed, the others belong to a lost frame");
        assertEquals(1, d.framesDropped());

        sender.q = 200;
        feed(d, sender.frame(4, parsed.scan()));
        assertEquals(3, frames.size());
        assertTrue(frames.get(2).discontinuity());
    }

    @Test
    void q255WithoutTablesIsSkipped() {
        byte[] scan = TestJpeg.parse(TestJpeg.encode(16, 16, 50, true, 0)).scan();
        Rfc2435Sender sender = new Rfc2435Sender(16, 16, 1, 255);
        JpegDepacketizer d = depacketizer();
        feed(d, sender.frame(1, scan));
        assertTrue(frames.isEmpty());
        assertEquals(1, d.packetsSkipped());
        assertEquals(1, d.framesDropped());
    }

    @Test
    void sixteenBitTablesAreNarrowedWhenTheyFitAndKeptWideOtherwise() {
        byte[] original = TestJpeg.encode(32, 16, 40, true, 0);
        TestJpeg.Parsed parsed = TestJpeg.parse(original);
        Rfc2435Sender sender = new Rfc2435Sender(32, 16, 1, 255);
        sender.tables = parsed.tables();
        sender.precision = 3;
        JpegDepacketizer d = depacketizer();
        feed(d, sender.frame(1, parsed.scan()));
        assertEquals(1, frames.size());
        byte[] dqt = TestJpeg.parse(frames.get(0).data()).first(0xDB).payload();
        assertEquals(0x00, dqt[0], "table 0 written with 8-bit precision");
        assertEquals(0x01, dqt[65], "table 1 written with 8-bit precision");
        assertSamePicture(original, frames.get(0).data());

        int[] wide = parsed.tables().clone();
        wide[64 + 63] = 300;
        sender.tables = wide;
        sender.precision = 2;
        feed(d, sender.frame(2, parsed.scan()));
        assertEquals(2, frames.size());
        TestJpeg.Parsed out = TestJpeg.parse(frames.get(1).data());
        byte[] dqt2 = out.first(0xDB).payload();
        assertEquals(0x00, dqt2[0]);
        assertEquals(0x11, dqt2[65], "table 1 keeps 16-bit precision");
        assertEquals(1 + 64 + 1 + 128, dqt2.length);
        assertArrayEquals(wide, out.tables());
        assertEquals(32, TestJpeg.decode(frames.get(1).data()).getWidth(), "still decodes");
    }

    @ParameterizedTest(name = "4:2:0 {0}")
    @ValueSource(booleans = {true, false})
    void restartMarkersGiveADriSegment(boolean yuv420) {
        byte[] original = TestJpeg.encode(64, 48, 50, yuv420, 3);
        TestJpeg.Parsed parsed = TestJpeg.parse(original);
        byte[] dri = parsed.first(0xDD).payload();
        assertEquals(3, (dri[0] & 0xFF) << 8 | dri[1] & 0xFF);
        Rfc2435Sender sender = new Rfc2435Sender(64, 48, yuv420 ? 65 : 64, 50);
        sender.restartInterval = 3;
        sender.chunk = 97;
        JpegDepacketizer d = depacketizer();
        feed(d, sender.frame(7, parsed.scan()));
        assertEquals(1, frames.size());
        TestJpeg.Parsed out = TestJpeg.parse(frames.get(0).data());
        assertArrayEquals(new byte[] {0, 3}, out.first(0xDD).payload());
        assertEquals(yuv420 ? 0x22 : 0x21, out.lumaSampling());
        assertSamePicture(original, frames.get(0).data());
    }

    @Test
    void anEoiAlreadyInThePayloadIsNotRepeated() {
        byte[] original = TestJpeg.encode(16, 16, 50, true, 0);
        byte[] scan = TestJpeg.parse(original).scan();
        byte[] withEoi = Arrays.copyOf(scan, scan.length + 2);
        withEoi[scan.length] = (byte) 0xFF;
        withEoi[scan.length + 1] = (byte) 0xD9;
        JpegDepacketizer d = depacketizer();
        feed(d, new Rfc2435Sender(16, 16, 1, 50).frame(1, withEoi));
        feed(d, new Rfc2435Sender(16, 16, 1, 50).frame(2, scan));
        assertEquals(2, frames.size());
        assertArrayEquals(frames.get(0).data(), frames.get(1).data());
        byte[] data = frames.get(0).data();
        assertEquals((byte) 0xD9, data[data.length - 1]);
        assertTrue(data[data.length - 3] != (byte) 0xD9 || data[data.length - 4] != (byte) 0xFF, "single EOI");
        assertSamePicture(original, data);
    }

    @Test
    void aGapInFragmentOffsetsDropsTheFrame() {
        byte[] original = TestJpeg.encode(64, 48, 50, true, 0);
        byte[] scan = TestJpeg.parse(original).scan();
        Rfc2435Sender sender = new Rfc2435Sender(64, 48, 1, 50);
        sender.chunk = 100;
        JpegDepacketizer d = depacketizer();
        List<ByteBuf> packets = sender.frame(10, scan);
        assertTrue(packets.size() >= 3);
        packets.remove(1).release();
        feed(d, packets);
        assertTrue(frames.isEmpty());
        assertEquals(1, d.framesDropped());
        assertEquals(0, d.packetsSkipped());

        feed(d, sender.frame(20, scan));
        assertEquals(1, frames.size());
        assertTrue(frames.get(0).discontinuity());
        assertSamePicture(original, frames.get(0).data());

        feed(d, sender.frame(30, scan));
        assertFalse(frames.get(1).discontinuity(), "only the first frame after the gap is flagged");
    }

    @Test
    void reportedLossDropsThePartialFrame() {
        byte[] scan = TestJpeg.parse(TestJpeg.encode(64, 48, 50, true, 0)).scan();
        Rfc2435Sender sender = new Rfc2435Sender(64, 48, 1, 50);
        sender.chunk = 100;
        JpegDepacketizer d = depacketizer();
        List<ByteBuf> packets = sender.frame(10, scan);
        assertTrue(packets.size() >= 4, "packets: " + packets.size());
        feed(d, packets.get(0), false);
        packets.get(1).release();
        for (int i = 2; i < packets.size(); i++) {
            feed(d, packets.get(i), i == 2);
        }
        assertTrue(frames.isEmpty());
        assertEquals(1, d.framesDropped());

        // loss between two frames: nothing partial to drop, the next whole frame is flagged
        List<ByteBuf> next = sender.frame(20, scan);
        feed(d, next.get(0), true);
        feed(d, next.subList(1, next.size()));
        assertEquals(1, frames.size());
        assertTrue(frames.get(0).discontinuity());
        assertEquals(1, d.framesDropped());
    }

    @Test
    void aFrameWhoseFirstPacketIsMissingIsDroppedOnce() {
        byte[] scan = TestJpeg.parse(TestJpeg.encode(64, 48, 50, true, 0)).scan();
        Rfc2435Sender sender = new Rfc2435Sender(64, 48, 1, 50);
        sender.chunk = 100;
        JpegDepacketizer d = depacketizer();
        List<ByteBuf> packets = sender.frame(10, scan);
        packets.remove(0).release();
        assertTrue(packets.size() >= 2);
        feed(d, packets);
        assertTrue(frames.isEmpty());
        assertEquals(1, d.framesDropped());
        feed(d, sender.frame(20, scan));
        assertEquals(1, frames.size());
        assertTrue(frames.get(0).discontinuity());
    }

    @Test
    void aFrameWhoseLastPacketIsMissingIsDroppedWhenTheNextBegins() {
        byte[] original = TestJpeg.encode(64, 48, 50, true, 0);
        byte[] scan = TestJpeg.parse(original).scan();
        Rfc2435Sender sender = new Rfc2435Sender(64, 48, 1, 50);
        sender.chunk = 100;
        JpegDepacketizer d = depacketizer();
        List<ByteBuf> packets = sender.frame(10, scan);
        packets.remove(packets.size() - 1).release();
        feed(d, packets);
        assertTrue(frames.isEmpty());
        feed(d, sender.frame(20, scan));
        assertEquals(1, d.framesDropped());
        assertEquals(1, frames.size());
        assertTrue(frames.get(0).discontinuity());
        assertSamePicture(original, frames.get(0).data());

        // same when the next frame's first packet is also missing: two frames lost, counted once each
        List<ByteBuf> third = sender.frame(30, scan);
        third.remove(third.size() - 1).release();
        feed(d, third);
        List<ByteBuf> fourth = sender.frame(40, scan);
        fourth.remove(0).release();
        feed(d, fourth);
        assertEquals(3, d.framesDropped());
        feed(d, sender.frame(50, scan));
        assertEquals(2, frames.size());
    }

    @Test
    void aNewStartWithTheSameTimestampDropsThePartialFrame() {
        byte[] scan = TestJpeg.parse(TestJpeg.encode(64, 48, 50, true, 0)).scan();
        Rfc2435Sender sender = new Rfc2435Sender(64, 48, 1, 50);
        sender.chunk = 100;
        JpegDepacketizer d = depacketizer();
        List<ByteBuf> partial = sender.frame(10, scan);
        feed(d, partial.get(0), false);
        release(partial.subList(1, partial.size()));
        feed(d, sender.frame(10, scan));
        assertEquals(1, d.framesDropped());
        assertEquals(1, frames.size());
    }

    @Test
    void interlacedFieldsAreEmittedAsSeparateImages() {
        byte[] original = TestJpeg.encode(64, 24, 50, false, 0);
        byte[] scan = TestJpeg.parse(original).scan();
        Rfc2435Sender sender = new Rfc2435Sender(64, 24, 0, 50);
        JpegDepacketizer d = depacketizer();
        sender.typeSpecific = 1;
        feed(d, sender.frame(100, scan));
        sender.typeSpecific = 2;
        feed(d, sender.frame(100, scan));
        assertEquals(2, frames.size());
        for (MediaFrame f : frames) {
            assertEquals(24, TestJpeg.decode(f.data()).getHeight(), "the height of one field");
            assertSamePicture(original, f.data());
        }
        assertEquals(0, d.framesDropped());
    }

    @ParameterizedTest(name = "type {0}")
    @ValueSource(ints = {2, 3, 5, 63, 66, 127, 128, 200, 255})
    void unsupportedTypesAreSkipped(int type) {
        byte[] scan = TestJpeg.parse(TestJpeg.encode(32, 32, 50, true, 0)).scan();
        Rfc2435Sender sender = new Rfc2435Sender(32, 32, type, 50);
        sender.restartInterval = 4;
        sender.chunk = 100;
        JpegDepacketizer d = depacketizer();
        List<ByteBuf> packets = sender.frame(1, scan);
        int count = packets.size();
        feed(d, packets);
        assertTrue(frames.isEmpty());
        assertEquals(count, d.packetsSkipped(), "every packet of the unsupported type");
        assertEquals(1, d.framesDropped());

        sender.type = 1;
        feed(d, sender.frame(2, scan));
        assertEquals(1, frames.size());
        assertTrue(frames.get(0).discontinuity());
    }

    @Test
    void aTypeChangeWithinAFrameDropsIt() {
        byte[] scan = TestJpeg.parse(TestJpeg.encode(32, 32, 50, true, 0)).scan();
        Rfc2435Sender sender = new Rfc2435Sender(32, 32, 1, 50);
        sender.chunk = 50;
        JpegDepacketizer d = depacketizer();
        List<ByteBuf> packets = sender.frame(1, scan);
        feed(d, packets.get(0), false);
        sender.type = 0;
        byte[] changed = sender.payload(50, scan, 50, 50);
        feed(d, Rfc2435Sender.packet(false, 9, 1, changed), false);
        release(packets.subList(1, packets.size()));
        assertEquals(1, d.packetsSkipped());
        assertEquals(1, d.framesDropped());
        assertTrue(frames.isEmpty());
    }

    /** Malformed payloads: each is skipped and counted, nothing is thrown, nothing emitted. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "short payload,                 0000000001",
        "restart header cut short,      00000000413210100000",
        "restart interval zero,         0000000041321010000000FFFF",
        "table header cut short,        0000000001FF10100000",
        "table length beyond payload,   0000000001FF1010000000C8" + "00000000",
        "table data shorter than two,   0000000001FF1010000000040102030405",
        "fragment beyond 2^24,          00FFFFF0013210100102030405060708090A0B0C0D0E0F1011",
    })
    void malformedPayloadsAreSkipped(String name, String hex) {
        JpegDepacketizer d = depacketizer();
        byte[] payload = hexBytes(hex.trim());
        feed(d, Rfc2435Sender.packet(true, 1, 5, payload), false);
        assertEquals(1, d.packetsSkipped(), name);
        assertEquals(1, d.framesDropped(), name);
        assertTrue(frames.isEmpty());
    }

    @Test
    void aZeroQuantizationCoefficientIsMalformedAndKeepsTheKeptTables() {
        byte[] original = TestJpeg.encode(16, 16, 50, true, 0);
        TestJpeg.Parsed parsed = TestJpeg.parse(original);
        Rfc2435Sender sender = new Rfc2435Sender(16, 16, 1, 130);
        sender.tables = parsed.tables();
        JpegDepacketizer d = depacketizer();
        feed(d, sender.frame(1, parsed.scan()));
        int[] bad = parsed.tables().clone();
        bad[70] = 0;
        sender.tables = bad;
        feed(d, sender.frame(2, parsed.scan()));
        assertEquals(1, d.packetsSkipped());
        sender.tables = null;
        feed(d, sender.frame(3, parsed.scan()));
        assertEquals(2, frames.size());
        assertArrayEquals(parsed.tables(), TestJpeg.parse(frames.get(1).data()).tables());
    }

    @Test
    void aFrameWithoutScanDataIsDropped() {
        JpegDepacketizer d = depacketizer();
        feed(d, Rfc2435Sender.packet(true, 1, 5, hexBytes("0000000001320202")), false);
        assertTrue(frames.isEmpty());
        assertEquals(1, d.framesDropped());
    }

    @Test
    void anOversizedFrameIsDroppedWithoutGrowingBeyondTheLimit() {
        byte[] big = TestJpeg.parse(TestJpeg.encode(160, 120, 95, true, 0)).scan();
        byte[] small = TestJpeg.encode(16, 16, 50, true, 0);
        int limit = 1500;
        assertTrue(big.length > limit);
        JpegDepacketizer d = new JpegDepacketizer(params(limit, Map.of()));
        Rfc2435Sender sender = new Rfc2435Sender(160, 120, 1, 95);
        sender.chunk = 300;
        feed(d, sender.frame(1, big));
        assertTrue(frames.isEmpty());
        assertEquals(1, d.framesDropped());
        assertEquals(0, d.packetsSkipped());
        assertTrue(d.assemblyCapacity() <= limit, "assembly buffer " + d.assemblyCapacity());

        feed(d, new Rfc2435Sender(16, 16, 1, 50).frame(2, TestJpeg.parse(small).scan()));
        assertEquals(1, frames.size());
        assertTrue(frames.get(0).data().length <= limit);
        assertTrue(frames.get(0).discontinuity());
        assertSamePicture(small, frames.get(0).data());
    }

    @Test
    void aLimitBelowTheHeadersDropsEveryFrame() {
        JpegDepacketizer d = new JpegDepacketizer(params(300, Map.of()));
        byte[] scan = TestJpeg.parse(TestJpeg.encode(16, 16, 50, true, 0)).scan();
        feed(d, new Rfc2435Sender(16, 16, 1, 50).frame(2, scan));
        assertTrue(frames.isEmpty());
        assertEquals(1, d.framesDropped());
        assertTrue(d.assemblyCapacity() <= 300);
    }

    @Test
    void theLargestSizeRfc2435ExpressesIs2040() {
        byte[] original = TestJpeg.encode(2040, 8, 50, false, 0);
        Rfc2435Sender sender = new Rfc2435Sender(2040, 8, 0, 50);
        assertEquals(255, sender.widthUnits);
        JpegDepacketizer d = depacketizer();
        feed(d, sender.frame(1, TestJpeg.parse(original).scan()));
        assertEquals(1, frames.size());
        assertSamePicture(original, frames.get(0).data());
    }

    @Test
    void aZeroSizeIsSkippedWithoutXDimensions() {
        byte[] scan = TestJpeg.parse(TestJpeg.encode(2056, 16, 50, true, 0)).scan();
        Rfc2435Sender sender = new Rfc2435Sender(8, 16, 1, 50);
        sender.widthUnits = 0;
        sender.chunk = 1000;
        JpegDepacketizer d = depacketizer();
        feed(d, sender.frame(1, scan));
        assertTrue(frames.isEmpty());
        assertEquals(1, d.packetsSkipped());
        assertEquals(1, d.framesDropped());

        JpegDepacketizer invalidHint = new JpegDepacketizer(params(MAX, Map.of("x-dimensions", "2056x16")));
        feed(invalidHint, sender.frame(2, scan));
        assertTrue(frames.isEmpty());
        assertEquals(1, invalidHint.packetsSkipped());
    }

    @Test
    void xDimensionsGiveTheSizeAbove2040() {
        byte[] original = TestJpeg.encode(2056, 16, 50, true, 0);
        Rfc2435Sender sender = new Rfc2435Sender(8, 8, 1, 50);
        sender.widthUnits = 0;
        sender.heightUnits = 0;
        sender.chunk = 1000;
        JpegDepacketizer d = new JpegDepacketizer(params(MAX, Map.of("X-Dimensions", " 2056,16 ")));
        feed(d, sender.frame(1, TestJpeg.parse(original).scan()));
        assertEquals(1, frames.size());
        TestJpeg.Parsed out = TestJpeg.parse(frames.get(0).data());
        assertEquals(2056, out.width());
        assertEquals(16, out.height());
        assertSamePicture(original, frames.get(0).data());
    }

    @Test
    void aNonZeroHeaderSizeWinsOverXDimensions() {
        byte[] original = TestJpeg.encode(32, 16, 50, true, 0);
        JpegDepacketizer d = new JpegDepacketizer(params(MAX, Map.of("x-dimensions", "4000,3000")));
        feed(d, new Rfc2435Sender(32, 16, 1, 50).frame(1, TestJpeg.parse(original).scan()));
        assertEquals(1, frames.size());
        assertSamePicture(original, frames.get(0).data());
    }

    /** Wraps {@code payload} in an RTP packet carrying an empty header extension with the given profile. */
    private static ByteBuf withExtension(int profile, boolean marker, int seq, long ts, byte[] payload) {
        ByteBuf buf = Rfc2435Sender.packet(marker, seq, ts, new byte[0]);
        buf.setByte(0, buf.getByte(0) | 0x10);
        buf.writeShort(profile);
        buf.writeShort(0);
        buf.writeBytes(payload);
        return buf;
    }

    @Test
    void anOnvifExtensionIsIgnoredExceptWithQ0() {
        byte[] original = TestJpeg.encode(32, 16, 50, true, 0);
        byte[] scan = TestJpeg.parse(original).scan();
        Rfc2435Sender sender = new Rfc2435Sender(32, 16, 1, 50);
        JpegDepacketizer d = depacketizer();
        feed(d, withExtension(0xFFD8, true, 1, 10, sender.payload(0, scan, 0, scan.length)), false);
        assertEquals(1, frames.size());
        assertSamePicture(original, frames.get(0).data());

        sender.q = 0;
        feed(d, withExtension(0xFFD8, true, 2, 20, sender.payload(0, scan, 0, scan.length)), false);
        assertEquals(1, frames.size());
        assertEquals(1, d.packetsSkipped());

        // without the extension Q 0 is computed as RFC 2435 Appendix A does (factor limited to 1)
        feed(d, Rfc2435Sender.packet(true, 3, 30, sender.payload(0, scan, 0, scan.length)), false);
        assertEquals(2, frames.size());
        int[] q1 = new int[128];
        JpegTables.scaledTables(1, q1);
        assertArrayEquals(q1, TestJpeg.parse(frames.get(1).data()).tables());
    }

    @Test
    void resetForgetsThePartialFrame() {
        byte[] original = TestJpeg.encode(64, 48, 50, true, 0);
        byte[] scan = TestJpeg.parse(original).scan();
        Rfc2435Sender sender = new Rfc2435Sender(64, 48, 1, 50);
        sender.chunk = 100;
        JpegDepacketizer d = depacketizer();
        List<ByteBuf> packets = sender.frame(1, scan);
        feed(d, packets.get(0), false);
        release(packets.subList(1, packets.size()));
        d.reset();
        feed(d, sender.frame(2, scan));
        assertEquals(1, frames.size());
        assertTrue(frames.get(0).discontinuity());
        assertEquals(0, d.framesDropped());
        assertSamePicture(original, frames.get(0).data());
    }

    @Test
    void aStormOfMalformedPacketsLogsOneWarning() {
        JpegDepacketizer d = depacketizer();
        try (CapturedLog warnings = CapturedLog.capture(JpegDepacketizer.class)) {
            for (int i = 0; i < 5000; i++) {
                feed(d, Rfc2435Sender.packet(true, i, i, hexBytes("00000000")), false);
            }
            assertEquals(5000, d.packetsSkipped());
            assertEquals(5000, d.framesDropped());
            List<String> lines = warnings.warnings();
            assertEquals(1, lines.size(), "one warning per 10 s: " + lines);
            assertTrue(lines.get(0).contains("shorter than the 8-byte JPEG header"), lines.get(0));
        }
    }

    @Test
    void constructorRejectsANonPositiveLimit() {
        assertThrows(IllegalArgumentException.class, () -> new JpegDepacketizer(params(0, Map.of())));
        assertNull(depacketizer().codecConfig());
    }

    static byte[] hexBytes(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
