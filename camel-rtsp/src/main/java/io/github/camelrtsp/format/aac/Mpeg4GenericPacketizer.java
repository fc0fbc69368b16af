package io.github.camelrtsp.format.aac;

import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.camelrtsp.format.BasePacketizer;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.PacketizerParameters;
import io.netty.buffer.ByteBuf;

/**
 * AAC in RTP payload format MPEG4-GENERIC (RFC 3640) {@code mode=AAC-hbr}, from ADTS frames as
 * {@link Mpeg4GenericDepacketizer} emits them.
 * <p>
 * Each frame holds one or more whole ADTS frames (header with or without CRC, one raw data block each). The ADTS
 * header is stripped and each access unit goes out in its own packet: AU-headers-length 16, one AU header of a 13-bit
 * AU-size and a 3-bit AU-Index 0, then the access unit; the marker bit is set, as RFC 3640 3.2.3 wants for a packet
 * ending an access unit. An access unit larger than the MTU allows is fragmented (RFC 3640 3.2.3): every fragment
 * repeats the AU header with the size of the whole access unit and the same timestamp, and only the last has the
 * marker bit. The n-th ADTS frame of a frame gets the frame's timestamp plus n access unit durations.
 * <p>
 * The AudioSpecificConfig is fmtp {@code config} when the parameters give one (every ADTS header must then match its
 * object type, sampling frequency index and channel configuration), else it is built from the first ADTS header
 * (2 bytes: object type, frequency index, channel configuration, 1024-sample frames) and every later header must
 * match it. Channel configuration 0 needs the config from the parameters, since the channel layout then lives in a
 * program config element; when an access unit starts with exactly the config's program config element as
 * {@link Mpeg4GenericDepacketizer} puts it there, that element is removed so the round trip is byte-exact.
 */
public final class Mpeg4GenericPacketizer extends BasePacketizer {

    /** Largest access unit the 13-bit AU-size field can announce. */
    public static final int MAX_ACCESS_UNIT = (1 << 13) - 1;

    private static final int AU_HEADER_SECTION = 4;
    private static final int ADTS_HEADER = 7;
    private static final int ADTS_HEADER_CRC = 9;

    private final Integer channels;
    private AudioSpecificConfig config;
    private byte[] pce;
    private int profile;
    private int frequencyIndex;
    private int channelConfiguration;
    private Map<String, String> formatParameters;
    // ADTS frames of the frame being sent: start of the access unit and its length, filled by parse
    private int[] auStart = new int[4];
    private int[] auLength = new int[4];

    /**
     * @param parameters codec MPEG4-GENERIC; clock rate usually the sampling rate; an optional fmtp {@code config}
     *                   (hex AudioSpecificConfig)
     * @throws IllegalArgumentException for another codec, an invalid {@code config} or one that ADTS cannot describe,
     *                                  or an MTU without room for the AU header section and one byte
     */
    public Mpeg4GenericPacketizer(PacketizerParameters parameters) {
        super(parameters, AU_HEADER_SECTION + 1);
        if (parameters.codec() == null || !parameters.codec().trim().equalsIgnoreCase("MPEG4-GENERIC")) {
            throw new IllegalArgumentException("RFC 3640 packetizer needs codec MPEG4-GENERIC, not "
                                               + parameters.codec());
        }
        this.channels = parameters.channels();
        String hex = fmtp(parameters.fmtp(), "config");
        if (hex != null && !hex.isEmpty()) {
            AudioSpecificConfig given = AudioSpecificConfig.parseHex(hex);
            String problem = given.adtsIncompatibility();
            if (problem != null) {
                throw new IllegalArgumentException("fmtp config " + hex + " cannot come from ADTS frames: " + problem);
            }
            use(given);
        } else {
            formatParameters = fmtpFor(null);
        }
    }

    /** The AudioSpecificConfig announced: from the parameters, or from the first frame; null before it is known. */
    public AudioSpecificConfig audioSpecificConfig() {
        return config;
    }

    /**
     * Sends the access units of the ADTS frames in {@code frame}.
     *
     * @throws IllegalArgumentException if the data is not a sequence of whole ADTS frames with one raw data block
     *                                  each, or a header does not match the config (nothing is sent)
     */
    @Override
    public void packetize(MediaFrame frame, PacketSink sink) {
        byte[] data = frameData(frame);
        int count = parse(data);
        if (config == null) {
            if (channelConfiguration == 0) {
                throw new IllegalArgumentException("ADTS channel configuration 0 (layout in a program config element) "
                                                   + "needs the AudioSpecificConfig in fmtp config");
            }
            byte[] asc = new BitWriter().put(profile + 1, 5).put(frequencyIndex, 4).put(channelConfiguration, 4)
                    .put(0, 3).toByteArray();
            use(AudioSpecificConfig.parse(asc));
        }
        long step = accessUnitTicks();
        for (int i = 0; i < count; i++) {
            send(data, auStart[i], auLength[i], frame.rtpTimestamp() + i * step, sink);
        }
    }

    /** {@code MPEG4-GENERIC/<clock rate>/<channels>}; channels from the parameters, else from the config once known. */
    @Override
    public String rtpMap() {
        Integer ch = channels;
        if (ch == null && config != null && config.channelCount() > 0) {
            ch = config.channelCount();
        }
        return rtpMap("MPEG4-GENERIC", parameters().clockRate(), ch, true);
    }

    /**
     * {@code streamtype=5}, {@code profile-level-id=1}, {@code mode=AAC-hbr}, {@code config} (hex, once known),
     * {@code sizelength=13}, {@code indexlength=3}, {@code indexdeltalength=3}.
     */
    @Override
    public Map<String, String> formatParameters() {
        return formatParameters;
    }

    private void use(AudioSpecificConfig c) {
        this.config = c;
        this.profile = c.audioObjectType() - 1;
        this.frequencyIndex = c.adtsSamplingFrequencyIndex();
        this.channelConfiguration = c.channelConfiguration();
        this.pce = c.channelConfiguration() == 0 ? c.adtsProgramConfigElement() : null;
        this.formatParameters = fmtpFor(c);
    }

    private static Map<String, String> fmtpFor(AudioSpecificConfig c) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("streamtype", "5");
        m.put("profile-level-id", "1");
        m.put("mode", "AAC-hbr");
        if (c != null) {
            m.put("config", HexFormat.of().formatHex(c.bytes()));
        }
        m.put("sizelength", "13");
        m.put("indexlength", "3");
        m.put("indexdeltalength", "3");
        return Collections.unmodifiableMap(m);
    }

    /**
     * Checks every ADTS header of {@code data} and records where each access unit lies; returns their number. With no
     * config yet, the first header's fields become the reference the others must match.
     */
    private int parse(byte[] data) {
        int count = 0;
        int pos = 0;
        boolean reference = config != null;
        while (pos < data.length) {
            if (data.length - pos < ADTS_HEADER) {
                throw new IllegalArgumentException("ADTS header cut short at byte " + pos + " of " + data.length);
            }
            int b1 = data[pos + 1] & 0xFF;
            if ((data[pos] & 0xFF) != 0xFF || (b1 & 0xF6) != 0xF0) {
                throw new IllegalArgumentException("no ADTS sync word at byte " + pos);
            }
            int headerLength = (b1 & 1) != 0 ? ADTS_HEADER : ADTS_HEADER_CRC;
            int b2 = data[pos + 2] & 0xFF;
            int b3 = data[pos + 3] & 0xFF;
            int frameProfile = b2 >>> 6;
            int frameFrequency = (b2 >>> 2) & 0xF;
            int frameChannels = ((b2 & 1) << 2) | (b3 >>> 6);
            int frameLength = ((b3 & 3) << 11) | ((data[pos + 4] & 0xFF) << 3) | ((data[pos + 5] & 0xFF) >>> 5);
            int rawBlocks = data[pos + 6] & 3;
            if (frameFrequency > 12) {
                throw new IllegalArgumentException("ADTS sampling frequency index " + frameFrequency + " is reserved");
            }
            if (rawBlocks != 0) {
                throw new IllegalArgumentException("ADTS frame with " + (rawBlocks + 1) + " raw data blocks; one "
                                                   + "access unit per ADTS frame is supported");
            }
            if (frameLength <= headerLength || frameLength > data.length - pos) {
                throw new IllegalArgumentException("ADTS frame length " + frameLength + " at byte " + pos
                                                   + " does not fit the " + (data.length - pos) + " bytes left");
            }
            if (!reference) {
                profile = frameProfile;
                frequencyIndex = frameFrequency;
                channelConfiguration = frameChannels;
                reference = true;
            } else if (frameProfile != profile || frameFrequency != frequencyIndex
                       || frameChannels != channelConfiguration) {
                throw new IllegalArgumentException("ADTS header (object type " + (frameProfile + 1) + ", frequency "
                                                   + "index " + frameFrequency + ", channel configuration "
                                                   + frameChannels + ") does not match the config (object type "
                                                   + (profile + 1) + ", frequency index " + frequencyIndex
                                                   + ", channel configuration " + channelConfiguration + ")");
            }
            int start = pos + headerLength;
            int length = frameLength - headerLength;
            if (pce != null && length > pce.length
                && Arrays.equals(data, start, start + pce.length, pce, 0, pce.length)) {
                start += pce.length;
                length -= pce.length;
            }
            if (count == auStart.length) {
                auStart = Arrays.copyOf(auStart, count * 2);
                auLength = Arrays.copyOf(auLength, count * 2);
            }
            auStart[count] = start;
            auLength[count] = length;
            count++;
            pos += frameLength;
        }
        return count;
    }

    /** RTP clock ticks of one access unit: its samples at the core rate, in the RTP clock. */
    private long accessUnitTicks() {
        long rate = config.samplingFrequency();
        long samples = config.frameLength() > 0 ? config.frameLength() : 1024;
        return (2 * samples * parameters().clockRate() + rate) / (2 * rate);
    }

    private void send(byte[] data, int start, int length, long timestamp, PacketSink sink) {
        int room = maxPayload() - AU_HEADER_SECTION;
        int offset = 0;
        do {
            int chunk = Math.min(room, length - offset);
            boolean last = offset + chunk == length;
            ByteBuf packet = newPacket(last, timestamp, AU_HEADER_SECTION + chunk);
            packet.writeShort(16); // AU-headers-length in bits: one 16-bit AU header
            packet.writeShort(length << 3); // AU-size (13 bits), AU-Index 0 (3 bits)
            packet.writeBytes(data, start + offset, chunk);
            offset += chunk;
            sink.onPacket(packet);
        } while (offset < length);
    }
}
