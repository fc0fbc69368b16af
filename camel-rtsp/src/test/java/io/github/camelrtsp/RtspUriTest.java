package io.github.camelrtsp;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RtspUriTest {

    @Test
    void hostPortPathAndDefaults() {
        RtspUri u = RtspUri.parse("rtsp://cam.local:8554/live/main");
        assertEquals("rtsp", u.scheme());
        assertEquals("cam.local", u.host());
        assertEquals(8554, u.port());
        assertTrue(u.portGiven());
        assertEquals("live/main", u.path());
        assertNull(u.user());

        assertEquals(554, RtspUri.parse("rtsp://cam/x").port());
        assertEquals(322, RtspUri.parse("rtsps://cam/x").port());
        assertTrue(RtspUri.parse("RTSPS://cam/x").isTls());
        assertEquals("rtsp://cam", RtspUri.parse("rtsp://cam").cameraUrl(p -> true));
    }

    @Test
    void formWithoutSlashesAsBuiltByTheEndpointUriFactory() {
        RtspUri u = RtspUri.parse("rtsp:cam:554/Streaming/Channels/101");
        assertEquals("cam", u.host());
        assertEquals(554, u.port());
        assertEquals("rtsp://cam:554/Streaming/Channels/101", u.cameraUrl(p -> true));
    }

    @Test
    void ipv6Literal() {
        RtspUri u = RtspUri.parse("rtsp://[fe80::1]:8554/s");
        assertEquals("[fe80::1]", u.host());
        assertEquals(8554, u.port());
        assertEquals("rtsp://[fe80::1]:8554/s", u.cameraUrl(p -> true));
        assertEquals(554, RtspUri.parse("rtsp://[::1]/s").port());
    }

    @Test
    void userInfoIsPercentDecodedAndPlusStaysPlus() {
        RtspUri u = RtspUri.parse("rtsp://ad%20min:p%40ss%3Aw%2Frd+%C3%A9@cam/x");
        assertEquals("ad min", u.user());
        assertEquals("p@ss:w/rd+\u00e9", u.password());
        assertEquals("rtsp://cam/x", u.cameraUrl(p -> true));
        assertEquals("rtsp://ad%20min:xxxxxx@cam/x", u.sanitized());
    }

    @Test
    void rawAtSignInPasswordUsesTheLastAtSign() {
        RtspUri u = RtspUri.parse("rtsp://admin:p@ss@10.0.0.1/x");
        assertEquals("admin", u.user());
        assertEquals("p@ss", u.password());
        assertEquals("10.0.0.1", u.host());
    }

    @Test
    void userWithoutPassword() {
        RtspUri u = RtspUri.parse("rtsp://viewer@cam/x");
        assertEquals("viewer", u.user());
        assertNull(u.password());
        assertEquals("rtsp://viewer@cam/x", u.sanitized());
    }

    @Test
    void badUserInfoEncodingDoesNotShowThePassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RtspUri.parse("rtsp://admin:Sup3rS%ZZecret@cam/x"));
        assertFalse(e.getMessage().contains("Sup3r"), e.getMessage());
        assertTrue(e.getMessage().contains("password"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RtspUri.parse("rtsp://admin:Sup3r%FF@cam/x"));
        assertFalse(e.getMessage().contains("Sup3r"), e.getMessage());
    }

    @Test
    void invalidPortsAndHosts() {
        assertThrows(IllegalArgumentException.class, () -> RtspUri.parse("rtsp://cam:0/x"));
        assertThrows(IllegalArgumentException.class, () -> RtspUri.parse("rtsp://cam:65536/x"));
        assertThrows(IllegalArgumentException.class, () -> RtspUri.parse("rtsp://cam:12ab/x"));
        assertThrows(IllegalArgumentException.class, () -> RtspUri.parse("rtsp://cam:99999999999/x"));
        assertThrows(IllegalArgumentException.class, () -> RtspUri.parse("rtsp:///x"));
        assertThrows(IllegalArgumentException.class, () -> RtspUri.parse("rtsp://[fe80::1/x"));
        assertThrows(IllegalArgumentException.class, () -> RtspUri.parse("http://cam/x"));
        assertThrows(IllegalArgumentException.class, () -> RtspUri.parse("rtsp://:pw@cam/x"));
    }

    @Test
    void queryKeepsOrderEncodingAndRawValuesWhole() {
        RtspUri u = RtspUri.parse("rtsp://cam/p?z=1&a=%2F%20x&flag&k=RAW(a&b=c)&m=RAW{x&y}&last=2");
        List<String> raws = u.query().stream().map(RtspUri.QueryParam::raw).collect(Collectors.toList());
        assertEquals(List.of("z=1", "a=%2F%20x", "flag", "k=RAW(a&b=c)", "m=RAW{x&y}", "last=2"), raws);
        assertEquals("a", u.query().get(1).key());
        assertEquals("rtsp://cam/p?z=1&a=%2F%20x&flag&k=a&b=c&m=x&y&last=2", u.cameraUrl(p -> true));
        assertEquals("rtsp://cam/p?z=1&last=2", u.cameraUrl(p -> p.key().equals("z") || p.key().equals("last")));
    }

    @Test
    void secretsMaskedInPathAndQueryForDisplay() {
        RtspUri u = RtspUri.parse(
                "rtsp://admin:TopSecret1@cam:554/user=admin&password=TopSecret2&channel=1&stream=0.sdp"
                                  + "?channel=2&pwd=TopSecret3&password=RAW(Top)Secret4)&token=TopSecret5");
        String shown = u.sanitized();
        assertFalse(shown.contains("TopSecret"), shown);
        assertTrue(shown.contains("channel=1&stream=0.sdp?channel=2"), shown);
        String camera = u.sanitizedCameraUrl(p -> true);
        assertFalse(camera.contains("TopSecret"), camera);
        // user names count as sensitive for Camel too
        assertTrue(camera.startsWith("rtsp://cam:554/user=xxxxxx&password=xxxxxx&channel=1"), camera);
        // the real URL keeps everything but the user info
        assertTrue(u.cameraUrl(p -> true).contains("password=TopSecret2"));
        assertFalse(u.cameraUrl(p -> true).contains("TopSecret1"));
    }

    @Test
    void editDistanceForDidYouMean() {
        assertEquals(0, RtspEndpoint.editDistance("transport", "transport"));
        assertEquals(1, RtspEndpoint.editDistance("transprt", "transport"));
        assertEquals(3, RtspEndpoint.editDistance("recieveTimeot", "receiveTimeout"));
        assertEquals(7, RtspEndpoint.editDistance("channel", ""));
    }
}
