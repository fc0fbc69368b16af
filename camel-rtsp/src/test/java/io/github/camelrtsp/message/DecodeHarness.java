package io.github.camelrtsp.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.IntUnaryOperator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

/** Feeds bytes to an {@link RtspMessageDecoder} in chunks and describes what comes out, releasing every frame. */
final class DecodeHarness {

    private DecodeHarness() {
    }

    /** Chunking that feeds everything at once. */
    static IntUnaryOperator whole() {
        return remaining -> remaining;
    }

    /** Chunking that feeds one byte at a time. */
    static IntUnaryOperator oneByte() {
        return remaining -> 1;
    }

    /** Chunking with random sizes between 1 and {@code max}, reproducible by seed. */
    static IntUnaryOperator random(long seed, int max) {
        Random rnd = new Random(seed);
        return remaining -> 1 + rnd.nextInt(max);
    }

    /** Decodes {@code data} with a fresh default decoder; the channel is closed at the end (decodeLast runs). */
    static List<String> decode(byte[] data, IntUnaryOperator chunking) {
        return decode(new RtspMessageDecoder(), data, chunking);
    }

    /** Decodes {@code data} with {@code decoder}; the channel is closed at the end. */
    static List<String> decode(RtspMessageDecoder decoder, byte[] data, IntUnaryOperator chunking) {
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        List<String> result = new ArrayList<>();
        try {
            int pos = 0;
            while (pos < data.length) {
                int n = Math.min(data.length - pos, Math.max(1, chunking.applyAsInt(data.length - pos)));
                ch.writeInbound(Unpooled.copiedBuffer(data, pos, n));
                pos += n;
                drain(ch, result);
            }
            ch.finish();
            drain(ch, result);
            return result;
        } finally {
            ch.finishAndReleaseAll(); // also when the decoder threw: releases its cumulation buffer
        }
    }

    private static void drain(EmbeddedChannel ch, List<String> result) {
        for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
            try {
                result.add(describe(o));
            } finally {
                ReferenceCountUtil.release(o);
            }
        }
    }

    /** A complete, comparable description of a decoded element. */
    static String describe(Object o) {
        if (o instanceof InterleavedFrame) {
            InterleavedFrame f = (InterleavedFrame) o;
            return "FRAME ch=" + f.channel() + " len=" + f.content().readableBytes() + " "
                    + ByteBufUtil.hexDump(f.content());
        }
        RtspMessage m = (RtspMessage) o;
        StringBuilder sb = new StringBuilder();
        if (m instanceof RtspRequest) {
            RtspRequest q = (RtspRequest) m;
            sb.append("REQUEST ").append(q.method()).append(' ').append(q.uri()).append(' ').append(q.version());
        } else {
            RtspResponse r = (RtspResponse) m;
            sb.append("RESPONSE ").append(r.version()).append(' ').append(r.statusCode()).append(" [")
                    .append(r.reasonPhrase()).append(']');
        }
        m.headers().forEach((n, v) -> sb.append(" | ").append(n).append('=').append(v));
        return sb.append(" | body=").append(Base64.getEncoder().encodeToString(m.body())).toString();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] frame(int channel, byte[] payload) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte('$').writeByte(channel).writeShort(payload.length).writeBytes(payload);
        return ByteBufUtil.getBytes(b);
    }

    static byte[] concat(byte[]... parts) {
        ByteBuf b = Unpooled.buffer();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return ByteBufUtil.getBytes(b);
    }
}
