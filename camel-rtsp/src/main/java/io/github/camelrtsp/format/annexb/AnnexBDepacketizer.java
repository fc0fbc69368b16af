package io.github.camelrtsp.format.annexb;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.event.Level;

import io.github.camelrtsp.format.Depacketizer;
import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.FrameSink;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.RateLimitedLog;
import io.github.camelrtsp.rtp.RtpPacket;
import io.netty.buffer.ByteBuf;

/**
 * Common part of the H.264 and H.265 depacketizers: rebuilds access units from NAL units and writes each as an
 * Annex B byte stream, {@code 00 00 00 01} before every NAL unit. A subclass reads its payload format (single NAL
 * unit, aggregation and fragmentation packets) and hands over whole NAL units ({@link #nalUnit}) and fragments
 * ({@link #fragment}); this class decides everything else:
 * <ul>
 * <li>An access unit ends at a packet with the marker bit, and also when the RTP timestamp changes (cameras that
 *     never set the marker). A camera seen setting the marker before the end of a picture (a slice with the same
 *     timestamp follows a marked packet) is from then on split at timestamp changes only; the picture it cut is
 *     dropped and a warning is logged once.</li>
 * <li>NAL units that come without any slice under their own timestamp or marker (parameter sets sent as their own
 *     "access unit", with the previous frame's timestamp) are kept and put in front of the next access unit.</li>
 * <li>Access unit delimiters are dropped: the exchange delimits the frame, and parameter sets are put first.
 *     Parameter sets that come after the first slice of an access unit (some senders repeat them before every
 *     slice) are remembered but left out, since a decoder would take them as the start of a new access unit.</li>
 * <li>Parameter sets come from the SDP and from the stream; the latest of each kind is remembered. Every key frame
 *     (IDR, and for H.265 also CRA and BLA) that does not itself hold a complete set gets the remembered set in
 *     front, so each key frame is a valid point to start decoding.</li>
 * <li>Decoding can only start at a key frame: until the first key frame, and again after any loss or dropped
 *     frame, whole frames are skipped and counted in {@link #undecodableFramesSkipped()}; the first frame emitted
 *     afterwards has {@code discontinuity=true}. After starting at a CRA, and after any BLA, the skipped leading
 *     (RASL) pictures that belong to it are skipped the same way, as a decoder would discard them. An H.265 CRA
 *     at which decoding resumes after a gap is handed over as a BLA (its slices' NAL unit type rewritten, which
 *     the standard allows for splicing): a decoder reading the concatenated frames then neither looks for the
 *     pictures lost before it nor discards the pictures still waiting for output, as it would after an end of
 *     sequence.</li>
 * <li>An access unit with a missing piece (loss reported, a fragment sequence cut short, a malformed packet, or,
 *     right after a gap, no first slice of its picture) or larger than the maximum frame size is dropped and counted
 *     in {@link #framesDropped()}.</li>
 * </ul>
 * Per packet the payload is copied once, into one growable assembly buffer bounded by the maximum frame size; per
 * frame one array is created. Not thread safe.
 */
public abstract class AnnexBDepacketizer implements Depacketizer {

    private static final int INITIAL_CAPACITY = 16 * 1024;
    private static final int START_CODE_LENGTH = 4;

    private static final int VPS = 0;
    private static final int SPS = 1;
    private static final int PPS = 2;

    /** The logger of the codec's depacketizer. */
    protected final Logger log;

    private final String name;
    private final int headerLength;
    private final int maxFrameSize;
    private final int requiredSets;
    private final RateLimitedLog warnings;
    private final RateLimitedLog drops;

    private final byte[][] parameterSets = new byte[3][];

    private byte[] assembly;
    private int length;

    private boolean inAu;
    private long auTimestamp;
    private boolean auBroken;
    private boolean auAfterGap;
    private boolean auFollowsMarkedTimestamp;
    private int auSetMask;
    private NalUnitKind auPictureKind;
    private NalUnitKind auKeyKind;
    private int auFirstSliceOffset;

    private boolean fuActive;
    private int fuType;
    private NalUnitKind fuKind;
    private int fuNalOffset;

    private boolean awaitingKeyFrame = true;
    private boolean discontinuity;
    private boolean checkNextStart = true;
    private boolean skipLeading;
    private boolean emittedAny;
    private boolean markerTrusted = true;
    private boolean lastClosedByMarker;
    private long lastMarkedTimestamp;

    private FrameSink sink;
    private int sequenceNumber;

    private long framesDropped;
    private long packetsSkipped;
    private long undecodableFramesSkipped;

    /**
     * @param parameters         the track's parameters; {@code maxFrameSize} must be positive
     * @param log                the codec's logger
     * @param headerLength       NAL unit header length: 1 for H.264, 2 for H.265
     * @param needsVideoParameterSet true when a complete set includes a VPS (H.265)
     * @throws IllegalArgumentException if {@code maxFrameSize} is not positive
     */
    protected AnnexBDepacketizer(FormatParameters parameters, Logger log, int headerLength,
                                 boolean needsVideoParameterSet) {
        if (parameters.maxFrameSize() <= 0) {
            throw new IllegalArgumentException("maxFrameSize must be positive, not " + parameters.maxFrameSize());
        }
        this.log = log;
        this.name = parameters.codec() + "/" + parameters.payloadType();
        this.headerLength = headerLength;
        this.maxFrameSize = parameters.maxFrameSize();
        this.requiredSets = (needsVideoParameterSet ? 1 << VPS : 0) | 1 << SPS | 1 << PPS;
        this.warnings = new RateLimitedLog(log, name, Level.WARN);
        this.drops = new RateLimitedLog(log, name, Level.DEBUG);
        this.assembly = new byte[Math.min(INITIAL_CAPACITY, maxFrameSize)];
    }

    // ---------------------------------------------------------------- what a codec provides

    /**
     * Reads one RTP payload and calls {@link #nalUnit}, {@link #fragment} or {@link #skipPacket} for what it holds.
     * Must not throw for any content.
     *
     * @param buf    the packet's buffer
     * @param index  absolute index of the payload in {@code buf}
     * @param length payload length, at least 1
     */
    protected abstract void depacketize(ByteBuf buf, int index, int length);

    /** The NAL unit type in a NAL unit header given as an unsigned big-endian number of the header's bytes. */
    protected abstract int nalType(int header);

    /** What a NAL unit type means for access unit assembly. */
    protected abstract NalUnitKind kindOf(int nalType);

    /**
     * The header for a slice of a CRA picture at which decoding resumes after a gap (H.265: the same header with
     * the BLA_W_LP type). This default keeps the header.
     */
    protected int resumedCraHeader(int header) {
        return header;
    }

    // ---------------------------------------------------------------- Depacketizer

    @Override
    public final void onPacket(RtpPacket packet, boolean lost, FrameSink frameSink) {
        this.sink = frameSink;
        try {
            sequenceNumber = packet.sequenceNumber();
            long timestamp = packet.timestamp();
            if (lost) {
                onLoss();
            }
            int payloadLength = packet.payloadLength();
            if (payloadLength == 0) {
                packetsSkipped++;
                warnings.log("{}: packet {} has an empty payload; skipped ({} packets skipped so far)", name,
                        sequenceNumber, packetsSkipped);
                if (packet.marker() && markerTrusted && inAu && timestamp == auTimestamp) {
                    closeAccessUnit(true);
                }
                return;
            }
            if (inAu && timestamp != auTimestamp) {
                closeAccessUnit(false);
            }
            if (!inAu) {
                beginAccessUnit(timestamp);
            }
            depacketize(packet.buffer(), packet.payloadIndex(), payloadLength);
            if (packet.marker() && markerTrusted) {
                closeAccessUnit(true);
            }
        } finally {
            this.sink = null;
        }
    }

    /**
     * Forgets the partial frame and any NAL units kept for the next frame (not counted as dropped); the next frame
     * emitted is a key frame flagged as a discontinuity. Remembered parameter sets are kept.
     */
    @Override
    public void reset() {
        inAu = false;
        fuActive = false;
        length = 0;
        auSetMask = 0;
        lastClosedByMarker = false;
        awaitingKeyFrame = true;
        discontinuity = true;
        checkNextStart = true;
        skipLeading = false;
    }

    @Override
    public long framesDropped() {
        return framesDropped;
    }

    @Override
    public long packetsSkipped() {
        return packetsSkipped;
    }

    /**
     * Whole frames not emitted because they cannot be decoded: frames before the first key frame (at start, after
     * a loss or a dropped frame), a key frame for which no complete parameter set is known, and skipped leading
     * pictures (H.265 RASL) of a CRA decoding started at or of a BLA. Not included in {@link #framesDropped()}.
     */
    public long undecodableFramesSkipped() {
        return undecodableFramesSkipped;
    }

    /**
     * The parameter sets known now (from the SDP or the latest in-band ones), VPS first for H.265, then SPS and
     * PPS, each behind a {@code 00 00 00 01} start code; null when none is known. A new array on every call.
     */
    @Override
    public byte[] codecConfig() {
        int size = 0;
        for (byte[] set : parameterSets) {
            if (set != null) {
                size += START_CODE_LENGTH + set.length;
            }
        }
        if (size == 0) {
            return null;
        }
        byte[] out = new byte[size];
        int pos = 0;
        for (byte[] set : parameterSets) {
            if (set != null) {
                pos = putNal(out, pos, set);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- what a codec calls

    /** The NAL unit header at {@code index} as an unsigned big-endian number of {@code headerLength} bytes. */
    protected final int readHeader(ByteBuf buf, int index) {
        return headerLength == 1 ? buf.getUnsignedByte(index) : buf.getUnsignedShort(index);
    }

    /**
     * Adds one whole NAL unit (from a single NAL unit packet or an aggregation packet) to the access unit.
     *
     * @param length NAL unit length including its header; shorter than the header makes the packet skipped
     */
    protected final void nalUnit(ByteBuf buf, int index, int length) {
        if (length < headerLength) {
            skipPacket(true, "NAL unit shorter than its header");
            return;
        }
        if (fuActive) {
            fragmentCutShort();
        }
        NalUnitKind kind = kindOf(nalType(readHeader(buf, index)));
        if (kind == NalUnitKind.ACCESS_UNIT_DELIMITER) {
            return;
        }
        int nalOffset = this.length + START_CODE_LENGTH;
        noteNalStart(kind, nalOffset);
        if (writeStartCode() && write(buf, index, length)) {
            nalComplete(kind, nalOffset);
        }
    }

    /**
     * Adds one fragment of a fragmented NAL unit (FU-A, H.265 FU) to the access unit.
     *
     * @param header the NAL unit header rebuilt from the payload and FU headers, as for {@link #nalType(int)}
     * @param start  the FU start bit
     * @param end    the FU end bit
     * @param index  absolute index of the fragment's data (after the FU header and any DONL)
     * @param length length of that data, may be 0
     */
    protected final void fragment(int header, boolean start, boolean end, ByteBuf buf, int index, int length) {
        int type = nalType(header);
        if (start) {
            if (fuActive) {
                fragmentCutShort();
            }
            fuActive = true;
            fuType = type;
            fuKind = kindOf(type);
            fuNalOffset = this.length + START_CODE_LENGTH;
            if (fuKind != NalUnitKind.ACCESS_UNIT_DELIMITER) {
                noteNalStart(fuKind, fuNalOffset);
                if (writeStartCode()) {
                    writeHeader(header);
                }
            }
        } else if (!fuActive) {
            if (auBroken || auAfterGap) {
                // the start was lost or skipped: expected after a gap, the access unit is incomplete
                auBroken = true;
            } else {
                skipPacket(true, "fragment without the fragment that starts its NAL unit");
            }
            return;
        } else if (type != fuType) {
            fuActive = false;
            skipPacket(true, "fragment of another NAL unit type than its start fragment");
            return;
        }
        if (fuKind != NalUnitKind.ACCESS_UNIT_DELIMITER) {
            write(buf, index, length);
        }
        if (end) {
            fuActive = false;
            if (fuKind != NalUnitKind.ACCESS_UNIT_DELIMITER && !auBroken) {
                nalComplete(fuKind, fuNalOffset);
            }
        }
    }

    /**
     * Skips the current packet as malformed or unsupported: counts it in {@link #packetsSkipped()} and logs a
     * warning at most once per 10 s.
     *
     * @param dataLost true when the packet may have carried part of the access unit, which is then dropped
     * @param what     what is wrong, for the log
     */
    protected final void skipPacket(boolean dataLost, String what) {
        skipPacket(dataLost, what, -1);
    }

    /** As {@link #skipPacket(boolean, String)}, with a number (e.g. the NAL unit type) printed after {@code what}. */
    protected final void skipPacket(boolean dataLost, String what, int value) {
        packetsSkipped++;
        if (dataLost) {
            auBroken = true;
            fuActive = false;
        }
        warnings.log("{}: packet {}: {}{}; skipped ({} packets skipped, {} frames dropped so far)", name,
                sequenceNumber, what, value < 0 ? "" : " " + value, packetsSkipped, framesDropped);
    }

    /**
     * Reads a comma-separated list of base64 parameter sets from the SDP (e.g. {@code sprop-parameter-sets}) and
     * remembers each by its NAL unit type, whatever parameter it came in. Tolerates white space, missing base64
     * padding, and start codes or zero bytes inside or after a value; values that are not base64 or not a
     * parameter set are logged and ignored.
     *
     * @param parameter the fmtp parameter name, for the log
     * @param value     the parameter's value, or null
     */
    protected final void addParameterSets(String parameter, String value) {
        if (value == null) {
            return;
        }
        for (byte[] nal : AnnexBNalUnits.fromBase64List(value, (item, error) -> log.warn(
                "{}: {} value '{}' is not base64; ignored ({})", name, parameter, item, error))) {
            NalUnitKind kind = nal.length > headerLength
                    ? kindOf(nalType(headerLength == 1 ? nal[0] & 0xFF : (nal[0] & 0xFF) << 8 | nal[1] & 0xFF))
                    : NalUnitKind.OTHER;
            if (kind.isParameterSet()) {
                parameterSets[slot(kind)] = nal;
            } else {
                log.warn("{}: {} holds a NAL unit that is not a parameter set ({} bytes); ignored", name,
                        parameter, nal.length);
            }
        }
    }

    /** The value of an fmtp parameter, the name compared ignoring case; null when absent. */
    protected static String fmtp(FormatParameters parameters, String key) {
        return fmtpValue(parameters.fmtp(), key);
    }

    /** The value of an fmtp parameter in {@code fmtp}, the name compared ignoring case, trimmed; null when absent. */
    static String fmtpValue(Map<String, String> fmtp, String key) {
        String value = fmtp.get(key);
        if (value != null) {
            return value.trim();
        }
        for (Map.Entry<String, String> e : fmtp.entrySet()) {
            if (e.getKey() != null && e.getKey().trim().equalsIgnoreCase(key) && e.getValue() != null) {
                return e.getValue().trim();
            }
        }
        return null;
    }

    /** The codec and payload type, as the log messages name the track. */
    protected final String trackName() {
        return name;
    }

    // ---------------------------------------------------------------- access units

    private void onLoss() {
        if (inAu && !auBroken) {
            auBroken = true;
        }
        fuActive = false;
        gap();
    }

    private void gap() {
        awaitingKeyFrame = true;
        discontinuity = true;
        checkNextStart = true;
        skipLeading = false;
    }

    private void beginAccessUnit(long timestamp) {
        inAu = true;
        auTimestamp = timestamp;
        auBroken = false;
        auAfterGap = checkNextStart;
        checkNextStart = false;
        auFollowsMarkedTimestamp = markerTrusted && lastClosedByMarker && timestamp == lastMarkedTimestamp;
        if (length == 0) {
            auSetMask = 0;
        }
        auPictureKind = null;
        auKeyKind = null;
        auFirstSliceOffset = -1;
        fuActive = false;
    }

    private void noteNalStart(NalUnitKind kind, int nalOffset) {
        if (!kind.isSlice()) {
            return;
        }
        if (auFollowsMarkedTimestamp && markerTrusted) {
            markerTrusted = false;
            auBroken = true;
            log.warn("{}: a slice with timestamp {} follows a packet with the marker bit and the same timestamp: "
                     + "this sender sets the marker before the end of a picture, so access units now end only "
                     + "where the timestamp changes; the cut picture is dropped", name, auTimestamp);
        }
        if (auPictureKind == null) {
            auPictureKind = kind;
            auFirstSliceOffset = nalOffset;
        }
        if (kind.isKey() && auKeyKind == null) {
            auKeyKind = kind;
        }
    }

    private void nalComplete(NalUnitKind kind, int nalOffset) {
        if (!kind.isParameterSet()) {
            return;
        }
        int s = slot(kind);
        if (auPictureKind == null) {
            // only parameter sets ahead of the first slice make the frame a valid start point by themselves
            auSetMask |= 1 << s;
        }
        int nalLength = length - nalOffset;
        byte[] known = parameterSets[s];
        if (known == null || !Arrays.equals(known, 0, known.length, assembly, nalOffset, length)) {
            parameterSets[s] = Arrays.copyOfRange(assembly, nalOffset, length);
            if (log.isDebugEnabled()) {
                log.debug("{}: in-band {} of {} bytes remembered", name, kind, nalLength);
            }
        }
        if (auPictureKind != null) {
            // after a slice a parameter set would start a new access unit for a decoder: remember it, leave it out
            length = nalOffset - START_CODE_LENGTH;
        }
    }

    private void fragmentCutShort() {
        fuActive = false;
        if (!auBroken) {
            auBroken = true;
            warnings.log("{}: packet {}: a fragmented NAL unit ended without its end fragment; frame dropped", name,
                    sequenceNumber);
        }
    }

    private void closeAccessUnit(boolean byMarker) {
        inAu = false;
        if (fuActive) {
            fragmentCutShort();
        }
        if (auBroken) {
            drop("it misses data (loss, cut fragment or skipped packet)");
            return;
        }
        if (auPictureKind == null) {
            // no slice: parameter sets or SEI sent on their own; they go in front of the next access unit, which
            // inherits the doubt about a missing beginning
            lastClosedByMarker = false;
            checkNextStart |= auAfterGap;
            return;
        }
        lastClosedByMarker = byMarker;
        lastMarkedTimestamp = auTimestamp;
        if (auAfterGap && !firstSliceStartsPicture()) {
            drop("its first slice is missing");
            return;
        }
        NalUnitKind key = auKeyKind;
        boolean resume = false;
        if (awaitingKeyFrame) {
            if (key == null || !setsAvailable()) {
                if (key != null) {
                    warnings.log("{}: key frame at timestamp {} cannot be decoded: no complete parameter set in "
                                 + "the SDP nor in the stream so far; skipped", name, auTimestamp);
                }
                skipUndecodable();
                discontinuity = true;
                return;
            }
            awaitingKeyFrame = false;
            resume = true;
        }
        if (key != null) {
            skipLeading = key == NalUnitKind.BLA_SLICE || resume && key == NalUnitKind.CRA_SLICE;
        } else if (auPictureKind == NalUnitKind.SKIPPED_LEADING_SLICE && skipLeading) {
            skipUndecodable();
            return;
        } else if (auPictureKind == NalUnitKind.SLICE) {
            skipLeading = false;
        }
        if (resume && emittedAny && key == NalUnitKind.CRA_SLICE) {
            rewriteCraSlices();
        }
        emit(key != null);
    }

    private boolean firstSliceStartsPicture() {
        // H.264 first_mb_in_slice == 0 and H.265 first_slice_segment_in_pic_flag == 1 both make the first bit
        // after the NAL unit header a one
        int at = auFirstSliceOffset + headerLength;
        return at < length && (assembly[at] & 0x80) != 0;
    }

    private boolean setsAvailable() {
        int mask = auSetMask;
        for (int s = 0; s < parameterSets.length; s++) {
            if (parameterSets[s] != null) {
                mask |= 1 << s;
            }
        }
        return (mask & requiredSets) == requiredSets;
    }

    /**
     * Gives every CRA slice of the assembled access unit the header {@link #resumedCraHeader(int)} makes of it. The
     * NAL units are found at the start codes this class wrote (a NAL unit cannot hold {@code 00 00 00 01}).
     */
    private void rewriteCraSlices() {
        byte[] a = assembly;
        int i = 0;
        while (i + START_CODE_LENGTH + headerLength <= length) {
            if (a[i] == 0 && a[i + 1] == 0 && a[i + 2] == 0 && a[i + 3] == 1) {
                int at = i + START_CODE_LENGTH;
                int header = headerLength == 1 ? a[at] & 0xFF : (a[at] & 0xFF) << 8 | a[at + 1] & 0xFF;
                if (kindOf(nalType(header)) == NalUnitKind.CRA_SLICE) {
                    int rewritten = resumedCraHeader(header);
                    if (headerLength == 2) {
                        a[at] = (byte) (rewritten >>> 8);
                        a[at + 1] = (byte) rewritten;
                    } else {
                        a[at] = (byte) rewritten;
                    }
                }
                i = at + headerLength;
            } else {
                i++;
            }
        }
    }

    private void emit(boolean key) {
        boolean insertSets = key && (auSetMask & requiredSets) != requiredSets;
        long total = length;
        if (insertSets) {
            for (int s = 0; s < parameterSets.length; s++) {
                if ((requiredSets & 1 << s) != 0 && parameterSets[s] != null) {
                    total += START_CODE_LENGTH + parameterSets[s].length;
                }
            }
        }
        if (total > maxFrameSize) {
            oversize(total);
            drop("it is larger than the maximum frame size");
            return;
        }
        byte[] data = new byte[(int) total];
        int pos = 0;
        if (insertSets) {
            for (int s = 0; s < parameterSets.length; s++) {
                if ((requiredSets & 1 << s) != 0 && parameterSets[s] != null) {
                    pos = putNal(data, pos, parameterSets[s]);
                }
            }
        }
        System.arraycopy(assembly, 0, data, pos, length);
        MediaFrame frame = new MediaFrame(auTimestamp, data, key, discontinuity, 0);
        discontinuity = false;
        emittedAny = true;
        discard();
        sink.onFrame(frame);
    }

    private void skipUndecodable() {
        undecodableFramesSkipped++;
        discard();
    }

    private void drop(String why) {
        framesDropped++;
        drops.log("{}: frame at timestamp {} dropped because {} ({} frames dropped so far)", name, auTimestamp, why,
                framesDropped);
        discard();
        gap();
    }

    private void discard() {
        length = 0;
        auSetMask = 0;
    }

    // ---------------------------------------------------------------- assembly buffer

    private boolean writeStartCode() {
        if (auBroken || !reserve(START_CODE_LENGTH)) {
            return false;
        }
        byte[] a = assembly;
        a[length] = 0;
        a[length + 1] = 0;
        a[length + 2] = 0;
        a[length + 3] = 1;
        length += START_CODE_LENGTH;
        return true;
    }

    private void writeHeader(int header) {
        if (auBroken || !reserve(headerLength)) {
            return;
        }
        if (headerLength == 2) {
            assembly[length++] = (byte) (header >>> 8);
        }
        assembly[length++] = (byte) header;
    }

    private boolean write(ByteBuf buf, int index, int count) {
        if (auBroken || !reserve(count)) {
            return false;
        }
        buf.getBytes(index, assembly, length, count);
        length += count;
        return true;
    }

    /** Makes room for {@code count} more bytes, or marks the access unit broken when it would pass the maximum. */
    private boolean reserve(int count) {
        long needed = (long) length + count;
        if (needed > maxFrameSize) {
            oversize(needed);
            auBroken = true;
            return false;
        }
        if (needed > assembly.length) {
            long grown = Math.max(needed, Math.min((long) maxFrameSize, 2L * assembly.length));
            assembly = Arrays.copyOf(assembly, (int) grown);
        }
        return true;
    }

    private void oversize(long size) {
        warnings.log("{}: frame at timestamp {} reaches {} bytes, more than the maximum frame size of {}; dropped",
                name, auTimestamp, size, maxFrameSize);
    }

    // ---------------------------------------------------------------- helpers

    private static int slot(NalUnitKind kind) {
        switch (kind) {
            case VIDEO_PARAMETER_SET:
                return VPS;
            case SEQUENCE_PARAMETER_SET:
                return SPS;
            case PICTURE_PARAMETER_SET:
                return PPS;
            default:
                throw new IllegalArgumentException(kind + " is not a parameter set");
        }
    }

    private static int putNal(byte[] out, int pos, byte[] nal) {
        out[pos + 3] = 1;
        System.arraycopy(nal, 0, out, pos + START_CODE_LENGTH, nal.length);
        return pos + START_CODE_LENGTH + nal.length;
    }

    /**
     * Splits bytes that may hold several NAL units behind Annex B start codes ({@code 00 00 01} or
     * {@code 00 00 00 01}) into the NAL units, dropping zero bytes at the end of each; bytes without a start code
     * give one NAL unit. Empty pieces are left out. See {@link AnnexBNalUnits#split(byte[])}.
     */
    static List<byte[]> splitAnnexB(byte[] data) {
        return AnnexBNalUnits.split(data);
    }
}
