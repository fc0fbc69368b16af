package io.github.camelrtsp.message;

import static io.github.camelrtsp.message.DecodeHarness.ascii;
import static io.github.camelrtsp.message.DecodeHarness.concat;
import static io.github.camelrtsp.message.DecodeHarness.decode;
import static io.github.camelrtsp.message.DecodeHarness.frame;
import static io.github.camelrtsp.message.DecodeHarness.oneByte;
import static io.github.camelrtsp.message.DecodeHarness.random;
import static io.github.camelrtsp.message.DecodeHarness.whole;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import io.github.camelrtsp.testsupport.CapturedLog;

class RtspMessageDecoderTest {

    private static final String SDP = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=$RTSP/1.0 200 OK\r\nt=0 0\r\n";

    /** Responses with and without body, a request from the server, frames (one empty) in one stream. */
    static byte[] mixedStream() {
        byte[] rtp = new byte[300];
        new Random(7).nextBytes(rtp);
        rtp[0] = '$';
        rtp[1] = 'R';
        byte[] rtcpLike = ascii("RTSP/1.0 200 OK\r\n\r\n$\u0000\u0000");
        return concat(
                ascii("RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Type: application/sdp\r\nContent-Length: "
                        + SDP.length() + "\r\n\r\n" + SDP),
                frame(0, rtp),
                frame(1, rtcpLike),
                ascii("SET_PARAMETER rtsp://cam/stream RTSP/1.0\r\nCSeq: 9\r\nContent-Length: 12\r\n\r\nbarparam: 1\n"),
                frame(3, new byte[0]),
                ascii("RTSP/2.0 200\nCSeq: 3\nSession: abc;timeout=30\n\n"),
                ascii("RTSP/1.0 401 Unauthorized\r\nCSeq: 4 \r\nWWW-Authenticate: Digest realm=\"x\",\r\n"
                        + "  nonce=\"y\"\r\nBogus line without colon\r\n\r\n"),
                frame(255, rtp),
                ascii("GET_PARAMETER * RTSP/1.0\r\nCSeq: 5\r\n\r\n"));
    }

    @Test
    void decodesMixedStreamElementByElement() {
        RtspMessageDecoder decoder = new RtspMessageDecoder();
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        ch.writeInbound(Unpooled.wrappedBuffer(mixedStream()));

        RtspResponse describe = ch.readInbound();
        assertEquals(200, describe.statusCode());
        assertEquals("OK", describe.reasonPhrase());
        assertEquals(2, describe.cseq());
        assertEquals(SDP, describe.bodyAsString());
        assertTrue(describe.isSuccess());

        InterleavedFrame f0 = ch.readInbound();
        assertEquals(0, f0.channel());
        assertEquals(300, f0.content().readableBytes());
        f0.release();
        InterleavedFrame f1 = ch.readInbound();
        assertEquals(1, f1.channel());
        assertEquals("RTSP/1.0 200 OK\r\n\r\n$\u0000\u0000", f1.content().toString(StandardCharsets.ISO_8859_1));
        f1.release();

        RtspRequest set = ch.readInbound();
        assertEquals("SET_PARAMETER", set.method());
        assertEquals("rtsp://cam/stream", set.uri());
        assertEquals("RTSP/1.0", set.version());
        assertEquals(9, set.cseq());
        assertEquals("barparam: 1\n", new String(set.body(), StandardCharsets.US_ASCII));

        InterleavedFrame empty = ch.readInbound();
        assertEquals(3, empty.channel());
        assertEquals(0, empty.content().readableBytes());
        empty.release();

        RtspResponse v2 = ch.readInbound();
        assertEquals("RTSP/2.0", v2.version());
        assertEquals(200, v2.statusCode());
        assertEquals("", v2.reasonPhrase());
        assertEquals("abc;timeout=30", v2.headers().get("session"));
        assertEquals(0, v2.body().length);

        RtspResponse unauthorized = ch.readInbound();
        assertEquals(401, unauthorized.statusCode());
        assertEquals(4, unauthorized.cseq());
        assertEquals("Digest realm=\"x\", nonce=\"y\"", unauthorized.headers().get("WWW-Authenticate"));
        assertEquals(2, unauthorized.headers().size());

        InterleavedFrame f255 = ch.readInbound();
        assertEquals(255, f255.channel());
        f255.release();

        RtspRequest get = ch.readInbound();
        assertEquals("GET_PARAMETER", get.method());
        assertEquals("*", get.uri());

        assertNull(ch.readInbound());
        assertEquals(0, decoder.skippedBytes());
        assertEquals(1, decoder.malformedHeaderLines());
        ch.finishAndReleaseAll();
    }

    @Test
    void sameResultWhenSplitAtEveryBytePosition() {
        byte[] stream = mixedStream();
        List<String> expected = decode(stream, whole());
        assertEquals(9, expected.size());
        for (int split = 1; split < stream.length; split++) {
            int at = split;
            int[] calls = {0};
            List<String> got = decode(stream, remaining -> calls[0]++ == 0 ? at : remaining);
            assertEquals(expected, got, "split at byte " + split);
        }
    }

    @Test
    void sameResultInOneByteAndRandomChunks() {
        byte[] stream = mixedStream();
        List<String> expected = decode(stream, whole());
        assertEquals(expected, decode(stream, oneByte()));
        for (long seed = 1; seed <= 20; seed++) {
            assertEquals(expected, decode(stream, random(seed, 40)), "seed " + seed);
        }
    }

    @Test
    void framePayloadIsASliceOfTheInputNotACopy() {
        ByteBuf input = Unpooled.wrappedBuffer(concat(frame(0, ascii("first")), frame(1, ascii("second")),
                ascii("$")));
        EmbeddedChannel ch = new EmbeddedChannel(new RtspMessageDecoder());
        ch.writeInbound(input);
        InterleavedFrame a = ch.readInbound();
        InterleavedFrame b = ch.readInbound();
        assertSame(input, root(a.content()));
        assertSame(input, root(b.content()));

        // more bytes arrive while the frames are still held: their content must not change
        ch.writeInbound(Unpooled.wrappedBuffer(concat(new byte[] {2, 0, 5}, ascii("thirdRTSP/1.0 200 OK\r\n\r\n"))));
        InterleavedFrame c = ch.readInbound();
        assertEquals("first", a.content().toString(StandardCharsets.US_ASCII));
        assertEquals("second", b.content().toString(StandardCharsets.US_ASCII));
        assertEquals(2, c.channel());
        assertEquals("third", c.content().toString(StandardCharsets.US_ASCII));
        assertInstanceOf(RtspResponse.class, ch.readInbound());
        a.release();
        b.release();
        c.release();
        ch.finishAndReleaseAll();
        assertEquals(0, input.refCnt(), "input buffer leaked");
    }

    private static ByteBuf root(ByteBuf b) {
        while (b.unwrap() != null) {
            b = b.unwrap();
        }
        return b;
    }

    @Test
    void strayLineEndsBetweenMessagesAreSkippedAndCounted() {
        byte[] ok = ascii("RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Length: 2\r\n\r\nab");
        RtspMessageDecoder decoder = new RtspMessageDecoder();
        List<String> out = decode(decoder, concat(ascii("\r\n"), ok, ascii("\r\n\r\n"), ok), whole());
        assertEquals(2, out.size());
        assertEquals(6, decoder.skippedBytes());
        assertEquals(2, decoder.skippedRuns());
    }

    @Test
    void garbageIsSkippedToTheNextFrameOrStartLine() {
        byte[] junk1 = concat(new byte[] {0, 1, (byte) 0xff, ' '}, ascii("hello world\r\n"));
        byte[] junk2 = ascii("xxRTSP");
        byte[] junk3 = ascii("NOT A REQUEST LINE\r\n");
        byte[] ok = ascii("RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n");
        byte[] stream = concat(junk1, frame(0, ascii("rtp")), junk2, ok, junk3, ok, frame(1, ascii("rtcp")));
        for (int i = 0; i < 3; i++) {
            RtspMessageDecoder decoder = new RtspMessageDecoder();
            List<String> out = decode(decoder, stream, i == 0 ? whole() : i == 1 ? oneByte() : random(3, 7));
            assertEquals(4, out.size(), out.toString());
            assertTrue(out.get(0).startsWith("FRAME ch=0 len=3"));
            assertTrue(out.get(1).startsWith("RESPONSE RTSP/1.0 200"));
            assertTrue(out.get(2).startsWith("RESPONSE RTSP/1.0 200"));
            assertTrue(out.get(3).startsWith("FRAME ch=1 len=4"));
            assertEquals(junk1.length + junk2.length + junk3.length, decoder.skippedBytes());
            assertEquals(3, decoder.skippedRuns());
        }
    }

    @Test
    void headerLinesWithoutColonAreSkippedAndCounted() {
        RtspMessageDecoder decoder = new RtspMessageDecoder();
        List<String> out = decode(decoder, ascii("RTSP/1.0 200 OK\r\nCSeq: 1\r\nnonsense\r\n: no name\r\n"
                + " orphan continuation\r\nSession: 1\r\n\r\n"), whole());
        assertEquals(List.of("RESPONSE RTSP/1.0 200 [OK] | CSeq=1 | Session=1 | body="), out);
        assertEquals(3, decoder.malformedHeaderLines());
    }

    @Test
    void foldedLinesJoinThePreviousHeader() {
        RtspResponse r = RtspMessages.parseResponse(ascii("RTSP/1.0 200 OK\r\nCSeq: 1\r\nPublic: OPTIONS,\r\n"
                + "\tDESCRIBE,\r\n   PLAY\r\nX: y\r\n\r\n"));
        assertEquals("OPTIONS, DESCRIBE, PLAY", r.headers().get("Public"));
        assertEquals("y", r.headers().get("X"));
    }

    @Test
    void lfOnlyLineEndsAndMissingReasonPhrase() {
        RtspResponse r = RtspMessages.parseResponse(ascii("RTSP/1.0 454\nCSeq: 8\nContent-Length: 3\n\nabc"));
        assertEquals(454, r.statusCode());
        assertEquals("", r.reasonPhrase());
        assertEquals(8, r.cseq());
        assertEquals("abc", r.bodyAsString());
        RtspResponse spaceOnly = RtspMessages.parseResponse(ascii("RTSP/1.0 200 \r\nCSeq: 1\r\n\r\n"));
        assertEquals("", spaceOnly.reasonPhrase());
    }

    @Test
    void headerBlockUpToTheLimitIsAcceptedAndBeyondItRejected() {
        // 17 (status line) + "X: " + pad + CRLF + CRLF = 256 when pad is 232
        byte[] atLimit = ascii("RTSP/1.0 200 OK\r\nX: " + "a".repeat(232) + "\r\n\r\n");
        assertEquals(256, atLimit.length);
        assertEquals(1, decode(new RtspMessageDecoder(256, 100), atLimit, whole()).size());
        assertEquals(1, decode(new RtspMessageDecoder(256, 100), atLimit, oneByte()).size());

        byte[] over = ascii("RTSP/1.0 200 OK\r\nX: " + "a".repeat(233) + "\r\n\r\n");
        RtspProtocolException e = assertThrows(RtspProtocolException.class,
                () -> decode(new RtspMessageDecoder(256, 100), over, whole()));
        assertTrue(e.getMessage().contains("header block is larger than the limit of 256 bytes"), e.getMessage());
        assertThrows(RtspProtocolException.class, () -> decode(new RtspMessageDecoder(256, 100), over, oneByte()));
    }

    @Test
    void endlessHeaderBlockWithoutBlankLineIsRejected() {
        RtspMessageDecoder decoder = new RtspMessageDecoder(1024, 100);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        ch.writeInbound(Unpooled.wrappedBuffer(ascii("RTSP/1.0 200 OK\r\n")));
        RtspProtocolException e = assertThrows(RtspProtocolException.class, () -> {
            for (int i = 0; i < 1000; i++) {
                ch.writeInbound(Unpooled.wrappedBuffer(ascii("X-Header-" + i + ": value\r\n")));
            }
        });
        assertTrue(e.getMessage().contains("1024"), e.getMessage());
        ch.finishAndReleaseAll();
    }

    @Test
    void overlongStartLineIsRejected() {
        byte[] longLine = ascii("DESCRIBE rtsp://cam/" + "a".repeat(300));
        RtspProtocolException e = assertThrows(RtspProtocolException.class,
                () -> decode(new RtspMessageDecoder(256, 100), longLine, random(5, 50)));
        assertTrue(e.getMessage().contains("request line is longer than the header limit of 256"), e.getMessage());
    }

    @Test
    void contentLengthBeyondLimitNegativeOrGarbageIsRejected() {
        assertEquals(1, decode(new RtspMessageDecoder(1024, 100),
                concat(ascii("RTSP/1.0 200 OK\r\nContent-Length: 100\r\n\r\n"), new byte[100]), whole()).size());
        assertContentLengthRejected("101", "larger than the body limit of 100 bytes");
        assertContentLengthRejected("-1", "is not a non-negative decimal number");
        assertContentLengthRejected("abc", "is not a non-negative decimal number");
        assertContentLengthRejected("1 2", "is not a non-negative decimal number");
        assertContentLengthRejected("99999999999999999999999", "larger than the body limit of 100 bytes");
        assertContentLengthRejected("", "is not a non-negative decimal number");
        RtspProtocolException e = assertThrows(RtspProtocolException.class, () -> decode(
                ascii("RTSP/1.0 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"), whole()));
        assertTrue(e.getMessage().contains("conflicting Content-Length"), e.getMessage());
    }

    private static void assertContentLengthRejected(String value, String expected) {
        byte[] msg = ascii("RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Length: " + value + "\r\n\r\n");
        RtspProtocolException e = assertThrows(RtspProtocolException.class,
                () -> decode(new RtspMessageDecoder(1024, 100), msg, whole()));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void invalidStatusCodeIsRejected() {
        assertThrows(RtspProtocolException.class,
                () -> RtspMessages.parseResponse(ascii("RTSP/1.0 099 Odd\r\n\r\n")));
    }

    @Test
    void afterAProtocolErrorTheRestOfTheInputIsDiscarded() {
        RtspMessageDecoder decoder = new RtspMessageDecoder(1024, 10);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        assertThrows(RtspProtocolException.class, () -> ch.writeInbound(
                Unpooled.wrappedBuffer(ascii("RTSP/1.0 200 OK\r\nContent-Length: 11\r\n\r\n"))));
        ch.writeInbound(Unpooled.wrappedBuffer(ascii("RTSP/1.0 200 OK\r\nCSeq: 2\r\n\r\n")));
        assertNull(ch.readInbound());
        assertTrue(decoder.skippedBytes() > 0);
        ch.finishAndReleaseAll();
    }

    @Test
    void incompleteElementAtEndOfInputIsDiscardedAndCounted() {
        RtspMessageDecoder decoder = new RtspMessageDecoder();
        List<String> out = decode(decoder, concat(frame(0, ascii("ok")), ascii("$\u0000\u0000\u0010abc")),
                whole());
        assertEquals(1, out.size());
        assertEquals(7, decoder.skippedBytes());

        RtspMessageDecoder decoder2 = new RtspMessageDecoder();
        assertEquals(0, decode(decoder2, ascii("RTSP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nab"), whole()).size());
        assertEquals(2, decoder2.skippedBytes());
    }

    @Test
    void randomBytesNeverHangOrThrowAndEveryByteIsAccountedFor() {
        byte[] noise = new byte[1 << 20];
        Random rnd = new Random(42);
        rnd.nextBytes(noise);
        RtspMessageDecoder decoder = new RtspMessageDecoder();
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        long frameBytes = 0;
        int pos = 0;
        while (pos < noise.length) {
            int n = Math.min(noise.length - pos, 1 + rnd.nextInt(4096));
            ch.writeInbound(Unpooled.wrappedBuffer(noise, pos, n));
            pos += n;
            for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
                InterleavedFrame f = assertInstanceOf(InterleavedFrame.class, o);
                frameBytes += 4 + f.content().readableBytes();
                f.release();
            }
        }
        ch.finishAndReleaseAll();
        assertEquals(noise.length, frameBytes + decoder.skippedBytes());
    }

    @Test
    void junkIsLoggedOnlyOncePerThousandRuns() {
        List<String> warnings;
        try (CapturedLog log = CapturedLog.capture(RtspMessageDecoder.class)) {
            RtspMessageDecoder decoder = new RtspMessageDecoder();
            byte[] unit = concat(ascii("\r\n"), frame(0, new byte[] {1}));
            byte[] stream = new byte[unit.length * 2500];
            for (int i = 0; i < 2500; i++) {
                System.arraycopy(unit, 0, stream, i * unit.length, unit.length);
            }
            assertEquals(2500, decode(decoder, stream, whole()).size());
            assertEquals(2500, decoder.skippedRuns());
            assertEquals(5000, decoder.skippedBytes());
            warnings = log.warnings();
        }
        assertEquals(3, warnings.size(), warnings.toString());
    }

    @Test
    void utf8InReasonPhraseAndHeaderValues() {
        byte[] raw = ("RTSP/1.0 200 Très bien\r\nServer: Caméra\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        RtspResponse r = RtspMessages.parseResponse(raw);
        assertEquals("Très bien", r.reasonPhrase());
        assertEquals("Caméra", r.headers().get("server"));
    }

    @Test
    void parseRequestAndResponseHelpersDemandExactlyOneMessage() {
        byte[] req = ascii("OPTIONS rtsp://cam/ RTSP/1.0\r\nCSeq: 1\r\n\r\n");
        assertEquals("OPTIONS", RtspMessages.parseRequest(req).method());
        assertThrows(RtspProtocolException.class, () -> RtspMessages.parseResponse(req));
        assertThrows(RtspProtocolException.class, () -> RtspMessages.parseRequest(concat(req, req)));
        assertThrows(RtspProtocolException.class,
                () -> RtspMessages.parseResponse(ascii("RTSP/1.0 200 OK\r\nCSeq: 1\r\n")));
        assertThrows(RtspProtocolException.class, () -> RtspMessages.parseResponse(new byte[0]));
        RtspProtocolException e = assertThrows(RtspProtocolException.class,
                () -> RtspMessages.parseResponse(frame(0, ascii("x"))));
        assertTrue(e.getMessage().contains("InterleavedFrame"), e.getMessage());
    }

    @Test
    void bodyBytesAreKeptExactly() {
        byte[] body = new byte[256];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        RtspResponse r = RtspMessages.parseResponse(concat(ascii("RTSP/1.0 200 OK\r\nContent-Length: 256\r\n\r\n"),
                body));
        assertArrayEquals(body, r.body());
        assertEquals(ByteBufUtil.hexDump(body), ByteBufUtil.hexDump(r.body()));
    }
}
