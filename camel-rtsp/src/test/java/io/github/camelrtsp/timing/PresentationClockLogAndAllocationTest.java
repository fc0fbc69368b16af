package io.github.camelrtsp.timing;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;

import io.github.camelrtsp.rtp.SenderReport;
import io.github.camelrtsp.timing.PresentationClock.Track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The clock logs rejected reports rarely, and times frames without allocating. */
class PresentationClockLogAndAllocationTest {

    /** Collects the clock's warnings while installed. */
    private static final class Warnings extends AbstractAppender implements AutoCloseable {
        final List<String> lines = new CopyOnWriteArrayList<>();

        Warnings() {
            super("clock-capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
            start();
            LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
            ctx.getConfiguration().getRootLogger().addAppender(this, Level.ALL, null);
            ctx.updateLoggers();
        }

        @Override
        public void append(LogEvent event) {
            if (event.getLoggerName().equals(PresentationClock.class.getName())
                && event.getLevel().isMoreSpecificThan(Level.WARN)) {
                lines.add(event.getMessage().getFormattedMessage());
            }
        }

        @Override
        public void close() {
            LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
            ctx.getConfiguration().getRootLogger().removeAppender(getName());
            ctx.updateLoggers();
            stop();
        }
    }

    @Test
    void rejectedReportsAreLoggedOnceNotPerReport() {
        PresentationClock clock = new PresentationClock(Duration.ofMillis(40), Duration.ofSeconds(10));
        Track video = clock.addTrack("video", 90000);
        Track audio = clock.addTrack("audio", 8000);
        clock.presentationTimeMicros(video, 0);
        clock.presentationTimeMicros(audio, 0);
        Instant now = Instant.parse("2024-01-01T00:00:00Z");
        clock.onSenderReport(video, new SenderReport(1, SenderReport.instantToNtp(now), 0, 0, 0));
        try (Warnings warnings = new Warnings()) {
            for (int i = 0; i < 100; i++) {
                clock.onSenderReport(audio, new SenderReport(2, SenderReport.instantToNtp(now.plusSeconds(60)), 0,
                                                             0, 0));
            }
            assertEquals(100, clock.rejectedReports());
            assertEquals(1, warnings.lines.size(), warnings.lines.toString());
            String line = warnings.lines.get(0);
            assertTrue(line.contains("audio") && line.contains("60000 ms") && line.contains("1 sender reports"),
                       line);
        }
    }

    @Test
    void timingAFrameAllocatesNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "JVM cannot measure thread allocation");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        PresentationClock clock = new PresentationClock();
        Track video = clock.addTrack("video", 90000);
        Track audio = clock.addTrack("audio", 48000);
        clock.onRtpInfo(video, 4_000_000_000L);
        clock.onRtpInfo(audio, 7);
        int frames = 200_000;
        long sink = run(clock, video, audio, 0, frames); // warm up
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        sink += run(clock, video, audio, frames, frames);
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertTrue(sink != 0);
        assertTrue(allocated < frames / 20, allocated + " bytes allocated for " + frames + " frames");
    }

    private static long run(PresentationClock clock, Track video, Track audio, int first, int frames) {
        long sink = 0;
        for (int i = first; i < first + frames; i++) {
            sink += clock.presentationTimeMicros(video, (4_000_000_000L + 3000L * i) & 0xFFFF_FFFFL);
            sink += clock.presentationTimeMicros(audio, (7 + 1600L * i) & 0xFFFF_FFFFL);
            sink += clock.takeDiscontinuity(video) ? 1 : 0;
        }
        return sink;
    }
}
