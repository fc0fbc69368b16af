package io.github.camelrtsp.client;

import java.util.Map;

import io.github.camelrtsp.sdp.SessionDescription;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FormatParametersOfMediaTest {

    @Test
    void mediaLevelDimensionsJoinTheFormatParameters() {
        SessionDescription sdp = SessionDescription.parse("v=0\r\ns=x\r\nm=video 0 RTP/AVP 26\r\n"
                + "a=x-dimensions: 2560, 1440\r\na=control:track1\r\n");
        Map<String, String> fmtp = RtspStreamClient.formatParameters(sdp.media().get(0));
        assertEquals("2560,1440", fmtp.get("X-Dimensions"));
    }

    @Test
    void fmtpIsKeptAsItIsWithoutDimensions() {
        SessionDescription sdp = SessionDescription.parse("v=0\r\ns=x\r\nm=video 0 RTP/AVP 96\r\n"
                + "a=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1;profile-level-id=42e01f\r\n");
        Map<String, String> fmtp = RtspStreamClient.formatParameters(sdp.media().get(0));
        assertEquals("1", fmtp.get("packetization-mode"));
        assertEquals(2, fmtp.size());
    }
}
