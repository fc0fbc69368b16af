package io.github.camelrtsp.format.annexb;

import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;

import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.Packetizer;
import io.github.camelrtsp.format.PacketizerParameters;
import io.github.camelrtsp.rtp.RtpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Common part of the H.264 and H.265 packetizers: the mirror of {@link AnnexBDepacketizer}. Takes an access unit as an
 * Annex B byte stream and sends its NAL units, in the order given and unchanged (start codes and trailing zero bytes
 * removed), in three kinds of packets a subclass defines the headers of:
 * <ul>
 * <li>A NAL unit that is not part of a coded picture (parameter sets, SEI, access unit delimiter, ...) starts an
 *     aggregation packet (H.264 STAP-A, H.265 AP) that takes it and the NAL units after it, of any kind, as long as
 *     they fit in the MTU; when not even the next one fits, the NAL unit goes on alone.</li>
 * <li>Any other NAL unit that fits in the MTU goes in a single NAL unit packet.</li>
 * <li>A larger NAL unit is cut into fragmentation units (H.264 FU-A, H.265 FU), each as full as the MTU allows.</li>
 * </ul>
 * The marker bit is set on the last packet of the access unit; all packets of a frame carry its timestamp; the sequence
 * number goes on across frames. Parameter sets come from the fmtp given at creation and from the frames; the latest of
 * each kind is kept for {@link #formatParameters()}.
 * <p>
 * A frame is checked whole before the first packet is sent, so a frame that is rejected sends nothing. Per packet one
 * buffer of exactly the packet's size is allocated and the NAL unit bytes are copied into it once; nothing else is
 * allocated per frame once a new parameter set has been stored. Not thread safe; one per outgoing stream.
 */
public abstract class AnnexBPacketizer implements Packetizer {

    /** Slot of the video parameter set (H.265) in {@link #parameterSet(int)}. */
    protected static final int VPS = 0;
    /** Slot of the sequence parameter set. */
    protected static final int SPS = 1;
    /** Slot of the picture parameter set. */
    protected static final int PPS = 2;

    private static final int LENGTH_FIELD = 2;
    private static final int MAX_MTU = 0xFFFF;

    /** The logger of the codec's packetizer. */
    protected final Logger log;

    private final String encodingName;
    private final int payloadType;
    private final int clockRate;
    private final long ssrc;
    private final int mtu;
    private final int maxPayload;
    private final int headerLength;
    private final ByteBufAllocator allocator;
    private final AnnexBNalUnits units = new AnnexBNalUnits();
    private final byte[][] parameterSets = new byte[3][];

    private int sequence;

    /**
     * @param parameters   codec (compared ignoring case with {@code encodingName}), payload type 0..127, clock rate
     *                     90000, SSRC, first sequence number (low 16 bits used) and MTU (RTP packet size, header
     *                     included, large enough for a fragment with one byte of data, at most 65535)
     * @param encodingName {@code H264} or {@code H265}
     * @param headerLength NAL unit header length: 1 for H.264, 2 for H.265
     * @param allocator    where packet buffers come from
     * @param log          the codec's logger
     * @throws IllegalArgumentException if a parameter is out of range or the codec is another one
     */
    protected AnnexBPacketizer(PacketizerParameters parameters, String encodingName, int headerLength,
                               ByteBufAllocator allocator, Logger log) {
        if (parameters == null) {
            throw new IllegalArgumentException("packetizer parameters are null");
        }
        if (parameters.codec() == null || !encodingName.equalsIgnoreCase(parameters.codec().trim())) {
            throw new IllegalArgumentException("not an " + encodingName + " stream: " + parameters.codec());
        }
        if (parameters.payloadType() < 0 || parameters.payloadType() > 127) {
            throw new IllegalArgumentException("RTP payload type " + parameters.payloadType() + " is not within 0..127");
        }
        if (parameters.clockRate() != 90000) {
            throw new IllegalArgumentException(encodingName + " uses a 90000 Hz RTP clock, not " + parameters.clockRate());
        }
        int smallest = RtpPacket.FIXED_HEADER_LENGTH + headerLength + 2;
        if (parameters.mtu() < smallest || parameters.mtu() > MAX_MTU) {
            throw new IllegalArgumentException("MTU " + parameters.mtu() + " is not within " + smallest + ".." + MAX_MTU);
        }
        if (allocator == null) {
            throw new IllegalArgumentException("allocator is null");
        }
        this.log = log;
        this.encodingName = encodingName;
        this.payloadType = parameters.payloadType();
        this.clockRate = parameters.clockRate();
        this.ssrc = parameters.ssrc() & 0xFFFF_FFFFL;
        this.mtu = parameters.mtu();
        this.maxPayload = mtu - RtpPacket.FIXED_HEADER_LENGTH;
        this.headerLength = headerLength;
        this.allocator = allocator;
        this.sequence = parameters.firstSequence() & 0xFFFF;
    }

    // ---------------------------------------------------------------- what a codec provides

    /** The NAL unit type in a NAL unit header given as an unsigned big-endian number of the header's bytes. */
    protected abstract int nalType(int header);

    /**
     * Why a NAL unit with this header cannot be sent (forbidden bit set, a type that RTP reserves for its own packet
     * structures, ...), or null when it can.
     */
    protected abstract String unsendable(int header);

    /** Whether NAL units of this type are part of a coded picture (slices); the others start an aggregation. */
    protected abstract boolean isCodedSlice(int nalType);

    /** {@link #VPS}, {@link #SPS} or {@link #PPS} for a parameter set type, -1 for any other type. */
    protected abstract int parameterSetSlot(int nalType);

    /**
     * The header of an aggregation packet, built up one aggregated NAL unit at a time.
     *
     * @param previous what this method returned for the NAL units before, or -1 for the first one
     * @param header   the header of the NAL unit added
     */
    protected abstract int aggregationHeader(int previous, int header);

    /**
     * Writes the headers of a fragmentation unit ({@link #nalHeaderLength()} + 1 bytes: H.264 FU indicator and FU
     * header, H.265 payload header and FU header).
     */
    protected abstract void writeFragmentHeaders(ByteBuf out, int nalHeader, boolean start, boolean end);

    // ---------------------------------------------------------------- Packetizer

    /**
     * Sends the access unit {@code frame.data()}: NAL units behind {@code 00 00 01} or {@code 00 00 00 01} start
     * codes, as the depacketizers emit them.
     *
     * @throws IllegalArgumentException when the data is null, does not begin with a start code, holds no NAL unit or
     *                                  a NAL unit that is too short or cannot be sent (see {@link #unsendable}), or
     *                                  the timestamp is not an unsigned 32-bit number; nothing was sent then
     */
    @Override
    public final void packetize(MediaFrame frame, PacketSink sink) {
        if (frame == null || frame.data() == null) {
            throw new IllegalArgumentException(encodingName + " frame without data");
        }
        if (sink == null) {
            throw new IllegalArgumentException("packet sink is null");
        }
        long timestamp = frame.rtpTimestamp();
        if (timestamp < 0 || timestamp > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("RTP timestamp " + timestamp + " is not an unsigned 32-bit number");
        }
        byte[] data = frame.data();
        int n = check(data);
        rememberParameterSets(data, n);
        int i = 0;
        while (i < n) {
            int type = nalType(header(data, units.start(i)));
            if (!isCodedSlice(type)) {
                int end = aggregationEnd(i, n);
                if (end - i >= 2) {
                    sendAggregation(data, i, end, end == n, timestamp, sink);
                    i = end;
                    continue;
                }
            }
            if (units.length(i) <= maxPayload) {
                sendSingle(data, i, i == n - 1, timestamp, sink);
            } else {
                sendFragments(data, i, i == n - 1, timestamp, sink);
            }
            i++;
        }
    }

    @Override
    public final String rtpMap() {
        return encodingName + "/" + clockRate;
    }

    @Override
    public final int nextSequenceNumber() {
        return sequence;
    }

    /** The largest RTP packet this packetizer sends, in bytes, header included. */
    public final int mtu() {
        return mtu;
    }

    // ---------------------------------------------------------------- what a codec calls

    /** The NAL unit header length: 1 for H.264, 2 for H.265. */
    protected final int nalHeaderLength() {
        return headerLength;
    }

    /** The latest parameter set of a slot ({@link #VPS}, {@link #SPS}, {@link #PPS}), or null; not to be modified. */
    protected final byte[] parameterSet(int slot) {
        return parameterSets[slot];
    }

    /**
     * Takes parameter sets from an fmtp value given at creation: a comma-separated list of base64 NAL units (white
     * space, missing padding and start codes inside a value are tolerated). Values that are not base64 or not a
     * parameter set are ignored with a warning, as the SDP of a relayed stream may hold them.
     *
     * @param parameter the fmtp parameter name, for the log
     * @param value     its value, or null
     */
    protected final void addParameterSets(String parameter, String value) {
        if (value == null) {
            return;
        }
        for (byte[] nal : AnnexBNalUnits.fromBase64List(value, (item, error) -> log.warn(
                "{}: fmtp {} value '{}' is not base64; ignored ({})", encodingName, parameter, item, error))) {
            int slot = nal.length > headerLength && unsendable(header(nal, 0)) == null
                    ? parameterSetSlot(nalType(header(nal, 0))) : -1;
            if (slot >= 0) {
                parameterSets[slot] = nal;
            } else {
                log.warn("{}: fmtp {} holds a NAL unit that is not a parameter set ({} bytes); ignored",
                        encodingName, parameter, nal.length);
            }
        }
    }

    /** The value of an fmtp parameter, the name compared ignoring case, trimmed; null when absent. */
    protected static String fmtp(Map<String, String> fmtp, String key) {
        return fmtp == null ? null : AnnexBDepacketizer.fmtpValue(fmtp, key);
    }

    /** Standard base64 with padding, as the sprop parameters carry NAL units. */
    protected static String base64(byte[] nal) {
        return Base64.getEncoder().encodeToString(nal);
    }

    /** Two lower-case hex digits per byte. */
    protected static String hex(byte[] bytes, int from, int to) {
        StringBuilder sb = new StringBuilder(2 * (to - from));
        for (int i = from; i < to; i++) {
            sb.append(String.format(Locale.ROOT, "%02x", bytes[i] & 0xFF));
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- packets

    private int check(byte[] data) {
        int n = units.scan(data, 0, data.length);
        if (n == 0) {
            throw new IllegalArgumentException(encodingName + " frame of " + data.length + " bytes holds no NAL unit");
        }
        if (!units.beginsWithStartCode()) {
            throw new IllegalArgumentException(encodingName + " frame does not begin with an Annex B start code");
        }
        for (int i = 0; i < n; i++) {
            if (units.length(i) < headerLength) {
                throw new IllegalArgumentException(encodingName + " NAL unit " + i + " of " + units.length(i)
                                                   + " bytes is shorter than its header");
            }
            String why = unsendable(header(data, units.start(i)));
            if (why != null) {
                throw new IllegalArgumentException(encodingName + " NAL unit " + i + " cannot be sent: " + why);
            }
        }
        return n;
    }

    private void rememberParameterSets(byte[] data, int n) {
        for (int i = 0; i < n; i++) {
            int from = units.start(i);
            int to = units.end(i);
            int slot = parameterSetSlot(nalType(header(data, from)));
            if (slot < 0) {
                continue;
            }
            byte[] known = parameterSets[slot];
            if (known == null || !Arrays.equals(known, 0, known.length, data, from, to)) {
                parameterSets[slot] = Arrays.copyOfRange(data, from, to);
                log.debug("{}: parameter set of {} bytes (NAL unit type {}) taken from the stream", encodingName,
                        to - from, nalType(header(data, from)));
            }
        }
    }

    /** The index after the last NAL unit that fits in an aggregation packet starting with NAL unit {@code first}. */
    private int aggregationEnd(int first, int n) {
        int size = headerLength;
        int end = first;
        while (end < n && size + LENGTH_FIELD + units.length(end) <= maxPayload) {
            size += LENGTH_FIELD + units.length(end);
            end++;
        }
        return end;
    }

    private void sendAggregation(byte[] data, int first, int end, boolean marker, long timestamp, PacketSink sink) {
        int size = headerLength;
        int header = -1;
        for (int i = first; i < end; i++) {
            size += LENGTH_FIELD + units.length(i);
            header = aggregationHeader(header, header(data, units.start(i)));
        }
        ByteBuf out = newPacket(size, marker, timestamp);
        try {
            writeHeader(out, header);
            for (int i = first; i < end; i++) {
                out.writeShort(units.length(i));
                out.writeBytes(data, units.start(i), units.length(i));
            }
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
        send(out, sink);
    }

    private void sendSingle(byte[] data, int i, boolean marker, long timestamp, PacketSink sink) {
        ByteBuf out = newPacket(units.length(i), marker, timestamp);
        try {
            out.writeBytes(data, units.start(i), units.length(i));
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
        send(out, sink);
    }

    private void sendFragments(byte[] data, int i, boolean lastNal, long timestamp, PacketSink sink) {
        int nalHeader = header(data, units.start(i));
        int pos = units.start(i) + headerLength;
        int end = units.end(i);
        int room = maxPayload - headerLength - 1;
        boolean start = true;
        while (pos < end) {
            int chunk = Math.min(room, end - pos);
            boolean last = pos + chunk == end;
            ByteBuf out = newPacket(headerLength + 1 + chunk, last && lastNal, timestamp);
            try {
                writeFragmentHeaders(out, nalHeader, start, last);
                out.writeBytes(data, pos, chunk);
            } catch (RuntimeException e) {
                out.release();
                throw e;
            }
            send(out, sink);
            pos += chunk;
            start = false;
        }
    }

    private ByteBuf newPacket(int payloadLength, boolean marker, long timestamp) {
        int size = RtpPacket.FIXED_HEADER_LENGTH + payloadLength;
        ByteBuf out = allocator.buffer(size, size);
        try {
            RtpPacket.writeHeader(out, marker, payloadType, sequence, timestamp, ssrc);
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
        return out;
    }

    private void send(ByteBuf packet, PacketSink sink) {
        sequence = (sequence + 1) & 0xFFFF;
        sink.onPacket(packet);
    }

    private void writeHeader(ByteBuf out, int header) {
        if (headerLength == 2) {
            out.writeShort(header);
        } else {
            out.writeByte(header);
        }
    }

    private int header(byte[] data, int at) {
        return headerLength == 1 ? data[at] & 0xFF : (data[at] & 0xFF) << 8 | data[at + 1] & 0xFF;
    }
}
