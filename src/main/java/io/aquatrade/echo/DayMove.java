package io.aquatrade.echo;

import io.aquatrade.model.Direction;

/**
 * What one UTC day did: its range and its dominant move.
 *
 * <p>The move is the larger of (a) the largest run-up from a running minimum of the lows to a later
 * high and (b) the largest run-down from a running maximum of the highs to a later low, compared as
 * log ratios. With no horizon the running extremes span the whole day so far; then the move always
 * spans the whole day range, because the day's low and high are themselves a running extreme and a
 * later (or same-minute) extreme of the other kind: it is UP when the day's low came before its high and
 * DOWN otherwise. With a horizon H the running extremes only look back H minutes, so the move is the
 * largest one completed within H minutes of its start. Its start is the minute of the trough (UP) or
 * crest (DOWN) it ran from — the latest such minute when the level was touched more than once, because
 * the move began after the last touch — and its extreme is the first minute reaching the far end. A tie
 * between UP and DOWN (for instance day high and low in the same minute) counts as UP.
 *
 * @param minutesPresent  bars present in the day (1440 when no minute is missing)
 * @param openE8          open of the day's first present bar
 * @param rangePct        (high - low) / open in %
 * @param startMinute     minute of day (0..1439) the move ran from
 * @param extremeMinute   minute of day the move reached its extreme
 * @param startPriceE8    the trough (UP) or crest (DOWN) the move ran from
 * @param extremePriceE8  the high (UP) or low (DOWN) it reached
 * @param movePct         size of the move in % of its start price, positive
 * @param moveContiguous  true when no minute is missing from start to extreme
 */
record DayMove(int minutesPresent, long openE8, long highE8, long lowE8, double rangePct, Direction direction,
               int startMinute, int extremeMinute, long startPriceE8, long extremePriceE8, double movePct,
               boolean moveContiguous) {

    static final int MINUTES_PER_DAY = 1440;

    int minutesToPeak() {
        return extremeMinute - startMinute;
    }

    /**
     * Analyses one day given per minute-of-day arrays; a missing minute has {@code high[m] == 0}.
     *
     * @param horizonMinutes 0 for moves over the whole day, else the longest a move may take from start to extreme
     * @return null when the day has no bar at all
     */
    static DayMove analyse(long[] open, long[] high, long[] low, int horizonMinutes) {
        int horizon = horizonMinutes <= 0 ? MINUTES_PER_DAY : horizonMinutes;
        // Monotonic deques of minutes: lows ascending (front = lowest, latest on ties) and highs descending,
        // over the last `horizon` minutes: the running extremes a run can start from.
        int[] lowQ = new int[MINUTES_PER_DAY];
        int[] highQ = new int[MINUTES_PER_DAY];
        int lh = 0, lt = 0, hh = 0, ht = 0;
        int present = 0;
        int first = -1;
        long dayHigh = Long.MIN_VALUE;
        long dayLow = Long.MAX_VALUE;
        double bestUp = -1;
        int upStart = -1;
        int upEnd = -1;
        double bestDown = -1;
        int downStart = -1;
        int downEnd = -1;
        for (int m = 0; m < MINUTES_PER_DAY; m++) {
            long h = high[m];
            if (h == 0) {
                continue;
            }
            long l = low[m];
            present++;
            if (first < 0) {
                first = m;
            }
            dayHigh = Math.max(dayHigh, h);
            dayLow = Math.min(dayLow, l);
            while (lt > lh && low[lowQ[lt - 1]] >= l) {
                lt--;
            }
            lowQ[lt++] = m;
            while (lh < lt && lowQ[lh] < m - horizon) {
                lh++;
            }
            while (ht > hh && high[highQ[ht - 1]] <= h) {
                ht--;
            }
            highQ[ht++] = m;
            while (hh < ht && highQ[hh] < m - horizon) {
                hh++;
            }
            int runMinAt = lowQ[lh];
            int runMaxAt = highQ[hh];
            double up = Math.log((double) h / low[runMinAt]);
            if (up > bestUp) {
                bestUp = up;
                upStart = runMinAt;
                upEnd = m;
            }
            double down = Math.log((double) high[runMaxAt] / l);
            if (down > bestDown) {
                bestDown = down;
                downStart = runMaxAt;
                downEnd = m;
            }
        }
        if (present == 0) {
            return null;
        }
        long dayOpen = open[first];
        double rangePct = (dayHigh - dayLow) * 100.0 / dayOpen;
        boolean isUp = bestUp >= bestDown;
        int start = isUp ? upStart : downStart;
        int end = isUp ? upEnd : downEnd;
        long startPrice = isUp ? low[start] : high[start];
        long extremePrice = isUp ? high[end] : low[end];
        double movePct = isUp ? (extremePrice - startPrice) * 100.0 / startPrice
                : (startPrice - extremePrice) * 100.0 / startPrice;
        boolean contiguous = true;
        for (int m = start; m <= end; m++) {
            if (high[m] == 0) {
                contiguous = false;
                break;
            }
        }
        return new DayMove(present, dayOpen, dayHigh, dayLow, rangePct, isUp ? Direction.UP : Direction.DOWN,
                start, end, startPrice, extremePrice, movePct, contiguous);
    }
}
