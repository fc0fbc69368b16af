package io.github.camelrtsp.rtp;

/**
 * Constants of RTCP (RFC 3550 6.4-6.7): packet types and SDES item types. Parsing is done by {@link RtcpParser},
 * writing by {@link RtcpWriter}.
 */
public final class RtcpPacket {

    /** Sender report. */
    public static final int SR = 200;
    /** Receiver report. */
    public static final int RR = 201;
    /** Source description. */
    public static final int SDES = 202;
    /** Goodbye. */
    public static final int BYE = 203;
    /** Application-defined. */
    public static final int APP = 204;

    /** SDES item: canonical end-point identifier. */
    public static final int SDES_CNAME = 1;
    /** SDES item: user name. */
    public static final int SDES_NAME = 2;
    /** SDES item: application or tool name. */
    public static final int SDES_TOOL = 6;

    /** Length of an RTCP common header in bytes. */
    public static final int HEADER_LENGTH = 4;
    /** Length of one reception report block in bytes. */
    public static final int REPORT_BLOCK_LENGTH = 24;
    /** Most report blocks, SDES chunks or BYE sources in one packet (5-bit count field). */
    public static final int MAX_COUNT = 31;

    private RtcpPacket() {
    }

    /** A short name for a packet type ({@code SR}, {@code RR}, ...), or {@code type-N} for an unknown one. */
    public static String typeName(int packetType) {
        switch (packetType) {
            case SR:
                return "SR";
            case RR:
                return "RR";
            case SDES:
                return "SDES";
            case BYE:
                return "BYE";
            case APP:
                return "APP";
            default:
                return "type-" + packetType;
        }
    }
}
