package io.github.camelrtsp.examples;

import java.util.List;

import io.github.camelrtsp.examples.Cameras.Camera;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CamerasTest {

    @Test
    void parsesAListWhoseUrlsKeepTheirOwnQuery() {
        List<Camera> cameras = Cameras.parse(" door=rtsp://u:p@10.0.0.5:554/s1 , yard=rtsp://10.0.0.6/cam/realmonitor"
                + "?channel=1&subtype=0");
        assertEquals(List.of(new Camera("door", "rtsp://u:p@10.0.0.5:554/s1"),
                new Camera("yard", "rtsp://10.0.0.6/cam/realmonitor?channel=1&subtype=0")), cameras);
        assertEquals("rtsp://10.0.0.6/cam/realmonitor?channel=1&subtype=0&output=fmp4",
                cameras.get(1).endpoint("output=fmp4"));
        assertEquals("rtsp://u:p@10.0.0.5:554/s1?output=fmp4", cameras.get(0).endpoint("output=fmp4"));
    }

    @Test
    void refusesEntriesThatCannotNameAFileOrAKey() {
        assertThrows(IllegalArgumentException.class, () -> Cameras.parse("rtsp://cam/stream"));
        assertThrows(IllegalArgumentException.class, () -> Cameras.parse("a=rtsp://x/1,a=rtsp://x/2"));
        assertThrows(IllegalArgumentException.class, () -> Cameras.parse("../etc=rtsp://x/1"));
        assertThrows(IllegalArgumentException.class, () -> Cameras.parse("cam="));
        assertThrows(IllegalArgumentException.class, () -> Cameras.parse(" , "));
    }
}
