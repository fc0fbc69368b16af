package io.github.camelrtsp.mp4;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reads the track runs of a fragmented MP4 back, for tests. */
record Runs(List<Run> runs) {

    /** One trun: its fragment's sequence number, its track, decode time base, and per sample duration, size, flags and composition offset. */
    record Run(int fragment, int trackId, long baseDecodeTime, long[] durations, int[] sizes, int[] flags,
               int[] offsets, byte[][] data) {
    }

    /** Every run of every fragment of the file, checking that each trun's data offset points into its mdat. */
    static Runs read(byte[] file) {
        Boxes.Box root = Boxes.parse(file);
        List<Run> out = new ArrayList<>();
        List<Boxes.Box> top = root.children();
        int fragment = 0;
        for (int i = 0; i < top.size(); i++) {
            Boxes.Box moof = top.get(i);
            if (!moof.type().equals("moof")) {
                continue;
            }
            Boxes.Box mdat = top.get(i + 1);
            assertEquals("mdat", mdat.type(), "mdat follows moof");
            fragment = moof.find("mfhd").payload().getInt(4);
            for (Boxes.Box traf : moof.all("traf")) {
                ByteBuffer tfhd = traf.find("tfhd").payload();
                assertEquals(0x020000, tfhd.getInt(0) & 0xFFFFFF, "default-base-is-moof");
                int trackId = tfhd.getInt(4);
                ByteBuffer tfdt = traf.find("tfdt").payload();
                assertEquals(1, tfdt.get(0), "tfdt version 1");
                long base = tfdt.getLong(4);
                ByteBuffer trun = traf.find("trun").payload();
                assertEquals(1, trun.get(0), "trun version 1 (signed offsets)");
                int n = trun.getInt(4);
                int dataOffset = trun.getInt(8);
                long[] durations = new long[n];
                int[] sizes = new int[n];
                int[] flags = new int[n];
                int[] offsets = new int[n];
                byte[][] data = new byte[n][];
                int p = moof.offset() + dataOffset;
                for (int k = 0; k < n; k++) {
                    durations[k] = trun.getInt(12 + 16 * k) & 0xFFFFFFFFL;
                    sizes[k] = trun.getInt(16 + 16 * k);
                    flags[k] = trun.getInt(20 + 16 * k);
                    offsets[k] = trun.getInt(24 + 16 * k);
                    if (k == 0) {
                        assertEquals(true, p >= mdat.offset() + 8 && p <= mdat.offset() + mdat.size(),
                                "data offset inside mdat");
                    }
                    data[k] = java.util.Arrays.copyOfRange(file, p, p + sizes[k]);
                    p += sizes[k];
                }
                out.add(new Run(fragment, trackId, base, durations, sizes, flags, offsets, data));
            }
        }
        return new Runs(out);
    }

    /** All runs of one track. */
    List<Run> track(int trackId) {
        return runs.stream().filter(r -> r.trackId == trackId).toList();
    }

    /** Samples of one track over all fragments. */
    int samples(int trackId) {
        return track(trackId).stream().mapToInt(r -> r.sizes.length).sum();
    }

    /** Number of fragments. */
    int fragments() {
        return runs.stream().mapToInt(Run::fragment).max().orElse(0);
    }
}
