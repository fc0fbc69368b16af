package io.github.camelrtsp.rtp;

import java.util.List;

import io.netty.buffer.ByteBuf;

/**
 * Receives the packets {@link RtcpParser#parse(ByteBuf, RtcpListener)} finds in a compound RTCP packet, in the order
 * they appear. Every method does nothing by default. Buffers handed over are slices of the parsed buffer, valid only
 * during the call.
 */
public interface RtcpListener {

    /** The sender information of an SR packet; its report blocks, if any, follow through {@link #onReceiverReport}. */
    default void onSenderReport(SenderReport sr) {
    }

    /**
     * Reception report blocks sent by {@code ssrc}: those of an RR packet (possibly none), and those carried by an SR
     * packet when it has any.
     */
    default void onReceiverReport(long ssrc, List<ReportBlock> blocks) {
    }

    /** One SDES item of a chunk about {@code ssrc}; {@code itemType} is e.g. {@link RtcpPacket#SDES_CNAME}. */
    default void onSourceDescription(long ssrc, int itemType, String value) {
    }

    /** A BYE packet: the sources that leave, and the reason given, or null without one. */
    default void onBye(List<Long> ssrcs, String reason) {
    }

    /** An APP packet: its subtype (0..31), four-character name and application data. */
    default void onApp(long ssrc, int subtype, String name, ByteBuf data) {
    }

    /** A well-formed packet of a type this parser does not read; {@code packet} is the whole packet. */
    default void onUnknownPacket(int packetType, ByteBuf packet) {
    }
}
