package io.github.camelrtsp.format.passthrough;

import java.util.Locale;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelrtsp.format.Depacketizer;
import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.FrameSink;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.RateLimitedLog;
import io.github.camelrtsp.rtp.RtpPacket;
import io.netty.buffer.ByteBuf;

/**
 * Base of the payload formats where each RTP packet's payload is one whole frame (G.711, G.722, L16/L8, Opus, and
 * the passthrough of unknown formats). Per packet it checks the payload, copies it once into the frame's new array
 * and emits it; there is no assembly buffer since no frame spans packets.
 * <p>
 * Rules shared by the subclasses:
 * <ul>
 * <li>A packet flagged {@code lost} has no partial frame to drop (every frame is one packet); the next emitted frame
 * carries {@code discontinuity=true}. Missing packets are not counted in {@link #framesDropped()}: they never
 * arrived, and the RTP receiver statistics count them.</li>
 * <li>An empty payload holds no frame: it is skipped and counted in {@link #packetsSkipped()}.</li>
 * <li>A payload larger than {@code maxFrameSize} is dropped and counted in {@link #framesDropped()}.</li>
 * <li>A payload the subclass finds malformed is skipped and counted in both {@link #packetsSkipped()} and
 * {@link #framesDropped()}.</li>
 * <li>Every problem is logged at WARN through {@link RateLimitedLog} (at most one line per 10 s, with counts); dropped
 * or skipped data flags the next frame as a discontinuity.</li>
 * </ul>
 * Frames are always key frames (each one decodes on its own, or at least a decoder can start with it).
 */
public abstract class WholePayloadDepacketizer implements Depacketizer {

    /** The code {@link #wholeSamples} returns for a payload that is not a whole number of sample instants. */
    protected static final int PARTIAL_SAMPLE = -1;

    private static final String SKIPPED = "packet skipped";
    private static final String DROPPED = "frame dropped";

    private final FormatParameters parameters;
    private final int maxFrameSize;
    private final RateLimitedLog warning;
    private boolean discontinuity;
    private long framesDropped;
    private long packetsSkipped;

    /**
     * @param parameters the track's format; {@code maxFrameSize} must be positive
     * @throws IllegalArgumentException if {@code maxFrameSize} is not positive
     */
    protected WholePayloadDepacketizer(FormatParameters parameters) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        if (parameters.maxFrameSize() <= 0) {
            throw new IllegalArgumentException("maxFrameSize must be positive: " + parameters.maxFrameSize());
        }
        this.maxFrameSize = parameters.maxFrameSize();
        Logger log = LoggerFactory.getLogger(getClass());
        this.warning = new RateLimitedLog(log, describe(parameters));
    }

    /**
     * Checks a non-empty payload of at most {@code maxFrameSize} bytes and tells how many samples it holds.
     * Must not keep references to the buffer.
     *
     * @param buf    buffer holding the payload
     * @param index  absolute index of the payload's first byte
     * @param length payload length, at least 1
     * @return samples per channel in the frame (0 where unknown), or a negative code for a malformed payload,
     *         explained by {@link #problem(int)}
     */
    protected abstract int sampleCount(ByteBuf buf, int index, int length);

    /** Text for a negative code returned by {@link #sampleCount}: a constant, not built per call. */
    protected abstract String problem(int code);

    /** The parameters the depacketizer was created with. */
    public final FormatParameters parameters() {
        return parameters;
    }

    @Override
    public final void onPacket(RtpPacket packet, boolean lost, FrameSink sink) {
        if (lost) {
            discontinuity = true;
        }
        int length = packet.payloadLength();
        if (length == 0) {
            packetsSkipped++;
            warning.report("empty payload", 0, SKIPPED);
            return;
        }
        if (length > maxFrameSize) {
            framesDropped++;
            discontinuity = true;
            warning.report("payload larger than the maximum frame size", length, DROPPED);
            return;
        }
        ByteBuf buf = packet.buffer();
        int index = packet.payloadIndex();
        int samples = sampleCount(buf, index, length);
        if (samples < 0) {
            packetsSkipped++;
            framesDropped++;
            discontinuity = true;
            warning.report(problem(samples), length, SKIPPED);
            return;
        }
        byte[] data = new byte[length];
        buf.getBytes(index, data);
        boolean gap = discontinuity;
        discontinuity = false;
        sink.onFrame(new MediaFrame(packet.timestamp(), data, true, gap, samples));
    }

    @Override
    public final void reset() {
        discontinuity = true;
    }

    @Override
    public final long framesDropped() {
        return framesDropped;
    }

    @Override
    public final long packetsSkipped() {
        return packetsSkipped;
    }

    /** A short name of the track for log lines: codec, clock rate, channels and payload type. */
    protected static String describe(FormatParameters p) {
        StringBuilder sb = new StringBuilder();
        sb.append(p.codec() == null || p.codec().isBlank() ? "(no codec)" : p.codec());
        sb.append('/').append(p.clockRate());
        if (p.channels() != null) {
            sb.append('/').append(p.channels());
        }
        return sb.append(" pt ").append(p.payloadType()).toString();
    }

    /** The track's codec name trimmed and in upper case, for comparing with the names a subclass reads; "" if none. */
    protected static String codecName(FormatParameters p) {
        return p.codec() == null ? "" : p.codec().trim().toUpperCase(Locale.ROOT);
    }

    /**
     * Samples per channel in a payload of interleaved fixed-size samples, for {@link #sampleCount}: {@code length}
     * divided by {@code bytesPerInstant} (bytes of one sample of every channel), or {@link #PARTIAL_SAMPLE} when the
     * payload is not a whole number of sample instants.
     */
    protected static int wholeSamples(int length, int bytesPerInstant) {
        return length % bytesPerInstant == 0 ? length / bytesPerInstant : PARTIAL_SAMPLE;
    }

    /**
     * Audio channels of the track: {@code channels} when given and positive, else 1 (RFC 3551: an rtpmap without
     * a channel count means one channel).
     *
     * @throws IllegalArgumentException if the count is given but not positive
     */
    protected static int channelsOf(FormatParameters p) {
        Integer channels = p.channels();
        if (channels == null) {
            return 1;
        }
        if (channels <= 0) {
            throw new IllegalArgumentException(describe(p) + ": channel count must be positive: " + channels);
        }
        return channels;
    }
}
