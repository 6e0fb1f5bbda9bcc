package io.aquatrade.execution;

import java.util.ArrayDeque;

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
        if (d != day) {
            day = d;
            today = 0;
        }
    }
}
