package io.github.camelrtsp.timing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.camelrtsp.headers.RtpInfoHeader;
import io.github.camelrtsp.message.Corpus;
import io.github.camelrtsp.message.RtspMessages;
import io.github.camelrtsp.message.RtspResponse;
import io.github.camelrtsp.sdp.MediaDescription;
import io.github.camelrtsp.sdp.SessionDescription;
import io.github.camelrtsp.timing.PresentationClock.Alignment;
import io.github.camelrtsp.timing.PresentationClock.Track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RTP-Info headers and RTP timestamps of real cameras and servers, from the shared corpus. */
class PresentationClockCorpusTest {

    private static final long SECOND = 1_000_000L;

    /** The tracks of a DESCRIBE answer, by control URL, each with its clock rate. */
    private static Map<String, Track> tracks(PresentationClock clock, String describeFile) {
        RtspResponse describe = RtspMessages.parseResponse(Corpus.response(describeFile));
        SessionDescription sdp = SessionDescription.parse(describe.bodyAsString());
        Map<String, Track> tracks = new LinkedHashMap<>();
        for (MediaDescription media : sdp.media()) {
            tracks.put(media.control(), clock.addTrack(media.mediaType() + " " + media.control(),
                                                       media.rtpMap().clockRate()));
        }
        return tracks;
    }

    private static List<RtpInfoHeader.Entry> rtpInfo(String playFile) {
        RtspResponse play = RtspMessages.parseResponse(Corpus.response(playFile));
        String value = play.headers().get("RTP-Info");
        assertNotNull(value, playFile + " has an RTP-Info header");
        return RtpInfoHeader.parse(value);
    }

    /** The track whose control URL the RTP-Info URL ends with. */
    private static Track trackFor(Map<String, Track> tracks, RtpInfoHeader.Entry entry) {
        for (Map.Entry<String, Track> t : tracks.entrySet()) {
            if (entry.url().endsWith(t.getKey())) {
                return t.getValue();
            }
        }
        throw new AssertionError("no track for " + entry);
    }

    @Test
    void rtpInfoOfACameraAlignsThreeTracksWithUnrelatedTimestamps() {
        PresentationClock clock = new PresentationClock();
        Map<String, Track> tracks = tracks(clock, "dahua_describe_h264_aac_onvif.txt");
        List<RtpInfoHeader.Entry> entries = rtpInfo("dahua_play.txt");
        assertEquals(3, entries.size());
        Map<Track, Long> start = new LinkedHashMap<>();
        for (RtpInfoHeader.Entry entry : entries) {
            Track track = trackFor(tracks, entry);
            assertTrue(clock.onRtpInfo(track, entry));
            assertEquals(Alignment.RTP_INFO, clock.alignment(track));
            start.put(track, entry.rtptime());
        }
        // frames every 40 ms (video), 1024 samples (AAC at 48 kHz: 21.333 ms) and 1 s (metadata), interleaved by
        // time as they would arrive
        List<Track> order = new ArrayList<>(start.keySet());
        Track video = order.get(0);
        Track audio = order.get(1);
        Track metadata = order.get(2);
        assertEquals(90000, video.clockRate());
        assertEquals(48000, audio.clockRate());
        long[] next = new long[3];
        long[] period = {3600, 1024, 90000};
        while (next[0] < 90000L * 10) {
            int pick = 0;
            for (int i = 1; i < 3; i++) {
                if (next[i] * SECOND / order.get(i).clockRate() < next[pick] * SECOND / order.get(pick).clockRate()) {
                    pick = i;
                }
            }
            Track track = order.get(pick);
            long ts = (start.get(track) + next[pick]) & 0xFFFF_FFFFL;
            assertEquals(PresentationClock.ticksToMicros(next[pick], track.clockRate()),
                         clock.presentationTimeMicros(track, ts), track + " at tick " + next[pick]);
            next[pick] += period[pick];
        }
        // the same instant on all three tracks
        assertEquals(10 * SECOND, clock.presentationTimeMicros(video, (start.get(video) + 900_000) & 0xFFFF_FFFFL));
        assertEquals(10 * SECOND, clock.presentationTimeMicros(audio, (start.get(audio) + 480_000) & 0xFFFF_FFFFL));
        assertEquals(10 * SECOND,
                     clock.presentationTimeMicros(metadata, (start.get(metadata) + 900_000) & 0xFFFF_FFFFL));
        assertEquals(0, clock.restarts() + clock.realignments());
    }

    /** Tolerated: an RTP-Info {@code rtptime} of -1 is no alignment information; the tracks start at their frames. */
    @Test
    void rtpInfoWithAnInvalidRtptimeIsIgnored() {
        PresentationClock clock = new PresentationClock();
        Map<String, Track> tracks = tracks(clock, "bunny_describe.txt");
        List<RtpInfoHeader.Entry> entries = rtpInfo("bad_rtptime.txt");
        assertEquals(2, entries.size());
        for (RtpInfoHeader.Entry entry : entries) {
            assertNull(entry.rtptime());
            Track track = trackFor(tracks, entry);
            assertFalse(clock.onRtpInfo(track, entry));
            assertEquals(Alignment.NONE, clock.alignment(track));
        }
        Track audio = tracks.get("trackID=1");
        Track video = tracks.get("trackID=2");
        assertEquals(0, clock.presentationTimeMicros(video, 4_000_000_000L));
        assertEquals(0, clock.presentationTimeMicros(audio, 12345));
        assertEquals(Alignment.FIRST_FRAME, clock.alignment(audio));
        assertEquals(SECOND, clock.presentationTimeMicros(audio, 12345 + 12000));
    }

    @Test
    void rtpInfoWithATrailingSemicolonAndRtptimeZeroIsUsed() {
        PresentationClock clock = new PresentationClock();
        Track video = clock.addTrack("video", 90000);
        List<RtpInfoHeader.Entry> entries = rtpInfo("laureii_play.txt");
        assertEquals(1, entries.size());
        assertEquals(0L, entries.get(0).rtptime());
        assertTrue(clock.onRtpInfo(video, entries.get(0)));
        assertEquals(500_000, clock.presentationTimeMicros(video, 45000));
        assertEquals(Alignment.RTP_INFO, clock.alignment(video));
    }

    /**
     * The packets of a real session (bunny-interleaved.rtsp) timed from the RTP-Info of its PLAY answer: the server
     * sends audio and video interleaved by time, so the two tracks' latest times stay close throughout.
     */
    @Test
    void aRealSessionIsTimedFromItsRtpInfo() {
        PresentationClock clock = new PresentationClock();
        Map<String, Track> tracks = tracks(clock, "bunny_describe.txt");
        for (RtpInfoHeader.Entry entry : rtpInfo("bunny_play.txt")) {
            assertTrue(clock.onRtpInfo(trackFor(tracks, entry), entry));
        }
        List<Track> byChannel = new ArrayList<>(tracks.values()); // RTP channel 2n is the n-th media section
        byte[] bytes = Corpus.file("bunny-interleaved.rtsp");
        long[] latest = {Long.MIN_VALUE, Long.MIN_VALUE};
        long maxApart = 0;
        int packets = 0;
        for (int pos = 0; pos < bytes.length; ) {
            assertEquals('$', bytes[pos]);
            int channel = bytes[pos + 1] & 0xFF;
            int length = ((bytes[pos + 2] & 0xFF) << 8) | (bytes[pos + 3] & 0xFF);
            int packet = pos + 4;
            pos = packet + length;
            if (channel % 2 != 0) {
                continue; // RTCP (the capture holds no sender report)
            }
            long ts = ((bytes[packet + 4] & 0xFFL) << 24) | ((bytes[packet + 5] & 0xFF) << 16)
                      | ((bytes[packet + 6] & 0xFF) << 8) | (bytes[packet + 7] & 0xFF);
            Track track = byChannel.get(channel / 2);
            long pts = clock.presentationTimeMicros(track, ts);
            assertEquals(PresentationClock.ticksToMicros(ts, track.clockRate()), pts, "rtptime was 0");
            assertFalse(clock.takeDiscontinuity(track));
            int index = channel / 2;
            latest[index] = Math.max(latest[index], pts);
            if (latest[0] != Long.MIN_VALUE && latest[1] != Long.MIN_VALUE) {
                maxApart = Math.max(maxApart, Math.abs(latest[0] - latest[1]));
            }
            packets++;
        }
        assertEquals(269 + 102, packets);
        assertTrue(maxApart < 250_000, "audio and video at most " + maxApart + " us apart");
        assertTrue(latest[0] > 10 * SECOND && latest[1] > 10 * SECOND);
        assertEquals(Alignment.RTP_INFO, clock.alignment(byChannel.get(0)));
        assertEquals(Alignment.RTP_INFO, clock.alignment(byChannel.get(1)));
        assertEquals(0, clock.restarts());
    }
}
