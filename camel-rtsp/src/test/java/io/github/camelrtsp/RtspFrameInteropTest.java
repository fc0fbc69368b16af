package io.github.camelrtsp;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.imageio.ImageIO;

import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.audiotest.Decoded;
import io.github.camelrtsp.format.audiotest.OggOpusWriter;
import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.GstCamelTest;
import io.github.camelrtsp.testsupport.GstRtspServer;
import org.apache.camel.Message;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * output=frame against GStreamer's RTSP server, codec by codec, over TCP and UDP: each track's bodies are written to
 * a file and decoded with ffmpeg (or, for MJPEG, each body on its own), and what decodes must equal what was emitted.
 */
class RtspFrameInteropTest extends GstCamelTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int VIDEO_FRAMES = 30;
    private static final int AUDIO_FRAMES = 40;

    private final Map<String, List<Message>> byCodec = new ConcurrentHashMap<>();

    @BeforeAll
    static void ffmpeg() {
        FfProbe.requireAvailable();
    }

    @ParameterizedTest(name = "{0} + {1} over {2}")
    @CsvSource({
        "h264-inband, aac, tcp",
        "h264-inband, aac, udp",
        "h264-stapa, aac-latm, tcp",
        "h264-stapa, aac-latm, udp",
        "h264-bframes, opus, tcp",
        "h264-bframes, opus, udp",
        "h264-sdponly, pcmu, tcp",
        "h264-sdponly, pcmu, udp",
        "h265, pcma, tcp",
        "h265, pcma, udp",
        "mjpeg, g722, tcp",
        "mjpeg, g722, udp",
        "h264, l16, tcp",
        "h264, l16, udp"
    })
    void framesDecode(String video, String audio, String transport) throws Exception {
        startServer(video, audio);
        startRoute(server.url() + "?output=frame&transport=" + transport, "frames",
                e -> byCodec.computeIfAbsent(e.getMessage().getHeader(RtspConstants.CODEC, String.class),
                        k -> new CopyOnWriteArrayList<>()).add(e.getMessage().copy()));
        RtspConsumerInteropTest.await(() -> count("video") >= VIDEO_FRAMES && count("audio") >= AUDIO_FRAMES,
                () -> "frames of both tracks, got " + counts());
        camel.stop();

        for (Map.Entry<String, List<Message>> e : byCodec.entrySet()) {
            List<Message> frames = e.getValue();
            Message first = frames.get(0);
            String mediaType = first.getHeader(RtspConstants.MEDIA_TYPE, String.class);
            for (Message m : frames) {
                assertNotNull(m.getHeader(RtspConstants.PRESENTATION_TIME, Long.class), "presentation time");
                assertNotNull(m.getHeader(RtspConstants.KEY_FRAME, Boolean.class), "key frame flag");
                assertFalse(m.getHeader(RtspConstants.DISCONTINUITY, Boolean.class) && frames.indexOf(m) > 0
                        && "tcp".equals(transport), "no discontinuity over TCP on loopback");
            }
            if ("audio".equals(mediaType)) {
                long previous = Long.MIN_VALUE;
                for (Message m : frames) {
                    long pts = m.getHeader(RtspConstants.PRESENTATION_TIME, Long.class);
                    assertTrue(pts > previous, "audio presentation times increase: " + pts + " after " + previous);
                    previous = pts;
                }
            }
            checkDecodes(e.getKey(), frames);
        }
        long videoStart = firstPts("video");
        long audioStart = firstPts("audio");
        assertTrue(Math.abs(videoStart - audioStart) < 2_000_000,
                "tracks share a timeline: video starts at " + videoStart + " us, audio at " + audioStart + " us");
    }

    private long count(String mediaType) {
        return byCodec.values().stream().filter(l -> !l.isEmpty()
                && mediaType.equals(l.get(0).getHeader(RtspConstants.MEDIA_TYPE))).mapToLong(List::size).sum();
    }

    private String counts() {
        StringBuilder sb = new StringBuilder();
        byCodec.forEach((k, v) -> sb.append(k).append('=').append(v.size()).append(' '));
        return sb.toString();
    }

    private long firstPts(String mediaType) {
        return byCodec.values().stream().filter(l -> mediaType.equals(l.get(0).getHeader(RtspConstants.MEDIA_TYPE)))
                .findFirst().orElseThrow().get(0).getHeader(RtspConstants.PRESENTATION_TIME, Long.class);
    }

    private static List<MediaFrame> mediaFrames(List<Message> messages) {
        List<MediaFrame> frames = new ArrayList<>();
        for (Message m : messages) {
            Integer samples = m.getHeader(RtspConstants.SAMPLE_COUNT, Integer.class);
            frames.add(new MediaFrame(m.getHeader(RtspConstants.RTP_TIMESTAMP, Long.class), m.getBody(byte[].class),
                    m.getHeader(RtspConstants.KEY_FRAME, Boolean.class),
                    m.getHeader(RtspConstants.DISCONTINUITY, Boolean.class), samples == null ? 0 : samples));
        }
        return frames;
    }

    private void checkDecodes(String codec, List<Message> messages) throws Exception {
        List<MediaFrame> frames = mediaFrames(messages);
        Path dir = Files.createDirectories(Path.of("target/frame-interop"));
        Path file = dir.resolve(codec + "-" + System.nanoTime());
        switch (codec) {
            case "H264", "H265" -> {
                assertTrue(frames.get(0).keyFrame(), codec + ": the first frame emitted is a key frame");
                Decoded.concatenate(frames, file);
                int decoded = FfProbe.countDecodedVideoFrames(file, "H264".equals(codec) ? "h264" : "hevc");
                assertEquals(frames.size(), decoded, codec + ": every emitted frame decodes");
            }
            case "JPEG" -> {
                for (MediaFrame f : frames) {
                    var image = ImageIO.read(new ByteArrayInputStream(f.data()));
                    assertNotNull(image, "each JPEG body decodes on its own");
                    assertEquals(GstRtspServer.VIDEO_WIDTH, image.getWidth());
                }
            }
            case "MPEG4-GENERIC", "MP4A-LATM" -> {
                Decoded.concatenate(frames, file);
                FfProbe.DecodeResult r = FfProbe.decode(file, "aac", "a:0");
                assertTrue(r.clean(), codec + " decodes without errors: " + r.errors());
                assertEquals(frames.size(), r.frames(), codec + ": every ADTS frame decodes");
                assertNotNull(messages.get(0).getHeader(RtspConstants.CODEC_CONFIG, byte[].class),
                        "AudioSpecificConfig header");
            }
            case "OPUS" -> {
                byte[] head = messages.get(0).getHeader(RtspConstants.CODEC_CONFIG, byte[].class);
                OggOpusWriter.write(file, head, frames);
                Decoded.Result r = Decoded.decode(file, 1);
                assertTrue(r.errors().isBlank(), "Opus decodes without errors: " + r.errors());
                assertEquals(Decoded.sampleSum(frames), r.samples(), "decoded Opus samples");
            }
            case "PCMU" -> pcm(frames, file, 1, "-f", "mulaw", "-ar", "8000");
            case "PCMA" -> pcm(frames, file, 1, "-f", "alaw", "-ar", "8000");
            case "G722" -> {
                Decoded.concatenate(frames, file);
                Decoded.Result r = Decoded.decode(file, 1, "-f", "g722");
                assertTrue(r.errors().isBlank(), "G.722 decodes without errors: " + r.errors());
                assertEquals(2 * Decoded.sampleSum(frames), r.samples(), "G.722: 16 kHz samples, 8 kHz RTP clock");
            }
            case "L16" -> pcm(frames, file, 1, "-f", "s16be", "-ar", "16000", "-ac", "1");
            default -> throw new AssertionError("unexpected codec " + codec);
        }
    }

    private static void pcm(List<MediaFrame> frames, Path file, int channels, String... input) {
        Decoded.concatenate(frames, file);
        Decoded.Result r = Decoded.decode(file, channels, input);
        assertTrue(r.errors().isBlank(), "decodes without errors: " + r.errors());
        assertEquals(Decoded.sampleSum(frames), r.samples(), "decoded samples");
    }
}
