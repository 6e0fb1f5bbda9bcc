package io.aquatrade.state;

import io.aquatrade.model.Candle;
import io.aquatrade.model.Decimals;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.model.MarketSnapshot;
import io.aquatrade.model.QuoteTick;
import io.aquatrade.model.TradeTick;

import java.math.BigDecimal;

/**
 * The rolling state of one symbol, updated in place on the pipeline thread (single writer, no
 * locks). Ticks build 1s and 1m bars; closed 1m candles from files or the kline stream are taken
 * as they are. Kept compact: primitive rings, no object per bar.
 */
public final class SymbolState {

    private static final long MINUTE = 60_000L;
    private static final long DAY = 86_400_000L;
    /** The trailing window the snapshot's volume ratio compares with: one day of minutes. */
    static final int TYPICAL_MINUTES = 24 * 60;

    private final String symbol;
    private final int capacity;
    // ring of closed 1m bars
    private final long[] openTime;
    private final long[] open;
    private final long[] high;
    private final long[] low;
    private final long[] close;
    private final double[] volume; // E8 units as double: PEPE-class volumes overflow a long (see Decimals)
    private int count;
    private int head; // index of the next write
    // running total of the last min(TYPICAL_MINUTES, capacity) minutes' volume: volumeRatio reads it in O(1)
    private final int typicalWindow;
    private long typicalVolumeSum;
    private boolean typicalSumOverflowed;

    // bars being built from ticks (when the source is ticks)
    private final BarBuilder minuteBar;
    private final BarBuilder secondBar;
    private Candle lastClosedSecond;

    // today's path
    private long dayStart = Long.MIN_VALUE;
    private long dayOpen, dayHigh, dayLow;
    private long lastPrice;
    private long lastEventMs = Long.MIN_VALUE;
    private long events;
    /**
     * Once the symbol's source delivers closed one-minute candles (files, the kline stream, REST backfill),
     * they are its bars: minutes its ticks would also build are not counted a second time.
     */
    private boolean candleBars;

    public SymbolState(String symbol, int capacityMinutes) {
        this.symbol = symbol;
        this.capacity = capacityMinutes;
        openTime = new long[capacityMinutes];
        open = new long[capacityMinutes];
        high = new long[capacityMinutes];
        low = new long[capacityMinutes];
        close = new long[capacityMinutes];
        volume = new double[capacityMinutes];
        typicalWindow = Math.min(TYPICAL_MINUTES, capacityMinutes);
        minuteBar = new BarBuilder(symbol, MINUTE);
        secondBar = new BarBuilder(symbol, 1000L);
    }

    public String symbol() {
        return symbol;
    }

    /**
     * Applies one event. Returns the closed 1m candle when this event completed a minute (a closed
     * candle event itself, or the first tick of a new minute closing the previous one), else null.
     */
    public Candle onEvent(MarketEvent e) {
        events++;
        lastEventMs = Math.max(lastEventMs, e.timeMs());
        if (e instanceof Candle) {
            Candle c = (Candle) e;
            if (!c.closed() || c.intervalMs() != MINUTE) {
                lastPrice = c.closeE8();
                return null;
            }
            candleBars = true;
            if (count > 0 && c.openTimeMs() <= openTime[Math.floorMod(head - 1, capacity)]) {
                return null; // a minute already held (a backfill overlapping the stream, a repeated message)
            }
            touchDay(c.openTimeMs(), c.openE8());
            dayHigh = Math.max(dayHigh, c.highE8());
            dayLow = Math.min(dayLow, c.lowE8());
            lastPrice = c.closeE8();
            push(c.openTimeMs(), c.openE8(), c.highE8(), c.lowE8(), c.closeE8(), c.volumeE8());
            return c;
        }
        long price;
        double qty;
        if (e instanceof TradeTick) {
            TradeTick t = (TradeTick) e;
            price = t.priceE8();
            qty = t.qtyE8();
        } else {
            QuoteTick q = (QuoteTick) e;
            price = q.midE8();
            qty = 0;
        }
        Candle closed = minuteBar.add(e.timeMs(), price, qty);
        if (closed != null && candleBars) {
            closed = null; // the candles are the bars; this tick only moves the price and today's path
        }
        if (closed != null) {
            push(closed.openTimeMs(), closed.openE8(), closed.highE8(), closed.lowE8(), closed.closeE8(),
                    closed.volumeE8());
        }
        Candle second = secondBar.add(e.timeMs(), price, qty);
        if (second != null) {
            lastClosedSecond = second;
        }
        touchDay(e.timeMs(), price);
        dayHigh = Math.max(dayHigh, price);
        dayLow = Math.min(dayLow, price);
        lastPrice = price;
        return closed;
    }

    private void touchDay(long timeMs, long firstPrice) {
        long day = timeMs - Math.floorMod(timeMs, DAY);
        if (day != dayStart && day > dayStart) {
            dayStart = day;
            dayOpen = firstPrice;
            dayHigh = firstPrice;
            dayLow = firstPrice;
        }
    }

    private void push(long t, long o, long h, long l, long c, double v) {
        // the running total stays an exact long while every volume is a whole E8 amount that fits one;
        // PEPE-class volumes (beyond 9.2e10 units a day) switch to summing the window each time
        if (!typicalSumOverflowed) {
            if (count >= typicalWindow) {
                typicalVolumeSum -= (long) volume[Math.floorMod(head - typicalWindow, capacity)]; // leaves the window
            }
            long whole = (long) v;
            if (whole != v || whole == Long.MAX_VALUE) {
                typicalSumOverflowed = true;
            } else {
                try {
                    typicalVolumeSum = Math.addExact(typicalVolumeSum, whole);
                } catch (ArithmeticException e) {
                    typicalSumOverflowed = true;
                }
            }
        }
        openTime[head] = t;
        open[head] = o;
        high[head] = h;
        low[head] = l;
        close[head] = c;
        volume[head] = v;
        head = (head + 1) % capacity;
        if (count < capacity) {
            count++;
        }
    }

    /** Close of the k-th most recent closed minute (0 = latest); requires k < minutesHeld(). */
    public long closeAgo(int k) {
        return close[idx(k)];
    }

    public double volumeAgo(int k) {
        return volume[idx(k)];
    }

    public long openTimeAgo(int k) {
        return openTime[idx(k)];
    }

    private int idx(int k) {
        if (k < 0 || k >= count) {
            throw new IndexOutOfBoundsException("minute " + k + " of " + count + " held for " + symbol);
        }
        return Math.floorMod(head - 1 - k, capacity);
    }

    public int minutesHeld() {
        return count;
    }

    public long lastPriceE8() {
        return lastPrice;
    }

    public long lastEventMs() {
        return lastEventMs;
    }

    public long events() {
        return events;
    }

    /** The last closed one-second bar built from ticks, or null (candle sources have none). */
    public Candle lastClosedSecond() {
        return lastClosedSecond;
    }

    /** The rule fact for this symbol at clock time {@code nowMs}. */
    public MarketSnapshot snapshot(long nowMs, long staleAfterMs) {
        double last = lastPrice;
        double dOpen = dayOpen == 0 ? last : dayOpen;
        double dayChange = dOpen == 0 ? 0 : (last - dOpen) / dOpen * 100.0;
        double dayRange = dOpen == 0 ? 0 : (dayHigh - dayLow) / dOpen * 100.0;
        long age = lastEventMs == Long.MIN_VALUE ? Long.MAX_VALUE : Math.max(0, nowMs - lastEventMs);
        return new MarketSnapshot(symbol, nowMs, Decimals.toBigDecimal(lastPrice),
                Decimals.toBigDecimal(dayOpen == 0 ? lastPrice : dayOpen), dayChange, dayRange, returnPct(1),
                returnPct(5), returnPct(15), volatilityPct(60), volumeRatio(15, TYPICAL_MINUTES), age,
                age > staleAfterMs, count);
    }

    /** Return over the last {@code minutes} closed minutes in %, 0 when not enough history. */
    double returnPct(int minutes) {
        if (count <= minutes) {
            return 0;
        }
        double now = closeAgo(0);
        double then = closeAgo(minutes);
        return then == 0 ? 0 : (now - then) / then * 100.0;
    }

    /** Standard deviation of 1-minute returns over the last {@code minutes}, in %. */
    double volatilityPct(int minutes) {
        int n = Math.min(minutes, count - 1);
        if (n < 2) {
            return 0;
        }
        double sum = 0;
        double sumSq = 0;
        for (int k = 0; k < n; k++) {
            double a = closeAgo(k + 1);
            double r = a == 0 ? 0 : (closeAgo(k) - a) / a;
            sum += r;
            sumSq += r * r;
        }
        double mean = sum / n;
        double var = Math.max(0, sumSq / n - mean * mean);
        return Math.sqrt(var) * 100.0;
    }

    /** Volume of the last {@code window} minutes over the average window-long volume of the last {@code trailing}. */
    double volumeRatio(int window, int trailing) {
        int t = Math.min(trailing, count);
        if (t < window * 2) {
            return 1.0;
        }
        double recent = 0;
        double all = 0;
        if (t == Math.min(typicalWindow, count) && !typicalSumOverflowed) {
            for (int k = 0; k < window; k++) {
                recent += volumeAgo(k);
            }
            all = typicalVolumeSum;
            double typical = all / t * window;
            return typical == 0 ? 0 : recent / typical;
        }
        for (int k = 0; k < t; k++) {
            double v = volumeAgo(k);
            if (k < window) {
                recent += v;
            }
            all += v;
        }
        double typical = all / t * window;
        return typical == 0 ? 0 : recent / typical;
    }

    /** A compact, serialisable copy for Hazelcast and the status page. */
    public SymbolStateView view(long nowMs) {
        int n = Math.min(count, SymbolStateView.RECENT_MINUTES);
        long[] closes = new long[n];
        double[] vols = new double[n];
        for (int k = 0; k < n; k++) {
            closes[n - 1 - k] = closeAgo(k);
            vols[n - 1 - k] = volumeAgo(k);
        }
        return new SymbolStateView(symbol, nowMs, lastEventMs, lastPrice, dayStart, dayOpen, dayHigh, dayLow,
                count == 0 ? 0 : openTimeAgo(0), closes, vols, volatilityPct(60), volumeRatio(15, TYPICAL_MINUTES), events);
    }

    public BigDecimal lastPrice() {
        return Decimals.toBigDecimal(lastPrice);
    }

    /** An OHLCV bar of one bucket of time, built tick by tick; a tick of a later bucket closes it. */
    static final class BarBuilder {
        private final String symbol;
        private final long lengthMs;
        private long start = Long.MIN_VALUE;
        private long o, h, l, c;
        private double v; // E8 units; sums of PEPE-class ticks outgrow a long

        BarBuilder(String symbol, long lengthMs) {
            this.symbol = symbol;
            this.lengthMs = lengthMs;
        }

        /** Adds a tick; returns the bar it closed, or null. A late tick of an older bucket only updates the current bar. */
        Candle add(long timeMs, long price, double qty) {
            long bucket = timeMs - Math.floorMod(timeMs, lengthMs);
            Candle closed = null;
            if (bucket > start) {
                if (start != Long.MIN_VALUE) {
                    closed = new Candle(symbol, start, lengthMs, o, h, l, c, v, true, start + lengthMs - 1);
                }
                start = bucket;
                o = h = l = c = price;
                v = 0;
            }
            h = Math.max(h, price);
            l = Math.min(l, price);
            c = price;
            v += qty;
            return closed;
        }
    }
}
