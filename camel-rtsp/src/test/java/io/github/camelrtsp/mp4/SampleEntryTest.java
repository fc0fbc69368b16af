package io.github.camelrtsp.mp4;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.testsupport.Corpus;
import io.github.camelrtsp.testsupport.FfProbe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Sample entries: the bytes of avcC, hvcC, esds and dOps, and what ffprobe reads from init segments built from real
 * cameras' parameter sets and configs.
 */
class SampleEntryTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        FfProbe.requireAvailable();
    }

    private static SampleEntry hikvisionH264() {
        FormatParameters p = Corpus.track("hikvision_describe.txt", "H264", 1 << 20);
        List<byte[]> sets = ParameterSetsTest.sprop(p, "sprop-parameter-sets");
        return SampleEntry.h264(List.of(sets.get(0)), List.of(sets.get(1)));
    }

    private static SampleEntry dahuaH265() {
        FormatParameters p = Corpus.track("dahua_describe_h265_pcma.txt", "H265", 1 << 20);
        return SampleEntry.h265(ParameterSetsTest.sprop(p, "sprop-vps"), ParameterSetsTest.sprop(p, "sprop-sps"),
                ParameterSetsTest.sprop(p, "sprop-pps"));
    }

    private static SampleEntry dahuaAac() {
        FormatParameters p = Corpus.track("dahua_describe_h264_aac_onvif.txt", "MPEG4-GENERIC", 1 << 20);
        return SampleEntry.aac(HexFormat.of().parseHex(p.fmtp().get("config")));
    }

    private static byte[] init(SampleEntry... tracks) {
        BoxWriter w = new BoxWriter(256);
        Fmp4Writer.writeInit(w, List.of(tracks));
        return w.toByteArray();
    }

    private Map<String, String> probe(byte[] init, String stream) throws Exception {
        Path file = Files.write(dir.resolve("init-" + System.nanoTime() + ".mp4"), init);
        FfProbe.FfResult r = FfProbe.ffprobe(FfProbe.DECODE_TIMEOUT, "-v", "error", "-select_streams", stream,
                "-show_entries", "stream=codec_name,codec_tag_string,profile,width,height,sample_rate,channels",
                "-of", "compact=p=0", file.toString());
        assertEquals(0, r.exitCode(), r.describe());
        Map<String, String> fields = new java.util.HashMap<>();
        for (String f : r.lines().get(0).split("\\|")) {
            fields.put(f.substring(0, f.indexOf('=')), f.substring(f.indexOf('=') + 1));
        }
        return fields;
    }

    @Test
    void avcCFromRealParameterSets() throws Exception {
        SampleEntry f = hikvisionH264();
        assertEquals("avc1", f.sampleEntryType());
        assertEquals(90_000, f.timescale());
        assertEquals(1920, f.width());
        assertEquals(1080, f.height());
        byte[] init = init(f);
        Boxes.Box stsd = Boxes.parse(init).find("moov/trak/mdia/minf/stbl/stsd");
        Boxes.Box avc1 = stsd.find("avc1");
        ByteBuffer entry = avc1.payload();
        assertEquals(1, entry.getShort(6), "data_reference_index");
        assertEquals(1920, entry.getShort(24) & 0xFFFF);
        assertEquals(1080, entry.getShort(26) & 0xFFFF);
        ByteBuffer avcC = avc1.find("avcC").payload();
        assertEquals(1, avcC.get(0), "configurationVersion");
        assertEquals(77, avcC.get(1), "profile");
        assertEquals(41, avcC.get(3), "level");
        assertEquals((byte) 0xFF, avcC.get(4), "4-byte NAL unit lengths");
        assertEquals((byte) 0xE1, avcC.get(5), "one SPS");
        Map<String, String> s = probe(init, "v:0");
        assertEquals("h264", s.get("codec_name"));
        assertEquals("avc1", s.get("codec_tag_string"));
        assertEquals("1920", s.get("width"));
        assertEquals("1080", s.get("height"));
    }

    @Test
    void hvcCFromRealParameterSets() throws Exception {
        SampleEntry f = dahuaH265();
        assertEquals("hvc1", f.sampleEntryType());
        byte[] init = init(f);
        ByteBuffer hvcC = Boxes.parse(init).find("moov/trak/mdia/minf/stbl/stsd/hvc1/hvcC").payload();
        assertEquals(1, hvcC.get(0));
        assertEquals(1, hvcC.get(1), "space 0, tier 0, profile 1");
        assertEquals(90, hvcC.get(12) & 0xFF, "level");
        assertEquals((byte) 0xFD, hvcC.get(16), "chroma 4:2:0");
        assertEquals(0x0F, hvcC.get(21) & 0x0F, "temporal id nested, 4-byte lengths");
        assertEquals(3, hvcC.get(22), "VPS, SPS and PPS arrays");
        assertEquals((byte) (0x80 | 32), hvcC.get(23), "complete VPS array first");
        Map<String, String> s = probe(init, "v:0");
        assertEquals("hevc", s.get("codec_name"));
        assertEquals("hvc1", s.get("codec_tag_string"));
        assertEquals("Main", s.get("profile"));
        assertEquals("704", s.get("width"));
        assertEquals("480", s.get("height"));
    }

    @Test
    void esdsFromRealAudioSpecificConfig() throws Exception {
        SampleEntry f = dahuaAac();
        assertEquals(48_000, f.timescale());
        assertEquals(1, f.channels());
        byte[] init = init(f);
        Boxes.Box mp4a = Boxes.parse(init).find("moov/trak/mdia/minf/stbl/stsd/mp4a");
        assertEquals(1, mp4a.payload().getShort(16), "channelcount");
        assertEquals(48_000, mp4a.payload().getInt(24) >>> 16, "samplerate");
        byte[] esds = Arrays.copyOfRange(mp4a.find("esds").payload().array(),
                mp4a.find("esds").offset() + 12, mp4a.find("esds").offset() + mp4a.find("esds").size());
        assertEquals(0x03, esds[0], "ES_Descriptor");
        int decSpecific = indexOf(esds, new byte[] {0x05, (byte) 0x80, (byte) 0x80, (byte) 0x80, 2, 0x11,
            (byte) 0x88});
        assertEquals(true, decSpecific > 0, "DecoderSpecificInfo with the config");
        assertEquals(0x04, esds[8], "DecoderConfigDescriptor");
        assertEquals(0x40, esds[13], "objectTypeIndication MPEG-4 audio");
        assertEquals(0x15, esds[14], "audio stream");
        Map<String, String> s = probe(init, "a:0");
        assertEquals("aac", s.get("codec_name"));
        assertEquals("48000", s.get("sample_rate"));
        assertEquals("1", s.get("channels"));
    }

    @Test
    void opusAndG711() throws Exception {
        byte[] head = {'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, 2, 0x38, 1, (byte) 0x80, (byte) 0xBB, 0, 0, 0, 0, 0};
        SampleEntry opus = SampleEntry.opus(head);
        byte[] init = init(opus, SampleEntry.g711(true, 8000, 1), SampleEntry.g711(false, 8000, 1));
        Boxes.Box moov = Boxes.parse(init).find("moov");
        assertEquals(3, moov.all("trak").size());
        assertEquals(3, moov.find("mvex").all("trex").size());
        ByteBuffer dOps = moov.find("trak/mdia/minf/stbl/stsd/Opus/dOps").payload();
        assertArrayEquals(new byte[] {0, 2, 1, 0x38, 0, 0, (byte) 0xBB, (byte) 0x80, 0, 0, 0},
                Arrays.copyOfRange(dOps.array(), dOps.arrayOffset(), dOps.arrayOffset() + 11),
                "dOps is big-endian: version, channels, pre-skip 312, rate 48000, gain, family");
        assertEquals("opus", probe(init, "a:0").get("codec_name"));
        assertEquals("2", probe(init, "a:0").get("channels"));
        assertEquals("pcm_mulaw", probe(init, "a:1").get("codec_name"));
        assertEquals("pcm_alaw", probe(init, "a:2").get("codec_name"));
        assertEquals("8000", probe(init, "a:2").get("sample_rate"));
        assertThrows(Mp4FormatException.class, () -> SampleEntry.opus(new byte[19]));
        assertThrows(Mp4FormatException.class, () -> SampleEntry.g711(true, 0, 1));
    }

    @Test
    void samplesDropDelimitersAndParameterSetsAndAdtsHeaders() {
        SampleEntry h264 = hikvisionH264();
        byte[] au = {0, 0, 0, 1, 0x09, (byte) 0xF0, 0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 1, 0x06, 5,
            0, 0, 0, 1, 0x65, 7, 7, 7};
        assertArrayEquals(new byte[] {0, 0, 0, 2, 0x06, 5, 0, 0, 0, 4, 0x65, 7, 7, 7}, h264.sampleData(au));
        SampleEntry h265 = dahuaH265();
        byte[] hevc = {0, 0, 1, 0x40, 1, 9, 0, 0, 1, 0x42, 1, 9, 0, 0, 1, 0x44, 1, 9, 0, 0, 1, 0x46, 1, 0x50,
            0, 0, 1, 0x26, 1, (byte) 0xAF, 8};
        assertArrayEquals(new byte[] {0, 0, 0, 4, 0x26, 1, (byte) 0xAF, 8}, h265.sampleData(hevc));
        SampleEntry aac = dahuaAac();
        // ADTS without CRC: 7-byte header, frame_length 10
        byte[] adts = {(byte) 0xFF, (byte) 0xF1, 0x4C, (byte) 0x80, 0x01, 0x5F, (byte) 0xFC, 1, 2, 3};
        assertArrayEquals(new byte[] {1, 2, 3}, aac.sampleData(adts));
        // with CRC: 9-byte header
        byte[] crc = {(byte) 0xFF, (byte) 0xF0, 0x4C, (byte) 0x80, 0x01, 0x7F, (byte) 0xFC, 0, 0, 1, 2};
        assertArrayEquals(new byte[] {1, 2}, aac.sampleData(crc));
        assertThrows(Mp4FormatException.class, () -> aac.sampleData(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        byte[] lying = adts.clone();
        lying[4] = 0x7F; // frame_length far beyond the body
        assertThrows(Mp4FormatException.class, () -> aac.sampleData(lying));
    }

    @Test
    void missingParameterSetsAreRejected() {
        assertThrows(Mp4FormatException.class, () -> SampleEntry.h264(List.of(), List.of(new byte[] {0x68})));
        assertThrows(Mp4FormatException.class, () -> SampleEntry.h265(List.of(), List.of(), List.of()));
        assertThrows(Mp4FormatException.class, () -> SampleEntry.aac(new byte[] {0}));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
