package io.aquatrade.market;

import io.aquatrade.model.MarketEvent;

import java.util.Arrays;

/**
 * A binary min-heap of events keyed by (time, tie) in parallel primitive arrays: no wrapper object per
 * entry. The tie (a source index or a sequence number) makes the order total, so output is deterministic.
 */
final class EventHeap {
    private long[] time;
    private long[] tie;
    private MarketEvent[] events;
    private int size;

    EventHeap(int capacity) {
        int c = Math.max(4, capacity);
        time = new long[c];
        tie = new long[c];
        events = new MarketEvent[c];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    long peekTime() {
        return time[0];
    }

    long peekTie() {
        return tie[0];
    }

    void push(long t, long k, MarketEvent e) {
        if (size == time.length) {
            int c = size * 2;
            time = Arrays.copyOf(time, c);
            tie = Arrays.copyOf(tie, c);
            events = Arrays.copyOf(events, c);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(t, k, time[parent], tie[parent])) {
                break;
            }
            time[i] = time[parent];
            tie[i] = tie[parent];
            events[i] = events[parent];
            i = parent;
        }
        time[i] = t;
        tie[i] = k;
        events[i] = e;
    }

    /** Removes and returns the smallest event; read {@link #peekTie()} before calling if the tie is needed. */
    MarketEvent pop() {
        MarketEvent top = events[0];
        int last = --size;
        long t = time[last];
        long k = tie[last];
        MarketEvent e = events[last];
        events[last] = null;
        if (last > 0) {
            int i = 0;
            int half = last >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                int right = child + 1;
                if (right < last && less(time[right], tie[right], time[child], tie[child])) {
                    child = right;
                }
                if (!less(time[child], tie[child], t, k)) {
                    break;
                }
                time[i] = time[child];
                tie[i] = tie[child];
                events[i] = events[child];
                i = child;
            }
            time[i] = t;
            tie[i] = k;
            events[i] = e;
        }
        return top;
    }

    void clear() {
        Arrays.fill(events, 0, size, null);
        size = 0;
    }

    private static boolean less(long t1, long k1, long t2, long k2) {
        return t1 < t2 || (t1 == t2 && k1 < k2);
    }
}
