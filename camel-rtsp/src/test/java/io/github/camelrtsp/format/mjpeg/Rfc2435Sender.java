package io.github.camelrtsp.format.mjpeg;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import io.github.camelrtsp.rtp.RtpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A test sender that cuts a JPEG scan into RTP packets the way RFC 2435 section 3 describes: main JPEG header in
 * every packet, restart marker header in every packet for types 64..127, quantization table header in the first
 * packet when Q is 128..255. Fields are set directly by the test; every call to {@link #frame} advances the sequence
 * number.
 */
final class Rfc2435Sender {

    static final int PT = 26;
    static final long SSRC = 0x1234ABCDL;

    int typeSpecific;
    int type = 1;
    int q = 50;
    int widthUnits;
    int heightUnits;
    int restartInterval;
    /** Tables sent in the first packet when q >= 128 (128 values, zig-zag); null sends Length 0. */
    int[] tables;
    /** Precision bits of the quantization table header (bit 0 table 0, bit 1 table 1 are 16-bit). */
    int precision;
    /** Scan bytes per packet. */
    int chunk = 400;
    int seq = 65530;

    /** Sender for an image of this size (multiples of 8 up to 2040) and type. */
    Rfc2435Sender(int width, int height, int type, int q) {
        this.widthUnits = width / 8;
        this.heightUnits = height / 8;
        this.type = type;
        this.q = q;
    }

    /** The packets of one frame carrying {@code scan}, the last with the marker bit. */
    List<ByteBuf> frame(long timestamp, byte[] scan) {
        List<ByteBuf> packets = new ArrayList<>();
        int offset = 0;
        do {
            int n = Math.min(chunk, scan.length - offset);
            boolean last = offset + n >= scan.length;
            byte[] payload = payload(offset, scan, offset, n);
            packets.add(packet(last, seq++, timestamp, payload));
            offset += n;
        } while (offset < scan.length);
        return packets;
    }

    /** The RFC 2435 payload of the packet at fragment offset {@code offset} carrying {@code scan[from..from+n)}. */
    byte[] payload(int offset, byte[] scan, int from, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(typeSpecific);
        out.write(offset >>> 16);
        out.write(offset >>> 8);
        out.write(offset);
        out.write(type);
        out.write(q);
        out.write(widthUnits);
        out.write(heightUnits);
        if (type >= 64 && type < 128) {
            out.write(restartInterval >>> 8);
            out.write(restartInterval);
            out.write(0xFF);
            out.write(0xFF);
        }
        if (offset == 0 && q >= 128) {
            byte[] data = tableData();
            out.write(0);
            out.write(precision);
            out.write(data.length >>> 8);
            out.write(data.length);
            out.writeBytes(data);
        }
        out.write(scan, from, n);
        return out.toByteArray();
    }

    private byte[] tableData() {
        if (tables == null) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int t = 0; t < 2; t++) {
            boolean wide = (precision & (1 << t)) != 0;
            for (int k = 0; k < 64; k++) {
                int v = tables[t * 64 + k];
                if (wide) {
                    out.write(v >>> 8);
                }
                out.write(v);
            }
        }
        return out.toByteArray();
    }

    /** An RTP packet (fixed header, no extension) around {@code payload}. */
    static ByteBuf packet(boolean marker, int seq, long timestamp, byte[] payload) {
        ByteBuf buf = Unpooled.buffer(RtpPacket.FIXED_HEADER_LENGTH + payload.length);
        RtpPacket.writeHeader(buf, marker, PT, seq, timestamp, SSRC);
        buf.writeBytes(payload);
        return buf;
    }
}
