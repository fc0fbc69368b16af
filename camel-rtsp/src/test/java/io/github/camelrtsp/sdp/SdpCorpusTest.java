package io.github.camelrtsp.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every SDP of the camera corpus, with the values a client needs from each track, and one test per quirk. */
class SdpCorpusTest {

    /** What one media section must give. */
    record Track(String mediaType, int payloadType, String encoding, int clockRate, Integer channels, String control,
                 Map<String, String> fmtp) {
    }

    private static Track track(String mediaType, int pt, String encoding, int clockRate, Integer channels,
                               String control, String... fmtp) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < fmtp.length; i += 2) {
            params.put(fmtp[i], fmtp[i + 1]);
        }
        return new Track(mediaType, pt, encoding, clockRate, channels, control, params);
    }

    private static final Map<String, List<Track>> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("anjvision_describe.txt", List.of(
                track("video", 96, "H265", 90000, null, "trackID=1",
                        "packetization-mode", "0", "profile-space", "0", "profile-id", "1", "tier-flag", "0",
                        "level-id", "153", "interop-constraints", "000000000000",
                        "sprop-vps", "QAEMAf//AUAAAAMAAAMAAAMAAAMAmawJ",
                        "sprop-sps", "QgEBAUAAAAMAAAMAAAMAAAMAmaACgIAsH+Wu5Gwa5VE1BQYFAIA=",
                        "sprop-pps", "RAHAc8BBgwk=",
                        "config", "0000000140010c01ffff01400000030000030000030000030099ac090000000142010101400000"
                                + "030000030000030000030099a00280802c1fe5aee46c1ae551350506050080000000014401c073c0"
                                + "418309")));
        EXPECTED.put("anpviz_sdp.txt", List.of(
                track("video", 96, "H264", 90000, null, "trackID=1",
                        "profile-level-id", "4D401F", "packetization-mode", "0",
                        "sprop-parameter-sets", "Z01AH5WgLASabAQ=,aO48gA=="),
                track("audio", 0, "MPEG4-GENERIC", 16000, 2, "trackID=2", "config", "1408")));
        EXPECTED.put("bunny_describe.txt", List.of(
                track("audio", 96, "mpeg4-generic", 12000, 2, "trackID=1",
                        "profile-level-id", "1", "mode", "AAC-hbr", "sizelength", "13", "indexlength", "3",
                        "indexdeltalength", "3", "config", "1490"),
                track("video", 97, "H264", 90000, null, "trackID=2",
                        "packetization-mode", "1", "profile-level-id", "42C01E",
                        "sprop-parameter-sets", "Z0LAHtkDxWhAAAADAEAAAAwDxYuS,aMuMsg==")));
        EXPECTED.put("dahua_describe_h264_aac_onvif.txt", List.of(
                track("video", 96, "H264", 90000, null, "trackID=0",
                        "packetization-mode", "1", "profile-level-id", "64001E",
                        "sprop-parameter-sets", "Z2QAHqwsaoLA9puCgIKgAAADACAAAAMD0IAA,aO4xshsA"),
                track("audio", 97, "MPEG4-GENERIC", 48000, null, "trackID=1",
                        "streamtype", "5", "profile-level-id", "1", "mode", "AAC-hbr", "sizelength", "13",
                        "indexlength", "3", "indexdeltalength", "3", "config", "1188"),
                track("application", 107, "vnd.onvif.metadata", 90000, null, "trackID=4")));
        EXPECTED.put("dahua_describe_h265_pcma.txt", List.of(
                track("video", 98, "H265", 90000, null, "trackID=0",
                        "profile-id", "1",
                        "sprop-sps", "QgEBAWAAAAMAsAAAAwAAAwBaoAWCAeFja5JFL83BQYFBAAADAAEAAAMADKE=",
                        "sprop-pps", "RAHA8saNA7NA",
                        "sprop-vps", "QAEMAf//AWAAAAMAsAAAAwAAAwBarAwAAAMABAAAAwAyqA=="),
                track("audio", 8, "PCMA", 8000, null, "trackID=1")));
        EXPECTED.put("foscam_describe.txt", List.of(
                track("video", 96, "H264", 90000, null, "track1",
                        "packetization-mode", "1", "profile-level-id", "4D001F",
                        "sprop-parameter-sets", "Z00AH5WoFAFuQA==,aO48gA=="),
                track("audio", 0, "PCMU", 8000, 1, "track2")));
        EXPECTED.put("geovision_sdp.txt", List.of(
                track("video", 105, "H264", 90000, null, "rtsp://192.168.5.237/media/video1/video",
                        "profile-level-id", "4d4032", "packetization-mode", "1",
                        "sprop-parameter-sets", "Z01AMpWgCoAwfiZuAgICgAAB9AAAdTBC,aO48gA=="),
                track("application", 107, "vnd.onvif.metadata", 90000, null,
                        "rtsp://192.168.5.237/media/video1/metadata", "DecoderTag", "h3c-v3", "RTCP", "0")));
        EXPECTED.put("gw_main_describe.txt", List.of(
                track("video", 96, "H264", 90000, null, "video",
                        "packetization-mode", "1", "profile-level-id", "5046314",
                        "sprop-parameter-sets", "Z00AKpWoHgCJ+WbgICAgQAAAAAE=,aO48gAAAAAE="),
                track("audio", 8, "PCMU", 8000, 1, "audio", "vad", "no")));
        EXPECTED.put("gw_sub_describe.txt", List.of(
                track("video", 96, "H264", 90000, null, "video",
                        "packetization-mode", "1", "profile-level-id", "5046302",
                        "sprop-parameter-sets", "Z00AHpWoLQ9puAgICBAAAAAB,aO48gAAAAAE=")));
        EXPECTED.put("h264dvr_describe.txt", List.of(
                track("video", 96, "H264", 90000, null, "trackID=3",
                        "profile-level-id", "420029", "packetization-mode", "1",
                        "sprop-parameter-sets", "Z0IAKZY1QPAET8s3AQEBQAAAAwBAAAAHoQ==,aM4xsg=="),
                track("audio", 8, "PCMA", 8000, 1, "trackID=4")));
        EXPECTED.put("hikvision_describe.txt", List.of(
                track("video", 96, "H264", 90000, null,
                        "rtsp://192.168.5.106:554/Streaming/Channels/101/trackID=1?transportmode=unicast&profile=Profile_1",
                        "profile-level-id", "420029", "packetization-mode", "1",
                        "sprop-parameter-sets", "Z00AKZpkA8ARPyzUBAQFAAADA+gAAOpgBA==,aO48gA=="),
                track("application", 107, "vnd.onvif.metadata", 90000, null,
                        "rtsp://192.168.5.106:554/Streaming/Channels/101/trackID=3?transportmode=unicast&profile=Profile_1")));
        EXPECTED.put("ipcam_describe.txt", List.of(
                track("video", 96, "H264", 90000, null, "trackID=1",
                        "profile-level-id", "4d0020", "packetization-mode", "1",
                        "sprop-parameter-sets", "J00AII1qBQB5oQAAAwABAAADACiE,KO48gA==")));
        EXPECTED.put("macrovideo_describe.txt", List.of(
                track("video", 96, "H264", 90000, null, "track1",
                        "profile-level-id", "TeAo", "packetization-mode", "1",
                        "sprop-parameter-sets", "J03gKI1oBQBboQAAAwABAAADACgPFCKg,KO4BNJI=")));
        EXPECTED.put("missing_content_type_describe.txt", List.of(
                track("video", 96, "H264", 90000, null, "streamid=0",
                        "packetization-mode", "1",
                        "sprop-parameter-sets", "Z2QADazZQUGfnwEQAAADABAAAAMDwPFCmWA=,aOvjyyLA",
                        "profile-level-id", "64000D"),
                track("audio", 97, "MPEG4-GENERIC", 48000, 2, "streamid=1",
                        "profile-level-id", "1", "mode", "AAC-hbr", "sizelength", "13", "indexlength", "3",
                        "indexdeltalength", "3", "config", "119056E500")));
        List<Track> reolink = List.of(
                track("video", 96, "H264", 90000, null, "trackID=1",
                        "packetization-mode", "1", "profile-level-id", "640033",
                        "sprop-parameter-sets", "Z2QAM6zoAoALWQ==,aO48MA=="),
                track("audio", 97, "MPEG4-GENERIC", 16000, null, "trackID=2",
                        "streamtype", "5", "profile-level-id", "15", "mode", "AAC-hbr", "sizelength", "13",
                        "indexlength", "3", "indexdeltalength", "3", "config", "1408", "profile", "1"));
        EXPECTED.put("reolink_describe.txt", reolink);
        EXPECTED.put("reolink_describe_control_first.txt", reolink);
        EXPECTED.put("tplink_sdp.txt", List.of(
                track("video", 96, "H265", 90000, null, "track1",
                        "profile-space", "0", "profile-id", "1", "tier-flag", "0", "level-id", "150",
                        "interop-constraints", "000000000000", "sprop-vps", "QAEMAf//AWAAAAMAAAMAAAMAAAMAlqwJ",
                        "sprop-sps", "QgEBAWAAAAMAAAMAAAMAAAMAlqABQCAFof4qtO6JLuaAgA27oADN/mAE",
                        "sprop-pps", "RAHAcvAbJA=="),
                track("audio", 8, "PCMA", 8000, null, "track2"),
                new Track("application", -1, null, 0, null, "track3", Map.of())));
        EXPECTED.put("ubiquiti_sdp.txt", List.of(
                track("audio", 96, "mpeg4-generic", 48000, 1, "trackID=0",
                        "streamtype", "5", "profile-level-id", "15", "mode", "AAC-hbr", "config", "1188",
                        "SizeLength", "13", "IndexLength", "3", "IndexDeltaLength", "3"),
                track("audio", 96, "opus", 48000, 2, "trackID=1"),
                track("video", 97, "H264", 90000, null, "trackID=2",
                        "profile-level-id", "4d402a", "packetization-mode", "1",
                        "sprop-parameter-sets", "Z01AKo2NQDwBE/LgLcBAQFAAAD6AABX5CdoIhGo=,aO44gA==")));
        EXPECTED.put("vstarcam_describe.txt", List.of(
                track("video", 96, "H264", 90000, null, "track0",
                        "packetization-mode", "1", "profile-level-id", "4d002a",
                        "sprop-parameter-sets", "Z00AKp2oHgCJ+WbgICAoAAADAAgAAAMAfCA=,aO48gA=="),
                track("audio", 8, "PCMA", 8000, 1, "track1")));
    }

    static List<String> sdpFiles() {
        return Corpus.sdpFiles();
    }

    private static SessionDescription parse(String file) {
        return SessionDescription.parse(Corpus.sdp(file));
    }

    @Test
    void everyCorpusSdpFileHasExpectations() {
        assertEquals(new TreeSet<>(EXPECTED.keySet()), new TreeSet<>(Corpus.sdpFiles()),
                "corpus SDP files and expectations differ");
    }

    @ParameterizedTest
    @MethodSource("sdpFiles")
    void corpusSdpGivesExpectedTracks(String file) {
        SessionDescription sdp = parse(file);
        List<Track> expected = EXPECTED.get(file);
        assertNotNull(expected, "no expectations for " + file);
        assertEquals(0, sdp.skippedLines(), file);
        assertEquals(expected.size(), sdp.media().size(), file + ": media count");
        for (int i = 0; i < expected.size(); i++) {
            Track want = expected.get(i);
            MediaDescription m = sdp.media().get(i);
            String where = file + " media " + i;
            assertEquals(want.mediaType(), m.mediaType(), where + " media type");
            assertEquals(want.payloadType(), m.payloadType(), where + " payload type");
            assertEquals(0, m.port(), where + " port");
            assertEquals("RTP/AVP", m.protocol(), where + " protocol");
            assertEquals(want.control(), m.control(), where + " control");
            RtpMap map = m.rtpMap();
            if (want.encoding() == null) {
                assertNull(map, where + " rtpmap");
            } else {
                assertNotNull(map, where + " rtpmap");
                assertEquals(want.payloadType(), map.payloadType(), where + " rtpmap payload type");
                assertEquals(want.encoding(), map.encodingName(), where + " encoding name");
                assertEquals(want.encoding().toUpperCase(Locale.ROOT), map.codec(), where + " codec");
                assertEquals(want.clockRate(), map.clockRate(), where + " clock rate");
                assertEquals(want.channels(), map.channels(), where + " channels");
            }
            Map<String, String> fmtp = m.formatParameters();
            for (Map.Entry<String, String> e : want.fmtp().entrySet()) {
                assertEquals(e.getValue(), fmtp.get(e.getKey()), where + " fmtp " + e.getKey());
            }
            if (want.fmtp().isEmpty()) {
                assertTrue(fmtp.isEmpty(), where + " fmtp should be empty: " + fmtp);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("sdpFiles")
    void corpusSdpSurvivesToStringRoundTrip(String file) {
        SessionDescription first = parse(file);
        SessionDescription second = SessionDescription.parse(first.toString());
        assertEquals(first.toString(), second.toString());
        assertEquals(0, second.skippedLines());
        assertEquals(first.sessionName(), second.sessionName());
        assertEquals(first.origin(), second.origin());
        assertEquals(first.attributes(), second.attributes());
        assertEquals(first.media().size(), second.media().size());
        for (int i = 0; i < first.media().size(); i++) {
            MediaDescription a = first.media().get(i);
            MediaDescription b = second.media().get(i);
            assertEquals(a.formats(), b.formats());
            assertEquals(a.attributes(), b.attributes());
            assertEquals(a.rtpMap(), b.rtpMap());
            assertEquals(List.copyOf(a.formatParameters().entrySet()), List.copyOf(b.formatParameters().entrySet()));
        }
    }

    @Test
    void anjvisionH265WithPacketizationModeAndNonStandardConfig() {
        SessionDescription sdp = parse("anjvision_describe.txt");
        assertEquals("*", sdp.control());
        assertEquals("npt=0-", sdp.range());
        assertEquals("LIVE555 Streaming Media v2011.05.25 CHAM.LI@ANJVISION.COM", sdp.attribute("tool"));
        MediaDescription video = sdp.media().get(0);
        assertEquals("H265", video.rtpMap().codec());
        Map<String, String> fmtp = video.formatParameters();
        assertEquals(List.of("packetization-mode", "profile-space", "profile-id", "tier-flag", "level-id",
                "interop-constraints", "sprop-vps", "sprop-sps", "sprop-pps", "config"), new ArrayList<>(fmtp.keySet()));
        assertTrue(fmtp.get("config").startsWith("0000000140010c01"));
        assertEquals("1280, 720", video.attribute("x-dimensions"));
        assertEquals("MEDIAINFO=494D4B48010100000400050000000000000000000000000000000000000000000000000000000000;",
                video.attribute("Media_header"));
    }

    @Test
    void missingContentTypeSpacesInsideFmtp() {
        SessionDescription sdp = parse("missing_content_type_describe.txt");
        assertNull(sdp.control());
        assertEquals("No Name", sdp.sessionName());
        Map<String, String> video = sdp.media().get(0).formatParameters();
        assertEquals(List.of("packetization-mode", "sprop-parameter-sets", "profile-level-id"),
                new ArrayList<>(video.keySet()));
        Map<String, String> audio = sdp.media().get(1).formatParameters();
        assertEquals("119056E500", audio.get("config"));
        assertEquals(6, audio.size());
        assertEquals(128, sdp.media().get(1).bandwidthKbps());
    }

    @Test
    void aacConfigWithSpacesAndTrailingSemicolon() {
        MediaDescription audio = parse("reolink_describe.txt").media().get(1);
        assertEquals(List.of("streamtype", "profile-level-id", "mode", "sizelength", "indexlength",
                "indexdeltalength", "config", "profile"), new ArrayList<>(audio.formatParameters().keySet()));
        assertEquals("1408", audio.formatParameters().get("config"));
        assertEquals("1", audio.formatParameters().get("profile"));
        assertEquals("MPEG4-GENERIC", audio.rtpMap().codec());
        assertNull(audio.rtpMap().channels());
        assertEquals(256, audio.bandwidthKbps());
        assertEquals("IN IP4 0.0.0.0", audio.connection());
    }

    @Test
    void sessionAttributesInAnyOrder() {
        SessionDescription normal = parse("reolink_describe.txt");
        SessionDescription controlFirst = parse("reolink_describe_control_first.txt");
        assertEquals("control", controlFirst.attributes().get(0).name());
        assertEquals("tool", normal.attributes().get(0).name());
        for (SessionDescription sdp : List.of(normal, controlFirst)) {
            assertEquals("*", sdp.control());
            assertEquals("LIVE555 Streaming Media v2013.04.08", sdp.attribute("tool"));
            assertEquals("broadcast", sdp.attribute("type"));
            assertEquals("npt=0-", sdp.range());
            assertEquals("Session streamed by \"preview\"", sdp.sessionName());
        }
        assertEquals(normal.media().toString(), controlFirst.media().toString());
    }

    @Test
    void mediaLineWithNonNumericFormat() {
        SessionDescription sdp = parse("tplink_sdp.txt");
        assertEquals("- 14665860 31787219 1 IN IP4 192.168.2.29", sdp.origin());
        MediaDescription app = sdp.media().get(2);
        assertEquals("application", app.mediaType());
        assertEquals(List.of("smart/1/90000"), app.formats());
        assertEquals(-1, app.payloadType());
        assertNull(app.rtpMap());
        assertTrue(app.formatParameters().isEmpty());
        assertEquals(new RtpMap(95, "TP-LINK", 90000, null), app.rtpMap(95));
        assertTrue(app.toString().startsWith("m=application/TP-LINK 0 RTP/AVP smart/1/90000\r\n"));
        MediaDescription video = sdp.media().get(0);
        assertEquals(4096, video.bandwidthKbps());
        assertEquals("npt=0-", video.attribute("range"));
        assertNull(sdp.range());
        assertNull(sdp.media().get(1).connection(), "no c= for audio, none at session level");
    }

    @Test
    void emptyFmtpSamePayloadTypeOnTwoMediaAndOpenEndedNowRange() {
        SessionDescription sdp = parse("ubiquiti_sdp.txt");
        assertEquals("npt=now-", sdp.range());
        assertEquals("", sdp.attribute("recvonly"));
        MediaDescription aac = sdp.media().get(0);
        MediaDescription opus = sdp.media().get(1);
        assertEquals(96, aac.payloadType());
        assertEquals(96, opus.payloadType());
        assertEquals("MPEG4-GENERIC", aac.rtpMap().codec());
        assertEquals("OPUS", opus.rtpMap().codec());
        assertTrue(opus.formatParameters().isEmpty());
        assertEquals("13", aac.formatParameters().get("sizelength"));
        assertEquals("SizeLength", new ArrayList<>(aac.formatParameters().keySet()).get(4));
        assertEquals("recvonly", opus.direction());
        assertEquals("IN IP4 192.168.0.1", opus.connection());
    }

    @Test
    void h265WithPcma() {
        SessionDescription sdp = parse("dahua_describe_h265_pcma.txt");
        assertEquals("Media Server", sdp.sessionName());
        assertEquals("npt=now-", sdp.range());
        assertEquals("DH", sdp.attribute("packetization-supported"));
        MediaDescription video = sdp.media().get(0);
        assertEquals("H265", video.rtpMap().codec());
        assertTrue(video.formatParameters().keySet().containsAll(List.of("sprop-vps", "sprop-sps", "sprop-pps")));
        assertEquals("12.000000", video.attribute("framerate"));
        assertEquals("recvonly", video.direction());
        MediaDescription audio = sdp.media().get(1);
        assertEquals(new RtpMap(8, "PCMA", 8000, null), audio.rtpMap());
    }

    @Test
    void onvifMetadataTrackBesideH264AndAac() {
        SessionDescription sdp = parse("dahua_describe_h264_aac_onvif.txt");
        List<String> types = sdp.media().stream().map(MediaDescription::mediaType).toList();
        assertEquals(List.of("video", "audio", "application"), types);
        MediaDescription metadata = sdp.media().get(2);
        assertEquals("VND.ONVIF.METADATA", metadata.rtpMap().codec());
        assertEquals(90000, metadata.rtpMap().clockRate());
        assertTrue(metadata.formatParameters().isEmpty());
        assertEquals("recvonly", metadata.direction());
    }

    @Test
    void gwCameraSessionsWithStaticPayloadTypeRemapped() {
        MediaDescription audio = parse("gw_main_describe.txt").media().get(1);
        // the camera maps static payload type 8 to PCMU; the written rtpmap wins over the table
        assertEquals(new RtpMap(8, "PCMU", 8000, 1), audio.rtpMap());
        assertEquals("20", audio.attribute("ptime"));
        assertEquals("2.0", audio.attribute("appversion"));
        SessionDescription sub = parse("gw_sub_describe.txt");
        assertEquals("Session streamed by \"H264Server\"", sub.sessionName());
        assertEquals("npt=now-", sub.range());
        assertEquals(1, sub.media().size());
    }

    @Test
    void staticPayloadTypesWithoutRtpmap() {
        assertEquals(new RtpMap(0, "PCMU", 8000, 1), parse("foscam_describe.txt").media().get(1).rtpMap());
        assertEquals(new RtpMap(8, "PCMA", 8000, 1), parse("h264dvr_describe.txt").media().get(1).rtpMap());
    }

    @Test
    void rtpmapOverridesStaticPayloadType() {
        // anpviz announces MPEG4-GENERIC on payload type 0, which the static table gives to PCMU
        MediaDescription audio = parse("anpviz_sdp.txt").media().get(1);
        assertEquals(new RtpMap(0, "MPEG4-GENERIC", 16000, 2), audio.rtpMap());
        assertEquals("1.0", audio.attribute("appversion"), "last line without a line end");
    }

    @Test
    void spaceSeparatedFmtpParameters() {
        MediaDescription metadata = parse("geovision_sdp.txt").media().get(1);
        assertEquals(Map.of("DecoderTag", "h3c-v3", "RTCP", "0"), metadata.formatParameters());
        assertEquals("IN IP4 192.168.5.237", metadata.connection());
        assertEquals("recvonly", metadata.direction());
    }

    @Test
    void trailingWhiteSpaceAfterRtpmapAndTabInMediaLine() {
        assertEquals(new RtpMap(96, "H264", 90000, null), parse("h264dvr_describe.txt").media().get(0).rtpMap());
        assertEquals("0S", parse("h264dvr_describe.txt").media().get(0).attribute("framerate"),
                "the first of repeated attributes");
        MediaDescription audio = parse("vstarcam_describe.txt").media().get(1);
        assertEquals(List.of("8"), audio.formats());
        assertEquals(new RtpMap(8, "PCMA", 8000, 1), audio.rtpMap());
    }

    @Test
    void sessionWithoutOriginLine() {
        SessionDescription sdp = parse("macrovideo_describe.txt");
        assertNull(sdp.origin());
        assertEquals("streamed by the macro-video rtsp server", sdp.sessionName());
        assertEquals("IN IP4 0.0.0.0", sdp.connection());
        assertEquals("IN IP4 0.0.0.0", sdp.media().get(0).connection());
        assertEquals(500, sdp.media().get(0).bandwidthKbps());
    }

    @Test
    void absoluteControlsAndSessionBandwidth() {
        SessionDescription sdp = parse("hikvision_describe.txt");
        assertEquals("rtsp://192.168.5.106:554/Streaming/Channels/101/?transportmode=unicast&profile=Profile_1",
                sdp.control());
        assertEquals(5050, sdp.bandwidthKbps());
        assertEquals(5000, sdp.media().get(0).bandwidthKbps());
        assertEquals(50, sdp.media().get(1).bandwidthKbps());
        assertFalse(sdp.media().get(0).attributes().isEmpty());
        assertEquals("1920,1080", sdp.media().get(0).attribute("x-dimensions"));
    }

    @Test
    void rangeWithSpaceBeforeEnd() {
        SessionDescription sdp = parse("bunny_describe.txt");
        assertEquals("npt=0- 596.48", sdp.range());
        assertEquals("en", sdp.attribute("sdplang"));
        assertEquals("IN IP4 34.227.104.115", sdp.connection());
        assertEquals("97 240-160", sdp.media().get(1).attribute("framesize"));
    }
}
