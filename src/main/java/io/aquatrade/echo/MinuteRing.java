package io.aquatrade.echo;

import java.util.Arrays;

/**
 * A symbol's recent one-minute closes (as natural logs, the form every path computation wants) and
 * volumes, in two primitive arrays addressed by absolute minute modulo the capacity. A minute without
 * a bar holds NaN; minutes older than {@code latest - capacity} are gone. Sixteen bytes a minute.
 *
 * <p>It physically keeps {@link #LAG_MARGIN_MINUTES} more than its capacity, so a reader that asks as of an
 * earlier latest minute ({@link #logCloseAsOf}: a session trailing the market on another thread) still finds
 * every minute that was held then.
 */
final class MinuteRing {
    static final long NONE = Long.MIN_VALUE;

    /** How far, in minutes, a reader as of an earlier latest minute may trail the ring and read what it held then. */
    static final int LAG_MARGIN_MINUTES = 1440;

    private final int capacity;
    private final int slots;
    private final double[] logClose;
    private final double[] volume;
    private long latest = NONE;

    MinuteRing(int capacity) {
        this.capacity = capacity;
        this.slots = capacity + LAG_MARGIN_MINUTES;
        this.logClose = new double[slots];
        this.volume = new double[slots];
        Arrays.fill(logClose, Double.NaN);
    }

    int capacity() {
        return capacity;
    }

    long latest() {
        return latest;
    }

    /** Stores a bar; minutes skipped since the latest one are cleared. {@code minute} must be >= latest. */
    void put(long minute, double lnClose, double vol) {
        if (latest != NONE && minute > latest + 1) {
            long gap = Math.min(minute - latest - 1, slots);
            for (long m = latest + 1, end = latest + 1 + gap; m < end; m++) {
                int s = slot(m);
                logClose[s] = Double.NaN;
                volume[s] = 0;
            }
        }
        int s = slot(minute);
        logClose[s] = lnClose;
        volume[s] = vol;
        if (latest == NONE || minute > latest) {
            latest = minute;
        }
    }

    boolean holds(long minute) {
        return latest != NONE && minute <= latest && minute > latest - capacity && !Double.isNaN(logClose[slot(minute)]);
    }

    /** ln(close) of a held minute, NaN otherwise. */
    double logCloseAt(long minute) {
        return holds(minute) ? logClose[slot(minute)] : Double.NaN;
    }

    /**
     * ln(close) of {@code minute} as {@link #logCloseAt} answered when {@code asOfLatest} was the latest minute
     * (at most {@link #LAG_MARGIN_MINUTES} ago): minutes put since then are not seen.
     */
    double logCloseAsOf(long minute, long asOfLatest) {
        if (asOfLatest == NONE || minute > Math.min(asOfLatest, latest) || minute <= asOfLatest - capacity) {
            return Double.NaN;
        }
        if (minute <= latest - slots) {
            throw new IllegalStateException("echo: minute " + minute + " asked as of " + asOfLatest
                    + " is overwritten (latest " + latest + "): the reader trails by more than "
                    + LAG_MARGIN_MINUTES + " minutes");
        }
        return logClose[slot(minute)];
    }

    /** Volume of a held minute, 0 otherwise. */
    double volumeAt(long minute) {
        return holds(minute) ? volume[slot(minute)] : 0.0;
    }

    /**
     * Copies the window of {@code n} minutes ending at {@code endMinute} into {@code outLog}/{@code outVol}.
     * A missing minute repeats the previous close (no trade means the price stood still) with volume 0; a
     * window that opens on missing minutes takes the last close held within the {@code n} minutes before
     * it, or else its own first close.
     *
     * @return how many of the n minutes were present
     */
    int window(long endMinute, int n, double[] outLog, double[] outVol) {
        long start = endMinute - n + 1;
        int present = 0;
        double carry = Double.NaN;
        long oldest = latest == NONE ? Long.MAX_VALUE : latest - capacity + 1;
        // Fast path: the whole window is inside what is held, walk the slots without modulo per minute.
        if (latest != NONE && start >= oldest && endMinute <= latest) {
            int s = slot(start);
            for (int k = 0; k < n; k++) {
                double lc = logClose[s];
                if (lc == lc) { // not NaN
                    outLog[k] = lc;
                    outVol[k] = volume[s];
                    carry = lc;
                    present++;
                } else {
                    outLog[k] = carry;
                    outVol[k] = 0;
                }
                if (++s == slots) {
                    s = 0;
                }
            }
        } else {
            for (int k = 0; k < n; k++) {
                long m = start + k;
                if (holds(m)) {
                    int s = slot(m);
                    outLog[k] = logClose[s];
                    outVol[k] = volume[s];
                    carry = outLog[k];
                    present++;
                } else {
                    outLog[k] = carry;
                    outVol[k] = 0;
                }
            }
        }
        if (present == 0 || present == n) {
            return present;
        }
        if (Double.isNaN(outLog[0])) {
            double fill = Double.NaN;
            for (long m = start - 1; m >= start - n; m--) {
                if (holds(m)) {
                    fill = logClose[slot(m)];
                    break;
                }
            }
            if (Double.isNaN(fill)) {
                for (int k = 0; k < n; k++) {
                    if (!Double.isNaN(outLog[k])) {
                        fill = outLog[k];
                        break;
                    }
                }
            }
            for (int k = 0; k < n && Double.isNaN(outLog[k]); k++) {
                outLog[k] = fill;
            }
        }
        return present;
    }

    /**
     * Copies the volumes of the {@code n} minutes from {@code fromMinute} into {@code out}, NaN for a minute
     * without a bar (or not held).
     */
    void volumes(long fromMinute, int n, double[] out) {
        for (int k = 0; k < n; k++) {
            long m = fromMinute + k;
            if (latest == NONE || m > latest || m <= latest - capacity) {
                out[k] = Double.NaN;
                continue;
            }
            int s = slot(m);
            out[k] = Double.isNaN(logClose[s]) ? Double.NaN : volume[s];
        }
    }

    private int slot(long minute) {
        return (int) Math.floorMod(minute, (long) slots);
    }
}
