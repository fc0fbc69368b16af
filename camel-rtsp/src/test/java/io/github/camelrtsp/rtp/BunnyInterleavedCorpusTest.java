package io.github.camelrtsp.rtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.camelrtsp.testsupport.Corpus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every packet of {@code bunny-interleaved.rtsp}, the bytes of a real TCP-interleaved session (H.264 video and AAC
 * audio, described by {@code responses/bunny_describe.txt}).
 */
class BunnyInterleavedCorpusTest {

    /** One {@code $}-framed packet of the capture. */
    record Frame(int channel, ByteBuf packet) {
    }

    /** One media section of the DESCRIBE answer: payload type, encoding, clock rate. */
    record Track(int payloadType, String encoding, int clockRate) {
    }

    private static List<Frame> frames;
    private static List<Track> tracks;

    @BeforeAll
    static void readCorpus() throws IOException {
        byte[] bytes = Files.readAllBytes(Corpus.file("bunny-interleaved.rtsp"));
        frames = new ArrayList<>();
        int pos = 0;
        while (pos < bytes.length) {
            if (bytes[pos] != '$') {
                fail("no '$' at offset " + pos);
            }
            if (pos + 4 > bytes.length) {
                fail("truncated frame header at offset " + pos);
            }
            int channel = bytes[pos + 1] & 0xFF;
            int length = ((bytes[pos + 2] & 0xFF) << 8) | (bytes[pos + 3] & 0xFF);
            if (pos + 4 + length > bytes.length) {
                fail("frame at offset " + pos + " of " + length + " bytes runs past the end");
            }
            frames.add(new Frame(channel, Unpooled.wrappedBuffer(bytes, pos + 4, length)));
            pos += 4 + length;
        }
        assertEquals(bytes.length, pos);

        // media sections in order: SETUP gave interleaved channels 2n (RTP) and 2n+1 (RTCP) to the n-th one
        String sdp = Files.readString(Corpus.file("responses/bunny_describe.txt"), StandardCharsets.UTF_8);
        tracks = new ArrayList<>();
        Matcher rtpmap = Pattern.compile("a=rtpmap:(\\d+) ([^/\\s]+)/(\\d+)").matcher(sdp);
        while (rtpmap.find()) {
            tracks.add(new Track(Integer.parseInt(rtpmap.group(1)), rtpmap.group(2).toUpperCase(),
                                 Integer.parseInt(rtpmap.group(3))));
        }
        assertEquals(List.of(new Track(96, "MPEG4-GENERIC", 12000), new Track(97, "H264", 90000)), tracks);
    }

    private static Track trackOf(Frame frame) {
        return tracks.get(frame.channel() / 2);
    }

    @Test
    void everyRtpPacketParsesWithThePayloadTypeOfItsTrack() {
        RtpPacket packet = new RtpPacket();
        Map<Integer, Long> ssrcByChannel = new HashMap<>();
        int video = 0;
        int audio = 0;
        for (Frame frame : frames) {
            if (frame.channel() % 2 != 0) {
                continue;
            }
            packet.wrap(frame.packet());
            Track track = trackOf(frame);
            assertEquals(2, packet.version());
            assertEquals(track.payloadType(), packet.payloadType(), "payload type on channel " + frame.channel());
            Long ssrc = ssrcByChannel.putIfAbsent(frame.channel(), packet.ssrc());
            if (ssrc != null) {
                assertEquals(ssrc, packet.ssrc(), "one SSRC per channel");
            }
            assertEquals(frame.packet().readableBytes(), packet.payloadOffset() + packet.payloadLength());
            ByteBuf payload = packet.payload();
            if (track.encoding().equals("H264")) {
                video++;
                int nalHeader = payload.getUnsignedByte(0);
                int nalType = nalHeader & 0x1F;
                assertEquals(0, nalHeader & 0x80, "forbidden bit");
                assertTrue(nalType >= 1 && nalType <= 23 || nalType == 24 || nalType == 28,
                           "H.264 NAL unit type " + nalType + " in packet " + packet);
            } else {
                audio++;
                // RFC 3640 AAC-hbr: AU-headers-length in bits, one 16-bit AU header per access unit
                int auHeadersBits = payload.getUnsignedShort(0);
                assertTrue(auHeadersBits > 0 && auHeadersBits % 16 == 0, "AU-headers-length " + auHeadersBits);
                int headers = auHeadersBits / 16;
                int auBytes = 0;
                for (int i = 0; i < headers; i++) {
                    auBytes += payload.getUnsignedShort(2 + 2 * i) >>> 3; // 13-bit size, 3-bit index
                }
                assertEquals(payload.readableBytes() - 2 - 2 * headers, auBytes, "AU sizes of " + packet);
            }
        }
        assertEquals(269, video);
        assertEquals(102, audio);
        assertEquals(0x1C7308A2L, ssrcByChannel.get(2));
    }

    @Test
    void sequenceNumbersAreContinuousSoNothingIsLost() {
        Map<Integer, RtpReceiverStatistics> stats = new HashMap<>();
        Map<Integer, Integer> counts = new HashMap<>();
        Map<Integer, Long> bytes = new HashMap<>();
        RtpPacket packet = new RtpPacket();
        for (Frame frame : frames) {
            if (frame.channel() % 2 != 0) {
                continue;
            }
            packet.wrap(frame.packet());
            int clockRate = trackOf(frame).clockRate();
            RtpReceiverStatistics s = stats.computeIfAbsent(frame.channel(),
                                                            c -> new RtpReceiverStatistics(clockRate, true));
            // paced as the timestamps say: the stream itself has no jitter
            long arrivalNanos = packet.timestamp() * 1_000_000_000L / clockRate;
            assertTrue(s.onPacket(packet.sequenceNumber(), packet.timestamp(), packet.ssrc(), arrivalNanos,
                                  packet.payloadLength()), "accepted: " + packet);
            counts.merge(frame.channel(), 1, Integer::sum);
            bytes.merge(frame.channel(), (long) packet.payloadLength(), Long::sum);
        }
        assertEquals(2, stats.size());
        for (Map.Entry<Integer, RtpReceiverStatistics> e : stats.entrySet()) {
            RtpReceiverStatistics s = e.getValue();
            int n = counts.get(e.getKey());
            assertEquals(n, s.packetsReceived());
            assertEquals(0, s.packetsLost(), "channel " + e.getKey());
            assertEquals(0, s.packetsDuplicated() + s.packetsReordered() + s.packetsDiscarded());
            assertEquals(0, s.ssrcChanges() + s.sequenceRestarts());
            // the PLAY answer says seq=1 for both tracks
            assertEquals(n, s.extendedHighestSequence());
            assertEquals(bytes.get(e.getKey()), s.bytesReceived());
            assertEquals(0, s.jitter(), "channel " + e.getKey());
            ReportBlock block = s.reportBlock(0);
            assertEquals(0, block.fractionLost());
            assertEquals(0, block.cumulativeLost());
        }
    }

    @Test
    void withProbationOnlyTheFirstPacketOfEachSourceIsHeldBack() {
        Map<Integer, RtpReceiverStatistics> stats = new HashMap<>();
        RtpPacket packet = new RtpPacket();
        int rtp = 0;
        for (Frame frame : frames) {
            if (frame.channel() % 2 == 0) {
                rtp++;
                packet.wrap(frame.packet());
                stats.computeIfAbsent(frame.channel(), c -> new RtpReceiverStatistics(trackOf(frame).clockRate()))
                     .onPacket(packet.sequenceNumber(), packet.timestamp(), packet.ssrc(), 0);
            }
        }
        long received = 0;
        for (RtpReceiverStatistics s : stats.values()) {
            assertEquals(1, s.packetsDiscarded());
            assertEquals(0, s.packetsLost());
            received += s.packetsReceived();
        }
        assertEquals(rtp - 2, received);
    }

    @Test
    void everyRtcpPacketParses() {
        // RTCP frames, where the capture has any, must parse and their sender reports carry a plausible clock
        List<SenderReport> senderReports = new ArrayList<>();
        int rtcpFrames = 0;
        for (Frame frame : frames) {
            assertTrue(frame.channel() < 2 * tracks.size(), "channel " + frame.channel() + " was not set up");
            if (frame.channel() % 2 == 1) {
                rtcpFrames++;
                RtcpParser.parse(frame.packet(), new RtcpListener() {
                    @Override
                    public void onSenderReport(SenderReport sr) {
                        senderReports.add(sr);
                    }
                });
            }
        }
        for (SenderReport sr : senderReports) {
            Instant when = sr.ntpInstant();
            assertTrue(when.isAfter(Instant.parse("2000-01-01T00:00:00Z"))
                       && when.isBefore(Instant.parse("2036-02-07T00:00:00Z")), "NTP time " + when);
        }
        assertEquals(rtcpFrames > 0, !senderReports.isEmpty(), "a server that sends RTCP sends sender reports");
    }
}
