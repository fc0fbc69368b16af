package io.github.camelrtsp.publish;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A single-threaded scheduler on a manual clock for timing tests: tasks run only in {@link #advanceTo(long)}, in due
 * order, with the clock set to each task's due time while it runs.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private record Task(long due, long order, Runnable run) {
    }

    private final PriorityQueue<Task> tasks =
            new PriorityQueue<>(Comparator.comparingLong(Task::due).thenComparingLong(Task::order));
    private long now;
    private long order;

    /** The manual clock in nanoseconds. */
    long nanoTime() {
        return now;
    }

    /** Moves the clock to {@code nanos} (never backwards), running every task due until then. */
    void advanceTo(long nanos) {
        while (!tasks.isEmpty() && tasks.peek().due <= nanos) {
            Task t = tasks.poll();
            now = Math.max(now, t.due);
            t.run.run();
        }
        now = Math.max(now, nanos);
    }

    /** Advances by {@code nanos}. */
    void advanceBy(long nanos) {
        advanceTo(now + nanos);
    }

    /** Tasks waiting. */
    int pending() {
        return tasks.size();
    }

    @Override
    public void execute(Runnable command) {
        tasks.add(new Task(now, order++, command));
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        tasks.add(new Task(now + Math.max(0, unit.toNanos(delay)), order++, command));
        return null;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void shutdown() {
        tasks.clear();
    }

    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> left = new ArrayList<>();
        tasks.forEach(t -> left.add(t.run));
        tasks.clear();
        return left;
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
