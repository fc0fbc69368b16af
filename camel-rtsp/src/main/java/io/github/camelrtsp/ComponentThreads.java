package io.github.camelrtsp;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.Future;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.slf4j.Logger;

/**
 * The threads the {@code rtsp} and {@code rtsp-server} components own alike: the Netty I/O threads and the pool that
 * runs the routes of the consumers, with the checks of their options and their shutdown.
 */
final class ComponentThreads {

    /** How long a component waits for its I/O threads and delivery threads to finish when it stops. */
    static final long SHUTDOWN_TIMEOUT_MILLIS = 5_000;

    private ComponentThreads() {
    }

    /** Rejects a negative ioThreads and a deliveryThreads below 1. */
    static void validate(int ioThreads, int deliveryThreads) {
        if (ioThreads < 0) {
            throw new IllegalArgumentException("Option ioThreads must be 0 (number of processors) or positive, was "
                                               + ioThreads);
        }
        if (deliveryThreads < 1) {
            throw new IllegalArgumentException("Option deliveryThreads must be at least 1, was " + deliveryThreads);
        }
    }

    /** The number of I/O threads for the option value (0: one per processor). */
    static int ioThreadCount(int ioThreads) {
        return ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
    }

    /** A group of {@code threads} daemon Netty threads named {@code prefix} and a number counted by {@code counter}. */
    static EventLoopGroup newIoGroup(int threads, String prefix, AtomicInteger counter) {
        return new MultiThreadIoEventLoopGroup(threads, task -> {
            Thread thread = new FastThreadLocalThread(task, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }, NioIoHandler.newFactory());
    }

    /**
     * A fixed pool of {@code threads} delivery threads from Camel's executor service manager. One pending task per
     * consumer at most, so the task queue is bounded by the number of consumers; a task is never run on the caller:
     * callers are Netty I/O threads.
     */
    static ExecutorService newDeliveryPool(CamelContext context, Object source, String name, int threads) {
        ThreadPoolProfile profile = new ThreadPoolProfile(name);
        profile.setPoolSize(threads);
        profile.setMaxPoolSize(threads);
        profile.setMaxQueueSize(Integer.MAX_VALUE);
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        return context.getExecutorServiceManager().newThreadPool(source, name, profile);
    }

    /** Shuts a delivery pool down, waiting at most {@link #SHUTDOWN_TIMEOUT_MILLIS}; null is ignored. */
    static void shutdownDeliveryPool(CamelContext context, ExecutorService executor) {
        if (executor != null) {
            context.getExecutorServiceManager().shutdownGraceful(executor, SHUTDOWN_TIMEOUT_MILLIS);
        }
    }

    /**
     * Shuts an I/O group down at once (nothing is submitted after the component's users stopped), waiting a bounded
     * time; logs a warning naming {@code what} when the threads do not end in time. Null is ignored.
     */
    static void shutdownIoGroup(EventLoopGroup group, String what, Logger log) {
        if (group != null) {
            Future<?> terminated = group.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            if (!terminated.awaitUninterruptibly(SHUTDOWN_TIMEOUT_MILLIS + 1_000)) {
                log.warn("{} did not terminate within {} ms; continuing shutdown", what,
                        SHUTDOWN_TIMEOUT_MILLIS + 1_000);
            }
        }
    }
}
