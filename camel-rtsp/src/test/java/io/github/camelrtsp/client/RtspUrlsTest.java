package io.github.camelrtsp.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RtspUrlsTest {

    @Test
    void hostAndPortWithDefaults() {
        assertEquals("cam", RtspUrls.host("rtsp://cam/cam/realmonitor?channel=1&subtype=0"));
        assertEquals(554, RtspUrls.port("rtsp://cam/cam/realmonitor?channel=1&subtype=0"));
        assertEquals(322, RtspUrls.port("rtsps://cam/live"));
        assertEquals(8554, RtspUrls.port("RTSP://10.0.0.2:8554/live"));
        assertEquals("::1", RtspUrls.host("rtsp://[::1]:8554/live"));
        assertEquals("cam", RtspUrls.host("rtsp://cam/path with space|pipe"), "only the authority is parsed");
        assertTrue(RtspUrls.isTls("rtsps://cam/x"));
        assertFalse(RtspUrls.isTls("rtsp://cam/x"));
    }

    @Test
    void rejectsWhatIsNoRtspUrl() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RtspUrls.host("http://admin:pw-9@cam/x"));
        assertFalse(e.getMessage().contains("pw-9"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RtspUrls.host("rtsp:///nohost"));
    }

    @Test
    void sanitizeRemovesUserInfoAndMasksSecrets() {
        assertEquals("rtsp://cam:554/live", RtspUrls.sanitize("rtsp://admin:pw@cam:554/live"));
        assertEquals("rtsp://cam/live?user=admin&password=xxxxxx&channel=1",
                RtspUrls.sanitize("rtsp://cam/live?user=admin&password=hunter2&channel=1"));
        assertEquals("rtsp://cam/user=admin&pwd=xxxxxx/stream",
                RtspUrls.sanitize("rtsp://cam/user=admin&pwd=hunter2/stream"));
        assertEquals("rtsp://cam/cam/realmonitor?channel=1&subtype=0",
                RtspUrls.sanitize("rtsp://cam/cam/realmonitor?channel=1&subtype=0"));
    }
}
