package io.github.camelrtsp.format.aac;

import java.util.Arrays;
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
 * Rebuilds AAC access units from RTP payload format MP4A-LATM (RFC 6416, formerly RFC 3016) and emits each as one
 * ADTS frame.
 * <p>
 * A payload is an AudioMuxElement; one that does not fit a packet continues in the following packets with the same
 * timestamp until the marker. Several AudioMuxElements in one payload (allowed by RFC 3016) are read one after the
 * other. The StreamMuxConfig comes from fmtp {@code config} with {@code cpresent=0}, or in band with
 * {@code cpresent=1} (the default), where {@code useSameStreamMux} keeps the last one; fmtp {@code config}, when
 * given with {@code cpresent=1}, serves until the first in-band one. Each AudioMuxElement holds
 * {@code numSubFrames + 1} PayloadMux elements with their PayloadLengthInfo (runs of 0xFF bytes), each one access
 * unit; the n-th access unit of a payload gets the packet timestamp plus n frame durations.
 * <p>
 * Supported StreamMuxConfigs: audioMuxVersion 0 or 1, one program with one layer, the same time framing for all
 * streams, frame length type 0; others are skipped and counted. A fmtp config that is only the StreamMuxConfig
 * header and a whole AudioSpecificConfig (as GStreamer's payloader writes it: cut short after the config, or with the
 * config's sync extension where the frame length type belongs) is read with frame length type 0, no other data and
 * no CRC. The ADTS rules are those of {@link Mpeg4GenericDepacketizer}: object types without an ADTS profile, rates
 * outside the ADTS table and channel configurations above 7 are skipped and counted with a rate-limited WARN,
 * channel configuration 0 repeats the program config element in every frame, 960-sample frames pass with a WARN.
 * <p>
 * A packet or a multi-packet payload is checked whole before any of its frames is emitted. LATM gives no sizes that
 * would show a payload whose first packets were lost, so after a loss the next payload is kept only when sequence
 * numbers and timestamps prove the lost packets all belonged to earlier payloads (one packet per payload, as when
 * payloads fit in single packets); otherwise it is dropped and counted, and packets with its timestamp are
 * discarded up to its marker.
 */
public final class Mp4aLatmDepacketizer implements Depacketizer {

    private static final Logger LOG = LoggerFactory.getLogger(Mp4aLatmDepacketizer.class);

    private final boolean configPresent;
    private final int clockRate;
    private final int maxFrameSize;
    private final String subject;
    private final RateLimitedLog warnings;
    private final BitReader reader = new BitReader();
    private final ByteBuf assembly;

    private StreamMuxConfig current;
    private AdtsFramer framer;
    private String unsupported;

    // the last in-band StreamMuxConfig and its bits, so a repeated one is recognised without parsing it again
    private StreamMuxConfig lastInBand;
    private byte[] lastInBandBits;
    private long lastInBandLength;

    private long[] subframeBit = new long[4];
    private int[] subframeLength = new int[4];
    private StreamMuxConfig[] subframeConfig = new StreamMuxConfig[4];
    private int subframes;

    private boolean assembling;
    private long partialTimestamp;
    private long lastTimestamp;
    private boolean lastMarker;
    private boolean discarding;
    private long discardTimestamp;
    private boolean discontinuity;
    private int lastSequence = -1;
    private long framesDropped;
    private long packetsSkipped;

    /**
     * Creates the depacketizer for one track.
     *
     * @throws IllegalArgumentException if the parameters cannot describe a LATM stream: another codec, a
     *                                  {@code cpresent} other than 0 or 1, {@code cpresent=0} without
     *                                  {@code config}, an invalid or unsupported {@code config}, a clock rate or
     *                                  maximum frame size below 1
     */
    public Mp4aLatmDepacketizer(FormatParameters params) {
        AacTracks.check(params, "MP4A-LATM");
        Map<String, String> fmtp = params.fmtp();
        String cpresent = Fmtp.lower(fmtp, "cpresent");
        if (cpresent == null || cpresent.equals("1")) {
            this.configPresent = true;
        } else if (cpresent.equals("0")) {
            this.configPresent = false;
        } else {
            throw new IllegalArgumentException("MP4A-LATM cpresent=" + cpresent + " is not 0 or 1");
        }
        this.clockRate = params.clockRate();
        this.maxFrameSize = params.maxFrameSize();
        this.subject = "MP4A-LATM payload type " + params.payloadType();
        this.warnings = new RateLimitedLog(LOG, subject);
        this.assembly = Unpooled.buffer(Math.min(2048, maxFrameSize), maxFrameSize);
        String hex = Fmtp.get(fmtp, "config");
        if (hex != null && !hex.isEmpty()) {
            apply(StreamMuxConfig.parseHex(hex));
        } else if (!configPresent) {
            throw new IllegalArgumentException("MP4A-LATM with cpresent=0 but no fmtp config (StreamMuxConfig)");
        }
    }

    /** The AudioSpecificConfig in use, or null while no StreamMuxConfig has been seen (in-band config only). */
    public AudioSpecificConfig audioSpecificConfig() {
        return current == null ? null : current.audioSpecificConfig();
    }

    /** The AudioSpecificConfig bytes in use, or null while none is known yet. */
    @Override
    public byte[] codecConfig() {
        return current == null ? null : current.audioSpecificConfig().bytes();
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
        long timestamp = packet.timestamp();
        boolean marker = packet.marker();
        boolean fresh = !gap || startsAfterLoss(sequence, timestamp);
        lastSequence = sequence;
        lastTimestamp = timestamp;
        lastMarker = marker;
        if (gap) {
            discontinuity = true;
            if (assembling) {
                dropPartial("packets lost inside an AudioMuxElement spanning packets");
                discarding = true;
                discardTimestamp = partialTimestamp;
            }
            if (!fresh && !(discarding && timestamp == discardTimestamp)) {
                // the lost packets may have held the start of this payload: it cannot be trusted
                framesDropped++;
                warnings.warn("AudioMuxElement dropped: the packets lost before it may have held its start");
                discarding = !marker;
                discardTimestamp = timestamp;
                return;
            }
        }
        if (discarding) {
            if (timestamp == discardTimestamp) {
                discarding = !marker;
                return;
            }
            discarding = false;
        }
        if (assembling && timestamp != partialTimestamp) {
            dropPartial("AudioMuxElement spanning packets ended without the marker");
        }
        ByteBuf buf = packet.buffer();
        int index = packet.payloadIndex();
        int length = packet.payloadLength();
        if (!assembling && marker) {
            parse(buf, index, length, timestamp, sink);
            return;
        }
        if (assembly.writerIndex() + length > maxFrameSize) {
            if (assembling) {
                assembling = false;
                assembly.clear();
            }
            framesDropped++;
            discontinuity = true;
            warnings.warn("AudioMuxElement dropped: larger than the maximum frame size of " + maxFrameSize
                          + " bytes");
            if (!marker) {
                discarding = true;
                discardTimestamp = timestamp;
            }
            return;
        }
        if (!assembling) {
            assembly.clear();
            assembling = true;
            partialTimestamp = timestamp;
        }
        assembly.writeBytes(buf, index, length);
        if (marker) {
            assembling = false;
            parse(assembly, 0, assembly.writerIndex(), partialTimestamp, sink);
            assembly.clear();
        }
    }

    /**
     * Whether the packet after a loss provably starts a payload. The lost packets must then all belong to earlier
     * payloads: as many as the payloads whose timestamps lie between the last packet received and this one (one
     * packet each at least), plus one for the rest of the last payload when its marker had not come. Any other count
     * leaves room for the start of this payload among them.
     */
    private boolean startsAfterLoss(int sequence, long timestamp) {
        if (lastSequence < 0 || current == null) {
            return false;
        }
        int lostPackets = (sequence - lastSequence - 1) & 0xFFFF;
        long duration = ticks(current.numSubFrames() + 1L);
        long distance = (timestamp - lastTimestamp) & 0xFFFF_FFFFL;
        if (lostPackets == 0 || duration <= 0 || distance >= 1L << 31) {
            return false;
        }
        long between = (distance + duration / 2) / duration - 1;
        return between >= 0 && lostPackets == between + (lastMarker ? 0 : 1);
    }

    /** Checks every AudioMuxElement of a whole payload, then emits its access units. */
    private void parse(ByteBuf buf, int index, int length, long timestamp, FrameSink sink) {
        subframes = 0;
        StreamMuxConfig config = current;
        try {
            reader.reset(buf, index, 8L * length);
            if (length == 0) {
                throw new AacFormatException("empty payload");
            }
            while (reader.remaining() >= 8) {
                long elementStart = reader.position();
                if (configPresent && !reader.bit()) {
                    StreamMuxConfig inBand = readInBandConfig();
                    if (!inBand.equals(config)) {
                        config = inBand;
                    }
                }
                if (config == null) {
                    throw new AacFormatException("AudioMuxElement uses the previous StreamMuxConfig but none has "
                                                 + "been received yet");
                }
                for (int i = 0; i <= config.numSubFrames(); i++) {
                    int size = 0;
                    int part;
                    do {
                        part = reader.readInt(8);
                        size += part;
                    } while (part == 255);
                    if (size == 0) {
                        throw new AacFormatException("PayloadMux of 0 bytes");
                    }
                    record(reader.position(), size, config);
                    reader.skip(8L * size);
                }
                reader.skip(config.otherDataBits());
                reader.alignFrom(elementStart);
            }
        } catch (AacFormatException e) {
            skip("payload skipped: " + e.getMessage());
            return;
        }
        boolean skipped = false;
        for (int i = 0; i < subframes; i++) {
            if (subframeConfig[i] != current) {
                apply(subframeConfig[i]);
            }
            if (framer == null) {
                skipped = true;
                continue;
            }
            int size = subframeLength[i];
            if (!framer.fits(size)) {
                framesDropped++;
                discontinuity = true;
                warnings.warn("access unit of " + size + " bytes dropped: larger than "
                              + framer.maxAccessUnitLength() + " bytes (ADTS limit and maximum frame size)");
                continue;
            }
            byte[] data = framer.frame(buf, index, subframeBit[i], size);
            boolean flag = discontinuity;
            discontinuity = false;
            sink.onFrame(new MediaFrame((timestamp + ticks(i)) & 0xFFFFFFFFL, data, true, flag,
                                        current.audioSpecificConfig().samplesPerFrame()));
        }
        Arrays.fill(subframeConfig, 0, subframes, null);
        if (skipped) {
            skip(unsupported);
        }
    }

    /** Reads an in-band StreamMuxConfig; one repeating the previous one bit for bit is skipped, not parsed. */
    private StreamMuxConfig readInBandConfig() {
        long start = reader.position();
        if (lastInBand != null && repeatsLastInBand()) {
            reader.seek(start + lastInBandLength);
            return lastInBand;
        }
        reader.seek(start);
        StreamMuxConfig config = StreamMuxConfig.read(reader, false);
        lastInBandLength = reader.position() - start;
        lastInBandBits = new BitWriter().copy(reader.buffer(), reader.startIndex(), start, lastInBandLength)
                .toByteArray();
        lastInBand = config;
        return config;
    }

    /** Whether the next bits are those of the last in-band config; moves the reader. */
    private boolean repeatsLastInBand() {
        if (reader.remaining() < lastInBandLength) {
            return false;
        }
        long left = lastInBandLength;
        int i = 0;
        while (left >= 8) {
            if (reader.readInt(8) != (lastInBandBits[i++] & 0xFF)) {
                return false;
            }
            left -= 8;
        }
        return left == 0 || reader.readInt((int) left) == (lastInBandBits[i] & 0xFF) >>> (8 - left);
    }

    private void record(long bit, int size, StreamMuxConfig config) {
        if (subframes == subframeBit.length) {
            int capacity = subframes * 2;
            subframeBit = Arrays.copyOf(subframeBit, capacity);
            subframeLength = Arrays.copyOf(subframeLength, capacity);
            subframeConfig = Arrays.copyOf(subframeConfig, capacity);
        }
        subframeBit[subframes] = bit;
        subframeLength[subframes] = size;
        subframeConfig[subframes] = config;
        subframes++;
    }

    /**
     * Makes {@code config} the one in use and prepares its ADTS header (or notes why there is none). The config from
     * fmtp is reported with a plain WARN; in-band ones go through the rate limit, since a stream may change them
     * often.
     */
    private void apply(StreamMuxConfig config) {
        boolean first = current == null;
        current = config;
        AudioSpecificConfig asc = config.audioSpecificConfig();
        unsupported = asc.adtsIncompatibility();
        framer = unsupported == null ? new AdtsFramer(asc, maxFrameSize) : null;
        String problem = null;
        if (unsupported != null) {
            problem = unsupported + "; its access units will be skipped (config " + asc + ")";
        } else if (asc.frameLength() == 960) {
            problem = "960-sample frames cannot be signalled in ADTS; decoders of the ADTS bodies will assume 1024 "
                      + "(use codecConfig() for raw AAC)";
        }
        if (problem == null) {
            LOG.debug("{}: {} StreamMuxConfig {}", subject, first ? "using" : "changed to", asc);
        } else if (first) {
            LOG.warn("{}: {}", subject, problem);
        } else {
            warnings.warn(problem);
        }
    }

    /** RTP clock ticks from the first access unit of a payload to the one {@code position} units later. */
    private long ticks(long position) {
        return AacTracks.ticks(current.audioSpecificConfig(), clockRate, position);
    }

    private void dropPartial(String reason) {
        assembling = false;
        assembly.clear();
        framesDropped++;
        discontinuity = true;
        warnings.warn("AudioMuxElement dropped: " + reason);
    }

    private void skip(String reason) {
        packetsSkipped++;
        discontinuity = true;
        warnings.warn(reason);
    }
}
