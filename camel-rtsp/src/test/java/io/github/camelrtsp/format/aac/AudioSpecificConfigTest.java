package io.github.camelrtsp.format.aac;

import java.io.IOException;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.aac.AacTestSupport.Bits;
import io.github.camelrtsp.testsupport.Corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AudioSpecificConfigTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // config, object type, frequency index, rate, channel config, channels, frame length
        "1490, 2, 9, 12000, 2, 2, 1024",
        "1408, 2, 8, 16000, 1, 1, 1024",
        "1188, 2, 3, 48000, 1, 1, 1024",
        "1210, 2, 4, 44100, 2, 2, 1024",
        "0A10, 1, 4, 44100, 2, 2, 1024",
        "2190, 4, 3, 48000, 2, 2, 1024",
        "13A8, 2, 7, 22050, 5, 5, 1024",
        "11B8, 2, 3, 48000, 7, 8, 1024",
    })
    void readsTheCommonHeader(String hex, int aot, int index, int rate, int channelConfig, int channels, int frame) {
        AudioSpecificConfig c = AudioSpecificConfig.parseHex(hex);
        assertEquals(aot, c.audioObjectType());
        assertEquals(index, c.samplingFrequencyIndex());
        assertEquals(rate, c.samplingFrequency());
        assertEquals(rate, c.outputSamplingFrequency());
        assertEquals(channelConfig, c.channelConfiguration());
        assertEquals(channels, c.channelCount());
        assertEquals(frame, c.frameLength());
        assertEquals(frame, c.samplesPerFrame());
        assertFalse(c.sbr());
        assertNull(c.adtsIncompatibility());
        assertArrayEquals(HexFormat.of().parseHex(hex), c.bytes());
    }

    @Test
    void syncExtensionSaysSbrAbsent() {
        // AAC LC 48 kHz stereo, then sync extension 0x2B7 with object type 5 and sbrPresentFlag 0
        AudioSpecificConfig c = AudioSpecificConfig.parseHex("119056E500");
        assertEquals(2, c.audioObjectType());
        assertEquals(48000, c.samplingFrequency());
        assertEquals(2, c.channelConfiguration());
        assertFalse(c.sbr());
        assertEquals(1024, c.samplesPerFrame());
    }

    @Test
    void syncExtensionSignallingSbrAndPs() {
        byte[] config = new Bits().put(2, 5).put(6, 4).put(1, 4).put(0, 3) // LC 24 kHz mono
                .put(0x2B7, 11).put(5, 5).put(1, 1).put(3, 4)               // SBR at 48 kHz
                .put(0x548, 11).put(1, 1).toBytes();                        // PS
        AudioSpecificConfig c = AudioSpecificConfig.parse(config);
        assertEquals(2, c.audioObjectType());
        assertTrue(c.sbr());
        assertTrue(c.ps());
        assertEquals(24000, c.samplingFrequency());
        assertEquals(48000, c.outputSamplingFrequency());
        assertEquals(1024, c.frameLength());
        assertEquals(2048, c.samplesPerFrame());
        assertNull(c.adtsIncompatibility(), "ADTS carries the LC core; SBR is found by the decoder");
    }

    @Test
    void explicitHeAacObjectType5() {
        byte[] config = new Bits().put(5, 5).put(6, 4).put(2, 4).put(3, 4).put(2, 5).put(0, 3).toBytes();
        AudioSpecificConfig c = AudioSpecificConfig.parse(config);
        assertEquals(2, c.audioObjectType());
        assertTrue(c.sbr());
        assertFalse(c.ps());
        assertEquals(6, c.samplingFrequencyIndex());
        assertEquals(24000, c.samplingFrequency());
        assertEquals(48000, c.outputSamplingFrequency());
        assertEquals(2048, c.samplesPerFrame());
        assertEquals(6, c.adtsSamplingFrequencyIndex());
        assertNull(c.adtsIncompatibility());
    }

    @Test
    void explicitHeAacV2ObjectType29() {
        byte[] config = new Bits().put(29, 5).put(6, 4).put(1, 4).put(3, 4).put(2, 5).put(0, 3).toBytes();
        AudioSpecificConfig c = AudioSpecificConfig.parse(config);
        assertTrue(c.sbr());
        assertTrue(c.ps());
        assertEquals(2, c.audioObjectType());
        assertEquals(1, c.channelConfiguration());
    }

    @Test
    void escapedSamplingRateInTheAdtsTable() {
        byte[] config = new Bits().put(2, 5).put(15, 4).put(44100, 24).put(2, 4).put(0, 3).toBytes();
        AudioSpecificConfig c = AudioSpecificConfig.parse(config);
        assertEquals(15, c.samplingFrequencyIndex());
        assertEquals(44100, c.samplingFrequency());
        assertEquals(2, c.channelConfiguration());
        assertEquals(4, c.adtsSamplingFrequencyIndex());
        assertNull(c.adtsIncompatibility());
    }

    @Test
    void escapedSamplingRateOutsideTheAdtsTable() {
        byte[] config = new Bits().put(2, 5).put(15, 4).put(22222, 24).put(1, 4).put(0, 3).toBytes();
        AudioSpecificConfig c = AudioSpecificConfig.parse(config);
        assertEquals(22222, c.samplingFrequency());
        assertEquals(-1, c.adtsSamplingFrequencyIndex());
        assertTrue(c.adtsIncompatibility().contains("22222"), c.adtsIncompatibility());
    }

    @Test
    void frameLengthFlagGives960Samples() {
        byte[] config = new Bits().put(2, 5).put(3, 4).put(2, 4).put(1, 1).put(0, 2).toBytes();
        AudioSpecificConfig c = AudioSpecificConfig.parse(config);
        assertEquals(960, c.frameLength());
        assertEquals(960, c.samplesPerFrame());
    }

    @Test
    void coreCoderDelayAndExtensionFlagAreRead() {
        // LC, dependsOnCoreCoder with a 14-bit delay, then the sync extension must still be found after it
        byte[] config = new Bits().put(2, 5).put(3, 4).put(2, 4).put(0, 1).put(1, 1).put(1234, 14).put(0, 1)
                .put(0x2B7, 11).put(5, 5).put(1, 1).put(3, 4).toBytes();
        AudioSpecificConfig c = AudioSpecificConfig.parse(config);
        assertTrue(c.sbr(), "sync extension found after the core coder delay");
    }

    @Test
    void programConfigElementGivesTheLayout() {
        // what avenc_aac writes for a 2.1 layout: channel configuration 0, PCE with a comment, then a sync extension
        AudioSpecificConfig c = AudioSpecificConfig.parseHex("118004c4010020000d4c61766335392e33372e31303056e500");
        assertEquals(2, c.audioObjectType());
        assertEquals(48000, c.samplingFrequency());
        assertEquals(0, c.channelConfiguration());
        assertEquals(3, c.channelCount(), "front CPE + LFE");
        assertNull(c.adtsIncompatibility());
        byte[] pce = c.adtsProgramConfigElement();
        assertNotNull(pce);
        assertEquals(5, (pce[0] & 0xFF) >>> 5, "starts with ID_PCE");
        assertEquals(0, pce[pce.length - 1], "comment dropped: comment_field_bytes 0");
    }

    @Test
    void otherObjectTypesHaveNoAdtsProfile() {
        byte[] usac = new Bits().put(31, 5).put(42 - 32, 6).put(3, 4).put(2, 4).put(0, 16).toBytes();
        AudioSpecificConfig c = AudioSpecificConfig.parse(usac);
        assertEquals(42, c.audioObjectType());
        assertFalse(c.complete());
        assertTrue(c.adtsIncompatibility().contains("object type 42"), c.adtsIncompatibility());

        byte[] ld = new Bits().put(23, 5).put(3, 4).put(1, 4).put(0, 3).put(0, 2).toBytes();
        AudioSpecificConfig low = AudioSpecificConfig.parse(ld);
        assertEquals(512, low.frameLength());
        assertTrue(low.complete());
        assertNotNull(low.adtsIncompatibility());
    }

    @Test
    void channelConfigurationAbove7HasNoAdtsField() {
        byte[] config = new Bits().put(2, 5).put(3, 4).put(13, 4).put(0, 3).toBytes();
        assertTrue(AudioSpecificConfig.parse(config).adtsIncompatibility().contains("channel configuration 13"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1408;", " 14 08 ; ", "1408; ;", "14\t08"})
    void hexWithSpacesAndTrailingSemicolons(String hex) {
        assertEquals(16000, AudioSpecificConfig.parseHex(hex).samplingFrequency());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ";", "140", "14G8", "12", "1688", "1708", "0008"})
    void invalidConfigsAreRejected(String hex) {
        // empty, odd length, not hex, truncated header, reserved frequency indices 13 and 14, object type 0
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                                  () -> AudioSpecificConfig.parseHex(hex));
        assertNotNull(e.getMessage());
    }

    @Test
    void truncatedProgramConfigElementIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> AudioSpecificConfig.parseHex("118004c401"));
    }

    @Test
    void bytesAreACopy() {
        AudioSpecificConfig c = AudioSpecificConfig.parseHex("1490");
        c.bytes()[0] = 0;
        assertEquals(0x14, c.bytes()[0]);
        assertEquals(AudioSpecificConfig.parseHex("1490"), c);
        assertEquals(AudioSpecificConfig.parseHex("1490").hashCode(), c.hashCode());
    }

    /** Every corpus track with MPEG4-GENERIC: the config parses and agrees with the rtpmap clock rate. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "reolink_describe.txt, 16000, 1, 1408",
        "reolink_describe_control_first.txt, 16000, 1, 1408",
        "dahua_describe_h264_aac_onvif.txt, 48000, 1, 1188",
        "bunny_describe.txt, 12000, 2, 1490",
        "response.txt, 12000, 2, 1490",
        "ubiquiti_sdp.txt, 48000, 1, 1188",
        "anpviz_sdp.txt, 16000, 1, 1408",
        "missing_content_type_describe.txt, 48000, 2, 119056e500",
    })
    void corpusConfigs(String file, int rate, int channels, String hex) throws IOException {
        FormatParameters params = Corpus.track(file, "MPEG4-GENERIC", 8192);
        assertEquals(rate, params.clockRate());
        Mpeg4GenericDepacketizer d = new Mpeg4GenericDepacketizer(params);
        AudioSpecificConfig c = d.audioSpecificConfig();
        assertEquals(2, c.audioObjectType(), c.toString());
        assertEquals(rate, c.samplingFrequency());
        assertEquals(channels, c.channelCount());
        assertEquals(1024, c.frameLength());
        assertArrayEquals(HexFormat.of().parseHex(hex), d.codecConfig());
    }

    @Test
    void reolinkConfigWithSpaceAndTrailingSemicolonAsWritten() throws IOException {
        String describe = java.nio.file.Files.readString(
                Corpus.dir().resolve("responses/reolink_describe.txt"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("config=([^\\r\\n]*)").matcher(describe);
        assertTrue(m.find());
        String raw = m.group(1); // "1408; profile=1;" as the camera writes the rest of the line
        String configPart = raw.substring(0, raw.indexOf("profile"));
        assertEquals("1408; ", configPart);
        assertEquals(16000, AudioSpecificConfig.parseHex(configPart).samplingFrequency());
    }
}
