package io.github.camelrtsp.format.aac;

import static io.github.camelrtsp.format.PacketizerHarness.assertSameFrames;
import static io.github.camelrtsp.format.PacketizerHarness.depacketize;
import static io.github.camelrtsp.format.PacketizerHarness.marker;
import static io.github.camelrtsp.format.PacketizerHarness.packetize;
import static io.github.camelrtsp.format.PacketizerHarness.payload;
import static io.github.camelrtsp.format.PacketizerHarness.timestamp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.camelrtsp.testsupport.GstRtpCapture;
import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.PacketizerHarness;
import io.github.camelrtsp.format.PacketizerParameters;

class Mpeg4GenericPacketizerTest {

    private static final int MAX_FRAME = 64 * 1024;

    private static PacketizerParameters params(int clockRate, Integer channels, Map<String, String> fmtp, int mtu) {
        return new PacketizerParameters("MPEG4-GENERIC", 96, clockRate, channels, fmtp, 0x1111L, 1000, mtu);
    }

    /** An ADTS frame around {@code au}: MPEG-4, the given profile (object type - 1), frequency index, channels. */
    private static byte[] adts(int profile, int frequency, int channels, byte[] au, boolean crc) {
        int header = crc ? 9 : 7;
        int length = header + au.length;
        byte[] f = new byte[length];
        f[0] = (byte) 0xFF;
        f[1] = (byte) (crc ? 0xF0 : 0xF1);
        f[2] = (byte) ((profile << 6) | (frequency << 2) | (channels >> 2));
        f[3] = (byte) (((channels & 3) << 6) | (length >> 11));
        f[4] = (byte) (length >> 3);
        f[5] = (byte) (((length & 7) << 5) | 0x1F);
        f[6] = (byte) 0xFC;
        System.arraycopy(au, 0, f, header, au.length);
        return f;
    }

    /** Splits a file of ADTS frames into one frame each, timestamps 1024 apart. */
    private static List<MediaFrame> adtsFrames(byte[] file) {
        List<MediaFrame> frames = new ArrayList<>();
        int pos = 0;
        while (pos < file.length) {
            int length = ((file[pos + 3] & 3) << 11) | ((file[pos + 4] & 0xFF) << 3) | ((file[pos + 5] & 0xFF) >> 5);
            frames.add(new MediaFrame(1024L * frames.size(), Arrays.copyOfRange(file, pos, pos + length), true, false,
                                      1024));
            pos += length;
        }
        return frames;
    }

    /** The depacketizer's parameters from the packetizer's SDP values. */
    private static FormatParameters sdp(Mpeg4GenericPacketizer packetizer, PacketizerParameters p) {
        String[] map = packetizer.rtpMap().split("/");
        return new FormatParameters(map[0], p.payloadType(), Integer.parseInt(map[1]),
                                    map.length > 2 ? Integer.valueOf(map[2]) : null, packetizer.formatParameters(),
                                    MAX_FRAME);
    }

    /** The caps GStreamer's rtpstreamdepay needs, from the packetizer's SDP values. */
    private static String caps(Mpeg4GenericPacketizer packetizer, PacketizerParameters p) {
        String[] map = packetizer.rtpMap().split("/");
        StringBuilder caps = new StringBuilder("application/x-rtp-stream,media=audio,clock-rate=" + map[1]
                + ",encoding-name=MPEG4-GENERIC,payload=" + p.payloadType() + ",encoding-params=(string)" + map[2]);
        packetizer.formatParameters().forEach((k, v) -> caps.append(',').append(k).append("=(string)").append(v));
        return caps.toString();
    }

    private static byte[] pattern(int seed, int length) {
        return AacTestSupport.pattern(seed, length);
    }

    @Test
    void accessUnitGoesOutWithOneAuHeaderAndTheConfigComesFromTheAdtsHeader() {
        PacketizerParameters p = params(44100, null, Map.of(), 1400);
        Mpeg4GenericPacketizer packetizer = new Mpeg4GenericPacketizer(p);
        assertNull(packetizer.audioSpecificConfig());
        assertFalse(packetizer.formatParameters().containsKey("config"), "config unknown before the first frame");
        byte[] au = pattern(3, 300);
        List<byte[]> packets = packetize(packetizer, p, List.of(new MediaFrame(5000, adts(1, 4, 2, au, false), true,
                                                                               false, 1024)));
        assertEquals(1, packets.size());
        byte[] payload = payload(packets.get(0));
        assertEquals(16, ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF), "AU-headers-length");
        assertEquals(300, (((payload[2] & 0xFF) << 8) | (payload[3] & 0xFF)) >> 3, "AU-size");
        assertEquals(0, payload[3] & 7, "AU-Index");
        assertArrayEquals(au, Arrays.copyOfRange(payload, 4, payload.length));
        assertTrue(marker(packets.get(0)));
        assertEquals(5000, timestamp(packets.get(0)));
        assertEquals("1210", packetizer.formatParameters().get("config"));
        assertEquals(Map.of("streamtype", "5", "profile-level-id", "1", "mode", "AAC-hbr", "config", "1210",
                            "sizelength", "13", "indexlength", "3", "indexdeltalength", "3"),
                     packetizer.formatParameters());
        assertEquals("MPEG4-GENERIC/44100/2", packetizer.rtpMap());
    }

    @Test
    void crcHeadersAndSeveralAdtsFramesInOneFrame() {
        // 24 kHz core (index 6) in a 48 kHz clock: each access unit lasts 2048 ticks
        PacketizerParameters p = params(48000, 1, Map.of(), 1400);
        Mpeg4GenericPacketizer packetizer = new Mpeg4GenericPacketizer(p);
        byte[] a = pattern(1, 100);
        byte[] b = pattern(2, 120);
        byte[] c = pattern(3, 140);
        byte[] data = AacTestSupport.concat(adts(1, 6, 1, a, true), adts(1, 6, 1, b, false), adts(1, 6, 1, c, true));
        List<byte[]> packets = packetize(packetizer, p, List.of(new MediaFrame(0xFFFFF000L, data, true, false, 0)));
        assertEquals(3, packets.size());
        assertEquals(List.of(0xFFFFF000L, 0xFFFFF800L, 0L), packets.stream().map(x -> timestamp(x)).toList());
        assertArrayEquals(b, Arrays.copyOfRange(payload(packets.get(1)), 4, 124));
        assertArrayEquals(c, Arrays.copyOfRange(payload(packets.get(2)), 4, 144), "9-byte header with CRC stripped");
        List<MediaFrame> back = depacketize(new Mpeg4GenericDepacketizer(sdp(packetizer, p)), packets);
        assertEquals(3, back.size());
        assertArrayEquals(adts(1, 6, 1, a, false), back.get(0).data());
        assertEquals(0L, back.get(2).rtpTimestamp());
    }

    @Test
    void malformedFramesAreRejectedAndNothingIsSent() {
        PacketizerParameters p = params(44100, 2, Map.of(), 1400);
        Mpeg4GenericPacketizer packetizer = new Mpeg4GenericPacketizer(p);
        List<Object> sent = new ArrayList<>();
        byte[] good = adts(1, 4, 2, pattern(0, 50), false);
        byte[] noSync = good.clone();
        noSync[1] = 0x01;
        byte[] cut = Arrays.copyOf(good, good.length - 1);
        byte[] twoBlocks = good.clone();
        twoBlocks[6] = (byte) 0xFD;
        byte[] goodThenOtherRate = AacTestSupport.concat(good, adts(1, 3, 2, pattern(0, 50), false));
        for (byte[] bad : List.of(noSync, cut, twoBlocks, goodThenOtherRate, Arrays.copyOf(good, 5))) {
            assertThrows(IllegalArgumentException.class,
                         () -> packetizer.packetize(new MediaFrame(0, bad, true, false, 0), sent::add));
        }
        assertTrue(sent.isEmpty());
        assertEquals(1000, packetizer.nextSequenceNumber());
        packetizer.packetize(new MediaFrame(0, good, true, false, 1024), b -> sent.add(PacketizerHarness.take(b)));
        assertEquals(1, sent.size());
        byte[] otherChannels = adts(1, 4, 1, pattern(0, 50), false);
        assertThrows(IllegalArgumentException.class,
                     () -> packetizer.packetize(new MediaFrame(0, otherChannels, true, false, 0), sent::add));
        // channel configuration 0 needs the config, with its program config element
        Mpeg4GenericPacketizer fresh = new Mpeg4GenericPacketizer(params(44100, 3, Map.of(), 1400));
        assertThrows(IllegalArgumentException.class, () -> fresh.packetize(
                new MediaFrame(0, adts(1, 4, 0, pattern(0, 50), false), true, false, 0), sent::add));
        // a given config must match the headers; one ADTS cannot describe (AAC-LD, object type 23) is refused
        Mpeg4GenericPacketizer configured = new Mpeg4GenericPacketizer(params(44100, 2, Map.of("config", "1210"),
                                                                              1400));
        assertEquals("1210", configured.formatParameters().get("config"));
        assertThrows(IllegalArgumentException.class, () -> configured.packetize(
                new MediaFrame(0, adts(1, 3, 2, pattern(0, 50), false), true, false, 0), sent::add));
        assertThrows(IllegalArgumentException.class,
                     () -> new Mpeg4GenericPacketizer(params(48000, 1, Map.of("config", "B98C00"), 1400)));
        assertThrows(IllegalArgumentException.class,
                     () -> new Mpeg4GenericPacketizer(params(48000, 1, Map.of(), 12 + 4)));
        assertThrows(IllegalArgumentException.class, () -> new Mpeg4GenericPacketizer(
                new PacketizerParameters("MP4A-LATM", 96, 48000, 1, Map.of(), 1, 0, 1400)));
    }

    /**
     * ADTS from a real encoder (voaacenc, MPEG-2 ADTS id) through the packetizer: our depacketizer returns the same
     * access units, a second pass through packetizer and depacketizer is byte-exact, and GStreamer depayloads and
     * decodes the RFC 4571 file into 1024 samples per frame.
     */
    @Test
    void realAdtsRoundTripAndGstreamerDecodes() {
        Path dir = PacketizerHarness.workDir("aac");
        byte[] file = PacketizerHarness.read(PacketizerHarness.gstreamerMake("audiotestsrc num-buffers=40 "
                + "! audio/x-raw,rate=44100,channels=2 ! voaacenc ! audio/mpeg,stream-format=adts",
                dir.resolve("voaacenc.aac")));
        List<MediaFrame> frames = adtsFrames(file);
        assertTrue(frames.size() >= 30, frames.size() + " frames");
        PacketizerParameters p = params(44100, null, Map.of(), 1400);
        Mpeg4GenericPacketizer packetizer = new Mpeg4GenericPacketizer(p);
        List<byte[]> packets = packetize(packetizer, p, frames);
        assertEquals(frames.size(), packets.size());

        List<MediaFrame> back = depacketize(new Mpeg4GenericDepacketizer(sdp(packetizer, p)), packets);
        assertEquals(frames.size(), back.size());
        for (int i = 0; i < frames.size(); i++) {
            byte[] in = frames.get(i).data();
            assertArrayEquals(Arrays.copyOfRange(in, 7, in.length), AacTestSupport.body(back.get(i)), "AU " + i);
            assertEquals(frames.get(i).rtpTimestamp(), back.get(i).rtpTimestamp());
        }
        PacketizerParameters p2 = params(44100, 2, Map.of(), 1400);
        Mpeg4GenericPacketizer second = new Mpeg4GenericPacketizer(p2);
        List<byte[]> again = packetize(second, p2, back);
        assertSameFrames(back, depacketize(new Mpeg4GenericDepacketizer(sdp(second, p2)), again));

        Path rtp = PacketizerHarness.writeRfc4571(packets, dir.resolve("voaacenc.rtp"));
        Path pcm = PacketizerHarness.gstreamerDecode(rtp, caps(packetizer, p), "rtpmp4gdepay ! avdec_aac ! "
                + "audioconvert ! audio/x-raw,format=S16LE", dir.resolve("voaacenc.s16"));
        assertEquals(frames.size() * 1024L * 2 * 2, PacketizerHarness.read(pcm).length, "decoded samples");
    }

    /**
     * Access units larger than the MTU allows are fragmented: every fragment repeats the AU header with the whole
     * size, only the last has the marker; our depacketizer and GStreamer reassemble them.
     */
    @Test
    void fragmentedAccessUnits() {
        Path dir = PacketizerHarness.workDir("aac");
        byte[] file = PacketizerHarness.read(PacketizerHarness.gstreamerMake("audiotestsrc num-buffers=30 "
                + "wave=white-noise ! audio/x-raw,rate=48000,channels=1 ! voaacenc bitrate=128000 "
                + "! audio/mpeg,stream-format=adts", dir.resolve("noise.aac")));
        List<MediaFrame> frames = adtsFrames(file);
        PacketizerParameters p = params(48000, 1, Map.of(), 120);
        Mpeg4GenericPacketizer packetizer = new Mpeg4GenericPacketizer(p);
        List<byte[]> packets = packetize(packetizer, p, frames);
        assertTrue(packets.size() > 2 * frames.size(), packets.size() + " packets for " + frames.size() + " AUs");
        long markers = packets.stream().filter(PacketizerHarness::marker).count();
        assertEquals(frames.size(), markers, "one marker per access unit");
        Map<Long, Integer> sizeByTimestamp = new HashMap<>();
        for (byte[] packet : packets) {
            byte[] payload = payload(packet);
            int auSize = (((payload[2] & 0xFF) << 8) | (payload[3] & 0xFF)) >> 3;
            Integer previous = sizeByTimestamp.put(timestamp(packet), auSize);
            assertTrue(previous == null || previous == auSize, "every fragment announces the whole AU size");
        }
        List<MediaFrame> back = depacketize(new Mpeg4GenericDepacketizer(sdp(packetizer, p)), packets);
        assertEquals(frames.size(), back.size());
        for (int i = 0; i < frames.size(); i++) {
            byte[] in = frames.get(i).data();
            assertArrayEquals(Arrays.copyOfRange(in, 7, in.length), AacTestSupport.body(back.get(i)), "AU " + i);
        }
        Path rtp = PacketizerHarness.writeRfc4571(packets, dir.resolve("noise.rtp"));
        Path pcm = PacketizerHarness.gstreamerDecode(rtp, caps(packetizer, p), "rtpmp4gdepay ! avdec_aac ! "
                + "audioconvert ! audio/x-raw,format=S16LE", dir.resolve("noise.s16"));
        assertEquals(frames.size() * 1024L * 2, PacketizerHarness.read(pcm).length, "decoded samples");
    }

    /**
     * Three channels (channel configuration 0, layout in a program config element of the config): GStreamer's
     * rtpmp4gpay stream through our depacketizer gives ADTS frames that repeat the element; the packetizer, given the
     * config, removes it again, so a second depacketizer pass is byte-exact.
     */
    @Test
    void programConfigElementLayoutRoundTrip() throws IOException {
        GstRtpCapture.Capture capture = GstRtpCapture.run(PacketizerHarness.workDir("aac").resolve("pce-source.rtp"),
                "audiotestsrc num-buffers=30 ! audio/x-raw,rate=48000,channels=3,channel-mask=(bitmask)0xb "
                + "! avenc_aac ! rtpmp4gpay pt=96");
        FormatParameters source = capture.params(MAX_FRAME);
        List<MediaFrame> frames = depacketize(new Mpeg4GenericDepacketizer(source), capture.packets());
        PacketizerParameters p = params(48000, 3, Map.of("config", source.fmtp().get("config")), 1400);
        Mpeg4GenericPacketizer packetizer = new Mpeg4GenericPacketizer(p);
        int pce = packetizer.audioSpecificConfig().adtsProgramConfigElement().length;
        List<byte[]> packets = packetize(packetizer, p, frames);
        for (int i = 0; i < frames.size(); i++) {
            assertEquals(frames.get(i).data().length - 7 - pce, payload(packets.get(i)).length - 4,
                         "the program config element is not sent in access unit " + i);
        }
        assertSameFrames(frames, depacketize(new Mpeg4GenericDepacketizer(sdp(packetizer, p)), packets));
    }
}
