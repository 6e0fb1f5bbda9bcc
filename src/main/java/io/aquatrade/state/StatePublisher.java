package io.aquatrade.state;

import com.hazelcast.map.IMap;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Publishes symbol state to Hazelcast in batches. The pipeline marks symbols dirty as their bars
 * close; {@link #maybeFlush} writes all dirty symbols' snapshots (copied on the caller's thread) with one {@code putAll} at most once per
 * interval of wall time. Hazelcast costs tens of microseconds per operation in process, so writing
 * per tick would cap the pipeline far below the feed rate; batching makes it a rounding error.
 */
public final class StatePublisher {

    private final IMap<String, SymbolStateView> map;
    private final long intervalMs;
    private final LongSupplier wallClock;
    private final Executor writer;
    private final Map<String, SymbolState> dirty = new HashMap<>();
    private long lastFlushWallMs = Long.MIN_VALUE;
    private long published;
    private long flushes;

    /**
     * @param writer runs the Hazelcast write; a worker executor live (a remote call must not block
     *               the event loop), or a direct executor where the caller already is a worker
     */
    public StatePublisher(IMap<String, SymbolStateView> map, long intervalMs, LongSupplier wallClock, Executor writer) {
        this.map = map;
        this.intervalMs = intervalMs;
        this.wallClock = wallClock;
        this.writer = writer;
    }

    public void markDirty(SymbolState state) {
        dirty.put(state.symbol(), state);
    }

    /** Flushes when the interval has passed; returns the number of entries written. */
    public int maybeFlush(long clockMs) {
        if (dirty.isEmpty()) {
            return 0;
        }
        long now = wallClock.getAsLong();
        if (lastFlushWallMs != Long.MIN_VALUE && now - lastFlushWallMs < intervalMs) {
            return 0;
        }
        lastFlushWallMs = now;
        return flush(clockMs);
    }

    /** Writes every dirty symbol now. */
    public int flush(long clockMs) {
        if (dirty.isEmpty()) {
            return 0;
        }
        Map<String, SymbolStateView> batch = new HashMap<>(dirty.size() * 2);
        for (SymbolState s : dirty.values()) {
            batch.put(s.symbol(), s.view(clockMs));
        }
        writer.execute(() -> map.putAll(batch));
        dirty.clear();
        published += batch.size();
        flushes++;
        return batch.size();
    }

    public long published() {
        return published;
    }

    public long flushes() {
        return flushes;
    }
}
