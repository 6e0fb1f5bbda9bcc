package io.aquatrade.market;

import io.aquatrade.model.MarketEvent;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads a source ahead on a pool thread, handing events over in batches through a small bounded
 * queue, so decompression and parsing run beside the pipeline instead of on its thread. The source's
 * order is kept. At most one task per source runs at a time, and it is scheduled only while the queue
 * has room, so a pool of a few threads serves any number of sources without blocking.
 *
 * <p>The source and its reports are touched by the pool thread; its reports are exact once this reader
 * has returned null (the hand-over through the queue publishes them), approximate before.
 */
final class PrefetchingReader implements MarketEventReader {
    private static final int BATCH = 1024;
    private static final int BATCHES_AHEAD = 4;
    private static final Object END = new Object();

    private final MarketEventReader source;
    private final Executor executor;
    private final ArrayBlockingQueue<Object> queue = new ArrayBlockingQueue<>(BATCHES_AHEAD + 1);
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean producerDone;
    private volatile boolean cancelled;
    private final Runnable task = this::produce;

    // consumer side
    private MarketEvent[] batch;
    private int index;
    private boolean consumerDone;

    PrefetchingReader(MarketEventReader source, Executor executor) {
        this.source = source;
        this.executor = executor;
        maybeSchedule();
    }

    @Override
    public MarketEvent next() {
        if (batch != null && index < batch.length) {
            return batch[index++];
        }
        if (consumerDone) {
            return null;
        }
        Object o;
        try {
            o = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while waiting for market data", e);
        }
        maybeSchedule();
        if (o == END) {
            consumerDone = true;
            batch = null;
            return null;
        }
        if (o instanceof Throwable t) {
            consumerDone = true;
            batch = null;
            throw new IllegalStateException("reading market data failed: " + t, t);
        }
        batch = (MarketEvent[]) o;
        index = 0;
        return batch[index++];
    }

    private void maybeSchedule() {
        // room for a batch and the end marker, so the producer's adds never fail
        if (!producerDone && !cancelled && queue.remainingCapacity() >= 2 && scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                producerDone = true;
                queue.offer(e);
            }
        }
    }

    private void produce() {
        try {
            MarketEvent[] b = new MarketEvent[BATCH];
            int n = 0;
            while (n < BATCH && !cancelled) {
                MarketEvent e = source.next();
                if (e == null) {
                    break;
                }
                b[n++] = e;
            }
            if (cancelled) {
                producerDone = true;
                source.close();
                return;
            }
            if (n > 0) {
                queue.add(n == BATCH ? b : Arrays.copyOf(b, n));
            }
            if (n < BATCH) {
                producerDone = true;
                queue.add(END);
                return;
            }
        } catch (Throwable t) { // a bug in a reader: hand it to the consumer rather than lose it on a pool thread
            producerDone = true;
            queue.offer(t);
            return;
        } finally {
            scheduled.set(false);
        }
        maybeSchedule();
        if (cancelled && scheduled.compareAndSet(false, true)) {
            source.close();
        }
    }

    @Override
    public List<ReadReport> reports() {
        return source.reports();
    }

    @Override
    public void close() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        consumerDone = true;
        batch = null;
        queue.clear();
        // if no task runs now, close here; a running task sees 'cancelled' and closes the source itself
        if (scheduled.compareAndSet(false, true)) {
            source.close();
        }
    }
}
