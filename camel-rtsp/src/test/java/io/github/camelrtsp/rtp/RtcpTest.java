package io.github.camelrtsp.rtp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RtcpTest {

    /** Records every callback as a line of text, so tests can compare the whole sequence. */
    static final class Recorder implements RtcpListener {
        final List<String> events = new ArrayList<>();
        final List<SenderReport> senderReports = new ArrayList<>();
        final List<ReportBlock> blocks = new ArrayList<>();

        @Override
        public void onSenderReport(SenderReport sr) {
            senderReports.add(sr);
            events.add("SR " + Long.toHexString(sr.ssrc()));
        }

        @Override
        public void onReceiverReport(long ssrc, List<ReportBlock> reportBlocks) {
            blocks.addAll(reportBlocks);
            events.add("RR " + Long.toHexString(ssrc) + " blocks=" + reportBlocks.size());
        }

        @Override
        public void onSourceDescription(long ssrc, int itemType, String value) {
            events.add("SDES " + Long.toHexString(ssrc) + " " + itemType + "=" + value);
        }

        @Override
        public void onBye(List<Long> ssrcs, String reason) {
            List<String> hex = new ArrayList<>();
            ssrcs.forEach(s -> hex.add(Long.toHexString(s)));
            events.add("BYE " + hex + " " + reason);
        }

        @Override
        public void onApp(long ssrc, int subtype, String name, ByteBuf data) {
            events.add("APP " + Long.toHexString(ssrc) + " " + subtype + " " + name + " " + ByteBufUtil.hexDump(data));
        }

        @Override
        public void onUnknownPacket(int packetType, ByteBuf packet) {
            events.add("UNKNOWN " + packetType + " " + packet.readableBytes());
        }
    }

    private static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replace(" ", "")));
    }

    private static final ReportBlock BLOCK = new ReportBlock(0x9ABCDEF0L, 0x40, 5, 0x00011234L, 0x20, 0xAABBCCDDL,
                                                             0x00010000L);

    @Test
    void receiverReportLayoutMatchesRfc3550Section642() {
        ByteBuf out = Unpooled.buffer();
        RtcpWriter.writeReceiverReport(out, 0x12345678L, List.of(BLOCK));
        // V=2 P=0 RC=1 | PT=201 | length 7 words-1 | SSRC of sender | SSRC_1 | fraction lost 8 bits, cumulative
        // lost 24 bits | extended highest seq | jitter | LSR | DLSR
        assertEquals("81c90007" + "12345678" + "9abcdef0" + "40000005" + "00011234" + "00000020" + "aabbccdd"
                     + "00010000", ByteBufUtil.hexDump(out));
    }

    @Test
    void negativeCumulativeLostIsWrittenAs24BitTwosComplement() {
        ByteBuf out = Unpooled.buffer();
        RtcpWriter.writeReceiverReport(out, 1, List.of(new ReportBlock(2, 0, -3, 0, 0, 0, 0)));
        assertEquals("00fffffd", ByteBufUtil.hexDump(out, 12, 4));
    }

    @Test
    void emptyReceiverReportLayout() {
        ByteBuf out = Unpooled.buffer();
        RtcpWriter.writeReceiverReport(out, 0xFEDCBA98L, List.of());
        assertEquals("80c90001fedcba98", ByteBufUtil.hexDump(out));
    }

    @Test
    void sdesCnameLayoutIsNullTerminatedAndWordAligned() {
        ByteBuf out = Unpooled.buffer();
        // "ab": item 2+2 bytes fills a word exactly, so the terminating null octet needs a whole extra word
        RtcpWriter.writeSdesCname(out, 0x12345678L, "ab");
        assertEquals("81ca0003" + "12345678" + "01026162" + "00000000", ByteBufUtil.hexDump(out));
        ByteBuf three = Unpooled.buffer();
        RtcpWriter.writeSdesCname(three, 0x12345678L, "abc");
        assertEquals("81ca0003" + "12345678" + "01036162" + "63000000", ByteBufUtil.hexDump(three));
    }

    @Test
    void byeLayout() {
        ByteBuf plain = Unpooled.buffer();
        RtcpWriter.writeBye(plain, 0xCAFEBABEL);
        assertEquals("81cb0001cafebabe", ByteBufUtil.hexDump(plain));
        ByteBuf withReason = Unpooled.buffer();
        RtcpWriter.writeBye(withReason, 0xCAFEBABEL, "x");
        assertEquals("81cb0002cafebabe" + "01780000", ByteBufUtil.hexDump(withReason));
        Recorder r = new Recorder();
        RtcpParser.parse(withReason, r);
        RtcpParser.parse(plain, r);
        // a reason of length 0 is no reason
        RtcpParser.parse(hex("81cb0002 00000001 00000000"), r);
        assertEquals(List.of("BYE [cafebabe] x", "BYE [cafebabe] null", "BYE [1] null"), r.events);
    }

    @Test
    void senderReportLayout() {
        ByteBuf out = Unpooled.buffer();
        RtcpWriter.writeSenderReport(out, new SenderReport(0x11223344L, 0x83AA7E80_80000000L, 0xF0000000L, 10, 0x100));
        assertEquals("80c80006" + "11223344" + "83aa7e8080000000" + "f0000000" + "0000000a" + "00000100",
                     ByteBufUtil.hexDump(out));
    }

    @Test
    void receiverReportAndSdesRoundTripThroughTheParser() {
        ReportBlock second = new ReportBlock(0xFFFFFFFFL, 255, ReportBlock.MIN_CUMULATIVE_LOST, 0xFFFFFFFFL,
                                             0x80000000L, 0x80000001L, 0xFFFFFFFFL);
        ReportBlock third = new ReportBlock(3, 0, ReportBlock.MAX_CUMULATIVE_LOST, 0, 0, 0, 0);
        ByteBuf compound = Unpooled.buffer();
        RtcpWriter.writeReceiverReport(compound, 0x87654321L, List.of(BLOCK, second, third));
        RtcpWriter.writeSdesCname(compound, 0x87654321L, "camel-rtsp@h\u00f6st");
        assertEquals(0, compound.readableBytes() % 4);

        Recorder r = new Recorder();
        assertEquals(2, RtcpParser.parse(compound, r));
        assertEquals(List.of("RR 87654321 blocks=3", "SDES 87654321 1=camel-rtsp@h\u00f6st"), r.events);
        assertEquals(List.of(BLOCK, second, third), r.blocks);
        assertEquals(0, compound.readerIndex());
    }

    @Test
    void senderReportWithBlocksAndByeRoundTrip() {
        SenderReport sr = new SenderReport(0xA0B0C0D0L, SenderReport.instantToNtp(Instant.parse(
                "2021-05-08T04:35:51.250Z")), 0xFFFFFFF0L, 0xFFFFFFFFL, 123456);
        ByteBuf compound = Unpooled.buffer();
        RtcpWriter.writeSenderReport(compound, sr, List.of(BLOCK));
        RtcpWriter.writeSdesCname(compound, 0xA0B0C0D0L, "cam");
        RtcpWriter.writeBye(compound, 0xA0B0C0D0L, "encoder restart");

        Recorder r = new Recorder();
        assertEquals(3, RtcpParser.parse(compound, r));
        assertEquals(List.of("SR a0b0c0d0", "RR a0b0c0d0 blocks=1", "SDES a0b0c0d0 1=cam",
                             "BYE [a0b0c0d0] encoder restart"), r.events);
        assertEquals(sr, r.senderReports.get(0));
        assertEquals(Instant.parse("2021-05-08T04:35:51.250Z"), r.senderReports.get(0).ntpInstant());
        assertEquals(List.of(BLOCK), r.blocks);
    }

    @Test
    void ntpConversions() {
        // 2208988800 s after 1900 is the Unix epoch; a fraction of 2^31 is half a second
        SenderReport sr = new SenderReport(1, 0x83AA7E80_80000000L, 0, 0, 0);
        assertEquals(Instant.parse("1970-01-01T00:00:00.5Z"), sr.ntpInstant());
        assertEquals(0x7E808000L, sr.ntpMiddle32());
        Instant now = Instant.parse("2030-12-31T23:59:59.123456789Z");
        assertEquals(now, SenderReport.ntpToInstant(SenderReport.instantToNtp(now)));
        assertTrue(SenderReport.instantToNtp(now) < 0, "dates after 1968 have the top bit set");
        assertThrows(IllegalArgumentException.class,
                     () -> SenderReport.instantToNtp(Instant.parse("2036-02-07T06:28:16Z")));
        assertThrows(IllegalArgumentException.class,
                     () -> SenderReport.instantToNtp(Instant.parse("1899-12-31T23:59:59Z")));
    }

    @Test
    void recordsRejectValuesThatDoNotFitTheWire() {
        assertThrows(IllegalArgumentException.class, () -> new ReportBlock(-1, 0, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReportBlock(0, 256, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReportBlock(0, 0, 0x800000, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReportBlock(0, 0, -0x800001, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReportBlock(0, 0, 0, 1L << 32, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SenderReport(1L << 32, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SenderReport(0, 0, -1, 0, 0));
        assertEquals(ReportBlock.MAX_CUMULATIVE_LOST, ReportBlock.clampCumulativeLost(1L << 40));
        assertEquals(ReportBlock.MIN_CUMULATIVE_LOST, ReportBlock.clampCumulativeLost(-(1L << 40)));
        assertEquals(-7, ReportBlock.clampCumulativeLost(-7));
    }

    @Test
    void writerRejectsWhatDoesNotFit() {
        List<ReportBlock> tooMany = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            tooMany.add(BLOCK);
        }
        assertThrows(IllegalArgumentException.class,
                     () -> RtcpWriter.writeReceiverReport(Unpooled.buffer(), 1, tooMany));
        assertThrows(IllegalArgumentException.class, () -> RtcpWriter.writeSdesCname(Unpooled.buffer(), 1, ""));
        assertThrows(IllegalArgumentException.class,
                     () -> RtcpWriter.writeSdesCname(Unpooled.buffer(), 1, "x".repeat(256)));
        assertThrows(IllegalArgumentException.class, () -> RtcpWriter.writeBye(Unpooled.buffer(), 1L << 32));
        ByteBuf max = Unpooled.buffer();
        RtcpWriter.writeSdesCname(max, 1, "x".repeat(255));
        Recorder r = new Recorder();
        RtcpParser.parse(max, r);
        assertEquals("SDES 1 1=" + "x".repeat(255), r.events.get(0));
    }

    @Test
    void unknownPacketTypesAreSkippedAndReported() {
        // an XR packet (207) of two words between an RR and a BYE
        ByteBuf compound = hex("80c90001 00000001" + "80cf0001 00000001" + "81cb0001 00000001");
        Recorder r = new Recorder();
        assertEquals(3, RtcpParser.parse(compound, r));
        assertEquals(List.of("RR 1 blocks=0", "UNKNOWN 207 8", "BYE [1] null"), r.events);
    }

    @Test
    void appAndMultiSourceByeAndPaddingOnTheLastPacket() {
        ByteBuf compound = hex("85cc0003 00000009 54455354 01020304"
                               // BYE of two sources, P=1, 4 bytes of padding
                               + "a2cb0003 00000001 00000002 00000004");
        Recorder r = new Recorder();
        assertEquals(2, RtcpParser.parse(compound, r));
        assertEquals(List.of("APP 9 5 TEST 01020304", "BYE [1, 2] null"), r.events);
    }

    @Test
    void paddingIsNotPartOfTheContent() {
        // APP with P=1: 4 bytes of data, then 4 bytes of padding that must not show in the data
        ByteBuf app = hex("a0cc0004 00000009 54455354 01020304 00000004");
        Recorder r = new Recorder();
        RtcpParser.parse(app, r);
        assertEquals(List.of("APP 9 0 TEST 01020304"), r.events);
    }

    @Test
    void sdesWithSeveralChunksAndItems() {
        // chunk 1: CNAME "a", NAME "c", null, one more null to the word boundary; chunk 2: TOOL "x", null
        ByteBuf sdes = hex("82ca0005" + "00000001" + "010161 020163 00 00" + "00000002" + "060178 00");
        Recorder r = new Recorder();
        RtcpParser.parse(sdes, r);
        assertEquals(List.of("SDES 1 1=a", "SDES 1 2=c", "SDES 2 6=x"), r.events);
    }

    private static void assertMalformed(String hex, String messagePart) {
        RtcpFormatException e = assertThrows(RtcpFormatException.class, () -> RtcpParser.parse(hex(hex),
                                                                                              new Recorder()));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        assertEquals(0, e.getStackTrace().length);
    }

    @Test
    void rejectsMalformedCompounds() {
        assertMalformed("", "empty");
        assertMalformed("80c900", "less than a 4-byte header");
        assertMalformed("80c90001 00000001 80", "less than a 4-byte header");
        assertMalformed("40c90001 00000001", "version 1");
        assertMalformed("80c90002 00000001", "declares 12 bytes");
        // SR header alone
        assertMalformed("80c80001 00000001", "SR with 0 report blocks needs 28");
        // RR says one block, carries none
        assertMalformed("81c90001 00000001", "RR with 1 report blocks needs 32");
        // SDES chunk without the null item
        assertMalformed("81ca0002 00000001 01026162", "no terminating null item");
        // SDES item claims 9 bytes
        assertMalformed("81ca0002 00000001 01096162", "runs past the end");
        // SDES says 2 chunks, has 1
        assertMalformed("82ca0002 00000001 01000000", "chunk 2 of 2");
        // BYE says 2 sources, has 1
        assertMalformed("82cb0001 00000001", "BYE with 2 sources");
        // BYE reason of 8 bytes in 3
        assertMalformed("81cb0002 00000001 08616263", "BYE reason of 8 bytes");
        assertMalformed("80cc0001 00000001", "APP packet of 8 bytes");
        assertMalformed("a0c90001 00000000", "padding count of 0");
        assertMalformed("a0c90001 00000009", "padding count of 9");
    }

    @Test
    void callbacksBeforeAMalformedPacketHaveHappened() {
        Recorder r = new Recorder();
        assertThrows(RtcpFormatException.class,
                     () -> RtcpParser.parse(hex("80c90001 00000007" + "81ca0002 00000001 01096162"), r));
        assertEquals(List.of("RR 7 blocks=0"), r.events);
    }

    @Test
    void byeWithoutSourcesOrReason() {
        Recorder r = new Recorder();
        RtcpParser.parse(hex("80cb0000"), r);
        assertEquals(List.of("BYE [] null"), r.events);
    }

    @Test
    void listenerMethodsDefaultToDoingNothing() {
        ByteBuf compound = Unpooled.buffer();
        RtcpWriter.writeSenderReport(compound, new SenderReport(1, 0, 0, 0, 0), List.of(BLOCK));
        RtcpWriter.writeSdesCname(compound, 1, "c");
        compound.writeBytes(hex("84cc0002 00000001 41424344" + "80cf0000"));
        RtcpWriter.writeBye(compound, 1, "bye");
        assertEquals(5, RtcpParser.parse(compound, new RtcpListener() { }));
    }
}
