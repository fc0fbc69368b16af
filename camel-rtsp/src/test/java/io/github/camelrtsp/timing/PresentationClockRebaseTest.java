package io.github.camelrtsp.timing;

import io.github.camelrtsp.timing.PresentationClock.Alignment;
import io.github.camelrtsp.timing.PresentationClock.Track;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link PresentationClock#rebase}: a PLAY after PAUSE or a seek within the session. */
class PresentationClockRebaseTest {

    @Test
    void timesContinueAcrossASeekBackToTheSameTimestamps() {
        PresentationClock clock = new PresentationClock();
        Track video = clock.addTrack("video", 90000);
        Track audio = clock.addTrack("audio", 8000);
        clock.onRtpInfo(video, 1_000_000L);
        clock.onRtpInfo(audio, 5_000L);
        assertEquals(0, clock.presentationTimeMicros(video, 1_000_000L));
        assertEquals(2_000_000, clock.presentationTimeMicros(video, 1_180_000L));
        assertEquals(2_000_000, clock.presentationTimeMicros(audio, 21_000L));
        assertFalse(clock.takeDiscontinuity(video));

        // a seek: the server restarts its timestamps at the RTP-Info rtptime, here the same as the first PLAY
        clock.rebase(video, 1_000_000L);
        clock.rebase(audio, 5_000L);
        assertEquals(Alignment.RTP_INFO, clock.alignment(video));
        assertEquals(2_000_000, clock.presentationTimeMicros(video, 1_000_000L), "continues at the latest time");
        assertTrue(clock.takeDiscontinuity(video), "flagged once");
        assertFalse(clock.takeDiscontinuity(video));
        assertEquals(2_500_000, clock.presentationTimeMicros(video, 1_045_000L));
        assertEquals(2_500_000, clock.presentationTimeMicros(audio, 9_000L), "tracks stay aligned");
        assertTrue(clock.takeDiscontinuity(audio));
    }

    @Test
    void aResumeAfterALongPauseIsNotTakenForARestart() {
        PresentationClock clock = new PresentationClock();
        Track video = clock.addTrack("video", 90000);
        clock.presentationTimeMicros(video, 100L);
        clock.presentationTimeMicros(video, 90_100L);
        // a live source resumed after 10 minutes: the timestamps jumped ahead far beyond MAX_FORWARD_STEP
        long resumed = 90_100L + 600L * 90000;
        clock.rebase(video, resumed);
        assertEquals(1_000_000, clock.presentationTimeMicros(video, resumed));
        assertEquals(0, clock.restarts());
        assertThrows(IllegalArgumentException.class, () -> clock.rebase(video, -1));
    }
}
