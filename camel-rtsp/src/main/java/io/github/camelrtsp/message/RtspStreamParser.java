package io.github.camelrtsp.message;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Incremental parser of one RTSP connection's byte stream: RTSP requests, RTSP responses and {@code $}-framed
 * interleaved packets in any order. Each call of {@link #decode} makes at most one step (recognise and emit one
 * element, consume one header line, or skip one run of junk) and never re-examines bytes it has already scanned.
 * Used by {@link RtspMessageDecoder} and {@link RtspMessages}; not thread-safe.
 */
final class RtspStreamParser {

    private static final Logger LOG = LoggerFactory.getLogger(RtspMessageDecoder.class);

    /** Junk runs and malformed header lines are logged on the first occurrence and then once per this many. */
    static final int LOG_EVERY = 1000;
    /** A method name longer than this is not taken for the start of a request. */
    static final int MAX_METHOD_LENGTH = 32;

    private enum State { START, HEADERS, BODY, FAILED }

    // phases of the start-line scanner
    private static final int P_TOKEN = 0;
    private static final int P_URI = 1;
    private static final int P_VERSION_NAME = 2;
    private static final int P_VERSION_MAJOR = 3;
    private static final int P_VERSION_MINOR = 4;
    private static final int P_STATUS_SPACE = 5;
    private static final int P_STATUS = 6;
    private static final int P_REASON = 7;
    private static final int P_LINE_END = 8;
    private static final int P_CR = 9;

    private final int maxHeaderBytes;
    private final int maxBodyBytes;
    private Object source = "RTSP stream";

    private State state = State.START;
    /** Bytes after the reader index already examined (start line or current header line); none need rescanning. */
    private int scanned;

    // start line being scanned; offsets are relative to the reader index
    private int phase;
    private boolean request;
    private int tokenLength;
    private int uriEnd;
    private int versionStart;
    private int versionEnd;
    private int digits;
    private int statusStart;
    private int reasonStart;

    // message being assembled
    private RtspMessage current;
    private int headerBytes;
    private boolean canFold;
    private int bodyLength;

    private boolean inJunk;
    private volatile long skippedBytes;
    private volatile long junkRuns;
    private volatile long malformedHeaderLines;

    RtspStreamParser(int maxHeaderBytes, int maxBodyBytes) {
        if (maxHeaderBytes < 64) {
            throw new IllegalArgumentException("maxHeaderBytes must be at least 64: " + maxHeaderBytes);
        }
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxBodyBytes must not be negative: " + maxBodyBytes);
        }
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxBodyBytes = maxBodyBytes;
    }

    void source(Object source) {
        this.source = source;
    }

    long skippedBytes() {
        return skippedBytes;
    }

    long junkRuns() {
        return junkRuns;
    }

    long malformedHeaderLines() {
        return malformedHeaderLines;
    }

    /** Whether a message or frame has been started but not completed. */
    boolean isMidElement(ByteBuf in) {
        return state != State.START || in.isReadable();
    }

    /**
     * Makes one step on {@code in}, adding at most one decoded element to {@code out}. Returns without consuming
     * anything when more input is needed.
     *
     * @throws RtspProtocolException when the input breaks a limit or cannot be RTSP; the parser then discards all
     *                               further input
     */
    void decode(ByteBuf in, List<Object> out) {
        switch (state) {
            case START:
                decodeStart(in, out);
                break;
            case HEADERS:
                decodeHeaderLine(in, out);
                break;
            case BODY:
                decodeBody(in, out);
                break;
            default:
                int n = in.readableBytes();
                in.skipBytes(n);
                skippedBytes += n;
                break;
        }
    }

    /** Called when the input has ended: reports and discards an incomplete element. */
    void endOfInput(ByteBuf in) {
        int n = in.readableBytes();
        if (state == State.FAILED) {
            in.skipBytes(n);
            skippedBytes += n;
            return;
        }
        if (state != State.START || n > 0) {
            LOG.warn("{}: input ended inside an incomplete RTSP {}; {} unread byte(s) discarded", source,
                    state == State.START ? "message or interleaved frame" : "message", n);
            in.skipBytes(n);
            skippedBytes += n;
            resetMessage();
        }
    }

    private void decodeStart(ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        int r = in.readerIndex();
        if (scanned == 0) {
            int first = in.getUnsignedByte(r);
            if (first == '$') {
                decodeFrame(in, out);
                return;
            }
            if (!isLetter(first)) {
                int next = in.forEachByte(r, in.readableBytes(), b -> b != '$' && !isLetter(b & 0xff));
                skipJunk(in, next < 0 ? in.readableBytes() : next - r);
                return;
            }
            phase = P_TOKEN;
            tokenLength = 0;
        }
        scanStartLine(in, out);
    }

    private void decodeFrame(ByteBuf in, List<Object> out) {
        int r = in.readerIndex();
        if (in.readableBytes() < 4) {
            return;
        }
        int length = in.getUnsignedShort(r + 2);
        if (in.readableBytes() < 4 + length) {
            return;
        }
        int channel = in.getUnsignedByte(r + 1);
        ByteBuf payload = in.retainedSlice(r + 4, length);
        in.skipBytes(4 + length);
        inJunk = false;
        out.add(new InterleavedFrame(channel, payload));
    }

    /** Scans the start line from where the previous call stopped; the line is consumed once its LF is seen. */
    private void scanStartLine(ByteBuf in, List<Object> out) {
        int r = in.readerIndex();
        int readable = in.readableBytes();
        for (int i = scanned; i < readable; i++) {
            int c = in.getUnsignedByte(r + i);
            switch (phase) {
                case P_TOKEN:
                    if (RtspRequest.isMethodChar(c)) {
                        if (++tokenLength > MAX_METHOD_LENGTH) {
                            skipJunk(in, tokenLength);
                            return;
                        }
                    } else if (c == '/' && endsWithRtsp(in, r, tokenLength)) {
                        if (tokenLength > 4) {
                            // junk glued to a status line: resynchronise on the "RTSP/" inside the token
                            skipJunk(in, tokenLength - 4);
                            return;
                        }
                        request = false;
                        phase = P_VERSION_MAJOR;
                        versionStart = 0;
                        digits = 0;
                    } else if (c == ' ') {
                        request = true;
                        phase = P_URI;
                    } else {
                        skipJunk(in, tokenLength);
                        return;
                    }
                    break;
                case P_URI:
                    if (c == ' ' && i > tokenLength + 1) {
                        uriEnd = i;
                        versionStart = i + 1;
                        phase = P_VERSION_NAME;
                    } else if (!RtspRequest.isUriChar(c)) {
                        skipJunk(in, tokenLength + 1);
                        return;
                    }
                    break;
                case P_VERSION_NAME:
                    int k = i - versionStart;
                    if (k < 4 ? (c | 0x20) == "rtsp".charAt(k) : c == '/') {
                        if (k == 4) {
                            phase = P_VERSION_MAJOR;
                            digits = 0;
                        }
                    } else {
                        startLineMismatch(in);
                        return;
                    }
                    break;
                case P_VERSION_MAJOR:
                    if (isDigit(c) && digits < 3) {
                        digits++;
                    } else if (c == '.' && digits > 0) {
                        phase = P_VERSION_MINOR;
                        digits = 0;
                    } else {
                        startLineMismatch(in);
                        return;
                    }
                    break;
                case P_VERSION_MINOR:
                    if (isDigit(c) && digits < 3) {
                        digits++;
                        break;
                    }
                    if (digits == 0) {
                        startLineMismatch(in);
                        return;
                    }
                    versionEnd = i;
                    if (request) {
                        phase = P_LINE_END;
                        i--; // examine this byte again as the line end
                    } else if (c == ' ') {
                        phase = P_STATUS_SPACE;
                    } else {
                        startLineMismatch(in);
                        return;
                    }
                    break;
                case P_STATUS_SPACE:
                    if (isDigit(c)) {
                        statusStart = i;
                        digits = 1;
                        phase = P_STATUS;
                    } else if (c != ' ') {
                        startLineMismatch(in);
                        return;
                    }
                    break;
                case P_STATUS:
                    if (isDigit(c) && digits < 3) {
                        digits++;
                    } else if (digits < 3) {
                        startLineMismatch(in);
                        return;
                    } else if (c == ' ' || c == '\t') {
                        reasonStart = i + 1;
                        phase = P_REASON;
                    } else if (c == '\r') {
                        reasonStart = i;
                        phase = P_CR;
                    } else if (c == '\n') {
                        reasonStart = i;
                        startLineComplete(in, i, out);
                        return;
                    } else {
                        startLineMismatch(in);
                        return;
                    }
                    break;
                case P_REASON:
                    if (c == '\n') {
                        startLineComplete(in, i, out);
                        return;
                    }
                    break;
                case P_LINE_END:
                    if (c == '\r') {
                        phase = P_CR;
                    } else if (c == '\n') {
                        startLineComplete(in, i, out);
                        return;
                    } else if (c != ' ' && c != '\t') {
                        startLineMismatch(in);
                        return;
                    }
                    break;
                case P_CR:
                    if (c == '\n') {
                        startLineComplete(in, i, out);
                        return;
                    }
                    startLineMismatch(in);
                    return;
                default:
                    throw new IllegalStateException("start-line phase " + phase);
            }
            if (i + 1 >= maxHeaderBytes) {
                throw fail("RTSP " + (request ? "request" : "status") + " line is longer than the header limit of "
                        + maxHeaderBytes + " bytes");
            }
        }
        scanned = readable;
    }

    /** The candidate start line turned out not to be one: skip the part that cannot hold the start of another. */
    private void startLineMismatch(ByteBuf in) {
        skipJunk(in, request ? tokenLength + 1 : 1);
    }

    private void startLineComplete(ByteBuf in, int lf, List<Object> out) {
        int r = in.readerIndex();
        String version = "RTSP/" + in.toString(r + versionStart + 5, versionEnd - versionStart - 5,
                StandardCharsets.US_ASCII);
        if (request) {
            String method = in.toString(r, tokenLength, StandardCharsets.US_ASCII);
            String uri = in.toString(r + tokenLength + 1, uriEnd - tokenLength - 1, StandardCharsets.UTF_8);
            current = new RtspRequest(method, uri);
        } else {
            int status = (in.getByte(r + statusStart) - '0') * 100 + (in.getByte(r + statusStart + 1) - '0') * 10
                    + in.getByte(r + statusStart + 2) - '0';
            if (status < 100) {
                throw fail("RTSP status line has an invalid status code " + status + ": '"
                        + in.toString(r, lf, StandardCharsets.UTF_8).trim() + "'");
            }
            String reason = in.toString(r + reasonStart, lf - reasonStart, StandardCharsets.UTF_8).trim()
                    .replace('\r', ' ');
            current = new RtspResponse(status, reason);
        }
        current.version(version);
        in.skipBytes(lf + 1);
        headerBytes = lf + 1;
        scanned = 0;
        canFold = false;
        inJunk = false;
        state = State.HEADERS;
    }

    private void decodeHeaderLine(ByteBuf in, List<Object> out) {
        int r = in.readerIndex();
        int budget = maxHeaderBytes - headerBytes;
        int searchEnd = Math.min(in.readableBytes(), budget);
        int lf = scanned < searchEnd ? in.indexOf(r + scanned, r + searchEnd, (byte) '\n') : -1;
        if (lf < 0) {
            if (in.readableBytes() >= budget) {
                throw fail("RTSP header block is larger than the limit of " + maxHeaderBytes + " bytes");
            }
            scanned = in.readableBytes();
            return;
        }
        int lineLength = lf - r;
        int contentLength = lineLength > 0 && in.getByte(lf - 1) == '\r' ? lineLength - 1 : lineLength;
        headerBytes += lineLength + 1;
        scanned = 0;
        if (contentLength == 0) {
            in.skipBytes(lineLength + 1);
            headBlockComplete(out);
            return;
        }
        String line = in.toString(r, contentLength, StandardCharsets.UTF_8);
        in.skipBytes(lineLength + 1);
        headerLine(line);
    }

    private void headerLine(String line) {
        RtspHeaders headers = current.headers();
        char first = line.charAt(0);
        if (first == ' ' || first == '\t') {
            String continuation = line.trim();
            if (canFold && hasNoControl(continuation)) {
                if (!continuation.isEmpty()) {
                    headers.appendToLast(continuation);
                }
            } else {
                malformedHeaderLine(line, "a continuation line without a header to continue");
            }
            return;
        }
        int colon = line.indexOf(':');
        if (colon < 0) {
            malformedHeaderLine(line, "no ':'");
            return;
        }
        String name = line.substring(0, colon).trim();
        String value = line.substring(colon + 1).trim();
        if (name.isEmpty() || !isHeaderName(name) || !hasNoControl(value)) {
            malformedHeaderLine(line, "an invalid name or a control character in the value");
            return;
        }
        headers.addDecoded(name, value);
        canFold = true;
    }

    private void malformedHeaderLine(String line, String why) {
        canFold = false;
        long n = ++malformedHeaderLines;
        if (n == 1 || n % LOG_EVERY == 0) {
            String shown = line.length() > 80 ? line.substring(0, 80) + "..." : line;
            LOG.warn("{}: skipped a malformed RTSP header line ({}): '{}' ({} such line(s) so far)", source, why,
                    shown.replaceAll("[\\p{Cntrl}]", "?"), n);
        }
    }

    private void headBlockComplete(List<Object> out) {
        List<String> values = current.headers().getAll("Content-Length");
        long length = 0;
        for (int i = 0; i < values.size(); i++) {
            long v = parseContentLength(values.get(i));
            if (i > 0 && v != length) {
                throw fail("RTSP message has conflicting Content-Length headers: " + values);
            }
            length = v;
        }
        if (length == 0) {
            emit(out);
            return;
        }
        bodyLength = (int) length;
        state = State.BODY;
    }

    private long parseContentLength(String value) {
        boolean digitsOnly = !value.isEmpty();
        for (int i = 0; i < value.length() && digitsOnly; i++) {
            digitsOnly = isDigit(value.charAt(i));
        }
        if (!digitsOnly) {
            String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
            throw fail("RTSP Content-Length '" + shown + "' is not a non-negative decimal number");
        }
        long length = value.length() > 18 ? Long.MAX_VALUE : Long.parseLong(value);
        if (length > maxBodyBytes) {
            String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
            throw fail("RTSP Content-Length " + shown + " is larger than the body limit of " + maxBodyBytes
                    + " bytes");
        }
        return length;
    }

    private void decodeBody(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < bodyLength) {
            return;
        }
        byte[] body = new byte[bodyLength];
        in.readBytes(body);
        current.body(body);
        emit(out);
    }

    private void emit(List<Object> out) {
        out.add(current);
        resetMessage();
    }

    private void resetMessage() {
        current = null;
        state = State.START;
        scanned = 0;
        headerBytes = 0;
        bodyLength = 0;
    }

    private void skipJunk(ByteBuf in, int n) {
        if (!inJunk) {
            inJunk = true;
            long runs = ++junkRuns;
            if (runs == 1 || runs % LOG_EVERY == 0) {
                LOG.warn("{}: skipping bytes that are neither an RTSP message nor an interleaved frame, starting"
                        + " with {} ({} such run(s), {} byte(s) skipped before this one)", source,
                        ByteBufUtil.hexDump(in, in.readerIndex(), Math.min(n, 16)), runs, skippedBytes);
            }
        }
        in.skipBytes(n);
        skippedBytes += n;
        scanned = 0;
    }

    private RtspProtocolException fail(String message) {
        state = State.FAILED;
        current = null;
        LOG.debug("{}: {}; discarding the rest of the input", source, message);
        return new RtspProtocolException(message);
    }

    private static boolean endsWithRtsp(ByteBuf in, int r, int tokenLength) {
        if (tokenLength < 4) {
            return false;
        }
        int s = r + tokenLength - 4;
        return (in.getByte(s) | 0x20) == 'r' && (in.getByte(s + 1) | 0x20) == 't'
                && (in.getByte(s + 2) | 0x20) == 's' && (in.getByte(s + 3) | 0x20) == 'p';
    }

    private static boolean isLetter(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHeaderName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasNoControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < ' ' && c != '\t' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
