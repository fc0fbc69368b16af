package io.github.camelrtsp.publish;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.Packetizer;
import io.github.camelrtsp.format.PacketizerParameters;
import io.github.camelrtsp.format.Packetizers;
import io.github.camelrtsp.rtp.RtpPacket;
import io.github.camelrtsp.rtp.SenderReport;
import io.github.camelrtsp.server.ServerTrack;

/**
 * One outgoing track: turns frames with presentation times (microseconds) into RTP packets. The RTP timestamp is a
 * random base plus the presentation time in the track's clock (RFC 3550 5.1), modulo 2^32; SSRC and first sequence
 * number are random too. Counts what it sent for the RTCP sender reports.
 * <p>
 * Not thread safe: one thread (for instance the connection's event loop) sends all frames of a track.
 */
public final class PublishTrack {

    /** Default largest RTP packet: fits an Ethernet MTU with IP, UDP and the interleaved header around it. */
    public static final int DEFAULT_MTU = 1400;

    /** First dynamic RTP payload type (RFC 3551 3). */
    public static final int FIRST_DYNAMIC_PAYLOAD_TYPE = 96;

    /** The fmtp entries a packetizer takes at creation, per codec: what {@link #learn} carries over. */
    private static final Map<String, List<String>> LEARNT_KEYS = Map.of(
            "H264", List.of("sprop-parameter-sets", "profile-level-id"),
            "H265", List.of("sprop-vps", "sprop-sps", "sprop-pps"),
            "MPEG4-GENERIC", List.of("config"));

    private final TrackFormat format;
    private Packetizer packetizer;
    private PacketizerParameters parameters;
    private final long timestampBase;
    private long packetCount;
    private long octetCount;
    private long framesSent;
    private long lastTimestamp = -1;
    private long lastSendNanos;

    /**
     * A track with random SSRC, first sequence number and timestamp base.
     *
     * @param format      the track's format
     * @param payloadType RTP payload type (see {@link #payloadTypeFor(TrackFormat, int)})
     * @param mtu         largest RTP packet in bytes, header included
     * @throws IllegalArgumentException if the packetizer rejects the format (the message names the problem)
     */
    public PublishTrack(TrackFormat format, int payloadType, int mtu) {
        this(format, payloadType, mtu, ThreadLocalRandom.current().nextLong(1, 0x1_0000_0000L),
             ThreadLocalRandom.current().nextInt(0x10000), ThreadLocalRandom.current().nextLong(0x1_0000_0000L));
    }

    /**
     * A track with the given SSRC, first sequence number and timestamp base (for tests and for continuing a stream).
     *
     * @throws IllegalArgumentException if the packetizer rejects the format
     */
    public PublishTrack(TrackFormat format, int payloadType, int mtu, long ssrc, int firstSequence,
                        long timestampBase) {
        this.format = Objects.requireNonNull(format, "format");
        this.parameters = new PacketizerParameters(format.codec(), payloadType, format.clockRate(), format.channels(),
                                                   format.fmtp(), ssrc & 0xFFFF_FFFFL, firstSequence & 0xFFFF, mtu);
        this.packetizer = Packetizers.create(parameters);
        this.timestampBase = timestampBase & 0xFFFF_FFFFL;
    }

    /**
     * The payload type of the {@code index}-th track: the RFC 3551 static type for PCMU (0), PCMA (8) and G722 (9),
     * else the dynamic type {@code 96 + index} (capped at 127).
     */
    public static int payloadTypeFor(TrackFormat format, int index) {
        switch (format.codec()) {
            case "PCMU":
                return format.channels() == null || format.channels() == 1 ? 0 : dynamic(index);
            case "PCMA":
                return format.channels() == null || format.channels() == 1 ? 8 : dynamic(index);
            case "G722":
                return format.channels() == null || format.channels() == 1 ? 9 : dynamic(index);
            default:
                return dynamic(index);
        }
    }

    private static int dynamic(int index) {
        return Math.min(127, FIRST_DYNAMIC_PAYLOAD_TYPE + Math.max(0, index));
    }

    /** The track's format. */
    public TrackFormat format() {
        return format;
    }

    /** The RTP payload type written. */
    public int payloadType() {
        return parameters.payloadType();
    }

    /** The SSRC written (unsigned 32-bit). */
    public long ssrc() {
        return parameters.ssrc();
    }

    /**
     * The RTP timestamp of a presentation time: the base plus the time in the clock rate (rounded to the nearest
     * tick, so that microsecond times made from RTP ticks map back to the same ticks), modulo 2^32.
     */
    public long rtpTimestamp(long presentationMicros) {
        long ticks = Math.abs(presentationMicros) < Long.MAX_VALUE / format.clockRate()
                ? Math.floorDiv(presentationMicros * format.clockRate() + 500_000L, 1_000_000L)
                : scaledLarge(presentationMicros);
        return (timestampBase + ticks) & 0xFFFF_FFFFL;
    }

    /** Presentation times whose product with the clock rate does not fit a long (beyond ~3 years at 90 kHz). */
    private long scaledLarge(long micros) {
        return Math.floorDiv(micros, 1_000_000L) * format.clockRate()
               + (Math.floorMod(micros, 1_000_000L) * format.clockRate() + 500_000L) / 1_000_000L;
    }

    /**
     * Whether the SDP can describe the track completely: H.264 needs its SPS and PPS, H.265 its VPS, SPS and PPS
     * (from the fmtp or a key frame sent before), AAC its config; other formats always.
     */
    public boolean hasParameterSets() {
        Map<String, String> fmtp = packetizer.formatParameters();
        switch (format.codec()) {
            case "H264":
                return fmtp.containsKey("sprop-parameter-sets");
            case "H265":
                return fmtp.containsKey("sprop-vps") && fmtp.containsKey("sprop-sps") && fmtp.containsKey("sprop-pps");
            case "MPEG4-GENERIC":
                return fmtp.containsKey("config");
            default:
                return true;
        }
    }

    /**
     * Learns the parameter sets (H.264, H.265) or the AAC config of a frame without sending it, so that the SDP can
     * be complete before the first frame goes out: the frame is packetized into a scratch packetizer whose packets
     * are discarded, and the packetizer of the track is made again with what it learnt. Does nothing once a frame
     * was sent (the packetizer then learns from the frames it sends), nor for formats without such parameters.
     *
     * @throws IllegalArgumentException if the frame is not in the format's layout
     */
    public void learn(byte[] frame) {
        if (framesSent > 0 || hasParameterSets() || LEARNT_KEYS.get(format.codec()) == null) {
            return;
        }
        Packetizer scratch = Packetizers.create(parameters);
        scratch.packetize(new MediaFrame(0, frame, true, false, 0), io.netty.buffer.ByteBuf::release);
        Map<String, String> fmtp = new LinkedHashMap<>(parameters.fmtp());
        Map<String, String> learnt = scratch.formatParameters();
        for (String key : LEARNT_KEYS.get(format.codec())) {
            String value = learnt.get(key);
            if (value != null) {
                fmtp.put(key, value);
            }
        }
        parameters = new PacketizerParameters(parameters.codec(), parameters.payloadType(), parameters.clockRate(),
                                              parameters.channels(), fmtp, parameters.ssrc(),
                                              parameters.firstSequence(), parameters.mtu());
        packetizer = Packetizers.create(parameters);
    }

    /**
     * Sends one frame: packetizes it with the RTP timestamp of {@code presentationMicros} and hands each packet to the
     * sink (which owns it).
     *
     * @param frame              the frame bytes, in the layout the matching depacketizer emits
     * @param presentationMicros presentation time in microseconds on the publisher's timeline
     * @param keyFrame           whether decoding can start at this frame
     * @param discontinuity      whether data was lost right before it (Opus marks the talkspurt start)
     * @param sampleCount        audio samples per channel, or 0
     * @param sink               receives the packets
     * @return the number of packets sent
     * @throws IllegalArgumentException if the frame is not in the expected layout (nothing was sent)
     */
    public int send(byte[] frame, long presentationMicros, boolean keyFrame, boolean discontinuity, int sampleCount,
            Packetizer.PacketSink sink) {
        long ts = rtpTimestamp(presentationMicros);
        int[] count = new int[1];
        packetizer.packetize(new MediaFrame(ts, frame, keyFrame, discontinuity, sampleCount), buf -> {
            count[0]++;
            packetCount++;
            octetCount += buf.readableBytes() - RtpPacket.FIXED_HEADER_LENGTH;
            sink.onPacket(buf);
        });
        framesSent++;
        lastTimestamp = ts;
        lastSendNanos = System.nanoTime();
        return count[0];
    }

    /** The SDP media section of the track: rtpmap and the fmtp known so far. */
    public ServerTrack serverTrack() {
        return new ServerTrack(format.mediaType(), payloadType(), packetizer.rtpMap(), packetizer.formatParameters(),
                               format.clockRate());
    }

    /** Packets sent so far. */
    public long packetCount() {
        return packetCount;
    }

    /** Payload octets sent so far (RTP headers not counted, as RFC 3550 6.4.1 wants). */
    public long octetCount() {
        return octetCount;
    }

    /** Frames sent so far. */
    public long framesSent() {
        return framesSent;
    }

    /**
     * The RTCP sender report for now: the wall clock {@code nowNtp} and the RTP timestamp of now, extrapolated from
     * the last frame sent with the time since it was sent; null before the first frame.
     *
     * @param nowNtp    current time as a 64-bit NTP timestamp ({@link SenderReport#instantToNtp})
     * @param nanoTime  current {@link System#nanoTime()}
     */
    public SenderReport senderReport(long nowNtp, long nanoTime) {
        if (lastTimestamp < 0) {
            return null;
        }
        long elapsedTicks = Math.max(0, nanoTime - lastSendNanos) / 1000 * format.clockRate() / 1_000_000L;
        return new SenderReport(ssrc(), nowNtp, (lastTimestamp + elapsedTicks) & 0xFFFF_FFFFL, packetCount & 0xFFFF_FFFFL,
                                octetCount & 0xFFFF_FFFFL);
    }

    @Override
    public String toString() {
        return "publish track " + format.codec() + "/" + format.clockRate() + " pt " + payloadType();
    }
}
