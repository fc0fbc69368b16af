package io.github.camelrtsp.mp4;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Fmp4WriterTest {

    @Test
    void initSegmentHasBrandsTracksAndEmptySampleTables() {
        BoxWriter w = new BoxWriter(64);
        Fmp4Writer.writeInit(w, List.of(SampleEntry.g711(true, 8000, 1), SampleEntry.g711(false, 16000, 2)));
        Boxes.Box root = Boxes.parse(w.toByteArray());
        assertEquals(List.of("ftyp", "moov"), root.children().stream().map(Boxes.Box::type).toList());
        byte[] ftyp = new byte[root.find("ftyp").size() - 8];
        root.find("ftyp").payload().get(ftyp);
        assertEquals("iso6\0\0\0\0iso5iso6mp41", new String(ftyp, java.nio.charset.StandardCharsets.ISO_8859_1));
        Boxes.Box moov = root.find("moov");
        assertEquals(3, moov.find("mvhd").payload().getInt(96), "next_track_ID");
        List<Boxes.Box> traks = moov.all("trak");
        assertEquals(2, traks.size());
        for (int i = 0; i < 2; i++) {
            Boxes.Box trak = traks.get(i);
            assertEquals(i + 1, trak.find("tkhd").payload().getInt(12), "track_ID");
            assertEquals(3, trak.find("tkhd").payload().getInt(0) & 0xFFFFFF, "enabled, in movie");
            assertEquals(i == 0 ? 8000 : 16000, trak.find("mdia/mdhd").payload().getInt(12), "timescale");
            assertEquals("soun", new String(trak.find("mdia/hdlr").payload().array(),
                    trak.find("mdia/hdlr").offset() + 16, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
            Boxes.Box stbl = trak.find("mdia/minf/stbl");
            for (String empty : new String[] {"stts", "stsc", "stco"}) {
                assertEquals(16, stbl.find(empty).size(), empty + " with 0 entries");
            }
            assertEquals(20, stbl.find("stsz").size());
            assertEquals(1, trak.find("mdia/minf/dinf/dref").payload().getInt(4), "one data reference");
            assertEquals(i + 1, moov.find("mvex").all("trex").get(i).payload().getInt(4), "trex track_ID");
        }
        assertEquals(2, traks.get(1).find("mdia/minf/stbl/stsd/alaw").payload().getShort(16), "channels");
    }

    @Test
    void fragmentRunsPointAtTheirSamples() {
        BoxWriter w = new BoxWriter(64);
        Fmp4Writer.writeFragment(w, 7, List.of(
                new Fmp4Writer.TrackRun(1, 90_000, List.of(
                        new Fmp4Writer.Sample(new byte[] {1, 1, 1}, 3000, true, 0),
                        new Fmp4Writer.Sample(new byte[] {2, 2}, 3000, false, -3000))),
                new Fmp4Writer.TrackRun(2, 1L << 33, List.of(
                        new Fmp4Writer.Sample(new byte[] {3}, 160, true, 0)))));
        byte[] file = w.toByteArray();
        Boxes.Box root = Boxes.parse(file);
        assertEquals(7, root.find("moof/mfhd").payload().getInt(4));
        List<Boxes.Box> trafs = root.find("moof").all("traf");
        assertEquals(2, trafs.size());
        assertEquals(1L << 33, trafs.get(1).find("tfdt").payload().getLong(4), "64-bit decode time");
        var trun = trafs.get(0).find("trun").payload();
        assertEquals(0x000F01, trun.getInt(0) & 0xFFFFFF, "offset, duration, size, flags, cto present");
        assertEquals(2, trun.getInt(4));
        assertEquals(Fmp4Writer.SYNC_SAMPLE_FLAGS, trun.getInt(20));
        assertEquals(Fmp4Writer.NON_SYNC_SAMPLE_FLAGS, trun.getInt(36));
        assertEquals(-3000, trun.getInt(40), "signed composition offset");
        int mdat = root.find("mdat").offset();
        int moof = root.find("moof").offset();
        assertEquals(mdat + 8 - moof, trun.getInt(8), "first run starts right after the mdat header");
        assertEquals(mdat + 8 + 5 - moof, trafs.get(1).find("trun").payload().getInt(8), "second after the first");
        assertArrayEquals(new byte[] {1, 1, 1, 2, 2, 3}, java.util.Arrays.copyOfRange(file, mdat + 8, mdat + 14));
        Runs runs = Runs.read(file);
        assertArrayEquals(new byte[] {2, 2}, runs.track(1).get(0).data()[1]);
    }

    @Test
    void rejectsImpossibleInput() {
        assertThrows(IllegalArgumentException.class, () -> Fmp4Writer.writeInit(new BoxWriter(8), List.of()));
        assertThrows(IllegalArgumentException.class, () -> Fmp4Writer.writeFragment(new BoxWriter(8), 1,
                List.of(new Fmp4Writer.TrackRun(1, 0, List.of(new Fmp4Writer.Sample(new byte[1], -1, true, 0))))));
    }
}
