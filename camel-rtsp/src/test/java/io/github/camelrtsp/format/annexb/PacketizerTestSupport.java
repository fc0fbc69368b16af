package io.github.camelrtsp.format.annexb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.Packetizer;
import io.github.camelrtsp.rtp.RtpPacket;
import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.FfProbe.FfResult;
import io.github.camelrtsp.testsupport.GstRtpCapture;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Running packetizers, checking the packets' RTP headers, and handing the packets to GStreamer. Test helper. */
public final class PacketizerTestSupport {

    private PacketizerTestSupport() {
    }

    /** Collects packets as byte arrays, releasing each buffer; the packets of every frame in its own list. */
    public static final class Packets implements Packetizer.PacketSink {

        public final List<byte[]> all = new ArrayList<>();
        public final List<Integer> frameEnds = new ArrayList<>();

        @Override
        public void onPacket(ByteBuf rtpPacket) {
            try {
                all.add(ByteBufUtil.getBytes(rtpPacket));
            } finally {
                rtpPacket.release();
            }
        }

        /** Packetizes one frame and remembers where its packets end. */
        public List<byte[]> add(Packetizer p, MediaFrame frame) {
            int from = all.size();
            p.packetize(frame, this);
            frameEnds.add(all.size());
            return all.subList(from, all.size());
        }
    }

    /** A video frame with this timestamp and data (key frame flag and discontinuity are not read by packetizers). */
    public static MediaFrame frame(long timestamp, byte[] data) {
        return new MediaFrame(timestamp, data, false, false, 0);
    }

    /** The packets of all frames, checking that each one fits the MTU. */
    public static Packets packetizeAll(Packetizer p, List<MediaFrame> frames, int mtu) {
        Packets packets = new Packets();
        for (MediaFrame f : frames) {
            packets.add(p, f);
        }
        for (byte[] packet : packets.all) {
            assertTrue(packet.length <= mtu, "packet of " + packet.length + " bytes for MTU " + mtu);
        }
        return packets;
    }

    /**
     * Checks the RTP headers: payload type, SSRC, sequence numbers one after another from {@code firstSequence},
     * each frame's timestamp on all of its packets and the marker on exactly its last one.
     */
    public static void assertRtpHeaders(Packets packets, List<MediaFrame> frames, int payloadType, long ssrc,
                                        int firstSequence) {
        RtpPacket rtp = new RtpPacket();
        int seq = firstSequence;
        int frame = 0;
        for (int i = 0; i < packets.all.size(); i++) {
            while (packets.frameEnds.get(frame) <= i) {
                frame++;
            }
            rtp.wrap(Unpooled.wrappedBuffer(packets.all.get(i)));
            assertEquals(payloadType, rtp.payloadType(), "payload type of packet " + i);
            assertEquals(ssrc, rtp.ssrc(), "SSRC of packet " + i);
            assertEquals(seq, rtp.sequenceNumber(), "sequence number of packet " + i);
            assertEquals(frames.get(frame).rtpTimestamp(), rtp.timestamp(), "timestamp of packet " + i);
            assertEquals(packets.frameEnds.get(frame) == i + 1, rtp.marker(), "marker of packet " + i);
            seq = (seq + 1) & 0xFFFF;
        }
    }

    /** Writes packets with RFC 4571 framing: a 2-byte big-endian length before each packet. */
    public static Path writeRfc4571(Path file, List<byte[]> packets) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] p : packets) {
                out.write(p.length >> 8);
                out.write(p.length);
                out.writeBytes(p);
            }
            Files.write(file, out.toByteArray());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Has GStreamer read RFC 4571 framed packets and depayload them ({@code rtpstreamdepay ! rtph26Xdepay}) to an
     * Annex B byte stream, one buffer per access unit, written to {@code out}.
     *
     * @param encodingName {@code H264} or {@code H265}
     * @param fmtp         the packetizer's format parameters, put into the caps
     * @throws IllegalStateException if gst-launch fails or times out
     */
    public static Path gstDepayload(Path rtpFile, String encodingName, Map<String, String> fmtp, Path out) {
        try {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.deleteIfExists(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String caps = "application/x-rtp-stream,media=video,clock-rate=90000,encoding-name=" + encodingName
                      + fmtp.entrySet().stream().map(e -> "," + e.getKey() + "=(string)\"" + e.getValue() + "\"")
                              .collect(Collectors.joining());
        String depayloader = "H264".equals(encodingName) ? "rtph264depay" : "rtph265depay";
        String parsedCaps = ("H264".equals(encodingName) ? "video/x-h264" : "video/x-h265")
                            + ",stream-format=byte-stream,alignment=au";
        String[] command = {"gst-launch-1.0", "-q", "filesrc", "location=" + rtpFile.toAbsolutePath(), "!", caps,
            "!", "rtpstreamdepay", "!", depayloader, "!", parsedCaps, "!", "filesink",
            "location=" + out.toAbsolutePath()};
        FfResult result = FfProbe.run(GstRtpCapture.TIMEOUT, command);
        if (!result.succeeded() || !Files.isRegularFile(out)) {
            throw new IllegalStateException("gst-launch failed: " + String.join(" ", command) + "\n"
                                            + result.describe());
        }
        return out;
    }
}
