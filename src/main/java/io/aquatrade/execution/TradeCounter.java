package io.aquatrade.execution;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;

/** Orders sent in the last rolling minute and in the current UTC day, on the pipeline's clock. */
public final class TradeCounter {
    private final ArrayDeque<Long> lastMinute = new ArrayDeque<>();
    private long day = Long.MIN_VALUE;
    private int today;
    private long total;

    public void record(long nowMs) {
        roll(nowMs);
        lastMinute.addLast(nowMs);
        today++;
        total++;
    }

    /**
     * Recovery: the orders earlier runs sent (their journaled times). Those of the latest UTC day among them count
     * again against the day's and the minute's caps, so a restart the same day does not grant a fresh budget; a
     * clock already in a later day drops them as usual. Not counted in {@link #total()} (this run's orders).
     */
    public void restore(Collection<Long> sentMs) {
        if (sentMs.isEmpty()) {
            return;
        }
        List<Long> sorted = sentMs.stream().sorted().toList();
        long d = Math.floorDiv(sorted.get(sorted.size() - 1), 86_400_000L);
        if (d < day) {
            return; // this run is already in a later day
        }
        if (d > day) {
            day = d;
            today = 0;
        }
        for (long t : sorted) {
            if (Math.floorDiv(t, 86_400_000L) == d) {
                today++;
                lastMinute.addLast(t); // the next roll drops those older than a minute
            }
        }
    }

    public int lastMinute(long nowMs) {
        roll(nowMs);
        return lastMinute.size();
    }

    public int today(long nowMs) {
        roll(nowMs);
        return today;
    }

    public long total() {
        return total;
    }

    private void roll(long nowMs) {
        while (!lastMinute.isEmpty() && lastMinute.peekFirst() <= nowMs - 60_000L) {
            lastMinute.pollFirst();
        }
        long d = Math.floorDiv(nowMs, 86_400_000L);
        if (d > day) { // forward only: a read before the clock has started (0) must not drop a restored day
            day = d;
            today = 0;
        }
    }
}
