package io.github.camelrtsp.format.aac;

import io.github.camelrtsp.format.Depacketizer;
import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.FrameSink;
import io.github.camelrtsp.rtp.RtpPacket;

/** Placeholder so that the depacketizer factory compiles; the real class is written in parallel. */
public class Mpeg4GenericDepacketizer implements Depacketizer {

    /** Creates the placeholder. */
    public Mpeg4GenericDepacketizer(FormatParameters parameters) {
    }

    @Override
    public void onPacket(RtpPacket packet, boolean lost, FrameSink sink) {
        throw new UnsupportedOperationException("placeholder for parallel work");
    }

    @Override
    public void reset() {
    }

    @Override
    public long framesDropped() {
        return 0;
    }

    @Override
    public long packetsSkipped() {
        return 0;
    }
}
