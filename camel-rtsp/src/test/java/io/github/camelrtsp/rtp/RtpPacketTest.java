package io.github.camelrtsp.rtp;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RtpPacketTest {

    /**
     * V=2 P=1 X=1 CC=2, M=1 PT=96, seq 0xFFFE, ts 0xF0000001, SSRC 0x80000002, two CSRCs, a 2-word extension with
     * profile 0xBEDE, payload "hello", 3 bytes of padding.
     */
    private static final String FULL_PACKET = "b2" + "e0" + "fffe" + "f0000001" + "80000002"
                                              + "11111111" + "deadbeef"
                                              + "bede" + "0002" + "0102030405060708"
                                              + "68656c6c6f"
                                              + "000003";

    private static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
    }

    @Test
    void readsEveryFieldOfAHandBuiltPacket() {
        // two bytes before the packet: wrap() must start at the reader index, not at 0
        ByteBuf buf = hex("aaaa" + FULL_PACKET);
        buf.readerIndex(2);
        RtpPacket p = new RtpPacket().wrap(buf);

        assertEquals(2, p.version());
        assertTrue(p.padding());
        assertTrue(p.extension());
        assertEquals(2, p.csrcCount());
        assertEquals(0x11111111L, p.csrc(0));
        assertEquals(0xDEADBEEFL, p.csrc(1));
        assertThrows(IndexOutOfBoundsException.class, () -> p.csrc(2));
        assertTrue(p.marker());
        assertEquals(96, p.payloadType());
        assertEquals(0xFFFE, p.sequenceNumber());
        assertEquals(0xF0000001L, p.timestamp());
        assertEquals(0x80000002L, p.ssrc());
        assertEquals(0xBEDE, p.extensionProfile());
        assertEquals("0102030405060708", ByteBufUtil.hexDump(p.extensionData()));
        assertEquals(12 + 8 + 4 + 8, p.payloadOffset());
        assertEquals(2 + 12 + 8 + 4 + 8, p.payloadIndex());
        assertEquals('h', buf.getByte(p.payloadIndex()));
        assertEquals(5, p.payloadLength());
        assertEquals(3, p.paddingLength());
        assertEquals(FULL_PACKET.length() / 2, p.packetLength());
        assertEquals("hello", p.payload().toString(StandardCharsets.US_ASCII));
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), p.copyPayload());
        assertSame(buf, p.buffer());
        // nothing moved
        assertEquals(2, buf.readerIndex());
        assertEquals(2 + FULL_PACKET.length() / 2, buf.writerIndex());
    }

    @Test
    void payloadIsASliceThatSharesBytesAndIsNotRetained() {
        ByteBuf buf = hex(FULL_PACKET);
        RtpPacket p = new RtpPacket().wrap(buf);
        ByteBuf payload = p.payload();
        assertEquals(1, buf.refCnt());
        assertSame(payload, p.payload());
        // a change of the underlying buffer shows in the slice: no copy was made
        buf.setByte(p.payloadOffset(), 'j');
        assertEquals("jello", payload.toString(StandardCharsets.US_ASCII));
        // the copy is independent
        byte[] copy = p.copyPayload();
        buf.setByte(p.payloadOffset(), 'y');
        assertEquals("jello", new String(copy, StandardCharsets.US_ASCII));
    }

    @Test
    void timestampAndSsrcAboveTwoToThe31AreUnsigned() {
        ByteBuf buf = Unpooled.buffer();
        RtpPacket.writeHeader(buf, false, 8, 65535, 0xFFFF_FFFFL, 0x8000_0000L);
        RtpPacket p = new RtpPacket().wrap(buf);
        assertEquals(0xFFFF_FFFFL, p.timestamp());
        assertEquals(0x8000_0000L, p.ssrc());
        assertEquals(65535, p.sequenceNumber());
        assertFalse(p.marker());
        assertEquals(8, p.payloadType());
    }

    @Test
    void writeHeaderWritesTheFixedHeaderByteForByte() {
        ByteBuf buf = Unpooled.buffer();
        RtpPacket.writeHeader(buf, true, 97, 0x1234, 0x89ABCDEFL, 0x01020304L);
        assertEquals("80e1123489abcdef01020304", ByteBufUtil.hexDump(buf));
        // counters that ran past their width keep only their low bits
        ByteBuf wrapped = Unpooled.buffer();
        RtpPacket.writeHeader(wrapped, false, 0, 65536 + 7, (1L << 32) + 9, 0x1_0000_0005L);
        RtpPacket p = new RtpPacket().wrap(wrapped);
        assertEquals(7, p.sequenceNumber());
        assertEquals(9, p.timestamp());
        assertEquals(5, p.ssrc());
        ByteBuf out = Unpooled.buffer();
        assertThrows(IllegalArgumentException.class, () -> RtpPacket.writeHeader(out, false, 128, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> RtpPacket.writeHeader(out, false, -1, 0, 0, 0));
        assertEquals(0, out.writerIndex());
    }

    @Test
    void oneInstanceIsReusedAcrossPackets() {
        RtpPacket p = new RtpPacket();
        p.wrap(hex(FULL_PACKET));
        ByteBuf firstPayload = p.payload();

        ByteBuf second = Unpooled.buffer();
        RtpPacket.writeHeader(second, false, 0, 42, 1000, 7);
        second.writeBytes(new byte[] {9, 8, 7});
        assertSame(p, p.wrap(second));

        assertFalse(p.padding());
        assertFalse(p.extension());
        assertEquals(0, p.csrcCount());
        assertFalse(p.marker());
        assertEquals(0, p.payloadType());
        assertEquals(42, p.sequenceNumber());
        assertEquals(1000, p.timestamp());
        assertEquals(7, p.ssrc());
        assertEquals(-1, p.extensionProfile());
        assertEquals(0, p.extensionData().readableBytes());
        assertEquals(12, p.payloadOffset());
        assertEquals(3, p.payloadLength());
        assertEquals(0, p.paddingLength());
        assertArrayEquals(new byte[] {9, 8, 7}, p.copyPayload());
        ByteBuf secondPayload = p.payload();
        assertFalse(firstPayload == secondPayload);
        assertEquals(3, secondPayload.readableBytes());
        assertEquals(9, secondPayload.getByte(0));
    }

    @Test
    void emptyPayloadAndPaddingThatFillsEverythingAfterTheHeader() {
        ByteBuf headerOnly = Unpooled.buffer();
        RtpPacket.writeHeader(headerOnly, false, 96, 1, 1, 1);
        RtpPacket p = new RtpPacket().wrap(headerOnly);
        assertEquals(0, p.payloadLength());
        assertEquals(0, p.payload().readableBytes());

        // padding bit, 4 bytes of padding and nothing else: legal, empty payload
        RtpPacket padded = new RtpPacket().wrap(hex("a06000010000000100000001" + "00000004"));
        assertEquals(0, padded.payloadLength());
        assertEquals(4, padded.paddingLength());
    }

    @Test
    void rejectsPacketsShorterThanTheFixedHeader() {
        RtpFormatException e = assertThrows(RtpFormatException.class,
                                            () -> new RtpPacket().wrap(hex("8060000100000001000000")));
        assertTrue(e.getMessage().contains("11 bytes"), e.getMessage());
        assertThrows(RtpFormatException.class, () -> new RtpPacket().wrap(Unpooled.EMPTY_BUFFER));
    }

    @Test
    void rejectsVersionsOtherThanTwo() {
        for (String first : new String[] {"00", "40", "c0"}) {
            RtpFormatException e = assertThrows(RtpFormatException.class,
                                                () -> new RtpPacket().wrap(hex(first + "600001000000010000000100")));
            assertTrue(e.getMessage().contains("version"), e.getMessage());
        }
    }

    @Test
    void rejectsCsrcListRunningPastTheEnd() {
        // CC=15 needs 72 header bytes; only 12 + 8 present
        ByteBuf shortList = hex("8f600001" + "00000001" + "00000001" + "11111111" + "22222222");
        RtpFormatException e = assertThrows(RtpFormatException.class, () -> new RtpPacket().wrap(shortList));
        assertTrue(e.getMessage().contains("CSRC"), e.getMessage());
    }

    @Test
    void rejectsHeaderExtensionRunningPastTheEnd() {
        // X=1 but not even the 4-byte extension header fits
        RtpFormatException header = assertThrows(RtpFormatException.class,
                                                 () -> new RtpPacket().wrap(hex("906000010000000100000001bede")));
        assertTrue(header.getMessage().contains("extension"), header.getMessage());
        // extension claims 3 words (12 bytes), 8 present
        RtpFormatException data = assertThrows(RtpFormatException.class, () -> new RtpPacket().wrap(
                hex("906000010000000100000001" + "bede0003" + "0102030405060708")));
        assertTrue(data.getMessage().contains("extension"), data.getMessage());
    }

    @Test
    void rejectsPaddingCountOfZero() {
        RtpFormatException e = assertThrows(RtpFormatException.class,
                                            () -> new RtpPacket().wrap(hex("a06000010000000100000001aabb00")));
        assertTrue(e.getMessage().contains("padding count is 0"), e.getMessage());
    }

    @Test
    void rejectsPaddingLongerThanThePayload() {
        // 3 bytes after the header, padding count 4
        RtpFormatException e = assertThrows(RtpFormatException.class,
                                            () -> new RtpPacket().wrap(hex("a06000010000000100000001aabb04")));
        assertTrue(e.getMessage().contains("padding of 4"), e.getMessage());
        // padding that would reach into the extension
        assertThrows(RtpFormatException.class,
                     () -> new RtpPacket().wrap(hex("b06000010000000100000001" + "bede0001" + "01020304" + "0009")));
    }

    @Test
    void failedWrapLeavesNoPacketAndTheExceptionIsCheap() {
        RtpPacket p = new RtpPacket().wrap(hex(FULL_PACKET));
        RtpFormatException e = assertThrows(RtpFormatException.class, () -> p.wrap(hex("40")));
        assertNull(p.buffer());
        assertThrows(IllegalStateException.class, p::payload);
        assertThrows(IllegalStateException.class, p::copyPayload);
        assertEquals(0, e.getStackTrace().length);
        assertTrue(e instanceof IllegalArgumentException);
    }
}
