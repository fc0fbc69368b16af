package io.github.camelrtsp.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A bare RTSP client over a socket for protocol tests: writes requests, reads responses and {@code $} frames. */
final class RawRtsp implements AutoCloseable {

    /** A response: status, headers (lower-case names), body. */
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String sessionId() {
            String s = header("Session");
            return s == null ? null : s.split(";")[0].trim();
        }
    }

    /** An interleaved frame received while waiting for a response. */
    record Frame(int channel, byte[] data) {
    }

    final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String base;
    private int cseq;
    final List<Frame> frames = new ArrayList<>();

    RawRtsp(int port, String path, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        base = "rtsp://127.0.0.1:" + port + path;
    }

    RawRtsp(int port, String path) throws IOException {
        this(port, path, 0);
    }

    String url(String suffix) {
        return base + suffix;
    }

    /** Sends a request to {@code url} with {@code headers} ("Name: value" lines) and returns the response. */
    Response request(String method, String url, String... headers) throws IOException {
        send(method, url, headers);
        return readResponse();
    }

    void send(String method, String url, String... headers) throws IOException {
        StringBuilder b = new StringBuilder(method).append(' ').append(url).append(" RTSP/1.0\r\n");
        b.append("CSeq: ").append(++cseq).append("\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        b.append("\r\n");
        out.write(b.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads up to the next response, keeping interleaved frames in {@link #frames}. */
    Response readResponse() throws IOException {
        while (true) {
            int first = in.readUnsignedByte();
            if (first == '$') {
                readFrameBody();
                continue;
            }
            String status = ((char) first) + readLine();
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = readLine(); !line.isEmpty(); line = readLine()) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            int length = headers.containsKey("content-length") ? Integer.parseInt(headers.get("content-length")) : 0;
            byte[] body = new byte[length];
            in.readFully(body);
            return new Response(Integer.parseInt(status.split(" ")[1]), headers,
                    new String(body, StandardCharsets.UTF_8));
        }
    }

    /** Reads the next interleaved frame (the stream must be at a frame). */
    Frame readFrame() throws IOException {
        int first = in.readUnsignedByte();
        if (first != '$') {
            throw new IOException("expected a $ frame, got byte " + first);
        }
        return readFrameBody();
    }

    private Frame readFrameBody() throws IOException {
        int channel = in.readUnsignedByte();
        byte[] data = new byte[in.readUnsignedShort()];
        in.readFully(data);
        Frame f = new Frame(channel, data);
        if (frames.size() < 10_000) {
            frames.add(f);
        }
        return f;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.readUnsignedByte(); b != '\n'; b = in.readUnsignedByte()) {
            if (b != '\r') {
                line.write(b);
            }
            if (line.size() > 8192) {
                throw new IOException("line too long");
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
