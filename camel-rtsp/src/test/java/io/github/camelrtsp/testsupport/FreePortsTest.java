package io.github.camelrtsp.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void tcpPortsAreBindableAndNeverRepeated() throws IOException {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            int port = FreePorts.tcp();
            assertTrue(seen.add(port), "port handed out twice: " + port);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                assertFalse(FreePorts.tcpFree(port), "tcpFree while bound");
            }
        }
    }

    @Test
    void udpPairIsEvenAndBothPortsBindable() throws IOException {
        int first = FreePorts.udpPair();
        int second = FreePorts.udpPair();
        assertNotEquals(first, second);
        for (int port : new int[] {first, second}) {
            assertEquals(0, port % 2, "odd RTP port " + port);
            try (DatagramSocket rtp = new DatagramSocket(port); DatagramSocket rtcp = new DatagramSocket(port + 1)) {
                assertEquals(port, rtp.getLocalPort());
                assertFalse(FreePorts.udpFree(port), "udpFree while bound");
                assertFalse(FreePorts.udpFree(port + 1), "udpFree while bound");
            }
        }
    }
}
