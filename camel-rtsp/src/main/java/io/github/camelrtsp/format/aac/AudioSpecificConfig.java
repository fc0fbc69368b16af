package io.github.camelrtsp.format.aac;

import java.util.Arrays;
import java.util.HexFormat;

import io.netty.buffer.Unpooled;

/**
 * An MPEG-4 AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1): what an AAC decoder needs before the first frame, as RFC
 * 3640 carries it in fmtp {@code config} and MP4A-LATM inside its StreamMuxConfig.
 * <p>
 * Reads the audio object type (with the 5/6-bit escape), the sampling frequency index (with the escape 0xF and an
 * explicit 24-bit rate), the channel configuration, explicit SBR/PS signalling (object type 5 or 29 up front, or the
 * backward-compatible sync extension), and the GASpecificConfig of the general-audio object types: frameLengthFlag
 * (1024 or 960 samples), core coder delay, a program_config_element when the channel configuration is 0, and the
 * extension flags. Other object types are read as far as their common header.
 */
public final class AudioSpecificConfig {

    private static final int[] RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025,
                                        8000, 7350};
    private static final int[] CHANNELS = {0, 1, 2, 3, 4, 5, 6, 8};
    private static final int ID_PCE = 5;
    private static final int SYNC_EXTENSION_SBR = 0x2B7;
    private static final int SYNC_EXTENSION_PS = 0x548;

    private final byte[] bytes;
    private final int audioObjectType;
    private final int samplingFrequencyIndex;
    private final int samplingFrequency;
    private final int extensionSamplingFrequency;
    private final int channelConfiguration;
    private final int channelCount;
    private final int frameLength;
    private final boolean sbr;
    private final boolean ps;
    private final boolean complete;
    private final byte[] adtsPce;

    private AudioSpecificConfig(Builder b, byte[] bytes) {
        this.bytes = bytes;
        this.audioObjectType = b.audioObjectType;
        this.samplingFrequencyIndex = b.samplingFrequencyIndex;
        this.samplingFrequency = b.samplingFrequency;
        this.extensionSamplingFrequency = b.extensionSamplingFrequency;
        this.channelConfiguration = b.channelConfiguration;
        this.channelCount = b.channelCount;
        this.frameLength = b.frameLength;
        this.sbr = b.sbr;
        this.ps = b.ps;
        this.complete = b.complete;
        this.adtsPce = b.adtsPce;
    }

    /**
     * Parses an AudioSpecificConfig.
     *
     * @throws IllegalArgumentException if the bytes are truncated or hold reserved values
     */
    public static AudioSpecificConfig parse(byte[] config) {
        byte[] copy = config.clone();
        BitReader r = new BitReader().reset(Unpooled.wrappedBuffer(copy), 0, copy.length * 8L);
        try {
            Builder b = readFields(r, copy.length * 8L);
            return new AudioSpecificConfig(b, copy);
        } catch (AacFormatException e) {
            throw new IllegalArgumentException("invalid AudioSpecificConfig " + HexFormat.of().formatHex(copy) + ": "
                                               + e.getMessage(), e);
        }
    }

    /**
     * Parses an AudioSpecificConfig written in hexadecimal, as fmtp {@code config} gives it. White space anywhere and
     * trailing {@code ;} are ignored (cameras write {@code config=1408; profile=1;}).
     *
     * @throws IllegalArgumentException if the text is not an even number of hex digits or the config is invalid
     */
    public static AudioSpecificConfig parseHex(String hex) {
        return parse(hexBytes(hex));
    }

    /**
     * Reads an AudioSpecificConfig at the reader's position; the raw bytes kept are the bits read, zero-padded.
     *
     * @param endBit reader position where the config must end, or -1 when its length is not signalled (LATM
     *               audioMuxVersion 0), in which case no sync extension is looked for
     * @throws AacFormatException if the bits are truncated or hold reserved values
     */
    static AudioSpecificConfig read(BitReader r, long endBit) {
        long start = r.position();
        Builder b = readFields(r, endBit);
        long length = r.position() - start;
        byte[] raw = new BitWriter().copy(r.buffer(), r.startIndex(), start, length).toByteArray();
        return new AudioSpecificConfig(b, raw);
    }

    /** Decodes hex digits, ignoring white space and trailing semicolons. */
    static byte[] hexBytes(String hex) {
        StringBuilder digits = new StringBuilder(hex.length());
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!Character.isWhitespace(c)) {
                digits.append(c);
            }
        }
        int end = digits.length();
        while (end > 0 && digits.charAt(end - 1) == ';') {
            end--;
        }
        digits.setLength(end);
        if (digits.length() == 0 || digits.length() % 2 != 0) {
            throw new IllegalArgumentException("config '" + hex + "' is not a non-empty even number of hex digits");
        }
        try {
            return HexFormat.of().parseHex(digits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config '" + hex + "' is not hexadecimal", e);
        }
    }

    private static Builder readFields(BitReader r, long endBit) {
        long start = r.position();
        Builder b = new Builder();
        int aot = objectType(r);
        if (aot == 0) {
            throw new AacFormatException("audio object type 0 (null object) is not valid");
        }
        b.samplingFrequencyIndex = r.readInt(4);
        b.samplingFrequency = frequency(r, b.samplingFrequencyIndex);
        b.channelConfiguration = r.readInt(4);
        if (aot == 5 || aot == 29) {
            b.sbr = true;
            b.ps = aot == 29;
            b.extensionSamplingFrequency = frequency(r, r.readInt(4));
            aot = objectType(r);
            if (aot == 22) {
                r.skip(4); // extensionChannelConfiguration
            }
        }
        b.audioObjectType = aot;
        b.channelCount = b.channelConfiguration < CHANNELS.length ? CHANNELS[b.channelConfiguration] : 0;
        if (!isGeneralAudio(aot)) {
            b.complete = false;
            return b;
        }
        readGeneralAudio(r, b, start);
        if (isErrorResilient(aot)) {
            int epConfig = r.readInt(2);
            if (epConfig == 2 || epConfig == 3) {
                b.complete = false;
                return b;
            }
        }
        b.complete = true;
        if (!b.sbr && endBit >= 0 && endBit - r.position() >= 16) {
            readSyncExtension(r, b, endBit);
        }
        return b;
    }

    private static void readGeneralAudio(BitReader r, Builder b, long ascStart) {
        boolean shortFrames = r.bit();
        if (b.audioObjectType == 23) {
            b.frameLength = shortFrames ? 480 : 512;
        } else {
            b.frameLength = shortFrames ? 960 : 1024;
        }
        if (r.bit()) {
            r.skip(14); // coreCoderDelay
        }
        boolean extensionFlag = r.bit();
        if (b.channelConfiguration == 0) {
            readProgramConfig(r, b, ascStart);
        }
        if (b.audioObjectType == 6 || b.audioObjectType == 20) {
            r.skip(3); // layerNr
        }
        if (extensionFlag) {
            if (b.audioObjectType == 22) {
                r.skip(5 + 11); // numOfSubFrame, layer_length
            }
            if (b.audioObjectType == 17 || b.audioObjectType == 19 || b.audioObjectType == 20
                || b.audioObjectType == 23) {
                r.skip(3); // the three resilience flags
            }
            r.skip(1); // extensionFlag3
        }
    }

    /**
     * Reads a program_config_element and keeps it, as the syntax element an ADTS raw_data_block starts with (the
     * 3-bit element id, the element up to its byte alignment, and an empty comment), so ADTS frames with channel
     * configuration 0 carry the layout. The element's byte alignment counts from the start of the config.
     */
    private static void readProgramConfig(BitReader r, Builder b, long ascStart) {
        long pceStart = r.position();
        r.skip(4 + 2 + 4); // element_instance_tag, object_type, sampling_frequency_index
        int front = r.readInt(4);
        int side = r.readInt(4);
        int back = r.readInt(4);
        int lfe = r.readInt(2);
        int assoc = r.readInt(3);
        int cc = r.readInt(4);
        if (r.bit()) {
            r.skip(4); // mono_mixdown_element_number
        }
        if (r.bit()) {
            r.skip(4); // stereo_mixdown_element_number
        }
        if (r.bit()) {
            r.skip(3); // matrix_mixdown_idx, pseudo_surround_enable
        }
        int channels = lfe;
        for (int i = 0; i < front + side + back; i++) {
            channels += r.bit() ? 2 : 1;
            r.skip(4);
        }
        r.skip(4L * lfe + 4L * assoc + 5L * cc);
        long pceEnd = r.position();
        r.alignFrom(ascStart);
        int commentBytes = r.readInt(8);
        r.skip(8L * commentBytes);
        b.channelCount = channels;
        b.adtsPce = new BitWriter()
                .put(ID_PCE, 3)
                .copy(r.buffer(), r.startIndex(), pceStart, pceEnd - pceStart)
                .align()
                .put(0, 8)
                .toByteArray();
    }

    private static void readSyncExtension(BitReader r, Builder b, long endBit) {
        long mark = r.position();
        if (r.readInt(11) != SYNC_EXTENSION_SBR) {
            r.seek(mark);
            return;
        }
        int extensionType = objectType(r);
        if (extensionType == 5) {
            b.sbr = r.bit();
            if (b.sbr) {
                b.extensionSamplingFrequency = frequency(r, r.readInt(4));
                if (endBit - r.position() >= 12) {
                    long psMark = r.position();
                    if (r.readInt(11) == SYNC_EXTENSION_PS) {
                        b.ps = r.bit();
                    } else {
                        r.seek(psMark);
                    }
                }
            }
        } else if (extensionType == 22) {
            b.sbr = r.bit();
            if (b.sbr) {
                b.extensionSamplingFrequency = frequency(r, r.readInt(4));
            }
            r.skip(4); // extensionChannelConfiguration
        }
    }

    private static int objectType(BitReader r) {
        int type = r.readInt(5);
        return type == 31 ? 32 + r.readInt(6) : type;
    }

    private static int frequency(BitReader r, int index) {
        if (index == 0xF) {
            int rate = r.readInt(24);
            if (rate == 0) {
                throw new AacFormatException("explicit sampling rate 0");
            }
            return rate;
        }
        if (index >= RATES.length) {
            throw new AacFormatException("reserved sampling frequency index " + index);
        }
        return RATES[index];
    }

    private static boolean isGeneralAudio(int aot) {
        return (aot >= 1 && aot <= 4) || aot == 6 || aot == 7 || aot == 17 || (aot >= 19 && aot <= 23);
    }

    private static boolean isErrorResilient(int aot) {
        return aot == 17 || (aot >= 19 && aot <= 27) || aot == 39;
    }

    /** The config bytes (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Object type of the core coder (2 = AAC LC); with explicit SBR/PS signalling, the type under the extension. */
    public int audioObjectType() {
        return audioObjectType;
    }

    /** Whether SBR (HE-AAC) is explicitly signalled as present. */
    public boolean sbr() {
        return sbr;
    }

    /** Whether parametric stereo (HE-AAC v2) is explicitly signalled as present. */
    public boolean ps() {
        return ps;
    }

    /** The sampling frequency index as written: 0 to 12, or 15 when the rate is explicit. */
    public int samplingFrequencyIndex() {
        return samplingFrequencyIndex;
    }

    /** Sampling rate of the core coder in Hz. */
    public int samplingFrequency() {
        return samplingFrequency;
    }

    /** Output sampling rate in Hz: the SBR rate when SBR is signalled, else the core rate. */
    public int outputSamplingFrequency() {
        return sbr && extensionSamplingFrequency > 0 ? extensionSamplingFrequency : samplingFrequency;
    }

    /** The channel configuration: 1 to 7 (and 8 to 15 in newer editions) are fixed layouts, 0 uses the PCE. */
    public int channelConfiguration() {
        return channelConfiguration;
    }

    /** Number of output channels, from the configuration or the program config element; 0 when unknown. */
    public int channelCount() {
        return channelCount;
    }

    /** Samples per channel in one core frame (1024 or 960, 512 or 480 for AAC-LD); 0 for other object types. */
    public int frameLength() {
        return frameLength;
    }

    /** Samples per channel one frame decodes to at the output rate (twice {@link #frameLength()} with SBR). */
    public int samplesPerFrame() {
        if (frameLength == 0) {
            return 0;
        }
        return (int) ((long) frameLength * outputSamplingFrequency() / samplingFrequency);
    }

    /** Why an ADTS header cannot describe this config, or null when it can. */
    public String adtsIncompatibility() {
        if (audioObjectType < 1 || audioObjectType > 4) {
            return "audio object type " + audioObjectType + " has no ADTS profile (ADTS carries only AAC Main, LC, "
                   + "SSR and LTP, optionally with SBR/PS)";
        }
        if (adtsSamplingFrequencyIndex() < 0) {
            return "sampling rate " + samplingFrequency + " Hz has no ADTS sampling frequency index";
        }
        if (channelConfiguration > 7) {
            return "channel configuration " + channelConfiguration + " does not fit the 3-bit ADTS field";
        }
        return null;
    }

    /** Whether the whole syntax was understood, so the end of the config is known (needed inside LATM). */
    boolean complete() {
        return complete;
    }

    /** The 4-bit ADTS sampling frequency index of the core rate, or -1 when the rate is not in the table. */
    int adtsSamplingFrequencyIndex() {
        if (samplingFrequencyIndex < RATES.length) {
            return samplingFrequencyIndex;
        }
        for (int i = 0; i < RATES.length; i++) {
            if (RATES[i] == samplingFrequency) {
                return i;
            }
        }
        return -1;
    }

    /** The program config element as an ADTS raw_data_block starts with it, or null for a fixed configuration. */
    byte[] adtsProgramConfigElement() {
        return adtsPce;
    }

    /** Same config bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof AudioSpecificConfig other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "AudioSpecificConfig[" + HexFormat.of().formatHex(bytes) + ": object type " + audioObjectType
               + (sbr ? "+SBR" : "") + (ps ? "+PS" : "") + ", " + samplingFrequency + " Hz, channel config "
               + channelConfiguration + " (" + channelCount + " ch), " + frameLength + " samples/frame]";
    }

    private static final class Builder {
        int audioObjectType;
        int samplingFrequencyIndex;
        int samplingFrequency;
        int extensionSamplingFrequency;
        int channelConfiguration;
        int channelCount;
        int frameLength;
        boolean sbr;
        boolean ps;
        boolean complete;
        byte[] adtsPce;
    }
}
