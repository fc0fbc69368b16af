package io.github.camelrtsp.format.aac;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

import io.github.camelrtsp.format.Depacketizer;
import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.rtp.RtpPacket;
import io.github.camelrtsp.testsupport.FfProbe;
import io.github.camelrtsp.testsupport.FfProbe.DecodeResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shared helpers for the AAC depacketizer tests: packet building, ADTS inspection. */
final class AacTestSupport {

    static final long SSRC = 0x1234_5678L;

    private AacTestSupport() {
    }

    /** Parameters built by hand. */
    static FormatParameters params(String codec, int clockRate, Map<String, String> fmtp, int maxFrameSize) {
        return new FormatParameters(codec, 96, clockRate, null, fmtp, maxFrameSize);
    }

    /** A whole RTP packet (12-byte header, then {@code payload}). */
    static ByteBuf packet(boolean marker, int seq, long ts, byte[] payload) {
        ByteBuf buf = Unpooled.buffer(12 + payload.length);
        RtpPacket.writeHeader(buf, marker, 96, seq, ts, SSRC);
        buf.writeBytes(payload);
        return buf;
    }

    /** Feeds one packet and returns the frames it completed. */
    static List<MediaFrame> feed(Depacketizer d, ByteBuf packet, boolean lost) {
        List<MediaFrame> frames = new ArrayList<>();
        d.onPacket(new RtpPacket().wrap(packet), lost, frames::add);
        return frames;
    }

    /**
     * Feeds {@code packets} in order, leaving out those {@code drop} selects and flagging the packet after a gap as
     * {@code lost}, as the receiver in front of a depacketizer does.
     */
    static List<MediaFrame> feedAll(Depacketizer d, List<byte[]> packets, IntPredicate drop) {
        List<MediaFrame> frames = new ArrayList<>();
        RtpPacket packet = new RtpPacket();
        boolean lost = false;
        for (int i = 0; i < packets.size(); i++) {
            if (drop.test(i)) {
                lost = true;
                continue;
            }
            d.onPacket(packet.wrap(Unpooled.wrappedBuffer(packets.get(i))), lost, frames::add);
            lost = false;
        }
        return frames;
    }

    /** Writes the frames' bodies one after the other and decodes the file as ADTS with ffprobe. */
    static DecodeResult writeAndDecode(List<MediaFrame> frames, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            for (MediaFrame f : frames) {
                out.write(f.data());
            }
        }
        return FfProbe.decode(file, "aac", "a:0");
    }

    /** Where the tests write their ADTS files (module target directory). */
    static Path output(String name) {
        return Path.of("target", "aac-depacketizer", name).toAbsolutePath();
    }

    /** Bytes 0, 1, 2, ... (mod 251) offset by {@code seed}, {@code length} of them. */
    static byte[] pattern(int seed, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) ((seed + i) % 251);
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** The fields of an ADTS header. */
    record Adts(int id, boolean protectionAbsent, int profile, int frequencyIndex, int channelConfiguration,
                int frameLength, int bufferFullness, int rawBlocks) {

        static Adts of(byte[] frame) {
            assertEquals(0xFF, frame[0] & 0xFF, "sync");
            assertEquals(0xF0, frame[1] & 0xF6, "sync and layer");
            long h = 0;
            for (int i = 0; i < 7; i++) {
                h = (h << 8) | (frame[i] & 0xFF);
            }
            return new Adts((int) (h >>> 43) & 1, ((h >>> 40) & 1) == 1, (int) (h >>> 38) & 3,
                            (int) (h >>> 34) & 0xF, (int) (h >>> 30) & 7, (int) (h >>> 13) & 0x1FFF,
                            (int) (h >>> 2) & 0x7FF, (int) h & 3);
        }
    }

    /** The bytes of a frame after its 7-byte ADTS header. */
    static byte[] body(MediaFrame frame) {
        byte[] data = frame.data();
        byte[] body = new byte[data.length - 7];
        System.arraycopy(data, 7, body, 0, body.length);
        return body;
    }

    /** Writes bit fields MSB first, for building configs and payloads by hand. */
    static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int current;
        private int count;

        Bits put(long value, int bits) {
            for (int i = bits - 1; i >= 0; i--) {
                current = (current << 1) | (int) ((value >>> i) & 1);
                if (++count == 8) {
                    out.write(current);
                    current = 0;
                    count = 0;
                }
            }
            return this;
        }

        Bits bytes(byte[] data) {
            for (byte b : data) {
                put(b & 0xFF, 8);
            }
            return this;
        }

        /** Pads with zero bits to a byte boundary. */
        Bits align() {
            while (count != 0) {
                put(0, 1);
            }
            return this;
        }

        int bitLength() {
            return out.size() * 8 + count;
        }

        byte[] toBytes() {
            align();
            return out.toByteArray();
        }
    }
}
