package io.aquatrade.app;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A thread of its own for sessions that trail the market pass (the edge report's random baselines), so they
 * use the second core instead of waiting their turn after the primary session. The pipeline submits, in
 * order, the very calls it would make on them in step; they run one at a time, in that order, on the lane's
 * thread. Submissions are batched (a hand-over per call would cost more than most calls); the submitter waits
 * when the lane trails by more than {@link #MAX_LAG_MS} of market time or {@link #QUEUED_BATCHES} batches, so
 * what the lane reads from the market part (the echo's minutes) is still as it was. {@link #drain} returns
 * once everything submitted has run, and everything the lane wrote is then visible to the submitter.
 *
 * <p>Single submitter: all methods but the lane's own loop are called from the pipeline's thread.
 */
final class SessionLane {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SessionLane.class);

    /** Calls per hand-over. */
    static final int BATCH = 256;
    /** Hand-overs queued before the submitter waits. */
    static final int QUEUED_BATCHES = 16;
    /**
     * Market time the lane may trail by; far inside the echo's margin for trailing readers
     * ({@code MinuteRing.LAG_MARGIN_MINUTES}, a day).
     */
    static final long MAX_LAG_MS = 3_600_000L;

    /** Calls handed over at once, with the market time of the last. */
    private record Handover(Runnable[] calls, int size, long lastMarketMs) {
    }

    private static final Handover STOP = new Handover(new Runnable[0], 0, Long.MIN_VALUE);

    private final String name;
    private final ArrayBlockingQueue<Handover> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
    private Runnable[] batch = new Runnable[BATCH];
    private int size;
    private long lastMarketMs = Long.MIN_VALUE;
    private long batchFirstMarketMs;
    /** Market time of the last call the lane has run (written by the lane, read by the submitter). */
    private volatile long doneMarketMs = Long.MIN_VALUE;
    private Thread thread;

    SessionLane(String name) {
        this.name = name;
    }

    /** Runs {@code call} on the lane after everything submitted before it; {@code marketMs} is the clock it belongs to. */
    void submit(long marketMs, Runnable call) {
        if (size == 0) {
            batchFirstMarketMs = marketMs;
        }
        batch[size++] = call;
        lastMarketMs = Math.max(lastMarketMs, marketMs);
        if (size == BATCH) {
            handOver();
        }
    }

    private void handOver() {
        if (size == 0) {
            return;
        }
        if (thread == null) {
            doneMarketMs = batchFirstMarketMs - 1; // nothing run yet
            thread = new Thread(this::loop, name);
            thread.setDaemon(true); // never holds the JVM: the submitter drains before it reads the results
            thread.start();
        }
        put(new Handover(batch, size, lastMarketMs));
        batch = new Runnable[BATCH];
        size = 0;
        while (lastMarketMs - doneMarketMs > MAX_LAG_MS && thread.isAlive()) {
            LockSupport.parkNanos(20_000L);
        }
    }

    private void put(Handover h) {
        try {
            queue.put(h);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing calls to the " + name + " lane", e);
        }
    }

    /** Waits until every call submitted so far has run; the lane's thread ends (a later submit starts another). */
    void drain() {
        handOver();
        if (thread == null) {
            return; // nothing was ever submitted
        }
        put(STOP);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while draining the " + name + " lane", e);
        }
        thread = null;
    }

    private void loop() {
        while (true) {
            Handover h;
            try {
                h = queue.take();
            } catch (InterruptedException e) {
                return; // only a JVM shutting down interrupts the lane
            }
            if (h == STOP) {
                return;
            }
            Runnable[] calls = h.calls();
            for (int i = 0, n = h.size(); i < n; i++) {
                try {
                    calls[i].run(); // the pipeline's calls contain their own failures; this is the last guard
                } catch (RuntimeException | StackOverflowError e) {
                    log.error("{} lane: a call failed and was skipped", name, e);
                }
            }
            doneMarketMs = h.lastMarketMs();
        }
    }
}
