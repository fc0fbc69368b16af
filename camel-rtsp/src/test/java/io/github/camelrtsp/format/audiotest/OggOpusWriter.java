package io.github.camelrtsp.format.audiotest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.github.camelrtsp.format.MediaFrame;

/**
 * Writes Opus packets into a minimal Ogg Opus file (RFC 7845 over RFC 3533): identification header page, comment
 * header page, then one page per audio packet whose granule position is the running 48 kHz sample total. With
 * pre-skip 0 and the last granule equal to the sum of the packets' durations, a decoder neither trims the start
 * nor the end, so the decoded length equals the sum. Test helper.
 */
public final class OggOpusWriter {

    private static final int[] CRC_TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int r = i << 24;
            for (int bit = 0; bit < 8; bit++) {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            }
            CRC_TABLE[i] = r;
        }
    }

    private OggOpusWriter() {
    }

    /**
     * Writes the file.
     *
     * @param opusHead the 19-byte identification header (the depacketizer's codec config)
     * @param frames   Opus packets with their durations ({@code sampleCount}, 48 kHz)
     */
    public static Path write(Path out, byte[] opusHead, List<MediaFrame> frames) {
        int serial = 0x0CA4E1;
        try (OutputStream os = Files.newOutputStream(out)) {
            int seq = 0;
            page(os, 0x02, 0, serial, seq++, opusHead);
            page(os, 0x00, 0, serial, seq++, opusTags());
            long granule = 0;
            for (int i = 0; i < frames.size(); i++) {
                MediaFrame f = frames.get(i);
                granule += f.sampleCount();
                page(os, i == frames.size() - 1 ? 0x04 : 0x00, granule, serial, seq++, f.data());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static byte[] opusTags() {
        byte[] vendor = "camel-rtsp test".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("OpusTags".getBytes(StandardCharsets.US_ASCII));
        writeLe32(b, vendor.length);
        b.writeBytes(vendor);
        writeLe32(b, 0);
        return b.toByteArray();
    }

    /** One page holding one whole packet (shorter than 255 * 255 bytes). */
    private static void page(OutputStream os, int flags, long granule, int serial, int seq, byte[] packet)
            throws IOException {
        int segments = packet.length / 255 + 1;
        if (segments > 255) {
            throw new IllegalArgumentException("packet of " + packet.length + " bytes needs more than one page");
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream(27 + segments + packet.length);
        b.writeBytes("OggS".getBytes(StandardCharsets.US_ASCII));
        b.write(0);
        b.write(flags);
        for (int i = 0; i < 8; i++) {
            b.write((int) (granule >>> (8 * i)));
        }
        writeLe32(b, serial);
        writeLe32(b, seq);
        writeLe32(b, 0);
        b.write(segments);
        for (int i = 0; i < segments - 1; i++) {
            b.write(255);
        }
        b.write(packet.length % 255);
        b.writeBytes(packet);
        byte[] bytes = b.toByteArray();
        int crc = 0;
        for (byte value : bytes) {
            crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ value) & 0xFF];
        }
        bytes[22] = (byte) crc;
        bytes[23] = (byte) (crc >>> 8);
        bytes[24] = (byte) (crc >>> 16);
        bytes[25] = (byte) (crc >>> 24);
        os.write(bytes);
    }

    private static void writeLe32(ByteArrayOutputStream b, int v) {
        b.write(v);
        b.write(v >>> 8);
        b.write(v >>> 16);
        b.write(v >>> 24);
    }
}
