package io.github.camelrtsp.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import org.junit.jupiter.api.Test;

class RtspMessageEncoderTest {

    private static String encoded(Object msg) {
        EmbeddedChannel ch = new EmbeddedChannel(new RtspMessageEncoder());
        ch.writeOutbound(msg);
        ByteBuf out = ch.readOutbound();
        try {
            return out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            out.release();
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void requestWithoutBody() {
        RtspRequest q = new RtspRequest("DESCRIBE", "rtsp://cam/stream");
        q.headers().add("CSeq", "2").add("Accept", "application/sdp");
        assertEquals("DESCRIBE rtsp://cam/stream RTSP/1.0\r\nCSeq: 2\r\nAccept: application/sdp\r\n\r\n",
                encoded(q));
    }

    @Test
    void contentLengthAddedForBodyAndKeptWhenAlreadyCorrect() {
        RtspRequest q = new RtspRequest("SET_PARAMETER", "rtsp://cam/stream");
        q.headers().add("CSeq", "7").add("Content-Type", "text/parameters");
        q.body("foo: 1\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("SET_PARAMETER rtsp://cam/stream RTSP/1.0\r\nCSeq: 7\r\nContent-Type: text/parameters\r\n"
                + "Content-Length: 8\r\n\r\nfoo: 1\r\n", encoded(q));

        q.headers().set("Content-Length", "8");
        assertEquals(1, encoded(q).split("Content-Length", -1).length - 1);
    }

    @Test
    void contentLengthThatDisagreesWithTheBodyIsRefused() {
        RtspRequest q = new RtspRequest("ANNOUNCE", "rtsp://cam/");
        q.headers().add("Content-Length", "3");
        q.body(new byte[4]);
        EncoderException e = assertThrows(EncoderException.class, () -> RtspMessages.encode(q));
        assertTrue(e.getMessage().contains("does not match the body of 4 bytes"), e.getMessage());
    }

    @Test
    void response() {
        RtspResponse r = new RtspResponse(200, "OK");
        r.headers().add("CSeq", "3").add("Session", "12345678;timeout=60");
        assertEquals("RTSP/1.0 200 OK\r\nCSeq: 3\r\nSession: 12345678;timeout=60\r\n\r\n", encoded(r));
    }

    @Test
    void interleavedFrame() {
        byte[] payload = {(byte) 0x80, 0x60, 0x12, 0x34};
        assertEquals("2403000480601234", ByteBufUtil.hexDump(
                encoded(new InterleavedFrame(3, Unpooled.wrappedBuffer(payload)))
                        .getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void interleavedFramePayloadIsNotCopiedAndIsReleased() {
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
        EmbeddedChannel ch = new EmbeddedChannel(new RtspMessageEncoder());
        ch.writeOutbound(new InterleavedFrame(1, payload));
        ByteBuf out = ch.readOutbound();
        assertEquals("24010003010203", ByteBufUtil.hexDump(out));
        assertEquals(1, payload.refCnt(), "payload should be held only by the output");
        out.release();
        assertEquals(0, payload.refCnt());
        ch.finishAndReleaseAll();
    }

    @Test
    void largestFrameIsEncodedAndLargerIsRefused() {
        EmbeddedChannel ch = new EmbeddedChannel(new RtspMessageEncoder());
        ch.writeOutbound(new InterleavedFrame(0, Unpooled.wrappedBuffer(new byte[65535])));
        ByteBuf out = ch.readOutbound();
        assertEquals(65539, out.readableBytes());
        assertEquals(0xFFFF, out.getUnsignedShort(2));
        out.release();
        ByteBuf tooBig = Unpooled.wrappedBuffer(new byte[65536]);
        EncoderException e = assertThrows(EncoderException.class,
                () -> ch.writeOutbound(new InterleavedFrame(0, tooBig)));
        assertTrue(e.getMessage().contains("65536 bytes exceeds the 65535"), e.getMessage());
        assertEquals(0, tooBig.refCnt());
        ch.finishAndReleaseAll();
    }

    @Test
    void encodeThenDecodeRoundTrips() {
        RtspResponse r = new RtspResponse(200, "OK");
        r.headers().add("CSeq", "1").add("Content-Type", "application/sdp");
        r.body("v=0\r\n".getBytes(StandardCharsets.US_ASCII));
        RtspResponse back = RtspMessages.parseResponse(RtspMessages.encode(r));
        assertEquals(DecodeHarness.describe(r).replace(" | body=", " | Content-Length=5 | body="),
                DecodeHarness.describe(back));

        RtspRequest q = new RtspRequest("PLAY", "rtsp://cam/stream/");
        q.headers().add("CSeq", "4").add("Range", "npt=0.000-");
        q.version("RTSP/2.0");
        assertEquals(DecodeHarness.describe(q), DecodeHarness.describe(RtspMessages.parseRequest(
                RtspMessages.encode(q))));
    }

    @Test
    void corpusResponsesSurviveDecodeEncodeDecode() {
        for (String name : RtspCorpusDecodeTest.wholeResponses()) {
            RtspResponse first = RtspMessages.parseResponse(Corpus.response(name));
            RtspResponse second = RtspMessages.parseResponse(RtspMessages.encode(first));
            assertEquals(DecodeHarness.describe(first), DecodeHarness.describe(second), name);
            assertArrayEquals(first.body(), second.body(), name);
        }
    }

    @Test
    void invalidStartLinePartsAreRefusedWhenBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new RtspRequest("DE SCRIBE", "rtsp://x/"));
        assertThrows(IllegalArgumentException.class, () -> new RtspRequest("PLAY", "rtsp://x/ y"));
        assertThrows(IllegalArgumentException.class, () -> new RtspRequest("PLAY", ""));
        assertThrows(IllegalArgumentException.class, () -> new RtspResponse(99, "x"));
        assertThrows(IllegalArgumentException.class, () -> new RtspResponse(200, "a\r\nb"));
        assertThrows(IllegalArgumentException.class, () -> new RtspRequest("PLAY", "*").version("HTTP/1.1"));
        assertThrows(IllegalArgumentException.class, () -> new InterleavedFrame(256, Unpooled.EMPTY_BUFFER));
    }
}
