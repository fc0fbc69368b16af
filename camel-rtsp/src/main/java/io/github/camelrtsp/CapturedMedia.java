package io.github.camelrtsp;

import org.apache.camel.Message;

/** What waits in a consumer's queue for the route: an RTP packet or a whole frame, copied off the I/O thread. */
sealed interface CapturedMedia permits CapturedPacket, CapturedFrame, CapturedSegment, CapturedFragment {

    /** Sets the body and the headers of this item (the consumer adds the endpoint-wide ones). */
    void writeTo(Message in);
}
