package io.github.camelrtsp.message;

import static io.github.camelrtsp.message.DecodeHarness.concat;
import static io.github.camelrtsp.message.DecodeHarness.decode;
import static io.github.camelrtsp.message.DecodeHarness.frame;
import static io.github.camelrtsp.message.DecodeHarness.oneByte;
import static io.github.camelrtsp.message.DecodeHarness.random;
import static io.github.camelrtsp.message.DecodeHarness.whole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every whole message in the camera corpus, and the recorded interleaved session, through the decoder. */
class RtspCorpusDecodeTest {

    static List<String> wholeResponses() {
        List<String> names = Corpus.responseNames().stream()
                .filter(n -> n.endsWith(".txt") && !n.endsWith("_sdp.txt") && !n.equals("request.txt"))
                .collect(Collectors.toList());
        assertTrue(names.size() >= 30, "corpus looks incomplete: " + names);
        return names;
    }

    /** Expected facts read straight from the file text, independently of the parser. */
    private static Matcher find(String regex, String text) {
        return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.MULTILINE).matcher(text);
    }

    @ParameterizedTest
    @MethodSource("wholeResponses")
    void corpusResponseParses(String name) {
        byte[] raw = Corpus.response(name);
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        Matcher status = find("\\ARTSP/1\\.0 (\\d{3})", text);
        assertTrue(status.find(), name);
        Matcher cseq = find("^CSeq:\\s*(\\d+)", text);
        assertTrue(cseq.find(), name);
        Matcher length = find("^Content-Length:\\s*(\\d+)", text);
        int contentLength = length.find() ? Integer.parseInt(length.group(1)) : 0;

        RtspResponse r = RtspMessages.parseResponse(raw);
        assertEquals(Integer.parseInt(status.group(1)), r.statusCode(), name);
        assertEquals(Integer.valueOf(cseq.group(1)), r.cseq(), name);
        assertEquals(contentLength, r.body().length, name);
        assertEquals(raw.length - text.indexOf("\r\n\r\n") - 4, r.body().length, name);

        // the pipeline decoder gives the same, whatever the chunking
        List<String> viaDecoder = decode(raw, whole());
        assertEquals(List.of(DecodeHarness.describe(r)), viaDecoder, name);
        assertEquals(viaDecoder, decode(raw, oneByte()), name);
    }

    @Test
    void corpusRequestParses() {
        RtspRequest q = RtspMessages.parseRequest(Corpus.response("request.txt"));
        assertEquals("DESCRIBE", q.method());
        assertEquals("rtsp://192.168.5.225/h264Preview_01_main", q.uri());
        assertEquals(1, q.cseq());
        assertEquals("application/sdp", q.headers().get("Accept"));
        assertEquals(0, q.body().length);
    }

    /** {@code longse_unauthorized.txt}: "CSeq: 1 " with trailing white space. */
    @Test
    void cseqWithTrailingWhiteSpace() {
        byte[] raw = Corpus.response("longse_unauthorized.txt");
        assertTrue(new String(raw, StandardCharsets.ISO_8859_1).contains("CSeq: 1 \r\n"), "quirk not in file");
        RtspResponse r = RtspMessages.parseResponse(raw);
        assertEquals(401, r.statusCode());
        assertEquals("Unauthorized", r.reasonPhrase());
        assertEquals(1, r.cseq());
        assertFalse(r.isSuccess());
    }

    /** {@code h264dvr_*}: the header name spelled "Cseq". */
    @Test
    void cseqHeaderNameInOtherCase() {
        RtspResponse r = RtspMessages.parseResponse(Corpus.response("h264dvr_play.txt"));
        assertEquals(6, r.cseq());
    }

    @Test
    void allCorpusMessagesInOneStreamWithFramesBetween() {
        List<byte[]> parts = new ArrayList<>();
        int i = 0;
        for (String name : wholeResponses()) {
            parts.add(Corpus.response(name));
            parts.add(frame(i % 4, ("packet " + i).getBytes(StandardCharsets.US_ASCII)));
            i++;
        }
        parts.add(Corpus.response("request.txt"));
        byte[] stream = concat(parts.toArray(new byte[0][]));
        RtspMessageDecoder decoder = new RtspMessageDecoder();
        List<String> expected = decode(decoder, stream, whole());
        assertEquals(2 * i + 1, expected.size());
        assertEquals(0, decoder.skippedBytes());
        for (long seed = 1; seed <= 5; seed++) {
            assertEquals(expected, decode(stream, random(seed, 300)), "seed " + seed);
        }
        assertEquals(expected, decode(stream, oneByte()));
    }

    /** The recorded TCP-interleaved session: every byte belongs to a frame, whatever the chunking. */
    @Test
    void bunnyInterleavedSessionDecodesWhole() {
        byte[] stream = Corpus.file("bunny-interleaved.rtsp");
        assertEquals(162200, stream.length);
        Summary whole = summarize(stream, 0);
        assertEquals(Map.of(0, 102, 2, 269), whole.framesPerChannel);
        assertEquals(stream.length, whole.frameBytes);
        assertEquals(0, whole.skipped);
        for (long seed = 1; seed <= 5; seed++) {
            Summary chunked = summarize(stream, seed);
            assertEquals(whole.framesPerChannel, chunked.framesPerChannel);
            assertEquals(whole.frameBytes, chunked.frameBytes);
            assertEquals(whole.digest, chunked.digest);
            assertEquals(0, chunked.skipped);
        }
        assertEquals(decode(stream, whole()), decode(stream, oneByte()));
    }

    private static final class Summary {
        final Map<Integer, Integer> framesPerChannel = new TreeMap<>();
        long frameBytes;
        long skipped;
        int digest = 17;
    }

    /** Seed 0 feeds the whole file at once; other seeds feed random chunks of 1 to 2000 bytes. */
    private static Summary summarize(byte[] stream, long seed) {
        Summary s = new Summary();
        RtspMessageDecoder decoder = new RtspMessageDecoder();
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        java.util.Random rnd = new java.util.Random(seed);
        int pos = 0;
        while (pos < stream.length) {
            int n = seed == 0 ? stream.length : Math.min(stream.length - pos, 1 + rnd.nextInt(2000));
            ch.writeInbound(Unpooled.copiedBuffer(stream, pos, n));
            pos += n;
            for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
                InterleavedFrame f = (InterleavedFrame) o;
                s.framesPerChannel.merge(f.channel(), 1, Integer::sum);
                s.frameBytes += 4 + f.content().readableBytes();
                s.digest = 31 * s.digest + f.content().hashCode();
                f.release();
            }
        }
        assertFalse(ch.finishAndReleaseAll());
        s.skipped = decoder.skippedBytes();
        return s;
    }
}
