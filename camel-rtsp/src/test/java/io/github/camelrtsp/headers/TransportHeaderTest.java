package io.github.camelrtsp.headers;

import static io.github.camelrtsp.headers.CorpusHeaders.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class TransportHeaderTest {

    @Test
    void tcpInterleavedFromServer() {
        TransportHeader t = TransportHeader.parse(header("bunny_setup.txt", "Transport"));
        assertEquals("RTP/AVP", t.profile());
        assertTrue(t.tcp());
        assertTrue(t.unicast());
        assertFalse(t.multicast());
        assertArrayEquals(new int[] {0, 1}, t.interleaved());
        assertNull(t.ssrc());
        assertNull(t.clientPort());
    }

    /** {@code hikvision_setup_ssrc_space.txt}: "ssrc= d6d6627", a leading space and only 7 hex digits. */
    @Test
    void ssrcWithLeadingSpaceAndFewerThanEightDigits() {
        String value = header("hikvision_setup_ssrc_space.txt", "Transport");
        assertTrue(value.contains("ssrc= d6d6627"), "quirk not in file: " + value);
        TransportHeader t = TransportHeader.parse(value);
        assertEquals(0x0d6d6627L, t.ssrc());
        assertTrue(t.tcp());
        assertArrayEquals(new int[] {0, 1}, t.interleaved());
    }

    /** {@code luckfox_rkipc_setup_udp.txt}: {@code ssrc} before {@code unicast}. */
    @Test
    void ssrcBeforeUnicast() {
        String value = header("luckfox_rkipc_setup_udp.txt", "Transport");
        assertTrue(value.indexOf("ssrc") < value.indexOf("unicast"), "quirk not in file: " + value);
        TransportHeader t = TransportHeader.parse(value);
        assertFalse(t.tcp());
        assertTrue(t.unicast());
        assertEquals(0x22345685L, t.ssrc());
        assertArrayEquals(new int[] {54060, 54061}, t.clientPort());
        assertArrayEquals(new int[] {49152, 49153}, t.serverPort());
    }

    /** {@code luckfox_rkipc_setup_tcp.txt}: no unicast/multicast flag at all, which servers mean as unicast. */
    @Test
    void noCastFlagMeansUnicast() {
        TransportHeader t = TransportHeader.parse(header("luckfox_rkipc_setup_tcp.txt", "Transport"));
        assertTrue(t.unicast());
        assertTrue(t.tcp());
        assertEquals(0x22345684L, t.ssrc());
        assertArrayEquals(new int[] {0, 1}, t.interleaved());
    }

    /** {@code hikvision_setup.txt}: quoted mode. */
    @Test
    void quotedModeIsUnquoted() {
        TransportHeader t = TransportHeader.parse(header("hikvision_setup.txt", "Transport"));
        assertEquals("play", t.mode());
        assertEquals(0x4cacc3d1L, t.ssrc());
    }

    /** {@code gw_main_setup_audio.txt}: destination and source before interleaved. */
    @Test
    void destinationAndSource() {
        TransportHeader t = TransportHeader.parse(header("gw_main_setup_audio.txt", "Transport"));
        assertEquals("192.168.1.210", t.destination());
        assertEquals("192.168.1.110", t.source());
        assertArrayEquals(new int[] {2, 3}, t.interleaved());
    }

    /** {@code h264dvr_setup_video.txt}: UDP with ports, mode and "ssrc=0". */
    @Test
    void udpWithServerPortsAndZeroSsrc() {
        TransportHeader t = TransportHeader.parse(header("h264dvr_setup_video.txt", "Transport"));
        assertFalse(t.tcp());
        assertNull(t.lowerTransport());
        assertEquals("PLAY", t.mode());
        assertEquals("127.0.0.1", t.source());
        assertArrayEquals(new int[] {18714, 18715}, t.clientPort());
        assertArrayEquals(new int[] {40004, 40005}, t.serverPort());
        assertEquals(0L, t.ssrc());
    }

    /** {@code reolink_setup.txt}: no SSRC in Transport (the server gives it only in RTP-Info). */
    @Test
    void transportWithoutSsrc() {
        assertNull(TransportHeader.parse(header("reolink_setup.txt", "Transport")).ssrc());
    }

    @Test
    void singleInterleavedChannelMeansAPair() {
        assertArrayEquals(new int[] {4, 5}, TransportHeader.parse("RTP/AVP/TCP;interleaved=4").interleaved());
        assertArrayEquals(new int[] {6000, 6001}, TransportHeader.parse("RTP/AVP;server_port=6000").serverPort());
        assertNull(TransportHeader.parse("RTP/AVP/TCP;interleaved=255").interleaved());
    }

    @Test
    void multicastWithTtlAndPort() {
        TransportHeader t = TransportHeader.parse("RTP/AVP;multicast;destination=224.2.0.1;port=3456-3457;ttl=16");
        assertTrue(t.multicast());
        assertFalse(t.unicast());
        assertEquals(16, t.ttl());
        assertArrayEquals(new int[] {3456, 3457}, t.port());
        assertEquals("224.2.0.1", t.destination());
    }

    @Test
    void unreadableValuesAreAbsentNotFatal() {
        TransportHeader t = TransportHeader.parse("RTP/AVP/TCP;unicast;interleaved=x-y;ssrc=123456789;ttl=999;"
                + "client_port=70000-70001");
        assertNull(t.interleaved());
        assertNull(t.ssrc());
        assertNull(t.ttl());
        assertNull(t.clientPort());
        assertEquals("x-y", t.param("INTERLEAVED"));
    }

    @Test
    void lowerCaseProtocolAndSavp() {
        TransportHeader t = TransportHeader.parse("rtp/savp/tcp;UNICAST;Interleaved=2-3");
        assertTrue(t.tcp());
        assertEquals("rtp/savp", t.profile());
        assertTrue(t.has("unicast"));
        assertArrayEquals(new int[] {2, 3}, t.interleaved());
    }

    @Test
    void listOfAlternatives() {
        List<TransportHeader> list = TransportHeader.parseList(
                "RTP/AVP/TCP;unicast;interleaved=0-1, RTP/AVP;unicast;client_port=5000-5001,");
        assertEquals(2, list.size());
        assertTrue(list.get(0).tcp());
        assertArrayEquals(new int[] {5000, 5001}, list.get(1).clientPort());
        assertThrows(IllegalArgumentException.class, () -> TransportHeader.parseList(" , "));
    }

    @Test
    void rejectsValueWithoutProtocol() {
        assertThrows(IllegalArgumentException.class, () -> TransportHeader.parse(""));
        assertThrows(IllegalArgumentException.class, () -> TransportHeader.parse("interleaved=0-1;RTP/AVP"));
    }

    @Test
    void clientRequestForms() {
        assertEquals("RTP/AVP/TCP;unicast;interleaved=0-1", TransportHeader.tcpInterleaved(0).format());
        assertEquals("RTP/AVP/TCP;unicast;interleaved=2-3", TransportHeader.tcpInterleaved(2).toString());
        assertEquals("RTP/AVP;unicast;client_port=5000-5001", TransportHeader.udpUnicast(5000).format());
        assertEquals("RTP/AVP;multicast", TransportHeader.udpMulticast().format());
        assertEquals("RTP/AVP/TCP;unicast;interleaved=0-1;mode=PLAY",
                TransportHeader.tcpInterleaved(0).with("mode", "PLAY").format());
        assertEquals("RTP/AVP/TCP;unicast;interleaved=4-5",
                TransportHeader.tcpInterleaved(0).with("interleaved", "4-5").format());
        assertThrows(IllegalArgumentException.class, () -> TransportHeader.tcpInterleaved(255));
        assertThrows(IllegalArgumentException.class, () -> TransportHeader.udpUnicast(65535));
        assertThrows(IllegalArgumentException.class, () -> TransportHeader.udpUnicast(0).format());
        assertThrows(IllegalArgumentException.class, () -> TransportHeader.tcpInterleaved(0).with("mode", "a;b"));
    }

    @Test
    void formatRoundTrips() {
        String v = "RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=4cacc3d1;mode=\"play\"";
        assertEquals(v, TransportHeader.parse(v).format());
        assertEquals(TransportHeader.parse(v), TransportHeader.parse(v.toUpperCase()));
    }
}
