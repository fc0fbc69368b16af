package io.github.camelrtsp.headers;

import static io.github.camelrtsp.headers.CorpusHeaders.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.github.camelrtsp.headers.RtpInfoHeader.Entry;
import org.junit.jupiter.api.Test;

class RtpInfoHeaderTest {

    /** {@code bad_rtptime.txt}: "rtptime=-1" is read as absent. */
    @Test
    void negativeRtptimeIsAbsent() {
        List<Entry> e = RtpInfoHeader.parse(header("bad_rtptime.txt", "RTP-Info"));
        assertEquals(List.of(new Entry("trackID=1", 1, null, null),
                new Entry("rtsp://wowzaec2demo.streamlock.net/vod/mp4:BigBuckBunny_115k.mov/trackID=2", 1, null,
                        null)), e);
    }

    /** {@code laureii_play.txt}: trailing ';' and seq=0. */
    @Test
    void trailingSemicolonAndSeqZero() {
        String value = header("laureii_play.txt", "RTP-Info");
        assertTrue(value.endsWith(";"), "quirk not in file: " + value);
        assertEquals(List.of(new Entry("rtsp://192.168.1.19:554/0/main/trackID=0", 0, 0L, null)),
                RtpInfoHeader.parse(value));
    }

    /** {@code reolink_play.txt}: the SSRC is given only here, not in Transport. */
    @Test
    void ssrcOnlyInRtpInfo() {
        assertEquals(List.of(new Entry("trackID=1", 16852, 1070938629L, 0xdcc4a0d8L),
                new Entry("trackID=2", 39409, 3075976528L, 0x9fc9fff8L)),
                RtpInfoHeader.parse(header("reolink_play.txt", "RTP-Info")));
    }

    /** {@code gw_main_play.txt}: a URL that differs from the SETUP URL is kept as given. */
    @Test
    void absoluteUrlKeptAsGiven() {
        assertEquals(List.of(new Entry("rtsp://192.168.1.110:5050/H264/video", 271, 1621990950L, null)),
                RtpInfoHeader.parse(header("gw_main_play.txt", "RTP-Info")));
    }

    /** {@code hikvision_play.txt}: a URL with a query string full of '=' and '&'. */
    @Test
    void urlWithQueryString() {
        assertEquals(List.of(new Entry("rtsp://192.168.5.106:554/Streaming/Channels/101/trackID=1"
                + "?transportmode=unicast&profile=Profile_1", 24104, 1270711678L, null)),
                RtpInfoHeader.parse(header("hikvision_play.txt", "RTP-Info")));
    }

    /** {@code dahua_play.txt}: three streams, timestamps above 2^31. */
    @Test
    void threeStreamsWithLargeTimestamps() {
        List<Entry> e = RtpInfoHeader.parse(header("dahua_play.txt", "RTP-Info"));
        assertEquals(3, e.size());
        assertEquals(new Entry("trackID=4", 36583, 816418535L, null), e.get(2));
        assertEquals(3475222385L, e.get(0).rtptime());
    }

    @Test
    void spacesAndEmptyEntries() {
        assertEquals(List.of(new Entry("a", 1, 2L, null), new Entry("b", 3, null, null)),
                RtpInfoHeader.parse(" url=a ; seq=1 ; rtptime=2 , , url=b;seq=3;;"));
        assertEquals(List.of(), RtpInfoHeader.parse(" , ;"));
    }

    @Test
    void urlsContainingSemicolonsAndCommasWhereUnambiguous() {
        assertEquals(List.of(new Entry("rtsp://cam/media;jsessionid=1,2/track1", 5, 6L, null),
                new Entry("rtsp://cam/track2", 7, 8L, null)),
                RtpInfoHeader.parse("url=rtsp://cam/media;jsessionid=1,2/track1;seq=5;rtptime=6,"
                        + "url=rtsp://cam/track2;seq=7;rtptime=8"));
        assertEquals(List.of(new Entry("rtsp://cam/a;b,c", 1, null, null)),
                RtpInfoHeader.parse("url=\"rtsp://cam/a;b,c\";seq=1"));
    }

    @Test
    void outOfRangeValuesAreAbsent() {
        assertEquals(List.of(new Entry("a", null, null, null)),
                RtpInfoHeader.parse("url=a;seq=65536;rtptime=4294967296;ssrc=xyz"));
        assertEquals(List.of(new Entry("a", 65535, 4294967295L, 0xffffffffL)),
                RtpInfoHeader.parse("url=a;seq=65535;rtptime=4294967295;ssrc=FFFFFFFF"));
    }

    @Test
    void entriesWithoutUrl() {
        assertEquals(List.of(new Entry(null, 1, 2L, null), new Entry(null, 3, 4L, null)),
                RtpInfoHeader.parse("seq=1;rtptime=2,seq=3;rtptime=4"));
    }

    @Test
    void formatWritesWireForm() {
        String v = "url=trackID=1;seq=16852;rtptime=1070938629;ssrc=dcc4a0d8,url=trackID=2;seq=1";
        assertEquals(v, RtpInfoHeader.format(RtpInfoHeader.parse(v)));
    }
}
