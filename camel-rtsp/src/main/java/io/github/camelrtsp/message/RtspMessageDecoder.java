package io.github.camelrtsp.message;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Decodes the byte stream of an RTSP connection into {@link RtspResponse}, {@link RtspRequest} and
 * {@link InterleavedFrame} objects, mixed in any order (RFC 2326 section 10.12).
 *
 * <p>Messages: start line {@code RTSP/1.0 200 OK} (any {@code RTSP/x.y}, reason phrase optional) or
 * {@code METHOD uri RTSP/1.0}; CRLF or bare LF line ends; the body length comes from {@code Content-Length} (absent
 * means no body). Header lines without a colon are skipped and counted; folded lines join the previous header.
 *
 * <p>Frames: the payload is a retained slice of the cumulation buffer, not a copy; the receiver releases the frame.
 *
 * <p>Bytes between elements that can start neither a message nor a frame (stray line ends, garbage) are skipped to
 * the next {@code $} or plausible start line, counted in {@link #skippedBytes()} and logged on the first run and then
 * once per {@value RtspStreamParser#LOG_EVERY} runs. A header block beyond {@code maxHeaderBytes}, or a
 * {@code Content-Length} that is negative, not a number or beyond {@code maxBodyBytes} raises
 * {@link RtspProtocolException}; after that the decoder discards the rest of the input and the connection should be
 * closed. One instance per connection.
 */
public class RtspMessageDecoder extends ByteToMessageDecoder {

    /** Default limit of a message's start line plus headers: 16 KiB. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
    /** Default limit of a message body: 4 MiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

    private final RtspStreamParser parser;

    /** Creates a decoder with a 16 KiB header block limit and a 4 MiB body limit. */
    public RtspMessageDecoder() {
        this(DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_BODY_BYTES);
    }

    /**
     * Creates a decoder with the given limits.
     *
     * @param maxHeaderBytes largest start line plus header block, blank line included (at least 64)
     * @param maxBodyBytes   largest accepted {@code Content-Length}
     */
    public RtspMessageDecoder(int maxHeaderBytes, int maxBodyBytes) {
        this.parser = new RtspStreamParser(maxHeaderBytes, maxBodyBytes);
    }

    /** Returns the number of bytes skipped so far because they were neither a message nor a frame. */
    public long skippedBytes() {
        return parser.skippedBytes();
    }

    /** Returns the number of separate runs of skipped bytes so far. */
    public long skippedRuns() {
        return parser.junkRuns();
    }

    /** Returns the number of header lines skipped so far because they could not be read as a header. */
    public long malformedHeaderLines() {
        return parser.malformedHeaderLines();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        parser.source(ctx.channel());
        super.handlerAdded(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        parser.decode(in, out);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        parser.endOfInput(in);
    }
}
