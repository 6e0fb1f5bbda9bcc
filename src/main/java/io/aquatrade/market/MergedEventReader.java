package io.aquatrade.market;

import io.aquatrade.model.Candle;
import io.aquatrade.model.MarketEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * K-way merge of ordered sources into one stream ordered by {@link MarketEvent#timeMs()}. A heap holds
 * the head event of each source; equal times come out in source order (the lower index first), and a
 * source's own events keep their order, so the result is deterministic for a given source list.
 *
 * <p>Applies the caller's filter (symbols, time window) before events enter the heap; a source is closed
 * as soon as it reaches the window's end. Guards of the merged stream, each reported in
 * {@link #mergeReport()}: a closed candle whose symbol and interval already delivered a candle opening at
 * the same or a later time (the same minute from two overlapping files) is dropped as a duplicate; an
 * event earlier than the last delivered one (a source that broke its order) is dropped.
 */
public final class MergedEventReader implements MarketEventReader {
    private final List<? extends MarketEventReader> sources;
    private final ReadOptions filter;
    private final long fromMs;
    private final long toMs;
    private final ReadReport mergeReport;
    private final List<String> skippedFiles;
    private final ExecutorService ownedPool;
    private final EventHeap heap;
    private final Map<String, long[]> lastClosedOpen = new HashMap<>();
    private boolean started;
    private boolean closed;
    private long lastTimeMs = Long.MIN_VALUE;
    private long delivered;

    /** Merges the given ordered sources as they are (no filter), on the caller's thread. */
    public static MergedEventReader of(List<? extends MarketEventReader> sources) {
        return new MergedEventReader(sources, null, new ReadReport("merge"), List.of(), null);
    }

    /**
     * @param filter    symbols and window to keep, or null for everything
     * @param ownedPool pool reading the sources ahead, shut down when this reader ends; or null
     */
    MergedEventReader(List<? extends MarketEventReader> sources, ReadOptions filter, ReadReport mergeReport,
                      List<String> skippedFiles, ExecutorService ownedPool) {
        this.sources = List.copyOf(sources);
        this.filter = filter;
        this.fromMs = filter == null ? Long.MIN_VALUE : filter.window().fromMs();
        this.toMs = filter == null ? Long.MAX_VALUE : filter.window().toMs();
        this.mergeReport = mergeReport;
        this.skippedFiles = List.copyOf(skippedFiles);
        this.ownedPool = ownedPool;
        this.heap = new EventHeap(sources.size());
    }

    @Override
    public MarketEvent next() {
        if (closed) {
            return null;
        }
        if (!started) {
            started = true;
            for (int i = 0; i < sources.size(); i++) {
                pull(i);
            }
        }
        while (!heap.isEmpty()) {
            int source = (int) heap.peekTie();
            MarketEvent e = heap.pop();
            pull(source);
            long t = e.timeMs();
            if (t < lastTimeMs) {
                mergeReport.outOfOrder(0, "source " + source + " went back in time: " + e.getClass().getSimpleName()
                        + " " + e.symbol() + " at " + Instant.ofEpochMilli(t) + " after " + Instant.ofEpochMilli(lastTimeMs)
                        + ": dropped");
                continue;
            }
            if (e instanceof Candle c && c.closed() && isDuplicate(c)) {
                continue;
            }
            lastTimeMs = t;
            delivered++;
            return e;
        }
        shutdownPool();
        return null;
    }

    private void pull(int i) {
        MarketEventReader s = sources.get(i);
        while (true) {
            MarketEvent e = s.next();
            if (e == null) {
                return;
            }
            long t = e.timeMs();
            if (filter != null) {
                if (t >= toMs) {
                    s.close(); // ordered: nothing more inside the window
                    return;
                }
                if (t < fromMs || !filter.acceptsSymbol(e.symbol())) {
                    mergeReport.countFilteredOut();
                    continue;
                }
            }
            heap.push(t, i, e);
            return;
        }
    }

    private boolean isDuplicate(Candle c) {
        String key = c.intervalMs() == Candle.ONE_MINUTE_MS ? c.symbol() : c.symbol() + "/" + c.intervalMs();
        long[] last = lastClosedOpen.get(key);
        if (last == null) {
            lastClosedOpen.put(key, new long[] {c.openTimeMs()});
            return false;
        }
        if (c.openTimeMs() <= last[0]) {
            mergeReport.outOfOrder(0, "duplicate " + c.symbol() + " " + Intervals.name(c.intervalMs())
                    + " candle opened at " + Instant.ofEpochMilli(c.openTimeMs())
                    + " (an earlier source already delivered it; overlapping files?): dropped");
            return true;
        }
        last[0] = c.openTimeMs();
        return false;
    }

    /** Events handed to the caller so far. */
    public long delivered() {
        return delivered;
    }

    /** What the merge itself counted: events left out by the filter, duplicates, order breaks. */
    public ReadReport mergeReport() {
        return mergeReport;
    }

    /** Files not opened at all because the symbol filter or time window excluded them, with the reason. */
    public List<String> skippedFiles() {
        return skippedFiles;
    }

    /**
     * Reports of every file opened so far, then the {@link #mergeReport()}. Exact once {@link #next()}
     * has returned null; while sources are read ahead on other threads, counts may lag.
     */
    @Override
    public List<ReadReport> reports() {
        List<ReadReport> all = new ArrayList<>();
        for (MarketEventReader s : sources) {
            all.addAll(s.reports());
        }
        all.add(mergeReport);
        return Collections.unmodifiableList(all);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        heap.clear();
        for (MarketEventReader s : sources) {
            s.close();
        }
        shutdownPool();
    }

    private void shutdownPool() {
        if (ownedPool != null) {
            ownedPool.shutdown();
        }
    }
}
