package io.github.camelrtsp.server;

import static io.github.camelrtsp.server.TestMedia.rtp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

class H264KeyFramesTest {

    @Test
    void spsStartsTheAccessUnitAndTheFollowingIdrDoesNotStartAgain() {
        H264KeyFrames k = new H264KeyFrames();
        assertTrue(k.isKeyFrameStart(rtp(1000, 0x67, 0x42)), "SPS");
        assertFalse(k.isKeyFrameStart(rtp(1000, 0x68, 0xCE)), "PPS");
        assertFalse(k.isKeyFrameStart(rtp(1000, 0x7C, 0x85, 0)), "FU-A start of the IDR after the SPS");
        assertFalse(k.isKeyFrameStart(rtp(1000, 0x7C, 0x45, 0)), "FU-A end");
        assertFalse(k.isKeyFrameStart(rtp(4000, 0x41, 0x9A)), "P slice");
        assertTrue(k.isKeyFrameStart(rtp(7000, 0x7C, 0x85, 0)), "FU-A start of an IDR without SPS");
        assertFalse(k.isKeyFrameStart(rtp(7000, 0x7C, 0x05, 0)), "FU-A middle");
        assertTrue(k.isKeyFrameStart(rtp(10000, 0x65, 0x88)), "single IDR NAL unit");
    }

    @Test
    void stapAWithSpsIsAStart() {
        H264KeyFrames k = new H264KeyFrames();
        assertTrue(k.isKeyFrameStart(rtp(1, 0x78, 0, 2, 0x67, 0x42, 0, 2, 0x68, 0xCE)));
        assertFalse(k.isKeyFrameStart(rtp(1, 0x65, 0x88)));
        assertFalse(k.isKeyFrameStart(rtp(2, 0x78, 0, 2, 0x06, 0x05, 0, 2, 0x41, 0x9A)), "STAP-A of SEI + P");
        assertTrue(k.isKeyFrameStart(rtp(3, 0x78, 0, 2, 0x06, 0x05, 0, 2, 0x65, 0x88)), "STAP-A with IDR");
    }

    @Test
    void malformedPacketsAreNotStarts() {
        H264KeyFrames k = new H264KeyFrames();
        assertFalse(k.isKeyFrameStart(Unpooled.buffer().writeZero(5)));
        assertFalse(k.isKeyFrameStart(rtp(1)), "no payload");
        assertFalse(k.isKeyFrameStart(rtp(1, 0x7C)), "FU-A without FU header");
        assertFalse(k.isKeyFrameStart(rtp(1, 0x78, 0x10, 0, 0x67)), "STAP-A size past the end");
        ByteBuf withCsrc = Unpooled.buffer().writeByte(0x81).writeByte(96).writeShort(1).writeInt(5).writeInt(1)
                .writeInt(9).writeByte(0x65);
        assertTrue(k.isKeyFrameStart(withCsrc), "payload found after a CSRC");
        assertEquals(0, withCsrc.readerIndex());
    }

    @Test
    void gstreamerCaptureHasOneStartPerGroupOfPictures() {
        TestMedia media = TestMedia.get();
        int starts = 0;
        for (boolean b : media.videoKeys) {
            starts += b ? 1 : 0;
        }
        // x264 puts an access unit delimiter first: the start is the SPS packet right after it
        assertTrue(media.videoKeys[1], "the capture starts with a key frame");
        assertEquals(0x67, media.video.packets().get(1)[12]);
        assertEquals(5, starts, "150 frames with key-int-max=30");
    }
}
