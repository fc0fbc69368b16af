package io.github.camelrtsp.publish;

import static io.github.camelrtsp.format.annexb.NalTestSupport.annexB;
import static io.github.camelrtsp.format.annexb.NalTestSupport.bytes;
import static io.github.camelrtsp.format.annexb.NalTestSupport.nal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.camelrtsp.RtspConstants;

/** {@link PublishTracks} learns the tracks from the first frames; {@link PublishFrame} reads frame headers. */
class PublishTracksTest {

    private static final byte[] SPS = nal(bytes(0x67, 0x42, 0xC0, 0x1E), 10);
    private static final byte[] PPS = nal(bytes(0x68, 0xCE, 0x3C, 0x80), 4);
    private static final byte[] KEY = annexB(SPS, PPS, nal(bytes(0x65, 0x88), 300));
    private static final byte[] KEY_WITHOUT_PARAMETER_SETS = annexB(nal(bytes(0x65, 0x88), 300));
    private static final byte[] DELTA = annexB(nal(bytes(0x41, 0x9A), 100));

    private long now = 1_000_000_000L;

    private static PublishFrame video(long pts, byte[] data, boolean key) {
        return new PublishFrame(0, "H264", data, pts, key, false, 0);
    }

    private static PublishFrame audio(long pts) {
        return new PublishFrame(1, "PCMA", new byte[160], pts, true, false, 160);
    }

    private static TrackFormat h264() {
        return TrackFormat.of("video", "H264", null, null, null);
    }

    private static TrackFormat pcma() {
        return TrackFormat.of("audio", "PCMA", null, null, null);
    }

    @Test
    void waitsForAKeyFrameWithParameterSetsAndTheExpectedAudioTrack() {
        PublishTracks tracks = new PublishTracks(2, 5000, 1400, 100, () -> now);
        assertEquals(List.of(), tracks.offer(video(0, DELTA, false), PublishTracksTest::h264));
        assertEquals(List.of(), tracks.offer(audio(0), PublishTracksTest::pcma));
        assertEquals(List.of(), tracks.offer(video(33_000, KEY_WITHOUT_PARAMETER_SETS, true),
                                             PublishTracksTest::h264));
        assertFalse(tracks.ready(), "video has no parameter sets yet");
        PublishFrame a2 = audio(20_000);
        assertEquals(List.of(), tracks.offer(a2, PublishTracksTest::pcma));
        PublishFrame key = video(66_000, KEY, true);
        List<PublishFrame> out = tracks.offer(key, PublishTracksTest::h264);
        assertTrue(tracks.ready());
        // the audio frames from the first one on, then the key frame
        assertEquals(3, out.size());
        assertEquals(1, out.get(0).track());
        assertEquals(a2, out.get(1));
        assertEquals(key, out.get(2));
        assertEquals(2, tracks.framesSkipped());
        assertEquals(2, tracks.serverTracks().size());
        assertEquals("H264/90000", tracks.serverTracks().get(0).rtpmap());
        assertTrue(tracks.serverTracks().get(0).fmtp().containsKey("sprop-parameter-sets"));
        assertEquals(96, tracks.track(0).payloadType());
        assertEquals(8, tracks.track(1).payloadType());
        assertEquals(1, tracks.sdpIndex(1));
        PublishFrame next = video(99_000, DELTA, false);
        assertEquals(List.of(next), tracks.offer(next, PublishTracksTest::h264));
        // a new track or a changed codec after the set is complete is skipped
        assertEquals(List.of(), tracks.offer(new PublishFrame(2, "PCMU", new byte[8], 0, true, false, 8),
                                             () -> TrackFormat.of(null, "PCMU", null, null, null)));
        assertEquals(List.of(), tracks.offer(new PublishFrame(1, "PCMU", new byte[8], 0, true, false, 8),
                                             () -> TrackFormat.of(null, "PCMU", null, null, null)));
        assertEquals(4, tracks.framesSkipped());
    }

    @Test
    void withoutAnExpectedCountTheTimeoutCompletesTheSet() {
        PublishTracks tracks = new PublishTracks(0, 1000, 1400, 100, () -> now);
        assertEquals(-1, tracks.nanosUntilTimeout());
        assertEquals(List.of(), tracks.offer(audio(0), PublishTracksTest::pcma));
        assertEquals(1_000_000_000L, tracks.nanosUntilTimeout());
        now += 400_000_000L;
        assertEquals(List.of(), tracks.offer(audio(20_000), PublishTracksTest::pcma));
        assertEquals(List.of(), tracks.poll());
        now += 700_000_000L;
        List<PublishFrame> out = tracks.poll();
        assertTrue(tracks.ready());
        assertEquals(2, out.size());
        assertEquals(1, tracks.tracks().size());
    }

    @Test
    void anExpectedTrackThatNeverComesDoesNotBlockForever() {
        PublishTracks tracks = new PublishTracks(2, 1000, 1400, 100, () -> now);
        tracks.offer(video(0, KEY, true), PublishTracksTest::h264);
        now += 2_000_000_000L;
        assertEquals(1, tracks.poll().size());
        assertTrue(tracks.ready());
    }

    @Test
    void theBufferIsBoundedAndVideoRestartsAtAKeyFrame() {
        PublishTracks tracks = new PublishTracks(2, 60_000, 1400, 4, () -> now);
        tracks.offer(video(0, KEY, true), PublishTracksTest::h264);
        for (int i = 1; i <= 5; i++) {
            tracks.offer(video(i * 33_000L, DELTA, false), PublishTracksTest::h264);
        }
        assertEquals(4, tracks.pendingFrames());
        assertEquals(2, tracks.pendingDropped());
        PublishFrame key = video(200_000, KEY, true);
        tracks.offer(key, PublishTracksTest::h264);
        List<PublishFrame> out = tracks.offer(audio(200_000), PublishTracksTest::pcma);
        // the delta frames left after dropping the first key frame cannot be decoded: they are left out
        assertEquals(2, out.size());
        assertEquals(key, out.get(0));
        assertEquals(2, tracks.framesSkipped());
        assertEquals(4, tracks.pendingDropped());
    }

    @Test
    void frameHeadersAreReadWithDefaults() {
        Map<String, Object> h = new HashMap<>();
        h.put(RtspConstants.CODEC, "H264");
        h.put(RtspConstants.PRESENTATION_TIME, 1234L);
        PublishFrame f = PublishFrame.fromHeaders(h, KEY);
        assertEquals(0, f.track());
        assertFalse(f.keyFrame(), "video defaults to not a key frame");
        h.put(RtspConstants.CODEC, "PCMU");
        h.put(RtspConstants.TRACK, "3");
        h.put(RtspConstants.SAMPLE_COUNT, 160);
        h.put(RtspConstants.DISCONTINUITY, "true");
        f = PublishFrame.fromHeaders(h, new byte[160]);
        assertEquals(3, f.track());
        assertTrue(f.keyFrame(), "audio defaults to a key frame");
        assertTrue(f.discontinuity());
        assertEquals(160, f.sampleCount());
        assertEquals(1234L, f.presentationMicros());
        h.remove(RtspConstants.PRESENTATION_TIME);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PublishFrame.fromHeaders(h, new byte[1]))
                .getMessage().contains(RtspConstants.PRESENTATION_TIME));
        h.put(RtspConstants.PRESENTATION_TIME, "soon");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PublishFrame.fromHeaders(h, new byte[1]))
                .getMessage().contains("soon"));
        h.put(RtspConstants.PRESENTATION_TIME, 0);
        assertThrows(IllegalArgumentException.class, () -> PublishFrame.fromHeaders(h, new byte[0]));
        h.put(RtspConstants.KEY_FRAME, "maybe");
        assertThrows(IllegalArgumentException.class, () -> PublishFrame.fromHeaders(h, new byte[1]));
    }
}
