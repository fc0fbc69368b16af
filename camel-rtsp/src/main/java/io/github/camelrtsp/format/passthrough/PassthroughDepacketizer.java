package io.github.camelrtsp.format.passthrough;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelrtsp.format.FormatParameters;
import io.netty.buffer.ByteBuf;

/**
 * For payload formats without a dedicated depacketizer: every RTP packet's payload, as is, is one frame. The frame
 * body is the payload exactly as received (padding removed); {@code sampleCount} is 0 (unknown) and every frame is
 * flagged as a key frame, since nothing is known about the format. Creation logs once at INFO that the track is
 * passed through. Empty and oversized payloads are skipped, counted and logged as described in
 * {@link WholePayloadDepacketizer}; nothing else is dropped.
 */
public final class PassthroughDepacketizer extends WholePayloadDepacketizer {

    private static final Logger LOG = LoggerFactory.getLogger(PassthroughDepacketizer.class);

    /** Creates the passthrough for one track and logs that its payloads are delivered as they are. */
    public PassthroughDepacketizer(FormatParameters parameters) {
        super(parameters);
        LOG.info("{}: no depacketizer for this payload format; each frame is one RTP payload as received",
                 describe(parameters));
    }

    @Override
    protected int sampleCount(ByteBuf buf, int index, int length) {
        return 0;
    }

    @Override
    protected String problem(int code) {
        return "malformed payload";
    }
}
