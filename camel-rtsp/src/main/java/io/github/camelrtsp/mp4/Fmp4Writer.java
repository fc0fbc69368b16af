package io.github.camelrtsp.mp4;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes fragmented MP4: the init segment ({@code ftyp} + {@code moov} with one {@code trak} per track and
 * {@code mvex}) and media fragments ({@code moof} + {@code mdat}). Track {@code i} of the list gets track ID
 * {@code i + 1}. Stateless.
 */
public final class Fmp4Writer {

    /** Sample flags of a sync sample: depends on no other sample. */
    static final int SYNC_SAMPLE_FLAGS = 0x02000000;
    /** Sample flags of a non-sync sample: depends on others, is_non_sync_sample. */
    static final int NON_SYNC_SAMPLE_FLAGS = 0x01010000;
    private static final int MOVIE_TIMESCALE = 1000;
    private static final int[] MATRIX = {0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000};

    private Fmp4Writer() {
    }

    /**
     * One sample of a track run.
     *
     * @param data              the sample bytes (MP4 layout, see {@link SampleEntry#sampleData})
     * @param duration          duration in the track's timescale
     * @param sync              whether decoding can start at it
     * @param compositionOffset presentation time minus decode time, in the track's timescale (may be negative)
     */
    public record Sample(byte[] data, long duration, boolean sync, int compositionOffset) {
    }

    /**
     * The samples of one track in one fragment.
     *
     * @param trackId            1-based track ID
     * @param baseMediaDecodeTime decode time of the first sample, in the track's timescale
     * @param samples            samples in decode order
     */
    public record TrackRun(int trackId, long baseMediaDecodeTime, List<Sample> samples) {
    }

    /** Writes {@code ftyp} and {@code moov} for the tracks. */
    public static void writeInit(BoxWriter w, List<SampleEntry> tracks) {
        if (tracks.isEmpty()) {
            throw new IllegalArgumentException("an MP4 needs at least one track");
        }
        int ftyp = w.box("ftyp");
        w.fourCc("iso6").u32(0).fourCc("iso5").fourCc("iso6").fourCc("mp41");
        w.end(ftyp);

        int moov = w.box("moov");
        int mvhd = w.fullBox("mvhd", 0, 0);
        w.u32(0).u32(0).u32(MOVIE_TIMESCALE).u32(0);
        w.u32(0x00010000).u16(0x0100).zeros(10);
        matrix(w);
        w.zeros(24).u32(tracks.size() + 1L);
        w.end(mvhd);
        for (int i = 0; i < tracks.size(); i++) {
            writeTrak(w, i + 1, tracks.get(i));
        }
        int mvex = w.box("mvex");
        for (int i = 0; i < tracks.size(); i++) {
            int trex = w.fullBox("trex", 0, 0);
            w.u32(i + 1L).u32(1).u32(0).u32(0).u32(0);
            w.end(trex);
        }
        w.end(mvex);
        w.end(moov);
    }

    private static void writeTrak(BoxWriter w, int trackId, SampleEntry t) {
        int trak = w.box("trak");
        int tkhd = w.fullBox("tkhd", 0, 0x000003); // enabled, in movie
        w.u32(0).u32(0).u32(trackId).u32(0).u32(0).zeros(8);
        w.u16(0).u16(0).u16(t.isVideo() ? 0 : 0x0100).u16(0);
        matrix(w);
        w.u32((long) t.width() << 16).u32((long) t.height() << 16);
        w.end(tkhd);

        int mdia = w.box("mdia");
        int mdhd = w.fullBox("mdhd", 0, 0);
        w.u32(0).u32(0).u32(t.timescale()).u32(0).u16(0x55C4).u16(0); // language "und"
        w.end(mdhd);
        int hdlr = w.fullBox("hdlr", 0, 0);
        w.u32(0).fourCc(t.isVideo() ? "vide" : "soun").zeros(12);
        w.bytes((t.isVideo() ? "VideoHandler" : "SoundHandler").getBytes(StandardCharsets.US_ASCII)).u8(0);
        w.end(hdlr);

        int minf = w.box("minf");
        if (t.isVideo()) {
            int vmhd = w.fullBox("vmhd", 0, 1);
            w.zeros(8);
            w.end(vmhd);
        } else {
            int smhd = w.fullBox("smhd", 0, 0);
            w.zeros(4);
            w.end(smhd);
        }
        int dinf = w.box("dinf");
        int dref = w.fullBox("dref", 0, 0);
        w.u32(1);
        int url = w.fullBox("url ", 0, 1); // media in the same file
        w.end(url);
        w.end(dref);
        w.end(dinf);

        int stbl = w.box("stbl");
        int stsd = w.fullBox("stsd", 0, 0);
        w.u32(1);
        t.writeSampleEntry(w);
        w.end(stsd);
        for (String empty : new String[] {"stts", "stsc", "stco"}) {
            int box = w.fullBox(empty, 0, 0);
            w.u32(0);
            w.end(box);
        }
        int stsz = w.fullBox("stsz", 0, 0);
        w.u32(0).u32(0);
        w.end(stsz);
        w.end(stbl);
        w.end(minf);
        w.end(mdia);
        w.end(trak);
    }

    /**
     * Writes one {@code moof} + {@code mdat}: a {@code traf} per run (tfhd with default-base-is-moof, tfdt version 1,
     * trun version 1 with duration, size, flags and signed composition offset per sample), then the samples of the
     * runs in the same order.
     */
    public static void writeFragment(BoxWriter w, long sequenceNumber, List<TrackRun> runs) {
        int moof = w.box("moof");
        int mfhd = w.fullBox("mfhd", 0, 0);
        w.u32(sequenceNumber);
        w.end(mfhd);
        int[] dataOffsetFields = new int[runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            TrackRun run = runs.get(i);
            int traf = w.box("traf");
            int tfhd = w.fullBox("tfhd", 0, 0x020000); // default-base-is-moof
            w.u32(run.trackId());
            w.end(tfhd);
            int tfdt = w.fullBox("tfdt", 1, 0);
            w.u64(run.baseMediaDecodeTime());
            w.end(tfdt);
            // data offset, sample duration, size, flags and composition time offset present
            int trun = w.fullBox("trun", 1, 0x000001 | 0x000100 | 0x000200 | 0x000400 | 0x000800);
            w.u32(run.samples().size());
            dataOffsetFields[i] = w.position();
            w.u32(0);
            for (Sample s : run.samples()) {
                if (s.duration() < 0 || s.duration() > 0xFFFFFFFFL) {
                    throw new IllegalArgumentException("sample duration out of range: " + s.duration());
                }
                w.u32(s.duration()).u32(s.data().length).u32(s.sync() ? SYNC_SAMPLE_FLAGS : NON_SYNC_SAMPLE_FLAGS)
                        .u32(s.compositionOffset());
            }
            w.end(trun);
            w.end(traf);
        }
        w.end(moof);
        int mdat = w.box("mdat");
        for (int i = 0; i < runs.size(); i++) {
            w.patchU32(dataOffsetFields[i], w.position() - moof);
            for (Sample s : runs.get(i).samples()) {
                w.bytes(s.data());
            }
        }
        w.end(mdat);
    }

    private static void matrix(BoxWriter w) {
        for (int m : MATRIX) {
            w.u32(m);
        }
    }
}
