package io.github.camelrtsp.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ControlUrlTest {

    static Stream<Arguments> baseUrls() {
        return Stream.of(
                // contentBase, contentLocation, requestUrl, expected
                Arguments.of("rtsp://h/a/", "rtsp://h/loc/", "rtsp://h/req", "rtsp://h/a/"),
                Arguments.of(null, "rtsp://h/loc/", "rtsp://h/req", "rtsp://h/loc/"),
                Arguments.of(null, null, "rtsp://h/req", "rtsp://h/req"),
                Arguments.of("  ", "", "rtsp://h/req", "rtsp://h/req"),
                Arguments.of(" rtsp://h/a/ ", null, null, "rtsp://h/a/"),
                Arguments.of("RTSP://H/A/", null, "rtsp://h/req", "RTSP://H/A/"),
                Arguments.of("192.168.1.10:554/stream0/", null, "rtsp://192.168.1.10:554/stream0",
                        "rtsp://192.168.1.10:554/stream0/"),
                Arguments.of("192.168.1.10:554/stream0/", null, null, "rtsp://192.168.1.10:554/stream0/"),
                Arguments.of("cam.local/live/", null, "rtsps://cam.local/live", "rtsps://cam.local/live/"),
                Arguments.of(null, "/live/ch0/", "rtsp://u:p@h:554/x?y=1", "rtsp://u:p@h:554/live/ch0/"),
                Arguments.of(null, null, "cam:554/live", "rtsp://cam:554/live"));
    }

    @ParameterizedTest
    @MethodSource("baseUrls")
    void baseUrlFollowsContentBaseThenContentLocationThenRequest(String contentBase, String contentLocation,
                                                                   String requestUrl, String expected) {
        assertEquals(expected, ControlUrl.baseUrl(contentBase, contentLocation, requestUrl));
    }

    @Test
    void baseUrlWithNothingToChooseFromIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ControlUrl.baseUrl(null, " ", ""));
        assertTrue(e.getMessage().contains("Content-Base"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ControlUrl.baseUrl("/live/ch0/", null, null));
        assertThrows(IllegalArgumentException.class, () -> ControlUrl.baseUrl(null, "/live/ch0/", "h/live"));
    }

    static Stream<Arguments> setupUrls() {
        return Stream.of(
                // base, session control, media control, expected SETUP URL
                Arguments.of("rtsp://h/a/", "*", "rtsp://other/t1", "rtsp://other/t1"),
                Arguments.of("rtsp://h/a/", "*", "RTSP://other/t1", "RTSP://other/t1"),
                Arguments.of("rtsp://h/a/", "*", "rtsps://other/t1", "rtsps://other/t1"),
                Arguments.of("rtsp://h/a/", "*", "RtSpS://other/t1", "RtSpS://other/t1"),
                Arguments.of("rtsp://h/a/", "rtsp://s/agg", "rtsp://other/t1", "rtsp://other/t1"),
                Arguments.of("rtsp://h/a/", "*", "*", "rtsp://h/a/"),
                Arguments.of("rtsp://h/a/", "*", null, "rtsp://h/a/"),
                Arguments.of("rtsp://h/a/", null, "  ", "rtsp://h/a/"),
                Arguments.of("rtsp://h/a/", "rtsp://s/agg/", "*", "rtsp://s/agg/"),
                Arguments.of("rtsp://h/a/", "rtsp://s/agg/", null, "rtsp://s/agg/"),
                Arguments.of("rtsp://h/a/", "live", null, "rtsp://h/a/live"),
                Arguments.of("rtsp://h/cam/realmonitor?channel=1&subtype=0/", "*", "trackID=0",
                        "rtsp://h/cam/realmonitor?channel=1&subtype=0/trackID=0"),
                Arguments.of("rtsp://h/H264?channel=1&subtype=0", "*", "video",
                        "rtsp://h/H264?channel=1&subtype=0/video"),
                Arguments.of("rtsp://h/cam", "*", "trackID=1", "rtsp://h/cam/trackID=1"),
                Arguments.of("rtsp://h/cam/", "*", "trackID=1", "rtsp://h/cam/trackID=1"),
                Arguments.of("rtsp://h", null, "track1", "rtsp://h/track1"),
                Arguments.of("rtsp://h/live", "*", "?ctype=video", "rtsp://h/live?ctype=video"),
                Arguments.of("rtsp://h/live/", "*", "?ctype=video", "rtsp://h/live/?ctype=video"),
                Arguments.of("rtsp://h:554/a/b?x=1", "*", "/media/video1", "rtsp://h:554/media/video1"),
                Arguments.of("rtsp://u:p@h:554/a/b/", "*", "/media/video1?x=2", "rtsp://u:p@h:554/media/video1?x=2"),
                Arguments.of("rtsp://h", "*", "/x", "rtsp://h/x"),
                Arguments.of("rtsp://h/a/", "rtsp://s/agg/", "trackID=1", "rtsp://h/a/trackID=1"),
                Arguments.of(" rtsp://h/a/ ", " * ", " trackID=1 ", "rtsp://h/a/trackID=1"),
                Arguments.of(null, null, "rtsp://h/t", "rtsp://h/t"),
                Arguments.of(null, "rtsp://s/agg", "*", "rtsp://s/agg"));
    }

    @ParameterizedTest
    @MethodSource("setupUrls")
    void resolveGivesTheSetupUrl(String base, String sessionControl, String mediaControl, String expected) {
        assertEquals(expected, ControlUrl.resolve(base, sessionControl, mediaControl));
    }

    static Stream<Arguments> aggregateUrls() {
        return Stream.of(
                Arguments.of("rtsp://h/a/", "rtsp://h/a/?transportmode=unicast", "rtsp://h/a/?transportmode=unicast"),
                Arguments.of("rtsp://h/a/", "RTSPS://s/agg", "RTSPS://s/agg"),
                Arguments.of("rtsp://h/a/", "*", "rtsp://h/a/"),
                Arguments.of("rtsp://h/a/", null, "rtsp://h/a/"),
                Arguments.of("rtsp://h/a/", "", "rtsp://h/a/"),
                Arguments.of("rtsp://h/a", "live", "rtsp://h/a/live"),
                Arguments.of("rtsp://h/a/", "live", "rtsp://h/a/live"),
                Arguments.of("rtsp://h/a", "?session=1", "rtsp://h/a?session=1"),
                Arguments.of("rtsp://h:8554/a/b", "/c", "rtsp://h:8554/c"),
                Arguments.of(null, "rtsp://s/agg", "rtsp://s/agg"));
    }

    @ParameterizedTest
    @MethodSource("aggregateUrls")
    void aggregateUrlGivesThePlayUrl(String base, String sessionControl, String expected) {
        assertEquals(expected, ControlUrl.aggregateUrl(base, sessionControl));
    }

    @Test
    void relativeControlWithoutBaseIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ControlUrl.resolve(null, "*", "trackID=1"));
        assertThrows(IllegalArgumentException.class, () -> ControlUrl.resolve(" ", null, null));
        assertThrows(IllegalArgumentException.class, () -> ControlUrl.aggregateUrl(null, "*"));
    }

    @Test
    void isAbsoluteAcceptsOnlyRtspSchemes() {
        assertTrue(ControlUrl.isAbsolute("rtsp://h/"));
        assertTrue(ControlUrl.isAbsolute("Rtsps://h/"));
        assertFalse(ControlUrl.isAbsolute("http://h/"));
        assertFalse(ControlUrl.isAbsolute("rtsp:/h"));
        assertFalse(ControlUrl.isAbsolute("trackID=1"));
        assertFalse(ControlUrl.isAbsolute(null));
    }

    /** A corpus DESCRIBE answer, the request URL it answered, and the URLs a client must use with it. */
    record Describe(String file, String requestUrl, String aggregate, List<String> setups) {
    }

    private static final List<Describe> DESCRIBES = List.of(
            new Describe("anjvision_describe.txt", "rtsp://192.168.1.10:554/stream0",
                    "rtsp://192.168.1.10:554/stream0/", List.of("rtsp://192.168.1.10:554/stream0/trackID=1")),
            new Describe("bunny_describe.txt", "rtsp://wowzaec2demo.streamlock.net/vod/mp4:BigBuckBunny_115k.mov",
                    "rtsp://wowzaec2demo.streamlock.net/vod/mp4:BigBuckBunny_115k.mov/", List.of(
                            "rtsp://wowzaec2demo.streamlock.net/vod/mp4:BigBuckBunny_115k.mov/trackID=1",
                            "rtsp://wowzaec2demo.streamlock.net/vod/mp4:BigBuckBunny_115k.mov/trackID=2")),
            new Describe("dahua_describe_h264_aac_onvif.txt",
                    "rtsp://192.168.5.111:554/cam/realmonitor?channel=1&subtype=1&unicast=true&proto=Onvif",
                    "rtsp://192.168.5.111:554/cam/realmonitor?channel=1&subtype=1&unicast=true&proto=Onvif/", List.of(
                            "rtsp://192.168.5.111:554/cam/realmonitor?channel=1&subtype=1&unicast=true&proto=Onvif/trackID=0",
                            "rtsp://192.168.5.111:554/cam/realmonitor?channel=1&subtype=1&unicast=true&proto=Onvif/trackID=1",
                            "rtsp://192.168.5.111:554/cam/realmonitor?channel=1&subtype=1&unicast=true&proto=Onvif/trackID=4")),
            new Describe("dahua_describe_h265_pcma.txt", "rtsp://cam-driveway/cam/realmonitor?channel=1&subtype=2",
                    "rtsp://cam-driveway/cam/realmonitor?channel=1&subtype=2/", List.of(
                            "rtsp://cam-driveway/cam/realmonitor?channel=1&subtype=2/trackID=0",
                            "rtsp://cam-driveway/cam/realmonitor?channel=1&subtype=2/trackID=1")),
            new Describe("foscam_describe.txt", "rtsp://192.168.5.107:65534/videoMain",
                    "rtsp://192.168.5.107:65534/videoMain/", List.of(
                            "rtsp://192.168.5.107:65534/videoMain/track1",
                            "rtsp://192.168.5.107:65534/videoMain/track2")),
            new Describe("gw_main_describe.txt",
                    "rtsp://192.168.1.110:5050/H264?channel=1&subtype=0&unicast=true&proto=Onvif",
                    "rtsp://192.168.1.110:5050/H264?channel=1&subtype=0&unicast=true&proto=Onvif", List.of(
                            "rtsp://192.168.1.110:5050/H264?channel=1&subtype=0&unicast=true&proto=Onvif/video",
                            "rtsp://192.168.1.110:5050/H264?channel=1&subtype=0&unicast=true&proto=Onvif/audio")),
            new Describe("gw_sub_describe.txt",
                    "rtsp://192.168.1.110:5049/H264?channel=1&subtype=1&unicast=true&proto=Onvif",
                    "rtsp://192.168.1.110:5049/H264?channel=1&subtype=1&unicast=true&proto=Onvif", List.of(
                            "rtsp://192.168.1.110:5049/H264?channel=1&subtype=1&unicast=true&proto=Onvif/video")),
            new Describe("h264dvr_describe.txt", "rtsp://192.168.168.100:554/user=admin_password=_channel=1_stream=0.sdp",
                    "rtsp://127.0.0.1:554/camera", List.of(
                            "rtsp://127.0.0.1:554/camera/trackID=3",
                            "rtsp://127.0.0.1:554/camera/trackID=4")),
            new Describe("hikvision_describe.txt", "rtsp://192.168.5.106:554/Streaming/Channels/101",
                    "rtsp://192.168.5.106:554/Streaming/Channels/101/?transportmode=unicast&profile=Profile_1", List.of(
                            "rtsp://192.168.5.106:554/Streaming/Channels/101/trackID=1?transportmode=unicast&profile=Profile_1",
                            "rtsp://192.168.5.106:554/Streaming/Channels/101/trackID=3?transportmode=unicast&profile=Profile_1")),
            new Describe("ipcam_describe.txt", "rtsp://192.168.1.67:554/ch0",
                    "rtsp://192.168.1.67:554/ch0", List.of("rtsp://192.168.1.67:554/ch0/trackID=1")),
            new Describe("macrovideo_describe.txt", "rtsp://192.168.1.100:554/live",
                    "rtsp://192.168.1.100:554/live", List.of("rtsp://192.168.1.100:554/live/track1")),
            new Describe("missing_content_type_describe.txt", "rtsp://192.168.1.101:8554/stream",
                    "rtsp://192.168.1.101:8554/stream", List.of(
                            "rtsp://192.168.1.101:8554/stream/streamid=0",
                            "rtsp://192.168.1.101:8554/stream/streamid=1")),
            new Describe("reolink_describe.txt", "rtsp://192.168.5.206/h264Preview_01_main",
                    "rtsp://192.168.5.206/h264Preview_01_main/", List.of(
                            "rtsp://192.168.5.206/h264Preview_01_main/trackID=1",
                            "rtsp://192.168.5.206/h264Preview_01_main/trackID=2")),
            new Describe("reolink_describe_control_first.txt", "rtsp://192.168.5.206/h264Preview_01_main",
                    "rtsp://192.168.5.206/h264Preview_01_main/", List.of(
                            "rtsp://192.168.5.206/h264Preview_01_main/trackID=1",
                            "rtsp://192.168.5.206/h264Preview_01_main/trackID=2")),
            new Describe("vstarcam_describe.txt", "rtsp://192.168.1.198:10554/tcp/av0_0",
                    "rtsp://192.168.1.198:10554/tcp/av0_0", List.of(
                            "rtsp://192.168.1.198:10554/tcp/av0_0/track0",
                            "rtsp://192.168.1.198:10554/tcp/av0_0/track1")));

    @Test
    void everyCorpusDescribeHasExpectedUrls() {
        List<String> describes = new ArrayList<>();
        for (String f : Corpus.sdpFiles()) {
            if (f.contains("_describe")) {
                describes.add(f);
            }
        }
        assertEquals(describes, DESCRIBES.stream().map(Describe::file).sorted().toList());
    }

    static Stream<Describe> describes() {
        return DESCRIBES.stream();
    }

    @ParameterizedTest
    @MethodSource("describes")
    void setupAndPlayUrlsOfCorpusDescribes(Describe d) {
        Map<String, String> headers = Corpus.headers(d.file());
        SessionDescription sdp = SessionDescription.parse(Corpus.sdp(d.file()));
        String base = ControlUrl.baseUrl(headers.get("content-base"), headers.get("content-location"), d.requestUrl());
        assertEquals(d.aggregate(), ControlUrl.aggregateUrl(base, sdp.control()), d.file() + " aggregate URL");
        List<String> setups = new ArrayList<>();
        for (MediaDescription m : sdp.media()) {
            setups.add(ControlUrl.resolve(base, sdp.control(), m.control()));
        }
        assertEquals(d.setups(), setups, d.file() + " SETUP URLs");
        assertEquals(setups.size(), new HashSet<>(setups).size(), d.file() + ": every track needs its own URL");
        for (String url : setups) {
            assertTrue(ControlUrl.isAbsolute(url), url);
        }
    }

    @Test
    void contentBaseWithoutScheme() {
        Map<String, String> headers = Corpus.headers("anjvision_describe.txt");
        assertEquals("192.168.1.10:554/stream0/", headers.get("content-base"));
        String base = ControlUrl.baseUrl(headers.get("content-base"), null, "rtsp://192.168.1.10/stream0");
        assertEquals("rtsp://192.168.1.10:554/stream0/", base);
        SessionDescription sdp = SessionDescription.parse(Corpus.sdp("anjvision_describe.txt"));
        assertEquals("rtsp://192.168.1.10:554/stream0/trackID=1",
                ControlUrl.resolve(base, sdp.control(), sdp.media().get(0).control()));
    }

    @Test
    void sdpFilesWithAbsoluteAndRelativeControls() {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("geovision_sdp.txt", List.of("rtsp://192.168.5.237/media/video1/video",
                "rtsp://192.168.5.237/media/video1/metadata"));
        expected.put("tplink_sdp.txt", List.of("rtsp://192.168.2.29/stream1/track1",
                "rtsp://192.168.2.29/stream1/track2", "rtsp://192.168.2.29/stream1/track3"));
        expected.put("ubiquiti_sdp.txt", List.of("rtsp://192.168.0.1:7447/abc/trackID=0",
                "rtsp://192.168.0.1:7447/abc/trackID=1", "rtsp://192.168.0.1:7447/abc/trackID=2"));
        expected.put("anpviz_sdp.txt", List.of("rtsp://10.0.0.9/stream0/trackID=1",
                "rtsp://10.0.0.9/stream0/trackID=2"));
        Map<String, String> requests = Map.of("geovision_sdp.txt", "rtsp://192.168.5.237/media/video1",
                "tplink_sdp.txt", "rtsp://192.168.2.29/stream1", "ubiquiti_sdp.txt", "rtsp://192.168.0.1:7447/abc",
                "anpviz_sdp.txt", "rtsp://10.0.0.9/stream0/");
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            SessionDescription sdp = SessionDescription.parse(Corpus.sdp(e.getKey()));
            String base = ControlUrl.baseUrl(null, null, requests.get(e.getKey()));
            List<String> urls = sdp.media().stream().map(m -> ControlUrl.resolve(base, sdp.control(), m.control()))
                    .toList();
            assertEquals(e.getValue(), urls, e.getKey());
        }
    }
}
