package io.github.camelrtsp.message;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToMessageEncoder;

/**
 * Encodes {@link RtspRequest}, {@link RtspResponse} and {@link InterleavedFrame} for the wire. Messages get their
 * start line, headers in insertion order, {@code Content-Length} when a body is present and the header is not set,
 * CRLF line ends and the body. Frames become {@code $}, channel, 16-bit length and the payload, which is passed on
 * without copying. Stateless and shareable.
 */
@ChannelHandler.Sharable
public class RtspMessageEncoder extends MessageToMessageEncoder<Object> {

    private static final byte[] CRLF = {'\r', '\n'};

    /** Creates the encoder. */
    public RtspMessageEncoder() {
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof RtspMessage || msg instanceof InterleavedFrame;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        if (msg instanceof InterleavedFrame) {
            InterleavedFrame frame = (InterleavedFrame) msg;
            ByteBuf payload = frame.content();
            int length = payload.readableBytes();
            if (length > InterleavedFrame.MAX_PAYLOAD) {
                throw new EncoderException("interleaved frame payload of " + length + " bytes exceeds the "
                        + InterleavedFrame.MAX_PAYLOAD + " bytes a frame can carry");
            }
            ByteBuf header = ctx.alloc().buffer(4);
            header.writeByte('$').writeByte(frame.channel()).writeShort(length);
            CompositeByteBuf both = ctx.alloc().compositeBuffer(2);
            both.addComponents(true, header, payload.retain());
            out.add(both);
        } else {
            RtspMessage message = (RtspMessage) msg;
            ByteBuf buf = ctx.alloc().buffer(256 + message.body().length);
            try {
                write(message, buf);
            } catch (RuntimeException e) {
                buf.release();
                throw e;
            }
            out.add(buf);
        }
    }

    /**
     * Writes {@code message} in wire form to {@code buf}.
     *
     * @throws EncoderException if a {@code Content-Length} header disagrees with the body
     */
    static void write(RtspMessage message, ByteBuf buf) {
        byte[] body = message.body();
        RtspHeaders headers = message.headers();
        List<String> lengths = headers.getAll("Content-Length");
        for (String declared : lengths) {
            if (!declared.equals(Integer.toString(body.length))) {
                throw new EncoderException("Content-Length header '" + declared + "' does not match the body of "
                        + body.length + " bytes");
            }
        }
        ByteBufUtil.writeUtf8(buf, message.startLine());
        buf.writeBytes(CRLF);
        headers.forEach((name, value) -> {
            ByteBufUtil.writeUtf8(buf, name);
            buf.writeByte(':').writeByte(' ');
            ByteBufUtil.writeUtf8(buf, value);
            buf.writeBytes(CRLF);
        });
        if (body.length > 0 && lengths.isEmpty()) {
            buf.writeCharSequence("Content-Length: " + body.length, StandardCharsets.US_ASCII);
            buf.writeBytes(CRLF);
        }
        buf.writeBytes(CRLF);
        buf.writeBytes(body);
    }
}
