package io.aquatrade.replay;

import io.aquatrade.model.MarketEvent;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Pulls events from a time-ordered iterator on the calling (worker) thread and hands them, in
 * batches, to a consumer running on {@code target} (the pipeline's context). At most
 * {@code maxBatchesInFlight} batches wait at once, so a fast reader never floods memory. With a
 * speed above zero, events from {@code paceFromMs} on are released no faster than that multiple of
 * real time; earlier events (warm-up history) go at full speed.
 */
public final class ReplayDriver {

    private final Iterator<MarketEvent> events;
    private final Executor target;
    private final Consumer<List<MarketEvent>> sink;
    private final int batchSize;
    private final Semaphore inFlight;
    private final double speed;
    private final long paceFromMs;
    private volatile boolean stopped;
    private volatile long delivered;
    private volatile long failedBatches;
    private volatile String firstFailure;

    public ReplayDriver(Iterator<MarketEvent> events, Executor target, Consumer<List<MarketEvent>> sink, int batchSize,
                        int maxBatchesInFlight, double speed, long paceFromMs) {
        this.events = events;
        this.target = target;
        this.sink = sink;
        this.batchSize = batchSize;
        this.inFlight = new Semaphore(maxBatchesInFlight);
        this.speed = speed;
        this.paceFromMs = paceFromMs;
    }

    /**
     * Runs to the end of the data (or {@link #stop()}); blocks, so call it on a worker thread. The
     * target runs tasks in order, so a task it is given after this returns runs after the last batch.
     */
    public void run() throws InterruptedException {
        long wallStart = 0;
        long eventStart = Long.MIN_VALUE;
        List<MarketEvent> batch = new ArrayList<>(batchSize);
        while (!stopped && events.hasNext()) {
            MarketEvent e = events.next();
            if (speed > 0 && e.timeMs() >= paceFromMs) {
                if (eventStart == Long.MIN_VALUE) {
                    eventStart = e.timeMs();
                    wallStart = System.nanoTime();
                    batch = handOff(batch);
                }
                long dueNanos = wallStart + (long) ((e.timeMs() - eventStart) * 1_000_000L / speed);
                long wait = dueNanos - System.nanoTime();
                if (wait > 1_000_000L) {
                    batch = handOff(batch); // show what is due before sleeping
                    Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                }
            }
            batch.add(e);
            if (batch.size() == batchSize) {
                batch = handOff(batch);
            }
        }
        handOff(batch);
    }

    private List<MarketEvent> handOff(List<MarketEvent> batch) throws InterruptedException {
        if (batch.isEmpty()) {
            return batch;
        }
        inFlight.acquire();
        List<MarketEvent> b = batch;
        target.execute(() -> {
            try {
                sink.accept(b);
                delivered += b.size();
            } catch (RuntimeException | StackOverflowError ex) {
                // the consumer contains its own per-event failures; one escaping here is counted, never silent
                failedBatches++;
                if (firstFailure == null) {
                    firstFailure = "a batch of " + b.size() + " events from " + b.get(0).timeMs() + " failed: " + ex;
                }
            } finally {
                inFlight.release();
            }
        });
        return new ArrayList<>(batchSize);
    }

    public void stop() {
        stopped = true;
    }

    public long delivered() {
        return delivered;
    }

    /** Batches whose consumer threw (their events count as not delivered). */
    public long failedBatches() {
        return failedBatches;
    }

    /** The first such failure with its cause, or null. */
    public String firstFailure() {
        return firstFailure;
    }
}
