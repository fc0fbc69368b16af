package io.github.camelrtsp.format.annexb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.camelrtsp.format.Depacketizer;
import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.FrameSink;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.rtp.RtpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Building RTP packets by hand, feeding them to a depacketizer, and reading Annex B frames back. Test helper. */
public final class NalTestSupport {

    private NalTestSupport() {
    }

    /** Collects emitted frames. */
    public static final class Frames implements FrameSink {

        public final List<MediaFrame> list = new ArrayList<>();

        @Override
        public void onFrame(MediaFrame frame) {
            list.add(frame);
        }

        public MediaFrame get(int i) {
            return list.get(i);
        }

        public int size() {
            return list.size();
        }

        public MediaFrame last() {
            return list.get(list.size() - 1);
        }
    }

    /** Bytes from ints (each taken modulo 256). */
    public static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    /** The parts one after another. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A NAL unit of {@code length} bytes: {@code header} then bytes 0x11, 0x12, ... (never a zero byte). */
    public static byte[] nal(byte[] header, int length) {
        byte[] out = new byte[length];
        System.arraycopy(header, 0, out, 0, Math.min(header.length, length));
        for (int i = header.length; i < length; i++) {
            out[i] = (byte) (0x11 + i % 200);
        }
        return out;
    }

    /** The NAL units behind {@code 00 00 00 01} start codes, as the depacketizers write them. */
    public static byte[] annexB(byte[]... nals) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] n : nals) {
            out.writeBytes(new byte[] {0, 0, 0, 1});
            out.writeBytes(n);
        }
        return out.toByteArray();
    }

    /**
     * Splits an Annex B frame written by the depacketizers into its NAL units.
     *
     * @throws AssertionError if the frame does not start with {@code 00 00 00 01}
     */
    public static List<byte[]> nalUnits(byte[] frame) {
        if (frame.length < 4 || frame[0] != 0 || frame[1] != 0 || frame[2] != 0 || frame[3] != 1) {
            throw new AssertionError("frame does not start with 00 00 00 01");
        }
        List<byte[]> out = new ArrayList<>();
        int from = 4;
        for (int i = 4; i + 3 < frame.length; i++) {
            if (frame[i] == 0 && frame[i + 1] == 0 && frame[i + 2] == 0 && frame[i + 3] == 1) {
                out.add(java.util.Arrays.copyOfRange(frame, from, i));
                from = i + 4;
                i += 3;
            }
        }
        out.add(java.util.Arrays.copyOfRange(frame, from, frame.length));
        return out;
    }

    /** An RTP packet (payload type 96, SSRC 1) wrapped over a fresh buffer. */
    public static RtpPacket packet(int seq, long ts, boolean marker, byte[] payload) {
        ByteBuf buf = Unpooled.buffer(12 + payload.length);
        RtpPacket.writeHeader(buf, marker, 96, seq, ts, 1);
        buf.writeBytes(payload);
        return new RtpPacket().wrap(buf);
    }

    /** Track parameters for tests. */
    public static FormatParameters parameters(String codec, int maxFrameSize, Map<String, String> fmtp) {
        return new FormatParameters(codec, 96, 90000, null, fmtp, maxFrameSize);
    }

    /**
     * Feeds whole RTP packets (as bytes) in order, reporting loss where the sequence number jumps, as the reorder
     * buffer in front of a depacketizer does.
     *
     * @param skip indexes in {@code packets} not to feed (simulated loss)
     * @param from index of the first packet to feed (joining a stream in the middle)
     */
    public static List<MediaFrame> feed(Depacketizer depacketizer, List<byte[]> packets, int from, Set<Integer> skip) {
        Frames frames = new Frames();
        RtpPacket packet = new RtpPacket();
        int expected = -1;
        for (int i = from; i < packets.size(); i++) {
            if (skip.contains(i)) {
                continue;
            }
            packet.wrap(Unpooled.wrappedBuffer(packets.get(i)));
            boolean lost = expected >= 0 && packet.sequenceNumber() != expected;
            expected = (packet.sequenceNumber() + 1) & 0xFFFF;
            depacketizer.onPacket(packet, lost, frames);
        }
        return frames.list;
    }

    /**
     * Indexes of the packets that start a new RTP timestamp, i.e. the first packet of each access unit of a
     * well-behaved sender.
     */
    public static List<Integer> accessUnitStarts(List<byte[]> packets) {
        List<Integer> starts = new ArrayList<>();
        long last = -1;
        for (int i = 0; i < packets.size(); i++) {
            byte[] p = packets.get(i);
            long ts = (p[4] & 0xFFL) << 24 | (p[5] & 0xFF) << 16 | (p[6] & 0xFF) << 8 | p[7] & 0xFF;
            if (ts != last) {
                starts.add(i);
                last = ts;
            }
        }
        return starts;
    }

    /** The RTP payload of a packet given as bytes (no CSRC, extension or padding expected). */
    public static byte[] payloadOf(byte[] packet) {
        RtpPacket p = new RtpPacket().wrap(Unpooled.wrappedBuffer(packet));
        return p.copyPayload();
    }

    /** Writes the frames' bodies one after another, as piping the exchanges into a file would. */
    public static Path writeFrames(Path file, List<MediaFrame> frames) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (MediaFrame f : frames) {
                out.writeBytes(f.data());
            }
            Files.write(file, out.toByteArray());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
