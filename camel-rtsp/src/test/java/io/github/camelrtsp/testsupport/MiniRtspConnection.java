package io.github.camelrtsp.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A deliberately tiny RTSP/1.0 client used only to test the harness itself: blocking requests over one connection
 * and counting of interleaved ($) frames per channel. Not a model for the real client.
 */
final class MiniRtspConnection implements AutoCloseable {

    private static final int MAX_HEADER_LINE = 8192;
    private static final int MAX_BODY = 1 << 20;
    private static final int REQUEST_TIMEOUT_MS = 5000;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final long[] frames = new long[256];
    private List<byte[]>[] kept;
    private int keepLimit;
    private int cseq;

    /** A parsed response; header names are lower-case. */
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private MiniRtspConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        this.out = socket.getOutputStream();
        socket.setSoTimeout(REQUEST_TIMEOUT_MS);
    }

    static MiniRtspConnection open(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), REQUEST_TIMEOUT_MS);
        return new MiniRtspConnection(socket);
    }

    /** Opens a TLS connection that checks the server certificate, including its name (IP 127.0.0.1). */
    static MiniRtspConnection openTls(int port, SSLContext context) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), REQUEST_TIMEOUT_MS);
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
        SSLParameters params = tls.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(params);
        tls.setSoTimeout(REQUEST_TIMEOUT_MS);
        tls.startHandshake();
        return new MiniRtspConnection(tls);
    }

    /** Sends a request and reads its response, counting interleaved frames that arrive before it. */
    Response request(String method, String url, String... headerLines) throws IOException {
        out.write(requestText(method, url, headerLines));
        out.flush();
        socket.setSoTimeout(REQUEST_TIMEOUT_MS);
        while (true) {
            int first = in.read();
            if (first < 0) {
                throw new IOException("connection closed before the response to " + method);
            }
            if (first == '$') {
                readFrame();
            } else {
                return readResponse((char) first);
            }
        }
    }

    private byte[] requestText(String method, String url, String... headerLines) {
        StringBuilder sb = new StringBuilder(method).append(' ').append(url).append(" RTSP/1.0\r\n");
        sb.append("CSeq: ").append(++cseq).append("\r\n");
        sb.append("User-Agent: camelrtsp-harness-test\r\n");
        for (String h : headerLines) {
            sb.append(h).append("\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Counts interleaved frames for {@code window}; returns the counts per channel seen in that window. */
    long[] countFrames(Duration window) throws IOException {
        long[] before = frames.clone();
        long deadline = System.nanoTime() + window.toNanos();
        readFramesUntil(deadline, -1);
        long[] delta = new long[256];
        for (int i = 0; i < 256; i++) {
            delta[i] = frames[i] - before[i];
        }
        return delta;
    }

    /** Reads frames until one arrives on {@code channel} or {@code timeout} passes; true if one did. */
    boolean awaitFrame(int channel, Duration timeout) throws IOException {
        return readFramesUntil(System.nanoTime() + timeout.toNanos(), channel);
    }

    /**
     * Reads interleaved frames for {@code window} and returns, per channel asked for, copies of the frames (RTP or
     * RTCP packets) that arrived on it, at most {@code max} per channel; later ones are only counted.
     */
    @SuppressWarnings("unchecked")
    List<byte[]>[] collectFrames(Duration window, int max, int... channels) throws IOException {
        kept = new List[256];
        keepLimit = max;
        for (int channel : channels) {
            kept[channel] = new ArrayList<>();
        }
        try {
            readFramesUntil(System.nanoTime() + window.toNanos(), -1);
            List<byte[]>[] result = new List[channels.length];
            for (int i = 0; i < channels.length; i++) {
                result[i] = kept[channels[i]];
            }
            return result;
        } finally {
            kept = null;
        }
    }

    private boolean readFramesUntil(long deadline, int channel) throws IOException {
        long start = frames[channel < 0 ? 0 : channel];
        while (true) {
            long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
            if (remainingMs <= 0) {
                return false;
            }
            socket.setSoTimeout((int) Math.max(1, remainingMs));
            int first;
            try {
                first = in.read();
            } catch (SocketTimeoutException e) {
                return false;
            }
            if (first < 0) {
                throw new IOException("connection closed while waiting for media");
            }
            if (first != '$') {
                throw new IOException("unexpected byte 0x" + Integer.toHexString(first) + " between frames");
            }
            socket.setSoTimeout(REQUEST_TIMEOUT_MS);
            int ch = readFrame();
            if (channel >= 0 && ch == channel && frames[channel] > start) {
                return true;
            }
        }
    }

    private int readFrame() throws IOException {
        int channel = in.readUnsignedByte();
        int length = in.readUnsignedShort();
        List<byte[]> keep = kept == null ? null : kept[channel];
        if (keep != null && keep.size() < keepLimit) {
            byte[] frame = new byte[length];
            in.readFully(frame);
            keep.add(frame);
        } else {
            in.skipNBytes(length);
        }
        frames[channel]++;
        return channel;
    }

    private Response readResponse(char first) throws IOException {
        String status = first + readLine();
        if (!status.startsWith("RTSP/1.0 ")) {
            throw new IOException("not an RTSP status line: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while (!(line = readLine()).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        if (length < 0 || length > MAX_BODY) {
            throw new IOException("bad Content-Length " + length);
        }
        byte[] body = new byte[length];
        in.readFully(body);
        return new Response(code, headers, new String(body, StandardCharsets.UTF_8));
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed inside a header");
            }
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                line.write(b);
            }
            if (line.size() > MAX_HEADER_LINE) {
                throw new IOException("header line longer than " + MAX_HEADER_LINE);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
