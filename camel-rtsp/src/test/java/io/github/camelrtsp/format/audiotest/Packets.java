package io.github.camelrtsp.format.audiotest;

import java.util.ArrayList;
import java.util.List;

import io.github.camelrtsp.format.Depacketizer;
import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.rtp.RtpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Builds RTP packets by hand and feeds them to a depacketizer, collecting the frames. Test helper. */
public final class Packets {

    private Packets() {
    }

    /** Parameters with an empty fmtp. */
    public static FormatParameters params(String codec, int pt, int clockRate, Integer channels, int maxFrameSize) {
        return new FormatParameters(codec, pt, clockRate, channels, java.util.Map.of(), maxFrameSize);
    }

    /** An RTP packet (12-byte header) with this payload, preceded by {@code lead} unrelated bytes in the buffer. */
    public static ByteBuf packet(int pt, int seq, long ts, byte[] payload, int lead) {
        ByteBuf buf = Unpooled.buffer(lead + 12 + payload.length);
        buf.writeZero(lead);
        buf.readerIndex(lead);
        RtpPacket.writeHeader(buf, false, pt, seq, ts, 0x1234L);
        buf.writeBytes(payload);
        return buf;
    }

    /** Bytes from ints (each taken modulo 256), for readable test data. */
    public static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** Bytes: {@code head} followed by {@code fill} bytes of value 0x5A. */
    public static byte[] withFill(byte[] head, int fill) {
        byte[] b = new byte[head.length + fill];
        System.arraycopy(head, 0, b, 0, head.length);
        java.util.Arrays.fill(b, head.length, b.length, (byte) 0x5A);
        return b;
    }

    /** Feeds one hand-built packet and returns what it produced. */
    public static List<MediaFrame> feed(Depacketizer d, int pt, int seq, long ts, byte[] payload, boolean lost) {
        List<MediaFrame> frames = new ArrayList<>();
        ByteBuf buf = packet(pt, seq, ts, payload, 3);
        d.onPacket(new RtpPacket().wrap(buf), lost, frames::add);
        return frames;
    }

    /** Feeds whole RTP packets (as captured) in order, none flagged lost, and returns the frames. */
    public static List<MediaFrame> feedAll(Depacketizer d, List<byte[]> rtpPackets) {
        List<MediaFrame> frames = new ArrayList<>();
        RtpPacket packet = new RtpPacket();
        for (byte[] raw : rtpPackets) {
            d.onPacket(packet.wrap(Unpooled.wrappedBuffer(raw)), false, frames::add);
        }
        return frames;
    }
}
