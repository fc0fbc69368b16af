package io.github.camelrtsp.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.camelrtsp.testsupport.ChildProcesses.ProcessResult;
import io.github.camelrtsp.testsupport.FfProbe.FfResult;
import io.github.camelrtsp.testsupport.MiniRtspConnection.Response;

/**
 * Interop tests of the built-in codecs of the GStreamer test server. Each server serves one video and one audio codec
 * in one session; ffprobe (an independent client, over interleaved TCP) must name both codecs, and the RTP a minimal
 * client records for 2.5 s must show what the variant's name promises: where H.264/H.265 parameter sets travel,
 * B-frames, MJPEG headers, audio payload types and packet durations, and video at exactly 15 frames a second.
 */
class GstRtspServerCodecsTest {

    private static final Duration PROBE = Duration.ofSeconds(15);
    private static final Duration CAPTURE = Duration.ofMillis(2500);
    private static final int MAX_PACKETS = 2000;
    private static final String[] STREAM_ENTRIES = {"codec_type", "codec_name", "profile", "width", "height",
        "sample_rate", "channels"};

    /** How many frames B-frames move out of presentation order at most (x264 bframes=2). */
    private static final int REORDER_FRAMES = 3;

    private static final int H264_SPS = 7;
    private static final int H264_PPS = 8;
    private static final int H264_IDR = 5;
    private static final int H264_STAP_A = 24;
    private static final int H264_FU_A = 28;

    @BeforeAll
    static void tools() {
        GstRtspServer.requireAvailable();
        FfProbe.requireAvailable();
    }

    @Test
    void codecListsMatchTheScript() {
        ProcessResult result = ChildProcesses.run(Duration.ofSeconds(30),
                List.of(GstRtspServer.PYTHON, GstRtspServer.script().toString(), "--list-codecs"));
        assertEquals(0, result.exitCode(), result.stderr());
        List<String> video = new ArrayList<>();
        List<String> audio = new ArrayList<>();
        for (String line : result.stdout().lines().toList()) {
            String[] words = line.split(" ", 3);
            assertEquals(3, words.length, "no summary: " + line);
            (words[0].equals("video") ? video : audio).add(words[1]);
        }
        assertEquals(GstRtspServer.VIDEO_CODECS, video);
        assertEquals(GstRtspServer.AUDIO_CODECS, audio);
    }

    @Test
    void h264InBandSendsSpsAndPpsAsSingleNalUnitsBeforeEveryIdr() throws IOException {
        try (GstRtspServer server = GstRtspServer.builder().video("h264-inband").audio("pcmu").start()) {
            assertStreams(server,
                    Map.of("codec_name", "h264", "profile", "Constrained Baseline", "width", "320", "height", "240"),
                    Map.of("codec_name", "pcm_mulaw", "sample_rate", "8000", "channels", "1"));
            Capture capture = capture(server);
            assertTrue(capture.sdp.contains("m=audio 0 RTP/AVP 0\r\n"), capture.sdp);
            assertTrue(capture.sdp.contains("a=rtpmap:0 PCMU/8000"), capture.sdp);

            List<List<Integer>> nals = nalStarts(capture.video, GstRtspServerCodecsTest::h264NalStarts);
            for (byte[] packet : capture.video) {
                assertFalse(isH264Type(packet, H264_STAP_A), "a STAP-A in " + nals);
            }
            assertParameterSetsBeforeEveryIdr(capture.video, GstRtspServerCodecsTest::h264NalStarts,
                    Set.of(H264_IDR), Set.of(H264_SPS, H264_PPS));
            assertExactFrameRate(capture.video, true);
            assertAudioPackets(capture.audio, 0, 160, 160);
        }
    }

    @Test
    void h264StapASendsSpsAndPpsAggregatedBeforeEveryIdr() throws IOException {
        try (GstRtspServer server = GstRtspServer.builder().video("h264-stapa").audio("pcma").start()) {
            assertStreams(server,
                    Map.of("codec_name", "h264", "profile", "Constrained Baseline", "width", "320", "height", "240"),
                    Map.of("codec_name", "pcm_alaw", "sample_rate", "8000", "channels", "1"));
            Capture capture = capture(server);
            assertTrue(capture.sdp.contains("a=rtpmap:8 PCMA/8000"), capture.sdp);

            int aggregates = 0;
            for (byte[] packet : capture.video) {
                List<Integer> starts = h264NalStarts(packet);
                if (isH264Type(packet, H264_STAP_A)) {
                    assertTrue(starts.size() >= 2, "a STAP-A with " + starts);
                    if (starts.containsAll(List.of(H264_SPS, H264_PPS))) {
                        aggregates++;
                    }
                } else {
                    assertFalse(starts.contains(H264_SPS) || starts.contains(H264_PPS), "SPS/PPS outside a STAP-A: "
                            + nalStarts(capture.video, GstRtspServerCodecsTest::h264NalStarts));
                }
            }
            int idrs = assertParameterSetsBeforeEveryIdr(capture.video, GstRtspServerCodecsTest::h264NalStarts,
                    Set.of(H264_IDR), Set.of(H264_SPS, H264_PPS));
            assertTrue(aggregates >= idrs - 1, aggregates + " STAP-A with SPS+PPS for " + idrs + " IDRs");
            assertExactFrameRate(capture.video, true);
            assertAudioPackets(capture.audio, 8, 160, 160);
        }
    }

    @Test
    void h264BFramesArriveOutOfPresentationOrder() throws IOException {
        try (GstRtspServer server = GstRtspServer.builder().video("h264-bframes").audio("g722").start()) {
            assertStreams(server,
                    Map.of("codec_name", "h264", "profile", "High", "width", "320", "height", "240"),
                    Map.of("codec_name", "adpcm_g722", "sample_rate", "16000", "channels", "1"));

            FfResult frames = FfProbe.ffprobe(PROBE, "-v", "error", "-rtsp_transport", "tcp", "-select_streams",
                    "v:0", "-read_intervals", "%+#30", "-show_entries", "frame=pict_type", "-of", "csv=p=0",
                    server.url());
            assertTrue(frames.succeeded(), frames.describe());
            List<String> types = frames.lines();
            long bFrames = types.stream().filter("B"::equals).count();
            assertTrue(types.size() >= 25 && bFrames >= types.size() / 3, "picture types: " + types);
            assertTrue(types.contains("I") && types.contains("P"), "picture types: " + types);

            Capture capture = capture(server);
            assertTrue(capture.sdp.contains("a=rtpmap:9 G722/8000"), capture.sdp);
            assertTrue(capture.sdp.contains("profile-level-id=64"), capture.sdp);
            assertParameterSetsBeforeEveryIdr(capture.video, GstRtspServerCodecsTest::h264NalStarts,
                    Set.of(H264_IDR), Set.of(H264_SPS, H264_PPS));
            assertExactFrameRate(capture.video, false);
            // G.722's RTP clock runs at 8000 Hz although it samples at 16 kHz: 20 ms = 160 ticks = 160 bytes.
            assertAudioPackets(capture.audio, 9, 160, 160);
        }
    }

    @Test
    void h264SdpOnlyKeepsSpsAndPpsOutOfBand() throws IOException {
        try (GstRtspServer server = GstRtspServer.builder().video("h264-sdponly").audio("l16").start()) {
            // ffprobe can only know the picture size from the SDP's sprop-parameter-sets.
            assertStreams(server,
                    Map.of("codec_name", "h264", "profile", "Constrained Baseline", "width", "320", "height", "240"),
                    Map.of("codec_name", "pcm_s16be", "sample_rate", "16000", "channels", "1"));
            Capture capture = capture(server);
            Matcher sprop = Pattern.compile("sprop-parameter-sets=([A-Za-z0-9+/=]+),([A-Za-z0-9+/=]+)")
                    .matcher(capture.sdp);
            assertTrue(sprop.find(), capture.sdp);
            assertEquals(H264_SPS, Base64.getDecoder().decode(sprop.group(1))[0] & 0x1f);
            assertEquals(H264_PPS, Base64.getDecoder().decode(sprop.group(2))[0] & 0x1f);
            assertTrue(server.sdp().contains(sprop.group()), "sdp() should describe the same media");
            assertTrue(capture.sdp.contains("a=rtpmap:97 L16/16000/1"), capture.sdp);

            List<List<Integer>> nals = nalStarts(capture.video, GstRtspServerCodecsTest::h264NalStarts);
            int idrs = 0;
            for (List<Integer> starts : nals) {
                assertFalse(starts.contains(H264_SPS) || starts.contains(H264_PPS), "in-band SPS/PPS: " + nals);
                idrs += starts.contains(H264_IDR) ? 1 : 0;
            }
            assertTrue(idrs >= 2, "IDR slices seen: " + nals);
            assertExactFrameRate(capture.video, true);
            // 20 ms of 16 kHz 16-bit mono: 320 samples, 640 bytes.
            assertAudioPackets(capture.audio, 97, 320, 640);
        }
    }

    @Test
    void h265SendsParameterSetsBeforeEveryIdr() throws IOException {
        try (GstRtspServer server = GstRtspServer.builder().video("h265").audio("opus").start()) {
            // RFC 7587 always names 2 channels in the rtpmap, so ffmpeg reports 2 for the mono stream.
            assertStreams(server,
                    Map.of("codec_name", "hevc", "profile", "Main", "width", "320", "height", "240"),
                    Map.of("codec_name", "opus", "sample_rate", "48000"));
            Capture capture = capture(server);
            for (String fmtp : List.of("sprop-vps=", "sprop-sps=", "sprop-pps=", "a=rtpmap:97 OPUS/48000/2",
                    "sprop-stereo=0")) {
                assertTrue(capture.sdp.contains(fmtp), fmtp + " in\n" + capture.sdp);
            }
            // VPS 32, SPS 33, PPS 34 before every IDR_W_RADL 19 / IDR_N_LP 20.
            assertParameterSetsBeforeEveryIdr(capture.video, GstRtspServerCodecsTest::h265NalStarts,
                    Set.of(19, 20), Set.of(32, 33, 34));
            assertExactFrameRate(capture.video, true);
            // The capture starts a fresh pipeline: opusenc's first packet follows its 312-sample look-ahead.
            assertAudioPackets(capture.audio, 97, 960, -1, 960 - 312);
        }
    }

    @Test
    void mjpegSendsType1FramesWithQuantizationTables() throws IOException {
        try (GstRtspServer server = GstRtspServer.builder().video("mjpeg").audio("aac-latm").start()) {
            assertStreams(server,
                    Map.of("codec_name", "mjpeg", "width", "320", "height", "240"),
                    Map.of("codec_name", "aac", "profile", "LC", "sample_rate", "44100", "channels", "1"));
            Capture capture = capture(server);
            assertTrue(capture.sdp.contains("m=video 0 RTP/AVP 26\r\n"), capture.sdp);
            assertTrue(capture.sdp.contains("a=rtpmap:97 MP4A-LATM/44100"), capture.sdp);
            assertTrue(capture.sdp.contains("cpresent=0") && capture.sdp.contains("config="), capture.sdp);

            int frameStarts = 0;
            for (byte[] packet : capture.video) {
                assertEquals(26, payloadType(packet));
                int p = payloadStart(packet);
                int fragmentOffset = ((packet[p + 1] & 0xff) << 16) | ((packet[p + 2] & 0xff) << 8)
                        | (packet[p + 3] & 0xff);
                assertEquals(1, packet[p + 4], "JPEG type");
                assertTrue((packet[p + 5] & 0xff) >= 128, "Q " + (packet[p + 5] & 0xff));
                assertEquals(GstRtspServer.VIDEO_WIDTH / 8, packet[p + 6] & 0xff);
                assertEquals(GstRtspServer.VIDEO_HEIGHT / 8, packet[p + 7] & 0xff);
                if (fragmentOffset == 0) {
                    frameStarts++;
                    // Quantization table header: MBZ, precision 0 (8-bit), length 128 (two tables).
                    int tableLength = ((packet[p + 10] & 0xff) << 8) | (packet[p + 11] & 0xff);
                    assertEquals(0, packet[p + 9], "precision");
                    assertEquals(128, tableLength, "quantization table length");
                }
            }
            int frames = assertExactFrameRate(capture.video, true);
            assertTrue(frameStarts >= frames - 1, frameStarts + " frame starts for " + frames + " frames");
            assertAudioPackets(capture.audio, 97, 1024, -1);
        }
    }

    // ---- what ffprobe says

    private static void assertStreams(GstRtspServer server, Map<String, String> video, Map<String, String> audio) {
        List<Map<String, String>> streams = FfProbe.streamEntries(server.url(), "tcp", PROBE, STREAM_ENTRIES);
        assertEquals(2, streams.size(), streams.toString());
        assertEquals("video", streams.get(0).get("codec_type"), streams.toString());
        assertEquals("audio", streams.get(1).get("codec_type"), streams.toString());
        video.forEach((key, value) -> assertEquals(value, streams.get(0).get(key), key + " of " + streams.get(0)));
        audio.forEach((key, value) -> assertEquals(value, streams.get(1).get(key), key + " of " + streams.get(1)));
    }

    // ---- recording RTP

    /** What one client saw: the SDP and the RTP packets of the video (channel 0) and audio (channel 2) streams. */
    private record Capture(String sdp, List<byte[]> video, List<byte[]> audio) {
    }

    /** DESCRIBE, SETUP of both streams interleaved on channels 0-1 and 2-3, PLAY, then 2.5 s of RTP. */
    private static Capture capture(GstRtspServer server) throws IOException {
        String url = server.url();
        try (MiniRtspConnection c = MiniRtspConnection.open(server.port())) {
            Response describe = c.request("DESCRIBE", url, "Accept: application/sdp");
            for (int retry = 1; retry <= 3 && describe.status() == 503; retry++) {
                // ffprobe sends its TEARDOWN without waiting for the answer: this DESCRIBE may have raced it.
                sleepMillis(300);
                describe = c.request("DESCRIBE", url, "Accept: application/sdp");
            }
            assertEquals(200, describe.status(), describe.toString());
            String base = describe.header("Content-Base") != null ? describe.header("Content-Base") : url + "/";
            Matcher control = Pattern.compile("(?m)^a=control:(\\S+)$").matcher(describe.body());
            List<String> tracks = new ArrayList<>();
            while (control.find()) {
                if (!control.group(1).equals("*")) {
                    tracks.add(control.group(1).startsWith("rtsp") ? control.group(1) : base + control.group(1));
                }
            }
            assertEquals(2, tracks.size(), describe.body());
            String session = null;
            for (int i = 0; i < tracks.size(); i++) {
                String transport = "Transport: RTP/AVP/TCP;unicast;interleaved=" + (2 * i) + "-" + (2 * i + 1);
                Response setup = session == null ? c.request("SETUP", tracks.get(i), transport)
                        : c.request("SETUP", tracks.get(i), transport, "Session: " + session);
                assertEquals(200, setup.status(), setup.toString());
                session = setup.header("Session").split(";")[0];
            }
            Response play = c.request("PLAY", url, "Session: " + session, "Range: npt=0.000-");
            assertEquals(200, play.status(), play.toString());
            List<byte[]>[] packets = c.collectFrames(CAPTURE, MAX_PACKETS, 0, 2);
            for (List<byte[]> stream : packets) {
                for (byte[] packet : stream) {
                    assertTrue(packet.length > 12 && (packet[0] & 0xc0) == 0x80, "not an RTP v2 packet");
                }
            }
            return new Capture(describe.body(), packets[0], packets[1]);
        }
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // ---- video checks

    /**
     * Checks that the frames recorded have RTP timestamps exactly one frame (6000 ticks at 90 kHz) apart with none
     * missing, once sorted into presentation order, that each frame's packets are contiguous and that the marker
     * bit closes every frame.
     *
     * @param monotonic true if timestamps must also only grow in packet order (no B-frames), false if they must not
     * @return the number of frames seen
     */
    private static int assertExactFrameRate(List<byte[]> video, boolean monotonic) {
        assertFalse(video.isEmpty(), "no video packets");
        long first = timestamp(video.get(0));
        TreeSet<Long> presentation = new TreeSet<>();
        List<Long> arrival = new ArrayList<>();
        boolean wentBack = false;
        for (int i = 0; i < video.size(); i++) {
            long relative = (int) (timestamp(video.get(i)) - first);
            if (i > 0 && relative != arrival.get(arrival.size() - 1)) {
                assertTrue(marker(video.get(i - 1)), "a frame ended without the marker bit at packet " + (i - 1));
                wentBack |= relative < arrival.get(arrival.size() - 1);
            }
            if (arrival.isEmpty() || relative != arrival.get(arrival.size() - 1)) {
                arrival.add(relative);
            }
            presentation.add(relative);
        }
        assertEquals(arrival.size(), presentation.size(), "a timestamp came back after other frames: " + arrival);
        assertEquals(!monotonic, wentBack, "timestamps in packet order: " + arrival);
        // With B-frames, frames sent before the capture began or after it ended leave gaps near both ends.
        long margin = monotonic ? 0 : (long) REORDER_FRAMES * GstRtspServer.VIDEO_FRAME_TICKS;
        for (long ts : presentation) {
            assertEquals(0, Math.floorMod(ts, GstRtspServer.VIDEO_FRAME_TICKS), "frame timestamps: " + presentation);
        }
        for (long ts = presentation.first() + margin; ts <= presentation.last() - margin;
                ts += GstRtspServer.VIDEO_FRAME_TICKS) {
            assertTrue(presentation.contains(ts), "no frame at " + ts + ": " + presentation);
        }
        int frames = presentation.size();
        // 2.5 s at 15 fps; joining a running media can cost the first partial frame or the pipeline start-up.
        assertTrue(frames >= 30 && frames <= 40, frames + " frames in " + CAPTURE.toMillis() + " ms");
        return frames;
    }

    /**
     * Walks the NAL units in packet order: every IDR picture after the first must be preceded (since the previous IDR)
     * by all of {@code parameterSets}; at least two IDR pictures must be seen (one a second).
     *
     * @return the number of IDR pictures
     */
    private static int assertParameterSetsBeforeEveryIdr(List<byte[]> packets,
            Function<byte[], List<Integer>> starts, Set<Integer> idrTypes, Set<Integer> parameterSets) {
        Set<Integer> seen = new HashSet<>();
        long lastIdr = -1;
        int idrs = 0;
        for (byte[] packet : packets) {
            long ts = timestamp(packet);
            for (int type : starts.apply(packet)) {
                if (parameterSets.contains(type)) {
                    seen.add(type);
                } else if (idrTypes.contains(type) && ts != lastIdr) {
                    idrs++;
                    if (idrs > 1) {
                        assertTrue(seen.containsAll(parameterSets), "IDR " + idrs + " at " + ts + " after only "
                                + seen + "; NAL units: " + nalStarts(packets, starts));
                    }
                    seen.clear();
                    lastIdr = ts;
                }
            }
        }
        assertTrue(idrs >= 2, idrs + " IDR pictures; NAL units: " + nalStarts(packets, starts));
        return idrs;
    }

    private static List<List<Integer>> nalStarts(List<byte[]> packets, Function<byte[], List<Integer>> starts) {
        return packets.stream().map(starts).toList();
    }

    private static boolean isH264Type(byte[] packet, int type) {
        return (packet[payloadStart(packet)] & 0x1f) == type;
    }

    /** Types of the H.264 NAL units that begin in this packet: single NAL unit, each STAP-A unit, FU-A start. */
    static List<Integer> h264NalStarts(byte[] packet) {
        int p = payloadStart(packet);
        int end = payloadEnd(packet);
        int type = packet[p] & 0x1f;
        if (type == H264_STAP_A) {
            return aggregated(packet, p + 1, end, b -> b & 0x1f);
        }
        if (type == H264_FU_A) {
            return (packet[p + 1] & 0x80) != 0 ? List.of(packet[p + 1] & 0x1f) : List.of();
        }
        return List.of(type);
    }

    /** Types of the H.265 NAL units that begin in this packet: single, each aggregation packet unit, FU start. */
    static List<Integer> h265NalStarts(byte[] packet) {
        int p = payloadStart(packet);
        int end = payloadEnd(packet);
        int type = (packet[p] >> 1) & 0x3f;
        if (type == 48) {
            return aggregated(packet, p + 2, end, b -> (b >> 1) & 0x3f);
        }
        if (type == 49) {
            return (packet[p + 2] & 0x80) != 0 ? List.of(packet[p + 2] & 0x3f) : List.of();
        }
        return List.of(type);
    }

    /** NAL unit types of an aggregation packet's units (16-bit size, then the unit) from {@code from} to end. */
    private static List<Integer> aggregated(byte[] packet, int from, int end, Function<Integer, Integer> typeOf) {
        List<Integer> types = new ArrayList<>();
        int i = from;
        while (i < end) {
            if (i + 2 > end) {
                fail("truncated aggregation packet unit size at " + i);
            }
            int size = ((packet[i] & 0xff) << 8) | (packet[i + 1] & 0xff);
            if (size == 0 || i + 2 + size > end) {
                fail("aggregation packet unit of " + size + " bytes at " + i + " overruns the payload (" + end + ")");
            }
            types.add(typeOf.apply((int) packet[i + 2]));
            i += 2 + size;
        }
        return types;
    }

    // ---- audio checks

    /**
     * Checks the audio packets: payload type, every packet {@code ticks} RTP ticks after the previous one and, unless
     * {@code payloadBytes} is -1, that many payload bytes each.
     */
    private static void assertAudioPackets(List<byte[]> audio, int payloadType, int ticks, int payloadBytes) {
        assertAudioPackets(audio, payloadType, ticks, payloadBytes, ticks);
    }

    /** As above, but the step from the first to the second packet may also be {@code firstStep}. */
    private static void assertAudioPackets(List<byte[]> audio, int payloadType, int ticks, int payloadBytes,
            int firstStep) {
        assertTrue(audio.size() >= 20, audio.size() + " audio packets");
        for (int i = 0; i < audio.size(); i++) {
            byte[] packet = audio.get(i);
            assertEquals(payloadType, payloadType(packet), "payload type of audio packet " + i);
            if (payloadBytes >= 0) {
                assertEquals(payloadBytes, payloadEnd(packet) - payloadStart(packet), "payload of audio packet " + i);
            }
            if (i > 0) {
                long step = timestamp(packet) - timestamp(audio.get(i - 1)) & 0xffffffffL;
                if (!(i == 1 && step == firstStep)) {
                    assertEquals(ticks, step, "timestamp step before audio packet " + i);
                }
            }
        }
    }

    // ---- RTP header fields

    private static int payloadType(byte[] packet) {
        return packet[1] & 0x7f;
    }

    private static boolean marker(byte[] packet) {
        return (packet[1] & 0x80) != 0;
    }

    private static long timestamp(byte[] packet) {
        return ((packet[4] & 0xffL) << 24) | ((packet[5] & 0xff) << 16) | ((packet[6] & 0xff) << 8)
                | (packet[7] & 0xff);
    }

    private static int payloadStart(byte[] packet) {
        int offset = 12 + 4 * (packet[0] & 0x0f);
        if ((packet[0] & 0x10) != 0) {
            offset += 4 + 4 * (((packet[offset + 2] & 0xff) << 8) | (packet[offset + 3] & 0xff));
        }
        assertTrue(offset < payloadEnd(packet), "RTP packet without payload");
        return offset;
    }

    private static int payloadEnd(byte[] packet) {
        return (packet[0] & 0x20) != 0 ? packet.length - (packet[packet.length - 1] & 0xff) : packet.length;
    }

    @Test
    void nalStartHelpersReadAggregatesAndFragments() {
        // The checks above are only as good as these parsers: hand-built payloads with known answers.
        assertEquals(List.of(7, 8, 5), h264NalStarts(rtp(24, 0, 2, 0x67, 0x42, 0, 1, 0x68, 0, 2, 0x65, 0x88)));
        assertEquals(List.of(5), h264NalStarts(rtp(0x7c, 0x85, 0xaa)));
        assertEquals(List.of(), h264NalStarts(rtp(0x7c, 0x05, 0xaa)));
        assertEquals(List.of(1), h264NalStarts(rtp(0x41, 0x9a)));
        assertEquals(List.of(32, 33), h265NalStarts(rtp(0x60, 0x01, 0, 2, 0x40, 0x01, 0, 2, 0x42, 0x01)));
        assertEquals(List.of(19), h265NalStarts(rtp(0x62, 0x01, 0x93, 0xaf)));
        assertEquals(List.of(), h265NalStarts(rtp(0x62, 0x01, 0x13, 0xaf)));
        AssertionError overrun = assertThrows(AssertionError.class,
                () -> h264NalStarts(rtp(24, 0, 9, 0x67)));
        assertNotNull(overrun.getMessage());
    }

    private static byte[] rtp(int... payload) {
        byte[] packet = new byte[12 + payload.length];
        packet[0] = (byte) 0x80;
        packet[1] = 96;
        for (int i = 0; i < payload.length; i++) {
            packet[12 + i] = (byte) payload[i];
        }
        return packet;
    }
}
