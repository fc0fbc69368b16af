package io.github.camelrtsp.testsupport;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds ports that are free right now. A port is never handed out twice by one JVM, so tests running side by side
 * do not pick the same one; a port can still be taken by someone else before it is used, so callers that bind
 * retry on failure.
 */
public final class FreePorts {

    private static final int ATTEMPTS = 100;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A TCP port on which 127.0.0.1 can listen (chosen by the OS: bind port 0, read it, close). */
    public static int tcp() {
        for (int i = 0; i < ATTEMPTS; i++) {
            int port;
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException("cannot bind a TCP socket on 127.0.0.1: " + e.getMessage(), e);
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no fresh free TCP port after " + ATTEMPTS + " attempts");
    }

    /**
     * An even port P such that P and P+1 are both free for UDP on every local address (as RTP/RTCP client ports),
     * checked by binding two DatagramSockets.
     */
    public static int udpPair() {
        for (int i = 0; i < ATTEMPTS; i++) {
            int candidate;
            try (DatagramSocket probe = new DatagramSocket(0)) {
                candidate = probe.getLocalPort() & ~1;
            } catch (SocketException e) {
                throw new IllegalStateException("cannot bind a UDP socket: " + e.getMessage(), e);
            }
            if (candidate < 1024 || candidate + 1 > 65535) {
                continue;
            }
            if (udpFree(candidate) && udpFree(candidate + 1)
                    && !HANDED_OUT.contains(candidate + 1) && HANDED_OUT.add(candidate)) {
                HANDED_OUT.add(candidate + 1);
                return candidate;
            }
        }
        throw new IllegalStateException("no free even/odd UDP port pair after " + ATTEMPTS + " attempts");
    }

    /** True if a UDP socket can be bound to {@code port} on the wildcard address right now. */
    public static boolean udpFree(int port) {
        try (DatagramSocket socket = new DatagramSocket(null)) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (SocketException e) {
            return false;
        }
    }

    /** True if a TCP server socket can be bound to {@code port} on 127.0.0.1 right now. */
    public static boolean tcpFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
