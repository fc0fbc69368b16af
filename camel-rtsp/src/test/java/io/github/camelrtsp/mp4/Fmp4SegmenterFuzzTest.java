package io.github.camelrtsp.mp4;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.github.camelrtsp.client.MediaTrack;
import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.testsupport.Corpus;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.media.TimedFrame;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile input: random bytes as H.264/H.265 access units (with random parameter sets), ADTS frames and Opus
 * packets, at random times with jumps, discontinuities and oversized frames. The segmenter must neither throw nor
 * exceed its size limit, must count what it skips, and every segment it emits must be well-formed boxes.
 */
class Fmp4SegmenterFuzzTest {

    /** Real parameter sets in front of random bytes, so that segments start. */
    private static byte[] withParameterSets(String codec, byte[] body) {
        List<byte[]> sets;
        if (codec.equals("H264")) {
            sets = ParameterSetsTest.sprop(Corpus.track("hikvision_describe.txt", "H264", 1 << 20),
                    "sprop-parameter-sets");
        } else {
            FormatParameters p = Corpus.track("dahua_describe_h265_pcma.txt", "H265", 1 << 20);
            sets = new ArrayList<>(ParameterSetsTest.sprop(p, "sprop-vps"));
            sets.addAll(ParameterSetsTest.sprop(p, "sprop-sps"));
            sets.addAll(ParameterSetsTest.sprop(p, "sprop-pps"));
        }
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (byte[] set : sets) {
            b.writeBytes(new byte[] {0, 0, 0, 1});
            b.writeBytes(set);
        }
        b.writeBytes(new byte[] {0, 0, 0, 1});
        b.writeBytes(body);
        return b.toByteArray();
    }

    @Test
    void randomInputNeverBreaksTheSegmenter() {
        for (String videoCodec : new String[] {"H264", "H265"}) {
            Random random = new Random(videoCodec.hashCode());
            MediaTrack video = new MediaTrack(0, "video", videoCodec, 96, 90_000, null, Map.of(), "v", null);
            MediaTrack aac = new MediaTrack(1, "audio", "MPEG4-GENERIC", 97, 44_100, 1, Map.of(), "a", null);
            MediaTrack opus = new MediaTrack(2, "audio", "OPUS", 98, 48_000, 2, Map.of(), "o", null);
            byte[] head = {'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, 1, 0, 0, (byte) 0x80, (byte) 0xBB, 0, 0, 0, 0,
                0};
            List<Fmp4Segment> out = new ArrayList<>();
            long limit = 200_000;
            Fmp4Segmenter s = new Fmp4Segmenter(List.of(video, aac, opus),
                    i -> i == 1 ? new byte[] {0x12, 0x08} : i == 2 ? head : null, 500, 200, limit, out::add, "fuzz");
            long pts = 0;
            for (int n = 0; n < 20_000; n++) {
                int kind = random.nextInt(3);
                MediaTrack track = kind == 0 ? video : kind == 1 ? aac : opus;
                byte[] body = new byte[random.nextInt(random.nextInt(50) == 0 ? 60_000 : 300)];
                random.nextBytes(body);
                if (kind == 0 && body.length > 8 && random.nextBoolean()) {
                    // start codes and plausible NAL unit headers, so parameter set parsing gets exercised
                    for (int p = 0; p + 5 < body.length; p += 1 + random.nextInt(40)) {
                        body[p] = 0;
                        body[p + 1] = 0;
                        body[p + 2] = 1;
                        int type = videoCodec.equals("H264") ? 5 + random.nextInt(4) : 32 + random.nextInt(3);
                        body[p + 3] = (byte) (videoCodec.equals("H264") ? 0x60 | type : type << 1);
                    }
                }
                if (kind == 1 && body.length > 7 && random.nextBoolean()) {
                    body[0] = (byte) 0xFF;
                    body[1] = (byte) 0xF1;
                }
                pts += random.nextInt(40_000) - (random.nextInt(100) == 0 ? 5_000_000 : 2_000);
                boolean key = kind != 0 || random.nextInt(10) == 0;
                if (kind == 0 && key && random.nextBoolean()) {
                    body = withParameterSets(videoCodec, body);
                }
                s.onFrame(new TimedFrame(track, new MediaFrame(0, body, key, false, random.nextInt(2000)), pts, null,
                        random.nextInt(200) == 0));
            }
            s.flush();
            for (Fmp4Segment segment : out) {
                Boxes.parse(segment.data());
                Runs.read(segment.data());
                assertTrue(segment.data().length < limit + 100_000, "bounded: " + segment.data().length);
            }
            assertTrue(s.framesSkipped() > 0, "garbage is counted");
            assertTrue(out.size() > 10, videoCodec + ": segments were emitted: " + out.size());
        }
    }
}
