package io.github.camelrtsp.format;

/** Receives the frames a {@link Depacketizer} completes. */
@FunctionalInterface
public interface FrameSink {

    void onFrame(MediaFrame frame);
}
