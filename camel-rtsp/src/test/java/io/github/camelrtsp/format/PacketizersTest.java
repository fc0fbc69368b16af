package io.github.camelrtsp.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.camelrtsp.format.aac.Mpeg4GenericPacketizer;
import io.github.camelrtsp.format.g711.G711Packetizer;
import io.github.camelrtsp.format.g722.G722Packetizer;
import io.github.camelrtsp.format.h264.H264Packetizer;
import io.github.camelrtsp.format.h265.H265Packetizer;
import io.github.camelrtsp.format.lpcm.LpcmPacketizer;
import io.github.camelrtsp.format.mjpeg.JpegPacketizer;
import io.github.camelrtsp.format.opus.OpusPacketizer;

class PacketizersTest {

    private static PacketizerParameters params(String codec, int pt, int clock, Integer channels) {
        return new PacketizerParameters(codec, pt, clock, channels, Map.of(), 0x1234_5678L, 100, 1400);
    }

    @ParameterizedTest
    @CsvSource({
        "H264, 96, 90000, , H264/90000",
        "h265, 96, 90000, , H265/90000",
        "JPEG, 26, 90000, , JPEG/90000",
        "MPEG4-GENERIC, 97, 48000, 1, MPEG4-GENERIC/48000/1",
        "' Opus ', 111, 48000, 2, opus/48000/2",
        "PCMU, 0, 8000, , PCMU/8000",
        "pcma, 8, 8000, , PCMA/8000",
        "G722, 9, 8000, , G722/8000",
        "L16, 98, 44100, 2, L16/44100/2",
        "L8, 99, 8000, , L8/8000",
    })
    void createsThePacketizerOfEachCodec(String codec, int pt, int clock, Integer channels, String rtpMap) {
        Packetizer p = Packetizers.create(params(codec, pt, clock, channels));
        Class<?> expected = switch (codec.trim().toUpperCase()) {
            case "H264" -> H264Packetizer.class;
            case "H265" -> H265Packetizer.class;
            case "JPEG" -> JpegPacketizer.class;
            case "MPEG4-GENERIC" -> Mpeg4GenericPacketizer.class;
            case "OPUS" -> OpusPacketizer.class;
            case "PCMU", "PCMA" -> G711Packetizer.class;
            case "G722" -> G722Packetizer.class;
            default -> LpcmPacketizer.class;
        };
        assertInstanceOf(expected, p);
        assertTrue(p.rtpMap().equalsIgnoreCase(rtpMap), p.rtpMap());
        assertEquals(100, p.nextSequenceNumber());
    }

    @Test
    void unknownCodecIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Packetizers.create(params("VP8", 96, 90000, null)));
        assertTrue(e.getMessage().contains("VP8"), e.getMessage());
        IllegalArgumentException latm = assertThrows(IllegalArgumentException.class,
                () -> Packetizers.create(params("MP4A-LATM", 96, 48000, null)));
        assertTrue(latm.getMessage().contains("MP4A-LATM"), latm.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Packetizers.create(params(null, 96, 90000, null)));
        assertThrows(NullPointerException.class, () -> Packetizers.create(null));
    }

    @Test
    void parameterProblemsOfTheChosenPacketizerPassThrough() {
        assertThrows(IllegalArgumentException.class, () -> Packetizers.create(params("H264", 96, 8000, null)));
    }
}
