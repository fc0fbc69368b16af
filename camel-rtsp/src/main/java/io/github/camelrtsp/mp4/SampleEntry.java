package io.github.camelrtsp.mp4;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.github.camelrtsp.format.aac.AudioSpecificConfig;

/**
 * What the init segment says about one track: handler, timescale and sample entry ({@code avc1}+{@code avcC},
 * {@code hvc1}+{@code hvcC}, {@code mp4a}+{@code esds}, {@code Opus}+{@code dOps}, {@code ulaw}/{@code alaw}), and
 * how a frame body becomes an MP4 sample ({@link #sampleData}). Immutable.
 */
public final class SampleEntry {

    /** How frame bodies are turned into samples. */
    public enum SampleLayout {
        /** Annex B H.264 access unit to 4-byte length-prefixed NAL units. */
        H264,
        /** Annex B H.265 access unit to 4-byte length-prefixed NAL units. */
        H265,
        /** ADTS frame to raw AAC (header stripped). */
        ADTS,
        /** The body as is. */
        RAW
    }

    private final String sampleEntryType;
    private final boolean video;
    private final int timescale;
    private final int width;
    private final int height;
    private final int channels;
    private final int sampleRate;
    private final SampleLayout layout;
    private final byte[] configBox;
    private final List<byte[]> parameterSets;

    private SampleEntry(String sampleEntryType, boolean video, int timescale, int width, int height, int channels,
                        int sampleRate, SampleLayout layout, byte[] configBox, List<byte[]> parameterSets) {
        this.sampleEntryType = sampleEntryType;
        this.video = video;
        this.timescale = timescale;
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.sampleRate = sampleRate;
        this.layout = layout;
        this.configBox = configBox;
        this.parameterSets = parameterSets;
    }

    /**
     * H.264 from its parameter sets (NAL units without start codes); width and height come from the first SPS.
     *
     * @throws Mp4FormatException if an SPS or PPS is missing or the SPS is malformed
     */
    public static SampleEntry h264(List<byte[]> sps, List<byte[]> pps) {
        if (sps.isEmpty() || pps.isEmpty()) {
            throw new Mp4FormatException("H.264 needs an SPS and a PPS");
        }
        H264Sps parsed = H264Sps.parse(sps.get(0));
        BoxWriter w = new BoxWriter(64 + total(sps) + total(pps));
        int avcC = w.box("avcC");
        w.u8(1).u8(parsed.profileIdc()).u8(parsed.constraints()).u8(parsed.levelIdc());
        w.u8(0xFF); // 6 reserved bits, lengthSizeMinusOne = 3
        w.u8(0xE0 | Math.min(31, sps.size()));
        for (byte[] s : sps.subList(0, Math.min(31, sps.size()))) {
            w.u16(s.length).bytes(s);
        }
        w.u8(Math.min(255, pps.size()));
        for (byte[] p : pps.subList(0, Math.min(255, pps.size()))) {
            w.u16(p.length).bytes(p);
        }
        int profile = parsed.profileIdc();
        if (profile == 100 || profile == 110 || profile == 122 || profile == 144) {
            w.u8(0xFC | parsed.chromaFormatIdc()).u8(0xF8 | (parsed.bitDepthLuma() - 8))
                    .u8(0xF8 | (parsed.bitDepthChroma() - 8)).u8(0);
        }
        w.end(avcC);
        return new SampleEntry("avc1", true, 90_000, parsed.width(), parsed.height(), 0, 0, SampleLayout.H264,
                w.toByteArray(), concat(sps, pps));
    }

    /**
     * H.265 from its parameter sets (NAL units without start codes); profile, tier, level, chroma format, bit
     * depths and picture size come from the first SPS.
     *
     * @throws Mp4FormatException if a VPS, SPS or PPS is missing or the SPS is malformed
     */
    public static SampleEntry h265(List<byte[]> vps, List<byte[]> sps, List<byte[]> pps) {
        if (vps.isEmpty() || sps.isEmpty() || pps.isEmpty()) {
            throw new Mp4FormatException("H.265 needs a VPS, an SPS and a PPS");
        }
        H265Sps s = H265Sps.parse(sps.get(0));
        BoxWriter w = new BoxWriter(64 + total(vps) + total(sps) + total(pps));
        int hvcC = w.box("hvcC");
        w.u8(1).u8((s.profileSpace() << 6) | (s.tier() << 5) | s.profileIdc()).u32(s.compatibilityFlags());
        w.u16((int) (s.constraintFlags() >>> 32)).u32(s.constraintFlags());
        w.u8(s.levelIdc());
        w.u16(0xF000); // min_spatial_segmentation_idc 0
        w.u8(0xFC); // parallelismType 0 (unknown)
        w.u8(0xFC | s.chromaFormatIdc());
        w.u8(0xF8 | (s.bitDepthLuma() - 8)).u8(0xF8 | (s.bitDepthChroma() - 8));
        w.u16(0); // avgFrameRate unknown
        w.u8((s.maxSubLayers() << 3) | (s.temporalIdNested() ? 0x04 : 0) | 3);
        w.u8(3);
        writeArray(w, 32, vps);
        writeArray(w, 33, sps);
        writeArray(w, 34, pps);
        w.end(hvcC);
        List<byte[]> all = concat(vps, concat(sps, pps));
        return new SampleEntry("hvc1", true, 90_000, s.width(), s.height(), 0, 0, SampleLayout.H265,
                w.toByteArray(), all);
    }

    /**
     * AAC from its AudioSpecificConfig; samples are ADTS frames whose header is stripped. The timescale is the
     * config's sampling frequency.
     *
     * @throws Mp4FormatException if the config does not parse
     */
    public static SampleEntry aac(byte[] audioSpecificConfig) {
        AudioSpecificConfig asc;
        try {
            asc = AudioSpecificConfig.parse(audioSpecificConfig);
        } catch (RuntimeException e) {
            throw new Mp4FormatException("AAC AudioSpecificConfig does not parse: " + e.getMessage());
        }
        BoxWriter w = new BoxWriter(64 + audioSpecificConfig.length);
        int esds = w.fullBox("esds", 0, 0);
        int decoderSpecific = 5 + audioSpecificConfig.length; // tag, 4-byte length, config
        int decoderConfig = 13 + decoderSpecific;
        int slConfig = 6;
        w.u8(0x03);
        descriptorLength(w, 3 + 5 + decoderConfig + slConfig);
        w.u16(0).u8(0); // ES_ID, flags
        w.u8(0x04);
        descriptorLength(w, decoderConfig);
        w.u8(0x40).u8(0x15).u24(0).u32(0).u32(0); // MPEG-4 audio, audio stream, sizes/bitrates unknown
        w.u8(0x05);
        descriptorLength(w, audioSpecificConfig.length);
        w.bytes(audioSpecificConfig);
        w.u8(0x06);
        descriptorLength(w, 1);
        w.u8(0x02);
        w.end(esds);
        int rate = asc.samplingFrequency();
        int channels = Math.max(1, asc.channelCount());
        return new SampleEntry("mp4a", false, rate, 0, 0, channels, rate, SampleLayout.ADTS, w.toByteArray(),
                List.of());
    }

    /**
     * Opus from its identification header (RFC 7845 {@code OpusHead}); the timescale is 48000.
     *
     * @throws Mp4FormatException if the header is not an OpusHead
     */
    public static SampleEntry opus(byte[] opusHead) {
        if (opusHead.length < 19 || !"OpusHead".equals(new String(opusHead, 0, 8, StandardCharsets.US_ASCII))) {
            throw new Mp4FormatException("not an OpusHead");
        }
        int channels = opusHead[9] & 0xFF;
        int preSkip = (opusHead[10] & 0xFF) | (opusHead[11] & 0xFF) << 8;
        long inputRate = (opusHead[12] & 0xFFL) | (opusHead[13] & 0xFFL) << 8 | (opusHead[14] & 0xFFL) << 16
                         | (opusHead[15] & 0xFFL) << 24;
        int gain = (opusHead[16] & 0xFF) | (opusHead[17] & 0xFF) << 8;
        int family = opusHead[18] & 0xFF;
        if (channels == 0) {
            throw new Mp4FormatException("OpusHead with 0 channels");
        }
        BoxWriter w = new BoxWriter(32 + channels);
        int dOps = w.box("dOps");
        w.u8(0).u8(channels).u16(preSkip).u32(inputRate).u16(gain).u8(family);
        if (family != 0) {
            if (opusHead.length < 21 + channels) {
                throw new Mp4FormatException("OpusHead channel mapping table truncated");
            }
            w.bytes(opusHead, 19, 2 + channels);
        }
        w.end(dOps);
        return new SampleEntry("Opus", false, 48_000, 0, 0, channels, 48_000, SampleLayout.RAW, w.toByteArray(),
                List.of());
    }

    /** G.711 (8-bit samples), {@code ulaw} for mu-law, else {@code alaw}; the timescale is the sample rate. */
    public static SampleEntry g711(boolean muLaw, int sampleRate, int channels) {
        if (sampleRate <= 0 || sampleRate > 65535 || channels <= 0 || channels > 255) {
            throw new Mp4FormatException("G.711 with rate " + sampleRate + " and " + channels + " channels");
        }
        return new SampleEntry(muLaw ? "ulaw" : "alaw", false, sampleRate, 0, 0, channels, sampleRate,
                SampleLayout.RAW, new byte[0], List.of());
    }

    /** The sample entry's four-character code. */
    public String sampleEntryType() {
        return sampleEntryType;
    }

    /** Whether this is a video track. */
    public boolean isVideo() {
        return video;
    }

    /** Ticks per second of the track's media time. */
    public int timescale() {
        return timescale;
    }

    /** Picture width (video), else 0. */
    public int width() {
        return width;
    }

    /** Picture height (video), else 0. */
    public int height() {
        return height;
    }

    /** Audio channels, else 0. */
    public int channels() {
        return channels;
    }

    /** How frame bodies become samples. */
    public SampleLayout layout() {
        return layout;
    }

    /** The parameter sets in the sample entry (video), without start codes. */
    public List<byte[]> parameterSets() {
        return parameterSets;
    }

    /** Whether {@code other} describes the same stream configuration (a new init segment is not needed). */
    public boolean sameConfiguration(SampleEntry other) {
        return other != null && sampleEntryType.equals(other.sampleEntryType) && timescale == other.timescale
               && Arrays.equals(configBox, other.configBox) && channels == other.channels;
    }

    /** Writes the sample entry box (inside {@code stsd}). */
    void writeSampleEntry(BoxWriter w) {
        int entry = w.box(sampleEntryType);
        w.zeros(6).u16(1); // reserved, data_reference_index
        if (video) {
            w.u16(0).u16(0).zeros(12);
            w.u16(width).u16(height).u32(0x00480000).u32(0x00480000).u32(0).u16(1);
            w.zeros(32); // compressorname
            w.u16(0x0018).u16(0xFFFF);
        } else {
            w.zeros(8).u16(channels).u16(16).u16(0).u16(0);
            w.u32((long) (sampleRate > 65535 ? 0 : sampleRate) << 16);
        }
        w.bytes(configBox);
        w.end(entry);
    }

    /**
     * The MP4 sample for one frame body: length-prefixed NAL units without access unit delimiters and parameter
     * sets (H.26x), the raw AAC frame without its ADTS header, or the body itself.
     *
     * @throws Mp4FormatException if an ADTS header is malformed
     */
    public byte[] sampleData(byte[] body) {
        return switch (layout) {
            case H264, H265 -> NalSamples.toLengthPrefixed(body, layout == SampleLayout.H265);
            case ADTS -> NalSamples.stripAdts(body);
            case RAW -> body;
        };
    }

    private static void writeArray(BoxWriter w, int type, List<byte[]> units) {
        w.u8(0x80 | type).u16(units.size());
        for (byte[] u : units) {
            w.u16(u.length).bytes(u);
        }
    }

    private static void descriptorLength(BoxWriter w, int length) {
        w.u8(0x80 | ((length >>> 21) & 0x7F)).u8(0x80 | ((length >>> 14) & 0x7F)).u8(0x80 | ((length >>> 7) & 0x7F))
                .u8(length & 0x7F);
    }

    private static int total(List<byte[]> units) {
        int n = 0;
        for (byte[] u : units) {
            if (u.length > 65535) {
                throw new Mp4FormatException("parameter set of " + u.length + " bytes");
            }
            n += u.length + 2;
        }
        return n;
    }

    private static List<byte[]> concat(List<byte[]> a, List<byte[]> b) {
        java.util.ArrayList<byte[]> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
