package io.github.camelrtsp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.github.camelrtsp.auth.RtspAuthenticationException;
import io.github.camelrtsp.client.RtspStatusException;
import io.github.camelrtsp.headers.RangeHeader;
import io.github.camelrtsp.headers.RtpInfoHeader;
import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.GstCamelTest;
import io.github.camelrtsp.testsupport.GstRtspServer;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The producer's verbs against GStreamer's RTSP server. */
class RtspProducerInteropTest extends GstCamelTest {

    /** Seconds of the file-backed, seekable test video. */
    static final int FILE_SECONDS = 12;

    private ProducerTemplate template;

    @BeforeAll
    static void ffmpeg() {
        FfProbe.requireAvailable();
    }

    private void camel() {
        camel = new DefaultCamelContext();
        camel.start();
        template = camel.createProducerTemplate();
    }

    /** An H.264 MP4 of {@link #FILE_SECONDS} s, 15 fps, a key frame every second, made by ffmpeg. */
    static Path testVideo() throws Exception {
        Path dir = Path.of("target", "producer-media");
        Files.createDirectories(dir);
        Path file = dir.resolve("seekable-" + FILE_SECONDS + "s.mp4").toAbsolutePath();
        if (!Files.exists(file)) {
            Path tmp = dir.resolve("tmp-" + System.nanoTime() + ".mp4").toAbsolutePath();
            FfProbe.FfResult r = FfProbe.ffmpeg(Duration.ofSeconds(60), "-v", "error", "-f", "lavfi", "-i",
                    "testsrc=size=320x240:rate=15", "-t", Integer.toString(FILE_SECONDS), "-c:v", "libx264",
                    "-preset", "ultrafast", "-g", "15", "-pix_fmt", "yuv420p", "-y", tmp.toString());
            assertTrue(r.succeeded(), r.describe());
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return file;
    }

    /** A GStreamer server whose mount plays {@link #testVideo()}, one seekable media per client. */
    static GstRtspServer seekableServer() throws Exception {
        return GstRtspServer.builder()
                .launch("( filesrc location=" + testVideo() + " ! qtdemux ! h264parse ! rtph264pay name=pay0 pt=96"
                        + " config-interval=-1 )")
                .shared(false).seekable(true).start();
    }

    private Exchange request(String uri, String method, Exchange previous, String... headers) {
        Exchange ex = previous != null ? previous : camel.getEndpoint(uri).createExchange();
        ex.setException(null);
        ex.getMessage().setHeader(RtspConstants.METHOD, method);
        ex.getMessage().removeHeader(RtspConstants.REQUEST_URI);
        for (int i = 0; i < headers.length; i += 2) {
            ex.getMessage().setHeader(headers[i], headers[i + 1]);
        }
        return template.send(uri, ex);
    }

    private static void ok(Exchange ex) {
        if (ex.getException() != null) {
            throw new AssertionError("exchange failed: " + ex.getException(), ex.getException());
        }
    }

    @Test
    void eachVerbAgainstGstreamer() throws Exception {
        server = GstRtspServer.builder().video("h264").start();
        camel();
        String uri = server.url();

        Exchange options = request(uri, "OPTIONS", null);
        assertNull(options.getException());
        assertEquals(200, options.getMessage().getHeader(RtspConstants.STATUS_CODE));
        String pub = options.getMessage().getHeader("Public", String.class);
        assertTrue(pub.contains("PLAY") && pub.contains("PAUSE") && pub.contains("GET_PARAMETER"), pub);

        Exchange ex = request(uri, "DESCRIBE", null, "Accept", "application/sdp");
        assertNull(ex.getException());
        String sdp = ex.getMessage().getBody(String.class);
        assertTrue(sdp.contains("m=video") && sdp.contains("H264"), sdp);
        assertNotNull(ex.getMessage().getHeader("Content-Base"));

        ex = request(uri, "SETUP", ex, "Transport", "RTP/AVP/TCP;unicast;interleaved=0-1", RtspConstants.REQUEST_URI,
                "stream=0");
        ok(ex);
        String session = ex.getMessage().getHeader(RtspConstants.SESSION_ID, String.class);
        assertNotNull(session);
        assertTrue(ex.getMessage().getHeader("Transport", String.class).contains("interleaved=0-1"));

        Exchange play = request(uri, "PLAY", ex, "Range", "npt=0-");
        ok(play);
        assertNotNull(play.getMessage().getHeader("RTP-Info"), "PLAY answer has RTP-Info");
        assertEquals(session, play.getMessage().getHeader(RtspConstants.SESSION_ID));

        Exchange get = request(uri, "GET_PARAMETER", play);
        assertEquals(200, get.getMessage().getHeader(RtspConstants.STATUS_CODE), () -> "" + get.getException());

        Exchange set = request(uri, "SET_PARAMETER", get, "Content-Type", "text/parameters");
        set.getMessage().setBody("x-unknown: 1\r\n");
        set.getMessage().setHeader(RtspConstants.METHOD, "SET_PARAMETER");
        Exchange setAnswer = template.send(uri + "?throwExceptionOnFailure=false", set);
        int setStatus = setAnswer.getMessage().getHeader(RtspConstants.STATUS_CODE, Integer.class);
        assertTrue(setStatus == 200 || setStatus == 451, "GStreamer answers SET_PARAMETER: " + setStatus);

        Exchange pause = request(uri, "PAUSE", setAnswer);
        ok(pause);
        assertEquals(200, pause.getMessage().getHeader(RtspConstants.STATUS_CODE));
        Exchange resume = request(uri, "PLAY", pause);
        ok(resume);
        assertEquals(session, resume.getMessage().getHeader(RtspConstants.SESSION_ID), "same session");

        Exchange teardown = request(uri, "TEARDOWN", resume);
        assertNull(teardown.getException());
        assertEquals(200, teardown.getMessage().getHeader(RtspConstants.STATUS_CODE));

        // the old session is gone on the server: 454 Session Not Found
        Exchange stale = request(uri, "PLAY", null, "Session", session);
        RtspStatusException e = assertInstanceOf(RtspStatusException.class, stale.getException());
        assertEquals(454, e.statusCode());
        assertTrue(e.getMessage().contains("454"), e.getMessage());

        // ANNOUNCE of a play-only mount: the server refuses it, with a clear status
        Exchange announce = camel.getEndpoint(uri).createExchange();
        announce.getMessage().setHeader(RtspConstants.METHOD, "ANNOUNCE");
        announce.getMessage().setHeader("Content-Type", "application/sdp");
        announce.getMessage().setBody(sdp);
        announce = template.send(uri, announce);
        RtspStatusException refused = assertInstanceOf(RtspStatusException.class, announce.getException());
        assertTrue(refused.statusCode() >= 400, refused.getMessage());
        Exchange record = request(uri, "RECORD", null);
        assertInstanceOf(RtspStatusException.class, record.getException());
    }

    @Test
    void wrongCredentialsFailClearly() throws Exception {
        server = GstRtspServer.builder().auth("digest", "user", "secret-pass").start();
        camel();
        Exchange ok = request(server.url("user", "secret-pass"), "DESCRIBE", null);
        ok(ok);
        assertTrue(ok.getMessage().getBody(String.class).contains("m=video"));

        // the same context: endpoints differing only in the password share their sanitized URI, not their producer
        Exchange wrong = request(server.url("user", "wrong-pass"), "DESCRIBE", null);
        RtspAuthenticationException e = assertInstanceOf(RtspAuthenticationException.class, wrong.getException());
        assertTrue(e.getMessage().contains("refused the credentials of user 'user'"), e.getMessage());
        assertTrue(!e.getMessage().contains("wrong-pass"), "no password in the message");
    }

    @Test
    void seekWithRangeOnSeekableFile() throws Exception {
        server = seekableServer();
        camel();
        String uri = server.url();
        Exchange ex = request(uri, "DESCRIBE", null);
        ok(ex);
        ex = request(uri, "SETUP", ex, "Transport", "RTP/AVP/TCP;unicast;interleaved=0-1", RtspConstants.REQUEST_URI,
                "stream=0");
        ok(ex);

        Exchange play = request(uri, "PLAY", ex, "Range", "npt=0-");
        ok(play);
        RtpInfoHeader.Entry first = RtpInfoHeader.parse(play.getMessage().getHeader("RTP-Info", String.class)).get(0);
        RangeHeader firstRange = RangeHeader.parse(play.getMessage().getHeader("Range", String.class));
        assertEquals(0.0, firstRange.nptStartSeconds(), 0.1, "starts at 0");
        assertEquals(FILE_SECONDS, firstRange.nptEndSeconds(), 0.5, "the file's duration");

        Exchange pause = request(uri, "PAUSE", play);
        ok(pause);
        Exchange seek = request(uri, "PLAY", pause, "Range", "npt=5-");
        ok(seek);
        RangeHeader seekRange = RangeHeader.parse(seek.getMessage().getHeader("Range", String.class));
        assertEquals(5.0, seekRange.nptStartSeconds(), 0.1, "the server plays from 5 s: " + seekRange);
        RtpInfoHeader.Entry after = RtpInfoHeader.parse(seek.getMessage().getHeader("RTP-Info", String.class)).get(0);
        // RTP-Info ties the first packet after the seek to npt 5: its own seq and rtptime
        assertNotNull(after.seq(), after.toString());
        assertNotNull(after.rtptime(), after.toString());
        assertTrue(((after.seq() - first.seq()) & 0xFFFF) < 1000, "sequence numbers go on: " + first + " " + after);
        assertEquals(play.getMessage().getHeader(RtspConstants.SESSION_ID),
                seek.getMessage().getHeader(RtspConstants.SESSION_ID));
        assertNull(request(uri, "TEARDOWN", seek).getException());
    }
}
