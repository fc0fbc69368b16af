package io.github.camelrtsp.publish;

import static io.github.camelrtsp.format.annexb.NalTestSupport.annexB;
import static io.github.camelrtsp.format.annexb.NalTestSupport.bytes;
import static io.github.camelrtsp.format.annexb.NalTestSupport.concat;
import static io.github.camelrtsp.format.annexb.NalTestSupport.nal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.camelrtsp.format.Depacketizer;
import io.github.camelrtsp.format.Depacketizers;
import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.rtp.RtpPacket;
import io.github.camelrtsp.rtp.SenderReport;
import io.github.camelrtsp.sdp.MediaDescription;
import io.github.camelrtsp.sdp.RtpMap;
import io.github.camelrtsp.sdp.SessionDescription;
import io.github.camelrtsp.server.SdpWriter;
import io.github.camelrtsp.server.ServerTrack;
import io.netty.buffer.Unpooled;

/**
 * Frames with presentation times through {@link PublishTrack} to RTP packets, the SDP written for the tracks parsed
 * back with {@link SessionDescription}, and the packets through the {@link Depacketizers} that SDP selects: the same
 * frames must come back, with RTP timestamps that follow the presentation times in the track's clock.
 */
class PublishTrackTest {

    private static final byte[] H264_SPS = nal(bytes(0x67, 0x42, 0xC0, 0x1E), 10);
    private static final byte[] H264_PPS = nal(bytes(0x68, 0xCE, 0x3C, 0x80), 4);
    private static final byte[] H265_VPS = nal(bytes(0x40, 0x01, 0x0C, 0x01, 0xFF, 0xFF), 24);
    private static final byte[] H265_SPS = concat(bytes(0x42, 0x01, 0x01, 0x01, 0x60, 0x00, 0x00, 0x03, 0x00, 0x90,
            0x00, 0x00, 0x03, 0x00, 0x00, 0x03, 0x00, 0x5D), nal(bytes(0xA0, 0x02, 0x80), 20));
    private static final byte[] H265_PPS = bytes(0x44, 0x01, 0xC1, 0x72, 0xB4, 0x62, 0x40);

    /** One frame to publish and what must come back. */
    private record Sent(byte[] data, long ptsMicros, boolean key, int samples) {
    }

    /** Sends the frames, checks the SDP and returns the frames the matching depacketizer rebuilt. */
    private static List<MediaFrame> roundTrip(PublishTrack track, List<Sent> frames, int mtu) {
        List<byte[]> packets = new ArrayList<>();
        for (Sent f : frames) {
            int n = track.send(f.data, f.ptsMicros, f.key, false, f.samples, buf -> {
                try {
                    assertTrue(buf.readableBytes() <= mtu, "packet within the MTU");
                    byte[] copy = new byte[buf.readableBytes()];
                    buf.getBytes(buf.readerIndex(), copy);
                    packets.add(copy);
                } finally {
                    buf.release();
                }
            });
            assertTrue(n > 0);
        }
        MediaDescription media = sdpOf(List.of(track.serverTrack())).media().get(0);
        RtpMap map = media.rtpMap();
        assertNotNull(map, "rtpmap of the media section");
        Depacketizer depacketizer = Depacketizers.create(new FormatParameters(map.codec(), media.payloadType(),
                map.clockRate(), map.channels(), media.formatParameters(), 1 << 20));
        List<MediaFrame> out = new ArrayList<>();
        RtpPacket rtp = new RtpPacket();
        for (byte[] p : packets) {
            rtp.wrap(Unpooled.wrappedBuffer(p));
            assertEquals(track.payloadType(), rtp.payloadType());
            assertEquals(track.ssrc(), rtp.ssrc());
            depacketizer.onPacket(rtp, false, out::add);
        }
        assertEquals(0, depacketizer.framesDropped());
        assertEquals(0, depacketizer.packetsSkipped());
        assertEquals(frames.size(), out.size(), "frames back");
        for (int i = 0; i < frames.size(); i++) {
            assertArrayEquals(frames.get(i).data, out.get(i).data(), "bytes of frame " + i);
            assertEquals(track.rtpTimestamp(frames.get(i).ptsMicros), out.get(i).rtpTimestamp(), "timestamp " + i);
        }
        assertEquals(packets.size(), track.packetCount());
        assertEquals(frames.size(), track.framesSent());
        return out;
    }

    private static SessionDescription sdpOf(List<ServerTrack> tracks) throws AssertionError {
        try {
            return SessionDescription.parse(SdpWriter.write(tracks, 1234, InetAddress.getByName("127.0.0.1"),
                                                            "camel-rtsp"));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void h264FramesComeBackAndTheSdpCarriesTheParameterSetsLearntFromTheKeyFrame() {
        TrackFormat format = TrackFormat.fromHeaders(Map.of("CamelRtspCodec", "h264", "CamelRtspMediaType", "video"));
        assertEquals(new TrackFormat("video", "H264", 90000, null, Map.of()), format);
        PublishTrack track = new PublishTrack(format, PublishTrack.payloadTypeFor(format, 0), 1200, 0x1234, 65530,
                                              0xFFFF_F000L);
        assertFalse(track.hasParameterSets());
        byte[] key = annexB(H264_SPS, H264_PPS, nal(bytes(0x65, 0x88), 5000));
        track.learn(key);
        assertTrue(track.hasParameterSets(), "parameter sets learnt without sending");
        assertEquals(0, track.packetCount());
        List<Sent> frames = new ArrayList<>();
        frames.add(new Sent(key, 0, true, 0));
        for (int i = 1; i < 10; i++) {
            frames.add(new Sent(annexB(nal(bytes(0x41, 0x9A), 300 + 700 * i)), i * 33_333L, false, 0));
        }
        roundTrip(track, frames, 1200);
        MediaDescription media = sdpOf(List.of(track.serverTrack())).media().get(0);
        assertEquals("video", media.mediaType());
        assertEquals(96, media.payloadType());
        assertEquals("H264", media.rtpMap().codec());
        assertEquals(90000, media.rtpMap().clockRate());
        String sprop = media.formatParameters().get("sprop-parameter-sets");
        assertEquals(java.util.Base64.getEncoder().encodeToString(H264_SPS) + ","
                     + java.util.Base64.getEncoder().encodeToString(H264_PPS), sprop);
        assertEquals("42C01E", media.formatParameters().get("profile-level-id").toUpperCase());
        assertEquals("1", media.formatParameters().get("packetization-mode"));
        // timestamps wrap around 2^32 from the base
        assertEquals(0xFFFF_F000L, track.rtpTimestamp(0));
        assertEquals((0xFFFF_F000L + 3000) & 0xFFFF_FFFFL, track.rtpTimestamp(33_333));
    }

    @Test
    void h265FramesComeBackWithVpsSpsPpsInTheSdp() {
        TrackFormat format = TrackFormat.of(null, "H265", null, null, null);
        PublishTrack track = new PublishTrack(format, 96, 1400, 99, 1, 0);
        byte[] key = annexB(H265_VPS, H265_SPS, H265_PPS, nal(bytes(0x26, 0x01, 0xAF), 4000));
        track.learn(key);
        assertTrue(track.hasParameterSets());
        List<Sent> frames = new ArrayList<>();
        frames.add(new Sent(key, 1_000_000, true, 0));
        for (int i = 1; i < 6; i++) {
            frames.add(new Sent(annexB(nal(bytes(0x02, 0x01, 0xD0), 100 + 900 * i)), 1_000_000 + i * 40_000L, false,
                                0));
        }
        roundTrip(track, frames, 1400);
        Map<String, String> fmtp = sdpOf(List.of(track.serverTrack())).media().get(0).formatParameters();
        assertEquals(java.util.Base64.getEncoder().encodeToString(H265_VPS), fmtp.get("sprop-vps"));
        assertEquals(java.util.Base64.getEncoder().encodeToString(H265_SPS), fmtp.get("sprop-sps"));
        assertEquals(java.util.Base64.getEncoder().encodeToString(H265_PPS), fmtp.get("sprop-pps"));
        assertEquals(90000L, track.rtpTimestamp(2_000_000) - track.rtpTimestamp(1_000_000));
    }

    /** An ADTS frame (no CRC) around {@code au}: AAC LC, the frequency index and channel configuration given. */
    private static byte[] adts(int frequencyIndex, int channels, byte[] au) {
        int length = 7 + au.length;
        byte[] f = new byte[length];
        f[0] = (byte) 0xFF;
        f[1] = (byte) 0xF1;
        f[2] = (byte) ((1 << 6) | (frequencyIndex << 2) | (channels >> 2));
        f[3] = (byte) (((channels & 3) << 6) | (length >> 11));
        f[4] = (byte) (length >> 3);
        f[5] = (byte) (((length & 7) << 5) | 0x1F);
        f[6] = (byte) 0xFC;
        System.arraycopy(au, 0, f, 7, au.length);
        return f;
    }

    @Test
    void aacFormatComesFromTheAudioSpecificConfigAndFramesComeBack() {
        // AAC LC, 44100 Hz (index 4), 2 channels: 0x12 0x10
        TrackFormat format = TrackFormat.fromHeaders(Map.of("CamelRtspCodec", "MPEG4-GENERIC",
                                                            "CamelRtspCodecConfig", bytes(0x12, 0x10)));
        assertEquals("audio", format.mediaType());
        assertEquals(44100, format.clockRate());
        assertEquals(2, format.channels());
        assertEquals("1210", format.fmtp().get("config"));
        PublishTrack track = new PublishTrack(format, 97, 1400, 7, 10, 5);
        assertTrue(track.hasParameterSets());
        List<Sent> frames = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] au = nal(bytes(0x21, i), 200 + 37 * i);
            frames.add(new Sent(adts(4, 2, au), i * 1024L * 1_000_000L / 44100, true, 1024));
        }
        roundTrip(track, frames, 1400);
        MediaDescription media = sdpOf(List.of(track.serverTrack())).media().get(0);
        assertEquals("MPEG4-GENERIC", media.rtpMap().codec());
        assertEquals(44100, media.rtpMap().clockRate());
        assertEquals(2, media.rtpMap().channels());
        assertEquals("1210", media.formatParameters().get("config"));
        assertEquals("AAC-hbr", media.formatParameters().get("mode"));
        assertEquals("13", media.formatParameters().get("sizelength"));
    }

    @Test
    void aacWithoutConfigLearnsItFromTheFirstAdtsHeaderAndLatmIsPublishedAsMpeg4Generic() {
        TrackFormat format = TrackFormat.of("audio", "mp4a-latm", 48000, 1, null);
        assertEquals("MPEG4-GENERIC", format.codec());
        PublishTrack track = new PublishTrack(format, 97, 1400);
        assertFalse(track.hasParameterSets());
        byte[] first = adts(3, 1, nal(bytes(0x21, 0x10), 150));
        track.learn(first);
        assertTrue(track.hasParameterSets());
        // AAC LC (2), 48000 (index 3), mono: 00010 0011 0001 000 = 0x11 0x88
        assertEquals("1188", track.serverTrack().fmtp().get("config"));
        roundTrip(track, List.of(new Sent(first, 0, true, 1024),
                                 new Sent(adts(3, 1, nal(bytes(0x21, 0x11), 90)), 21_333, true, 1024)), 1400);
    }

    @Test
    void opusFramesComeBackAndTheChannelsComeFromTheOpusHead() {
        byte[] head = concat("OpusHead".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                             bytes(1, 1, 0x38, 0x01, 0x80, 0xBB, 0, 0, 0, 0, 0));
        // the consumer's CHANNELS header for Opus is always 2 (the rtpmap): the OpusHead wins
        TrackFormat format = TrackFormat.fromHeaders(Map.of("CamelRtspCodec", "OPUS", "CamelRtspChannels", 2,
                                                            "CamelRtspCodecConfig", head));
        assertEquals(48000, format.clockRate());
        assertEquals(1, format.channels());
        PublishTrack track = new PublishTrack(format, PublishTrack.payloadTypeFor(format, 1), 1400, 5, 0, 0);
        assertEquals(97, track.payloadType());
        List<Sent> frames = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // TOC 0xFC: CELT-only 20 ms, mono, one frame
            frames.add(new Sent(concat(bytes(0xFC), nal(bytes(i + 1), 40 + i)), i * 20_000L, true, 960));
        }
        List<MediaFrame> back = roundTrip(track, frames, 1400);
        assertEquals(960, back.get(1).rtpTimestamp() - back.get(0).rtpTimestamp());
        MediaDescription media = sdpOf(List.of(track.serverTrack())).media().get(0);
        assertEquals("OPUS", media.rtpMap().codec());
        assertEquals(48000, media.rtpMap().clockRate());
        assertEquals(2, media.rtpMap().channels());
        assertEquals("0", media.formatParameters().get("sprop-stereo"));
    }

    @Test
    void pcmuUsesTheStaticPayloadTypeAnd8000Hz() {
        TrackFormat format = TrackFormat.fromHeaders(Map.of("CamelRtspCodec", "PCMU"));
        assertEquals(new TrackFormat("audio", "PCMU", 8000, 1, Map.of()), format);
        PublishTrack track = new PublishTrack(format, PublishTrack.payloadTypeFor(format, 1), 1400);
        assertEquals(0, track.payloadType());
        List<Sent> frames = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] samples = new byte[160];
            Arrays.fill(samples, (byte) (0x7F - i));
            frames.add(new Sent(samples, i * 20_000L, true, 160));
        }
        roundTrip(track, frames, 1400);
        assertEquals(160, track.rtpTimestamp(20_000) - track.rtpTimestamp(0));
        assertEquals(4 * 160, track.octetCount());
    }

    @Test
    void theSdpOfSeveralTracksParsesWithOneMediaSectionEach() {
        TrackFormat video = TrackFormat.of("video", "H264", null, null, null);
        TrackFormat audio = TrackFormat.of("audio", "MPEG4-GENERIC", null, null, bytes(0x14, 0x08));
        PublishTrack v = new PublishTrack(video, PublishTrack.payloadTypeFor(video, 0), 1400);
        PublishTrack a = new PublishTrack(audio, PublishTrack.payloadTypeFor(audio, 1), 1400);
        v.learn(annexB(H264_SPS, H264_PPS, nal(bytes(0x65, 0x88), 50)));
        SessionDescription sdp = sdpOf(List.of(v.serverTrack(), a.serverTrack()));
        assertEquals(2, sdp.media().size());
        assertEquals("trackID=0", sdp.media().get(0).control());
        assertEquals("trackID=1", sdp.media().get(1).control());
        assertEquals(97, sdp.media().get(1).payloadType());
        // AAC LC 16000 Hz (index 8) mono
        assertEquals("MPEG4-GENERIC", sdp.media().get(1).rtpMap().codec());
        assertEquals(16000, sdp.media().get(1).rtpMap().clockRate());
        assertEquals("1408", sdp.media().get(1).formatParameters().get("config"));
    }

    @Test
    void senderReportExtrapolatesTheRtpTimestampOfNow() {
        PublishTrack track = new PublishTrack(TrackFormat.of(null, "PCMA", null, null, null), 8, 1400, 42, 0, 1000);
        assertNull(track.senderReport(0, System.nanoTime()), "no report before the first packet");
        track.send(new byte[80], 0, true, false, 80, buf -> buf.release());
        long at = System.nanoTime();
        SenderReport sr = track.senderReport(SenderReport.instantToNtp(java.time.Instant.now()), at + 500_000_000L);
        assertEquals(42, sr.ssrc());
        assertEquals(1, sr.packetCount());
        assertEquals(80, sr.octetCount());
        // half a second after the frame at 1000, give or take the time between send and the nanoTime read
        assertTrue(sr.rtpTimestamp() >= 1000 + 3999 && sr.rtpTimestamp() <= 1000 + 4000 + 800,
                   "rtp timestamp " + sr.rtpTimestamp());
    }

    @Test
    void badMetadataIsRejectedWithAClearMessage() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrackFormat.fromHeaders(Map.of()))
                .getMessage().contains("CamelRtspCodec"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> TrackFormat.fromHeaders(Map.of("CamelRtspCodec", "VP8"))).getMessage().contains("VP8"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> TrackFormat.fromHeaders(Map.of("CamelRtspCodec", "L16"))).getMessage()
                .contains("CamelRtspClockRate"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> TrackFormat.fromHeaders(Map.of("CamelRtspCodec", "H264", "CamelRtspMediaType", "audio")))
                .getMessage().contains("video"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> TrackFormat.fromHeaders(Map.of("CamelRtspCodec", "PCMU", "CamelRtspChannels", "two")))
                .getMessage().contains("CamelRtspChannels"));
        assertThrows(IllegalArgumentException.class,
                () -> TrackFormat.fromHeaders(Map.of("CamelRtspCodec", "MPEG4-GENERIC",
                                                     "CamelRtspCodecConfig", bytes(0xFF))));
        PublishTrack track = new PublishTrack(TrackFormat.of(null, "H264", null, null, null), 96, 1400);
        assertThrows(IllegalArgumentException.class,
                () -> track.send(bytes(1, 2, 3), 0, true, false, 0, buf -> buf.release()));
        assertEquals(0, track.packetCount());
    }
}
