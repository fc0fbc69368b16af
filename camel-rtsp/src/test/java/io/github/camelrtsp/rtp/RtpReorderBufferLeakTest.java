package io.github.camelrtsp.rtp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the reorder buffer over pooled buffers with Netty's leak detector at PARANOID: no leak may be reported. A
 * deliberate leak first proves that the detector reports into the captured log in this setup.
 */
class RtpReorderBufferLeakTest {

    private static final String LEAK_LOGGER = ResourceLeakDetector.class.getName();

    /** Captures the leak detector's log lines. */
    private static final class LeakLog extends AbstractAppender {
        final List<String> lines = new CopyOnWriteArrayList<>();

        LeakLog() {
            super("leak-capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            if (event.getLoggerName().equals(LEAK_LOGGER)) {
                lines.add(event.getMessage().getFormattedMessage());
            }
        }

        long leaks(String marker) {
            return lines.stream().filter(l -> l.contains("LEAK") && l.contains(marker)).count();
        }
    }

    private ResourceLeakDetector.Level previousLevel;
    private LeakLog log;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

    @BeforeEach
    void paranoid() {
        previousLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        log = new LeakLog();
        log.start();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().addAppender(log, Level.ALL, null);
        ctx.updateLoggers();
    }

    @AfterEach
    void restore() {
        ResourceLeakDetector.setLevel(previousLevel);
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender(log.getName());
        ctx.updateLoggers();
        log.stop();
    }

    @Test
    void noBufferLeaksThroughShufflesLossDuplicatesRestartsAndReset() throws InterruptedException {
        // control: a buffer that is never released must be reported, or this test could not see a leak
        leakOneBuffer();
        collectUntil(() -> log.leaks("leakOneBuffer") > 0);
        assertTrue(log.leaks("leakOneBuffer") > 0, "the leak detector reports into the log: " + log.lines);

        List<ByteBuf> all = new ArrayList<>();
        runLossyStream(all);
        for (ByteBuf buf : all) {
            assertEquals(0, buf.refCnt());
        }
        all.clear();
        int before = log.lines.size();
        collectUntil(() -> false);
        List<String> reports = log.lines.subList(before, log.lines.size());
        for (String line : reports) {
            if (line.contains("LEAK")) {
                fail("buffer leaked: " + line);
            }
        }
    }

    private void leakOneBuffer() {
        ByteBuf leaked = alloc.buffer(64);
        leaked.writeLong(1);
        leaked.touch("leakOneBuffer");
    }

    private void runLossyStream(List<ByteBuf> all) {
        RtpReorderBuffer buffer = new RtpReorderBuffer(32, Duration.ofMillis(20));
        Random random = new Random(7);
        long[] delivered = new long[1];
        RtpReorderBuffer.Output out = (packet, lost) -> {
            assertTrue(packet.refCnt() > 0);
            delivered[0]++;
        };
        long now = 0;
        int seq = 65000;
        for (int i = 0; i < 20_000; i++) {
            now += random.nextInt(2) * 1_000_000L;
            int step = random.nextInt(100);
            if (step == 0) {
                seq = (seq + 20_000) & 0xFFFF; // a restart (or a stray, if only one packet follows the jump)
            } else if (step < 5) {
                seq = (seq + 2) & 0xFFFF; // loss
            } else if (step < 15) {
                seq = (seq - 3) & 0xFFFF; // reordering or a duplicate
            } else {
                seq = (seq + 1) & 0xFFFF;
            }
            ByteBuf packet = alloc.buffer(64);
            RtpPacket.writeHeader(packet, false, 96, seq, 0, 1);
            packet.writeLong(i);
            all.add(packet);
            try {
                buffer.add(packet, seq, now, out);
            } finally {
                packet.release();
            }
            if (random.nextInt(50) == 0) {
                buffer.flushExpired(now, out);
            }
        }
        assertTrue(buffer.size() > 0 || buffer.delivered() > 0);
        assertTrue(buffer.restarts() > 0 && buffer.lost() > 0 && buffer.late() > 0 && buffer.reordered() > 0,
                   buffer.toString());
        buffer.reset();
        assertEquals(0, buffer.size());
        assertEquals(delivered[0], buffer.delivered());
    }

    /** Runs the garbage collector and allocates, which is when the detector reports, until the condition holds. */
    private void collectUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 50 && !condition.getAsBoolean(); i++) {
            System.gc();
            Thread.sleep(20);
            for (int k = 0; k < 10; k++) {
                alloc.buffer(16).release();
            }
        }
    }
}
