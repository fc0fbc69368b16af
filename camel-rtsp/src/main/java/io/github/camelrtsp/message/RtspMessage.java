package io.github.camelrtsp.message;

import java.util.Objects;

/** Common part of RTSP requests and responses: protocol version, headers and body. Not thread-safe. */
public abstract class RtspMessage {

    /** The version written when none was set. */
    public static final String RTSP_1_0 = "RTSP/1.0";

    private static final byte[] EMPTY = new byte[0];

    private final RtspHeaders headers = new RtspHeaders();
    private byte[] body = EMPTY;
    private String version = RTSP_1_0;

    RtspMessage() {
    }

    /** Returns the (mutable) headers. */
    public RtspHeaders headers() {
        return headers;
    }

    /** Returns the body; never {@code null}, empty when the message has none. The array is not copied. */
    public byte[] body() {
        return body;
    }

    /** Sets the body ({@code null} means none). The array is kept, not copied. */
    public void body(byte[] body) {
        this.body = body == null ? EMPTY : body;
    }

    /** Returns the protocol version, {@code RTSP/1.0} unless set otherwise. */
    public String version() {
        return version;
    }

    /**
     * Sets the protocol version.
     *
     * @throws IllegalArgumentException unless it has the form {@code RTSP/<digits>.<digits>}
     */
    public void version(String version) {
        Objects.requireNonNull(version, "version");
        if (!version.matches("RTSP/[0-9]{1,3}\\.[0-9]{1,3}")) {
            throw new IllegalArgumentException("not an RTSP version: '" + version + "'");
        }
        this.version = version;
    }

    /** Returns the value of the {@code CSeq} header, or {@code null} when it is absent or not a number. */
    public Integer cseq() {
        return headers.getInt("CSeq");
    }

    /** The first line, without line end: request line or status line. */
    abstract String startLine();

    /** Start line, headers (credentials masked) and body length; never the body itself. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + startLine() + ", headers=" + headers + ", body=" + body.length
                + " bytes]";
    }
}
