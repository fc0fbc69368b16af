package io.github.camelrtsp.rtp;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.netty.buffer.ByteBuf;

/**
 * Writes RTCP packets (RFC 3550 6.4-6.6) at the writer index of a buffer. Each packet is a whole number of 32-bit
 * words (SDES and BYE are filled with null octets), so several calls on one buffer build a compound packet, e.g.
 * {@link #writeReceiverReport} followed by {@link #writeSdesCname}.
 */
public final class RtcpWriter {

    private static final int MAX_TEXT_LENGTH = 255;

    private RtcpWriter() {
    }

    /**
     * Writes an RR packet.
     *
     * @param reporterSsrc the SSRC of the receiver sending the report
     * @param blocks       up to 31 report blocks; may be empty
     * @throws IllegalArgumentException if there are more than 31 blocks or the SSRC is not unsigned 32-bit
     */
    public static void writeReceiverReport(ByteBuf out, long reporterSsrc, List<ReportBlock> blocks) {
        ReportBlock.checkUnsigned32("reporterSsrc", reporterSsrc);
        checkCount("report blocks", blocks.size());
        int length = 8 + blocks.size() * RtcpPacket.REPORT_BLOCK_LENGTH;
        out.ensureWritable(length);
        writeHeader(out, blocks.size(), RtcpPacket.RR, length);
        out.writeInt((int) reporterSsrc);
        writeBlocks(out, blocks);
    }

    /** Writes an SR packet without report blocks. */
    public static void writeSenderReport(ByteBuf out, SenderReport sr) {
        writeSenderReport(out, sr, List.of());
    }

    /**
     * Writes an SR packet.
     *
     * @param blocks up to 31 report blocks about the sources the sender also receives; may be empty
     * @throws IllegalArgumentException if there are more than 31 blocks
     */
    public static void writeSenderReport(ByteBuf out, SenderReport sr, List<ReportBlock> blocks) {
        checkCount("report blocks", blocks.size());
        int length = 28 + blocks.size() * RtcpPacket.REPORT_BLOCK_LENGTH;
        out.ensureWritable(length);
        writeHeader(out, blocks.size(), RtcpPacket.SR, length);
        out.writeInt((int) sr.ssrc());
        out.writeLong(sr.ntpTimestamp());
        out.writeInt((int) sr.rtpTimestamp());
        out.writeInt((int) sr.packetCount());
        out.writeInt((int) sr.octetCount());
        writeBlocks(out, blocks);
    }

    /**
     * Writes an SDES packet with one chunk that holds a CNAME item.
     *
     * @throws IllegalArgumentException if the CNAME is empty or longer than 255 bytes in UTF-8, or the SSRC is not
     *                                  unsigned 32-bit
     */
    public static void writeSdesCname(ByteBuf out, long ssrc, String cname) {
        ReportBlock.checkUnsigned32("ssrc", ssrc);
        byte[] text = textBytes("CNAME", cname);
        if (text.length == 0) {
            throw new IllegalArgumentException("CNAME must not be empty");
        }
        // SSRC, item type, item length, text, then at least one null octet up to the next 32-bit boundary
        int chunk = 4 + align4(2 + text.length + 1);
        int length = RtcpPacket.HEADER_LENGTH + chunk;
        out.ensureWritable(length);
        writeHeader(out, 1, RtcpPacket.SDES, length);
        out.writeInt((int) ssrc);
        out.writeByte(RtcpPacket.SDES_CNAME);
        out.writeByte(text.length);
        out.writeBytes(text);
        out.writeZero(chunk - 4 - 2 - text.length);
    }

    /** Writes a BYE packet for one source, without reason. */
    public static void writeBye(ByteBuf out, long ssrc) {
        writeBye(out, ssrc, null);
    }

    /**
     * Writes a BYE packet for one source.
     *
     * @param reason the reason for leaving, at most 255 bytes in UTF-8, or null for none
     * @throws IllegalArgumentException if the reason is too long or the SSRC is not unsigned 32-bit
     */
    public static void writeBye(ByteBuf out, long ssrc, String reason) {
        ReportBlock.checkUnsigned32("ssrc", ssrc);
        byte[] text = reason == null ? null : textBytes("BYE reason", reason);
        int reasonBytes = text == null ? 0 : align4(1 + text.length);
        int length = 8 + reasonBytes;
        out.ensureWritable(length);
        writeHeader(out, 1, RtcpPacket.BYE, length);
        out.writeInt((int) ssrc);
        if (text != null) {
            out.writeByte(text.length);
            out.writeBytes(text);
            out.writeZero(reasonBytes - 1 - text.length);
        }
    }

    private static void writeHeader(ByteBuf out, int count, int type, int length) {
        out.writeByte((RtpPacket.VERSION << 6) | count);
        out.writeByte(type);
        out.writeShort(length / 4 - 1);
    }

    private static void writeBlocks(ByteBuf out, List<ReportBlock> blocks) {
        for (ReportBlock b : blocks) {
            out.writeInt((int) b.ssrc());
            out.writeInt((b.fractionLost() << 24) | (b.cumulativeLost() & 0xFFFFFF));
            out.writeInt((int) b.extendedHighestSeq());
            out.writeInt((int) b.jitter());
            out.writeInt((int) b.lastSr());
            out.writeInt((int) b.delaySinceLastSr());
        }
    }

    private static void checkCount(String what, int count) {
        if (count > RtcpPacket.MAX_COUNT) {
            throw new IllegalArgumentException(count + " " + what + " do not fit one RTCP packet (at most 31)");
        }
    }

    private static byte[] textBytes(String what, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException(what + " of " + bytes.length + " bytes is longer than 255 bytes");
        }
        return bytes;
    }

    private static int align4(int n) {
        return (n + 3) & ~3;
    }
}
