package io.github.camelrtsp.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import io.github.camelrtsp.rtp.RtpPacket;

/** Test listener that records what a client reports. */
class RecordingListener implements RtspMediaListener {

    final Map<Integer, AtomicLong> packets = new ConcurrentHashMap<>();
    final Map<Integer, String> codecs = new ConcurrentHashMap<>();
    final List<String> states = new CopyOnWriteArrayList<>();
    final List<Throwable> causes = new CopyOnWriteArrayList<>();
    final AtomicLong playing = new AtomicLong();
    volatile RtspSessionInfo session;

    @Override
    public void onPlaying(RtspSessionInfo session) {
        this.session = session;
        playing.incrementAndGet();
    }

    @Override
    public void onRtpPacket(MediaTrack track, RtpPacket packet) {
        codecs.put(track.index(), track.codec());
        packets.computeIfAbsent(track.index(), k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void onStateChanged(ClientState state, String reason, Throwable cause) {
        states.add(state + ": " + reason);
        if (cause != null) {
            causes.add(cause);
        }
    }

    long packets(int track) {
        AtomicLong n = packets.get(track);
        return n == null ? 0 : n.get();
    }

    long totalPackets() {
        return packets.values().stream().mapToLong(AtomicLong::get).sum();
    }

    static void await(Duration timeout, BooleanSupplier condition, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }
}
