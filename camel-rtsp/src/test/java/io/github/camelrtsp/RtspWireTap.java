package io.github.camelrtsp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy in front of an RTSP server that records what clients send, to show the requests on the wire (method
 * and Session header). Keeps at most {@link #MAX_RECORDED} bytes per connection of the client-to-server direction
 * (requests and RTCP); the server-to-client direction (media) is passed on without being kept.
 */
final class RtspWireTap implements AutoCloseable {

    /** A request seen on the wire. */
    record Request(String method, String uri, String session, String range) {
    }

    static final int MAX_RECORDED = 1 << 20;
    private static final Pattern REQUEST = Pattern.compile(
            "([A-Z][A-Z_]{2,}) (rtsps?://\\S+|\\*) RTSP/1\\.0\r\n((?:[^\r\n]+\r\n)*)\r\n");
    private static final Pattern SESSION = Pattern.compile("(?im)^Session:\\s*([^;\r\n]+)");
    private static final Pattern RANGE = Pattern.compile("(?im)^Range:\\s*([^\r\n]+)");

    private final ServerSocket listener;
    private final int target;
    private final List<ByteArrayOutputStream> recorded = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    RtspWireTap(int targetPort) throws IOException {
        this.target = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "wiretap-accept");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                sockets.add(client);
                sockets.add(server);
                ByteArrayOutputStream record = new ByteArrayOutputStream();
                recorded.add(record);
                pump(client.getInputStream(), server.getOutputStream(), record, server);
                pump(server.getInputStream(), client.getOutputStream(), null, client);
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException("wire tap failed: " + e.getMessage(), e);
                }
            }
        }
    }

    private void pump(InputStream in, OutputStream out, ByteArrayOutputStream record, Socket peer) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (record != null) {
                        synchronized (record) {
                            if (record.size() + n <= MAX_RECORDED) {
                                record.write(buf, 0, n);
                            }
                        }
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // connection closed
            } finally {
                try {
                    peer.close();
                } catch (IOException e) {
                    // already closed
                }
            }
        }, "wiretap-pump");
        t.setDaemon(true);
        t.start();
    }

    /**
     * The requests clients sent so far, in order, over all connections (connection by connection). Requests may
     * follow interleaved RTCP directly, so they are found anywhere, not only at line starts.
     */
    List<Request> requests() {
        List<Request> out = new ArrayList<>();
        for (ByteArrayOutputStream record : recorded) {
            String text;
            synchronized (record) {
                text = record.toString(StandardCharsets.ISO_8859_1);
            }
            Matcher m = REQUEST.matcher(text);
            while (m.find()) {
                Matcher s = SESSION.matcher(m.group(3));
                Matcher r = RANGE.matcher(m.group(3));
                out.add(new Request(m.group(1), m.group(2), s.find() ? s.group(1).trim() : null,
                        r.find() ? r.group(1).trim() : null));
            }
        }
        return out;
    }

    /** How many client connections were made. */
    int connections() {
        return recorded.size();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
