package io.github.camelrtsp.format.aac;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelrtsp.format.Depacketizer;
import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.FrameSink;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.RateLimitedLog;
import io.github.camelrtsp.rtp.RtpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Rebuilds AAC access units from RTP payload format MPEG4-GENERIC (RFC 3640) in {@code mode=AAC-hbr} or
 * {@code AAC-lbr} and emits each as one ADTS frame.
 * <p>
 * The AU header section is read with the fmtp field lengths ({@code sizeLength}, {@code indexLength},
 * {@code indexDeltaLength}, {@code CTSDeltaLength}, {@code DTSDeltaLength}, {@code randomAccessIndication},
 * {@code streamStateIndication}; names without regard to case; absent ones take the mode's values), followed by the
 * auxiliary section when {@code auxiliaryDataSizeLength} is signalled. A packet may hold several access units; the
 * n-th gets the packet timestamp plus its CTS-delta when one is given, else plus the duration of the access units
 * its AU-Index-deltas count. An access unit larger than the rest of its packet is a fragment: further packets with
 * the same timestamp and AU header continue it, and it is emitted once its AU-size bytes have arrived (the marker
 * ends it). A lost or missing fragment drops the access unit.
 * <p>
 * Interleaved streams (AU-Index-delta other than 0) are not de-interleaved: their frames come out in arrival order,
 * each with its own timestamp, and one WARN says so.
 * <p>
 * ADTS cannot describe every AudioSpecificConfig. Object types other than AAC Main, LC, SSR and LTP (with or without
 * SBR/PS), rates outside the ADTS table and channel configurations above 7 are not turned into frames: the
 * constructor logs one WARN naming the reason and every packet is then skipped and counted (rate-limited WARN);
 * {@link #codecConfig()} still gives the config. Channel configuration 0 is carried by repeating the config's
 * program config element at the start of every frame, as ADTS allows. A 960-sample config is passed through with
 * {@code sampleCount} 960 and one WARN, since the ADTS header cannot signal the frame length.
 * <p>
 * A missing {@code mode} together with missing field lengths (seen in cameras that write only {@code config}) is
 * read as AAC-hbr, with one WARN.
 */
public final class Mpeg4GenericDepacketizer implements Depacketizer {

    private static final Logger LOG = LoggerFactory.getLogger(Mpeg4GenericDepacketizer.class);

    private final AudioSpecificConfig config;
    private final AdtsFramer framer;
    private final String unsupported;
    private final int clockRate;
    private final int sampleCount;
    private final int sizeLength;
    private final int indexLength;
    private final int indexDeltaLength;
    private final int ctsDeltaLength;
    private final int dtsDeltaLength;
    private final boolean randomAccessIndication;
    private final int streamStateLength;
    private final int auxiliaryDataSizeLength;
    private final int constantSize;
    private final String subject;
    private final RateLimitedLog warnings;
    private final BitReader reader = new BitReader();
    private final ByteBuf assembly;

    private boolean assembling;
    private long fragmentTimestamp;
    private int fragmentSize;
    private boolean discarding;
    private long discardTimestamp;
    private boolean discontinuity;
    private int lastSequence = -1;
    private boolean interleaveWarned;
    private long framesDropped;
    private long packetsSkipped;

    // the AU header read last by readHeader
    private int auSize;
    private long auIndex;
    private boolean auHasCts;
    private long auCtsDelta;

    /**
     * Creates the depacketizer for one track.
     *
     * @throws IllegalArgumentException if the parameters cannot describe an AAC stream: another codec or stream
     *                                  type, a non-AAC mode, a missing or invalid {@code config}, field lengths out
     *                                  of range or leaving no AU size, a clock rate or maximum frame size below 1
     */
    public Mpeg4GenericDepacketizer(FormatParameters params) {
        AacTracks.check(params, "MPEG4-GENERIC");
        Map<String, String> fmtp = params.fmtp();
        String streamType = Fmtp.lower(fmtp, "streamType");
        if (streamType != null && !streamType.equals("5")) {
            throw new IllegalArgumentException("MPEG4-GENERIC streamType " + streamType + " is not audio (5)");
        }
        String mode = Fmtp.lower(fmtp, "mode");
        int defaultSize;
        int defaultIndex;
        if ("aac-hbr".equals(mode)) {
            defaultSize = 13;
            defaultIndex = 3;
        } else if ("aac-lbr".equals(mode)) {
            defaultSize = 6;
            defaultIndex = 2;
        } else if (mode == null || mode.equals("generic")) {
            boolean anyLength = Fmtp.get(fmtp, "sizeLength") != null || Fmtp.get(fmtp, "constantSize") != null;
            defaultSize = anyLength ? 0 : 13;
            defaultIndex = anyLength ? 0 : 3;
            if (!anyLength) {
                LOG.warn("MPEG4-GENERIC track (payload type {}) signals neither mode nor AU field lengths; reading it "
                         + "as mode=AAC-hbr (sizeLength=13, indexLength=3, indexDeltaLength=3)", params.payloadType());
            }
        } else {
            throw new IllegalArgumentException("MPEG4-GENERIC mode " + Fmtp.get(fmtp, "mode")
                                               + " is not AAC-hbr or AAC-lbr");
        }
        this.sizeLength = Fmtp.integer(fmtp, "sizeLength", defaultSize, 32);
        this.indexLength = Fmtp.integer(fmtp, "indexLength", defaultIndex, 32);
        this.indexDeltaLength = Fmtp.integer(fmtp, "indexDeltaLength", defaultIndex, 32);
        this.ctsDeltaLength = Fmtp.integer(fmtp, "CTSDeltaLength", 0, 32);
        this.dtsDeltaLength = Fmtp.integer(fmtp, "DTSDeltaLength", 0, 32);
        this.randomAccessIndication = Fmtp.integer(fmtp, "randomAccessIndication", 0, 1) == 1;
        this.streamStateLength = Fmtp.integer(fmtp, "streamStateIndication", 0, 32);
        this.auxiliaryDataSizeLength = Fmtp.integer(fmtp, "auxiliaryDataSizeLength", 0, 32);
        this.constantSize = Fmtp.integer(fmtp, "constantSize", 0, AdtsFramer.MAX_FRAME_LENGTH);
        if (sizeLength == 0 && constantSize == 0) {
            throw new IllegalArgumentException("MPEG4-GENERIC without sizeLength nor constantSize: AU sizes unknown");
        }
        if (sizeLength == 0 && indexLength == 0 && indexDeltaLength == 0 && ctsDeltaLength == 0
            && dtsDeltaLength == 0 && !randomAccessIndication && streamStateLength == 0) {
            throw new IllegalArgumentException("MPEG4-GENERIC payloads without AU headers are not supported");
        }
        String hex = Fmtp.get(fmtp, "config");
        if (hex == null || hex.isEmpty()) {
            throw new IllegalArgumentException("MPEG4-GENERIC track without fmtp config (AudioSpecificConfig)");
        }
        this.config = AudioSpecificConfig.parseHex(hex);
        this.clockRate = params.clockRate();
        this.subject = "MPEG4-GENERIC payload type " + params.payloadType();
        this.warnings = new RateLimitedLog(LOG, subject);
        this.unsupported = config.adtsIncompatibility();
        if (unsupported == null) {
            this.framer = new AdtsFramer(config, params.maxFrameSize());
            int capacity = Math.max(0, framer.maxAccessUnitLength());
            this.assembly = Unpooled.buffer(Math.min(2048, capacity), capacity);
        } else {
            this.framer = null;
            this.assembly = Unpooled.buffer(0, 0);
            LOG.warn("{}: {}; its packets will be skipped (config {})", subject, unsupported, config);
        }
        if (config.frameLength() == 960) {
            LOG.warn("{}: 960-sample frames cannot be signalled in ADTS; decoders of the ADTS bodies will assume "
                     + "1024 (use codecConfig() for raw AAC)", subject);
        }
        this.sampleCount = config.samplesPerFrame();
    }

    /** The AudioSpecificConfig from fmtp {@code config}, parsed. */
    public AudioSpecificConfig audioSpecificConfig() {
        return config;
    }

    @Override
    public byte[] codecConfig() {
        return config.bytes();
    }

    @Override
    public long framesDropped() {
        return framesDropped;
    }

    @Override
    public long packetsSkipped() {
        return packetsSkipped;
    }

    @Override
    public void reset() {
        assembling = false;
        discarding = false;
        assembly.clear();
        lastSequence = -1;
        discontinuity = true;
    }

    @Override
    public void onPacket(RtpPacket packet, boolean lost, FrameSink sink) {
        int sequence = packet.sequenceNumber();
        boolean gap = lost || (lastSequence >= 0 && sequence != ((lastSequence + 1) & 0xFFFF));
        lastSequence = sequence;
        long timestamp = packet.timestamp();
        if (gap) {
            discontinuity = true;
            if (assembling) {
                dropPartial("packets lost inside a fragmented access unit");
                discarding = true;
                discardTimestamp = fragmentTimestamp;
            }
        }
        if (discarding) {
            if (timestamp == discardTimestamp) {
                discarding = !packet.marker();
                return;
            }
            discarding = false;
        }
        if (framer == null) {
            skip(unsupported);
            return;
        }
        ByteBuf buf = packet.buffer();
        int index = packet.payloadIndex();
        int end = index + packet.payloadLength();
        int headerBits;
        int count = 0;
        long total = 0;
        int firstSize = 0;
        int dataIndex;
        try {
            if (end - index < 2) {
                throw new AacFormatException("payload of " + (end - index) + " bytes has no AU-headers-length");
            }
            headerBits = buf.getUnsignedShort(index);
            int headerBytes = (headerBits + 7) >>> 3;
            if (headerBits == 0) {
                throw new AacFormatException("AU-headers-length is 0");
            }
            if (2 + headerBytes > end - index) {
                throw new AacFormatException("AU-headers-length of " + headerBits + " bits runs past the "
                                             + (end - index) + "-byte payload");
            }
            reader.reset(buf, index + 2, headerBits);
            while (reader.remaining() > 0) {
                readHeader(count == 0);
                if (count == 0) {
                    firstSize = auSize;
                }
                total += auSize;
                count++;
            }
            dataIndex = index + 2 + headerBytes;
            if (auxiliaryDataSizeLength > 0) {
                reader.reset(buf, dataIndex, 8L * (end - dataIndex));
                reader.skip(reader.read(auxiliaryDataSizeLength));
                reader.alignFrom(0);
                dataIndex += (int) (reader.position() >>> 3);
            }
        } catch (AacFormatException e) {
            malformed(e.getMessage());
            return;
        }
        int available = end - dataIndex;
        if (assembling) {
            if (timestamp == fragmentTimestamp && count == 1 && firstSize == fragmentSize) {
                continueFragment(buf, dataIndex, available, packet.marker(), sink);
                return;
            }
            dropPartial("fragmented access unit ended without its last fragment");
        }
        if (total == available) {
            emitAll(buf, index + 2, headerBits, count, dataIndex, timestamp, sink);
        } else if (count == 1 && total > available) {
            startFragment(buf, dataIndex, available, firstSize, timestamp, packet.marker(), gap);
        } else {
            malformed(count + " AU(s) of " + total + " bytes in all, but " + available + " bytes of access units");
        }
    }

    /** Reads one AU header into the au* fields; the first header of a packet has AU-Index, the others the delta. */
    private void readHeader(boolean first) {
        auSize = sizeLength > 0 ? (int) Math.min(Integer.MAX_VALUE, reader.read(sizeLength)) : constantSize;
        auIndex = reader.read(first ? indexLength : indexDeltaLength);
        auHasCts = false;
        if (ctsDeltaLength > 0 && reader.bit()) {
            auHasCts = true;
            long value = reader.read(ctsDeltaLength);
            auCtsDelta = value >= 1L << (ctsDeltaLength - 1) ? value - (1L << ctsDeltaLength) : value;
        }
        if (dtsDeltaLength > 0 && reader.bit()) {
            reader.skip(dtsDeltaLength);
        }
        if (randomAccessIndication) {
            reader.skip(1);
        }
        reader.skip(streamStateLength);
        if (auSize == 0) {
            throw new AacFormatException("AU header with AU-size 0");
        }
    }

    private void emitAll(ByteBuf buf, int headerIndex, int headerBits, int count, int dataIndex, long timestamp,
                         FrameSink sink) {
        reader.reset(buf, headerIndex, headerBits);
        long position = 0;
        int at = dataIndex;
        for (int i = 0; i < count; i++) {
            readHeader(i == 0);
            if (i > 0) {
                position += auIndex + 1;
                if (auIndex != 0 && !interleaveWarned) {
                    interleaveWarned = true;
                    LOG.warn("{}: the stream is interleaved (AU-Index-delta {}); frames are emitted in arrival order, "
                             + "not de-interleaved", subject, auIndex);
                }
            }
            long offset = auHasCts && i > 0 ? auCtsDelta : ticks(position);
            emit(buf, at, auSize, (timestamp + offset) & 0xFFFFFFFFL, sink);
            at += auSize;
        }
    }

    private void startFragment(ByteBuf buf, int dataIndex, int available, int size, long timestamp, boolean marker,
                               boolean gap) {
        if (marker) {
            if (gap) {
                framesDropped++;
                warnings.warn("last fragment of an access unit whose first fragments were lost");
            } else {
                malformed("AU-size " + size + " exceeds the " + available + " bytes of a packet with the marker set");
            }
            return;
        }
        if (!framer.fits(size)) {
            tooLarge(size);
            discarding = true;
            discardTimestamp = timestamp;
            return;
        }
        assembly.clear();
        assembly.writeBytes(buf, dataIndex, available);
        assembling = true;
        fragmentTimestamp = timestamp;
        fragmentSize = size;
    }

    private void continueFragment(ByteBuf buf, int dataIndex, int available, boolean marker, FrameSink sink) {
        if (assembly.writerIndex() + available > fragmentSize) {
            dropPartial("fragments add up to more than the AU-size of " + fragmentSize + " bytes");
            if (!marker) {
                discarding = true;
                discardTimestamp = fragmentTimestamp;
            }
            return;
        }
        assembly.writeBytes(buf, dataIndex, available);
        if (assembly.writerIndex() == fragmentSize) {
            assembling = false;
            emitFrame(framer.frame(assembly, 0, fragmentSize), fragmentTimestamp, sink);
            assembly.clear();
        } else if (marker) {
            dropPartial("access unit ended (marker) after " + assembly.writerIndex() + " of " + fragmentSize
                        + " bytes");
        }
    }

    private void emit(ByteBuf buf, int index, int size, long timestamp, FrameSink sink) {
        if (!framer.fits(size)) {
            tooLarge(size);
            return;
        }
        emitFrame(framer.frame(buf, index, size), timestamp, sink);
    }

    private void emitFrame(byte[] data, long timestamp, FrameSink sink) {
        boolean flag = discontinuity;
        discontinuity = false;
        sink.onFrame(new MediaFrame(timestamp, data, true, flag, sampleCount));
    }

    /** RTP clock ticks from the first access unit of a packet to the one {@code position} units later. */
    private long ticks(long position) {
        return AacTracks.ticks(config, clockRate, position);
    }

    private void dropPartial(String reason) {
        assembling = false;
        assembly.clear();
        framesDropped++;
        discontinuity = true;
        warnings.warn("access unit dropped: " + reason);
    }

    private void tooLarge(int size) {
        framesDropped++;
        discontinuity = true;
        warnings.warn("access unit of " + size + " bytes dropped: larger than " + framer.maxAccessUnitLength()
                      + " bytes (ADTS limit and maximum frame size)");
    }

    private void malformed(String reason) {
        if (assembling) {
            dropPartial("malformed packet inside a fragmented access unit");
        }
        skip("malformed payload skipped: " + reason);
    }

    private void skip(String reason) {
        packetsSkipped++;
        discontinuity = true;
        warnings.warn(reason);
    }
}
