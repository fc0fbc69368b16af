package io.github.camelrtsp.message;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;

/**
 * Parses and formats single RTSP messages outside a Netty pipeline (tests, tools), with the same parser and writer
 * as {@link RtspMessageDecoder} and {@link RtspMessageEncoder}.
 */
public final class RtspMessages {

    private RtspMessages() {
    }

    /**
     * Parses one complete RTSP response (status line, headers, body of {@code Content-Length} bytes).
     *
     * @throws RtspProtocolException if the bytes are not exactly one complete response (stray line ends around it
     *                               are tolerated, as in a stream)
     */
    public static RtspResponse parseResponse(byte[] raw) {
        return parseOne(raw, RtspResponse.class);
    }

    /**
     * Parses one complete RTSP request.
     *
     * @throws RtspProtocolException if the bytes are not exactly one complete request
     */
    public static RtspRequest parseRequest(byte[] raw) {
        return parseOne(raw, RtspRequest.class);
    }

    /** Returns the wire form of {@code message}, as {@link RtspMessageEncoder} writes it. */
    public static byte[] encode(RtspMessage message) {
        ByteBuf buf = Unpooled.buffer(256 + message.body().length);
        RtspMessageEncoder.write(message, buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    private static <T extends RtspMessage> T parseOne(byte[] raw, Class<T> type) {
        String what = type == RtspResponse.class ? "response" : "request";
        RtspStreamParser parser = new RtspStreamParser(RtspMessageDecoder.DEFAULT_MAX_HEADER_BYTES,
                RtspMessageDecoder.DEFAULT_MAX_BODY_BYTES);
        ByteBuf in = Unpooled.wrappedBuffer(raw);
        List<Object> out = new ArrayList<>(1);
        try {
            while (in.isReadable()) {
                int before = in.readableBytes();
                int produced = out.size();
                parser.decode(in, out);
                if (in.readableBytes() == before && out.size() == produced) {
                    break;
                }
            }
            if (parser.isMidElement(in)) {
                throw new RtspProtocolException("RTSP " + what + " is incomplete: the input ends inside it");
            }
            if (out.size() != 1 || !type.isInstance(out.get(0))) {
                throw new RtspProtocolException("expected exactly one RTSP " + what + " but found " + describe(out));
            }
            return type.cast(out.get(0));
        } finally {
            for (Object o : out) {
                ReferenceCountUtil.release(o);
            }
        }
    }

    private static String describe(List<Object> out) {
        if (out.isEmpty()) {
            return "nothing";
        }
        List<String> kinds = new ArrayList<>(out.size());
        for (Object o : out) {
            kinds.add(o.getClass().getSimpleName());
        }
        return kinds.toString();
    }
}
