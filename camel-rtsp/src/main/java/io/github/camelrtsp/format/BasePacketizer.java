package io.github.camelrtsp.format;

import java.util.Map;
import java.util.Objects;

import io.github.camelrtsp.rtp.RtpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * What every {@link Packetizer} shares: the checked {@link PacketizerParameters}, the sequence counter and the
 * writing of each packet's 12-byte RTP header into a new buffer of exactly the packet's size (from the default Netty
 * allocator; the sink owns and releases it).
 */
public abstract class BasePacketizer implements Packetizer {

    /** Largest RTP packet accepted as MTU: what one UDP datagram or RFC 4571 frame carries. */
    public static final int MAX_MTU = 65_535;

    private final PacketizerParameters parameters;
    private final int maxPayload;
    private int sequence;

    /**
     * @param parameters the stream's parameters
     * @param minPayload the smallest payload the format needs room for in one packet
     * @throws IllegalArgumentException if the payload type is not within 0..127, the clock rate is not positive, the
     *                                  fmtp map is null, or the MTU leaves less than {@code minPayload} bytes after the
     *                                  RTP header or is above {@link #MAX_MTU}
     */
    protected BasePacketizer(PacketizerParameters parameters, int minPayload) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        if (parameters.payloadType() < 0 || parameters.payloadType() > 127) {
            throw new IllegalArgumentException("RTP payload type " + parameters.payloadType() + " is not within 0..127");
        }
        if (parameters.clockRate() <= 0) {
            throw new IllegalArgumentException("clock rate " + parameters.clockRate() + " is not positive");
        }
        if (parameters.fmtp() == null) {
            throw new IllegalArgumentException("fmtp must not be null (use an empty map)");
        }
        if (parameters.mtu() > MAX_MTU || parameters.mtu() - RtpPacket.FIXED_HEADER_LENGTH < minPayload) {
            throw new IllegalArgumentException(parameters.codec() + ": MTU " + parameters.mtu() + " must be within "
                                               + (RtpPacket.FIXED_HEADER_LENGTH + minPayload) + ".." + MAX_MTU);
        }
        this.maxPayload = parameters.mtu() - RtpPacket.FIXED_HEADER_LENGTH;
        this.sequence = parameters.firstSequence() & 0xFFFF;
    }

    /** The parameters this packetizer was created with. */
    public final PacketizerParameters parameters() {
        return parameters;
    }

    @Override
    public final int nextSequenceNumber() {
        return sequence;
    }

    /** Largest payload of one packet: the MTU less the 12-byte RTP header. */
    protected final int maxPayload() {
        return maxPayload;
    }

    /**
     * A new buffer holding the RTP header of the next packet, with room for exactly {@code payloadLength} more bytes;
     * takes the next sequence number.
     */
    protected final ByteBuf newPacket(boolean marker, long timestamp, int payloadLength) {
        int size = RtpPacket.FIXED_HEADER_LENGTH + payloadLength;
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(size, size);
        RtpPacket.writeHeader(buf, marker, parameters.payloadType(), sequence, timestamp, parameters.ssrc());
        sequence = (sequence + 1) & 0xFFFF;
        return buf;
    }

    /**
     * The frame's bytes, checked to be present and non-empty.
     *
     * @throws IllegalArgumentException for a null frame, null data or an empty frame
     */
    protected static byte[] frameData(MediaFrame frame) {
        if (frame == null || frame.data() == null) {
            throw new IllegalArgumentException("frame without data");
        }
        if (frame.data().length == 0) {
            throw new IllegalArgumentException("empty frame");
        }
        return frame.data();
    }

    /**
     * The rtpmap value {@code <name>/<clock rate>}, followed by {@code /<channels>} when {@code channels} is above 1
     * or {@code alwaysChannels} is set and channels is known (RFC 4566 6: the channel count may be left out for one).
     */
    protected static String rtpMap(String name, int clockRate, Integer channels, boolean alwaysChannels) {
        String map = name + "/" + clockRate;
        if (channels != null && (channels > 1 || alwaysChannels)) {
            map += "/" + channels;
        }
        return map;
    }

    /** The value of an fmtp parameter, its name compared without case, trimmed; null when absent. */
    protected static String fmtp(Map<String, String> fmtp, String key) {
        String value = fmtp.get(key);
        if (value == null) {
            for (Map.Entry<String, String> e : fmtp.entrySet()) {
                if (e.getKey() != null && e.getKey().trim().equalsIgnoreCase(key)) {
                    value = e.getValue();
                    break;
                }
            }
        }
        return value == null ? null : value.trim();
    }

    /**
     * Channels of an audio stream: {@code channels} when given, else 1.
     *
     * @throws IllegalArgumentException if the count is given but not positive
     */
    protected static int channelsOf(PacketizerParameters p) {
        Integer channels = p.channels();
        if (channels == null) {
            return 1;
        }
        if (channels <= 0) {
            throw new IllegalArgumentException(p.codec() + ": channel count must be positive: " + channels);
        }
        return channels;
    }
}
