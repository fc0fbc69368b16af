package io.github.camelrtsp.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.camelrtsp.rtp.RtpPacket;
import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.FfProbe.FfResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Test helper for the packetizers: collects their packets (checking ownership and the MTU), feeds packets to a
 * depacketizer, writes RFC 4571 files and lets GStreamer depayload and decode them as a real peer would.
 */
public final class PacketizerHarness {

    /** Longest a GStreamer pipeline may run. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private PacketizerHarness() {
    }

    /** A fresh directory {@code target/packetizers/<name>} under the module. */
    public static Path workDir(String name) {
        Path dir = Path.of("target", "packetizers", name).toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /**
     * Packetizes the frames in order and returns the packets as arrays. Checks that every buffer is handed over with
     * one reference, holds a valid RTP packet no larger than {@code mtu} with the right payload type and SSRC, and that
     * sequence numbers follow each other; releases the buffers.
     */
    public static List<byte[]> packetize(Packetizer packetizer, PacketizerParameters params, List<MediaFrame> frames) {
        List<byte[]> packets = new ArrayList<>();
        RtpPacket rtp = new RtpPacket();
        for (MediaFrame frame : frames) {
            packetizer.packetize(frame, buf -> {
                try {
                    assertEquals(1, buf.refCnt(), "the sink owns a buffer with one reference");
                    assertTrue(buf.readableBytes() <= params.mtu(), buf.readableBytes() + " > MTU " + params.mtu());
                    rtp.wrap(buf);
                    assertEquals(params.payloadType(), rtp.payloadType());
                    assertEquals(params.ssrc(), rtp.ssrc());
                    int expected = (params.firstSequence() + packets.size()) & 0xFFFF;
                    assertEquals(expected, rtp.sequenceNumber(), "sequence number");
                    byte[] bytes = new byte[buf.readableBytes()];
                    buf.getBytes(buf.readerIndex(), bytes);
                    packets.add(bytes);
                } finally {
                    buf.release();
                }
            });
        }
        assertEquals((params.firstSequence() + packets.size()) & 0xFFFF, packetizer.nextSequenceNumber());
        return packets;
    }

    /** Feeds the packets in order, none lost, and returns the frames. */
    public static List<MediaFrame> depacketize(Depacketizer depacketizer, List<byte[]> packets) {
        List<MediaFrame> frames = new ArrayList<>();
        RtpPacket rtp = new RtpPacket();
        for (byte[] p : packets) {
            depacketizer.onPacket(rtp.wrap(Unpooled.wrappedBuffer(p)), false, frames::add);
        }
        assertEquals(0, depacketizer.packetsSkipped(), "packets skipped");
        assertEquals(0, depacketizer.framesDropped(), "frames dropped");
        return frames;
    }

    /** Asserts the frames carry the same bytes and timestamps. */
    public static void assertSameFrames(List<MediaFrame> expected, List<MediaFrame> actual) {
        assertEquals(expected.size(), actual.size(), "frame count");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).rtpTimestamp(), actual.get(i).rtpTimestamp(), "timestamp of frame " + i);
            assertTrue(Arrays.equals(expected.get(i).data(), actual.get(i).data()), "bytes of frame " + i);
        }
    }

    /** The RTP header fields of a packet array: marker bit. */
    public static boolean marker(byte[] packet) {
        return (packet[1] & 0x80) != 0;
    }

    /** The RTP timestamp of a packet array. */
    public static long timestamp(byte[] packet) {
        return ((packet[4] & 0xFFL) << 24) | ((packet[5] & 0xFF) << 16) | ((packet[6] & 0xFF) << 8)
               | (packet[7] & 0xFF);
    }

    /** The payload of a packet array (12-byte header, no CSRC, no extension, no padding). */
    public static byte[] payload(byte[] packet) {
        return Arrays.copyOfRange(packet, RtpPacket.FIXED_HEADER_LENGTH, packet.length);
    }

    /** Writes the packets with RFC 4571 framing (2-byte big-endian length, then the packet). */
    public static Path writeRfc4571(List<byte[]> packets, Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            for (byte[] p : packets) {
                out.write(p.length >>> 8);
                out.write(p.length & 0xFF);
                out.write(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Bytes of a file. */
    public static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Lets GStreamer read an RFC 4571 file: {@code filesrc ! <caps> ! rtpstreamdepay ! <chain> ! filesink}. Fails
     * unless gst-launch succeeds without any ERROR or WARNING line and writes output.
     *
     * @param caps  {@code application/x-rtp-stream,...} caps without spaces
     * @param chain the depayloader and decoder elements, separated by {@code !}
     * @return the file written
     */
    public static Path gstreamerDecode(Path rtpFile, String caps, String chain, Path out) {
        List<String> command = new ArrayList<>(List.of("gst-launch-1.0", "filesrc", "location=" + rtpFile, "!", caps,
                                                       "!", "rtpstreamdepay", "!"));
        command.addAll(Arrays.asList(chain.trim().split("\\s+")));
        command.addAll(List.of("!", "filesink", "location=" + out));
        FfResult result = FfProbe.run(TIMEOUT, command.toArray(String[]::new));
        String all = result.stdout() + "\n" + result.stderr();
        assertTrue(result.succeeded(), String.join(" ", command) + "\n" + result.describe());
        assertTrue(!all.contains("ERROR") && !all.contains("WARNING"), String.join(" ", command) + "\n" + all);
        assertTrue(Files.isRegularFile(out), "no output from " + String.join(" ", command));
        return out;
    }

    /** Runs a GStreamer pipeline ending in {@code filesink location=<out>} (to make test input) and returns out. */
    public static Path gstreamerMake(String pipeline, Path out) {
        List<String> command = new ArrayList<>(List.of("gst-launch-1.0", "-q"));
        command.addAll(Arrays.asList(pipeline.trim().split("\\s+")));
        command.addAll(List.of("!", "filesink", "location=" + out));
        FfResult result = FfProbe.run(TIMEOUT, command.toArray(String[]::new));
        assertTrue(result.succeeded(), String.join(" ", command) + "\n" + result.describe());
        return out;
    }

    /** A frame of audio. */
    public static MediaFrame audio(long timestamp, byte[] data) {
        return new MediaFrame(timestamp, data, true, false, 0);
    }

    /** Splits {@code data} into frames of {@code frameBytes} bytes, timestamps advancing by bytes / bytesPerTick. */
    public static List<MediaFrame> frames(byte[] data, int frameBytes, int bytesPerTick, long firstTimestamp) {
        List<MediaFrame> frames = new ArrayList<>();
        for (int off = 0; off + frameBytes <= data.length; off += frameBytes) {
            frames.add(audio((firstTimestamp + off / bytesPerTick) & 0xFFFFFFFFL,
                             Arrays.copyOfRange(data, off, off + frameBytes)));
        }
        return frames;
    }

    /** A packet buffer check helper for tests that call the packetizer directly: releases and returns the bytes. */
    public static byte[] take(ByteBuf buf) {
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }
}
