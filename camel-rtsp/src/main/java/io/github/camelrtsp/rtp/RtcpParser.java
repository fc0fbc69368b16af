package io.github.camelrtsp.rtp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;

/**
 * Reads compound RTCP packets (RFC 3550 6.1, 6.4-6.7): SR, RR, SDES, BYE and APP; other packet types are skipped
 * after their length is checked, and reported to {@link RtcpListener#onUnknownPacket(int, ByteBuf)}.
 *
 * <p>Every length is checked against the data before anything is read. The rule that a compound packet starts with
 * SR or RR is not enforced, so that single packets as allowed by RFC 5506 (reduced-size RTCP) are read as well; a
 * padding bit is accepted on any packet as long as its count fits in that packet.
 */
public final class RtcpParser {

    private static final Logger LOG = LoggerFactory.getLogger(RtcpParser.class);

    private static final int SR_SENDER_INFO_END = 28;
    private static final int RR_BLOCKS_START = 8;

    private RtcpParser() {
    }

    /**
     * Parses the compound packet between the reader and writer index of {@code compound} (no index is moved) and
     * calls {@code listener} for each packet in order. If a packet is malformed, the listener has already been called
     * for the packets before it.
     *
     * @return the number of RTCP packets read
     * @throws RtcpFormatException if the data is empty, a packet is not version 2, a length or count runs past the
     *                             end of its packet or of the data, or padding is inconsistent
     */
    public static int parse(ByteBuf compound, RtcpListener listener) {
        Objects.requireNonNull(listener, "listener");
        int pos = compound.readerIndex();
        int end = compound.writerIndex();
        if (pos == end) {
            throw new RtcpFormatException("empty RTCP packet");
        }
        int packets = 0;
        while (pos < end) {
            if (end - pos < RtcpPacket.HEADER_LENGTH) {
                throw new RtcpFormatException("RTCP packet " + (packets + 1) + " has only " + (end - pos)
                                              + " bytes, less than a 4-byte header");
            }
            int b0 = compound.getUnsignedByte(pos);
            int version = b0 >>> 6;
            if (version != RtpPacket.VERSION) {
                throw new RtcpFormatException("RTCP packet " + (packets + 1) + " has version " + version
                                              + ", not 2");
            }
            int type = compound.getUnsignedByte(pos + 1);
            int length = (compound.getUnsignedShort(pos + 2) + 1) * 4;
            if (length > end - pos) {
                throw new RtcpFormatException("RTCP " + RtcpPacket.typeName(type) + " packet declares " + length
                                              + " bytes but only " + (end - pos) + " remain");
            }
            int contentEnd = pos + length;
            if ((b0 & 0x20) != 0) {
                int padding = compound.getUnsignedByte(contentEnd - 1);
                if (padding == 0 || padding > length - RtcpPacket.HEADER_LENGTH) {
                    throw new RtcpFormatException("RTCP " + RtcpPacket.typeName(type) + " packet of " + length
                                                  + " bytes has a padding count of " + padding);
                }
                contentEnd -= padding;
            }
            int count = b0 & 0x1F;
            switch (type) {
                case RtcpPacket.SR:
                    readSenderReport(compound, pos, contentEnd, count, listener);
                    break;
                case RtcpPacket.RR:
                    readReceiverReport(compound, pos, contentEnd, count, listener);
                    break;
                case RtcpPacket.SDES:
                    readSourceDescription(compound, pos, contentEnd, count, listener);
                    break;
                case RtcpPacket.BYE:
                    readBye(compound, pos, contentEnd, count, listener);
                    break;
                case RtcpPacket.APP:
                    readApp(compound, pos, contentEnd, count, listener);
                    break;
                default:
                    if (LOG.isDebugEnabled()) {
                        LOG.debug("Skipping RTCP packet of unknown type {} ({} bytes)", type, length);
                    }
                    listener.onUnknownPacket(type, compound.slice(pos, length));
                    break;
            }
            pos += length;
            packets++;
        }
        return packets;
    }

    private static void readSenderReport(ByteBuf buf, int start, int end, int count, RtcpListener listener) {
        int needed = SR_SENDER_INFO_END + count * RtcpPacket.REPORT_BLOCK_LENGTH;
        if (needed > end - start) {
            throw new RtcpFormatException("RTCP SR with " + count + " report blocks needs " + needed
                                          + " bytes but has " + (end - start));
        }
        long ssrc = buf.getUnsignedInt(start + 4);
        SenderReport sr = new SenderReport(ssrc, buf.getLong(start + 8), buf.getUnsignedInt(start + 16),
                                           buf.getUnsignedInt(start + 20), buf.getUnsignedInt(start + 24));
        listener.onSenderReport(sr);
        if (count > 0) {
            listener.onReceiverReport(ssrc, readBlocks(buf, start + SR_SENDER_INFO_END, count));
        }
    }

    private static void readReceiverReport(ByteBuf buf, int start, int end, int count, RtcpListener listener) {
        int needed = RR_BLOCKS_START + count * RtcpPacket.REPORT_BLOCK_LENGTH;
        if (needed > end - start) {
            throw new RtcpFormatException("RTCP RR with " + count + " report blocks needs " + needed
                                          + " bytes but has " + (end - start));
        }
        listener.onReceiverReport(buf.getUnsignedInt(start + 4), readBlocks(buf, start + RR_BLOCKS_START, count));
    }

    private static List<ReportBlock> readBlocks(ByteBuf buf, int at, int count) {
        if (count == 0) {
            return Collections.emptyList();
        }
        List<ReportBlock> blocks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int p = at + i * RtcpPacket.REPORT_BLOCK_LENGTH;
            int lostWord = buf.getInt(p + 4);
            // the low 24 bits are a signed count: shift them up and back to extend the sign
            int cumulativeLost = (lostWord << 8) >> 8;
            blocks.add(new ReportBlock(buf.getUnsignedInt(p), lostWord >>> 24, cumulativeLost,
                                       buf.getUnsignedInt(p + 8), buf.getUnsignedInt(p + 12),
                                       buf.getUnsignedInt(p + 16), buf.getUnsignedInt(p + 20)));
        }
        return Collections.unmodifiableList(blocks);
    }

    private static void readSourceDescription(ByteBuf buf, int start, int end, int count, RtcpListener listener) {
        int pos = start + RtcpPacket.HEADER_LENGTH;
        for (int chunk = 0; chunk < count; chunk++) {
            if (end - pos < 4) {
                throw new RtcpFormatException("RTCP SDES chunk " + (chunk + 1) + " of " + count
                                              + " runs past the end of the packet");
            }
            long ssrc = buf.getUnsignedInt(pos);
            pos += 4;
            while (true) {
                if (pos >= end) {
                    throw new RtcpFormatException("RTCP SDES chunk " + (chunk + 1)
                                                  + " has no terminating null item before the end of the packet");
                }
                int itemType = buf.getUnsignedByte(pos);
                if (itemType == 0) {
                    pos++;
                    break;
                }
                if (end - pos < 2) {
                    throw new RtcpFormatException("RTCP SDES item " + itemType + " has no length byte");
                }
                int itemLength = buf.getUnsignedByte(pos + 1);
                if (itemLength > end - pos - 2) {
                    throw new RtcpFormatException("RTCP SDES item " + itemType + " of " + itemLength
                                                  + " bytes runs past the end of the packet");
                }
                listener.onSourceDescription(ssrc, itemType,
                                             buf.toString(pos + 2, itemLength, StandardCharsets.UTF_8));
                pos += 2 + itemLength;
            }
            // chunks start on a 32-bit boundary: skip the null octets that fill the terminated chunk up to it
            pos = start + ((pos - start + 3) & ~3);
            if (pos > end) {
                throw new RtcpFormatException("RTCP SDES chunk " + (chunk + 1)
                                              + " is not padded to a 32-bit boundary within the packet");
            }
        }
    }

    private static void readBye(ByteBuf buf, int start, int end, int count, RtcpListener listener) {
        int pos = start + RtcpPacket.HEADER_LENGTH;
        if (count * 4 > end - pos) {
            throw new RtcpFormatException("RTCP BYE with " + count + " sources runs past the end of the packet");
        }
        List<Long> ssrcs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ssrcs.add(buf.getUnsignedInt(pos));
            pos += 4;
        }
        String reason = null;
        if (pos < end) {
            int reasonLength = buf.getUnsignedByte(pos);
            if (reasonLength > end - pos - 1) {
                throw new RtcpFormatException("RTCP BYE reason of " + reasonLength
                                              + " bytes runs past the end of the packet");
            }
            if (reasonLength > 0) {
                reason = buf.toString(pos + 1, reasonLength, StandardCharsets.UTF_8);
            }
        }
        listener.onBye(Collections.unmodifiableList(ssrcs), reason);
    }

    private static void readApp(ByteBuf buf, int start, int end, int subtype, RtcpListener listener) {
        if (end - start < 12) {
            throw new RtcpFormatException("RTCP APP packet of " + (end - start)
                                          + " bytes is shorter than its 12-byte header");
        }
        String name = buf.toString(start + 8, 4, StandardCharsets.US_ASCII);
        listener.onApp(buf.getUnsignedInt(start + 4), subtype, name, buf.slice(start + 12, end - start - 12));
    }
}
