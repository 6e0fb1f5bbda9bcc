package io.aquatrade.state;

import io.aquatrade.model.Candle;
import io.aquatrade.model.Decimals;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.model.MarketSnapshot;
import io.aquatrade.model.MarketWindows;
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
    // running total of every held minute's volume (the history window), exact while it fits a long
    private long historyVolumeSum;
    private boolean historySumOverflowed;
    private int closedMinutes; // minutes pushed so far: a new value means the closed-minute figures changed

    private final int[] trades; // per closed minute; -1 when the source carries no trades (candles)

    // bars being built from ticks (when the source is ticks)
    private final BarBuilder minuteBar;
    private final BarBuilder secondBar;
    private Candle lastClosedSecond;
    private boolean secondClosedByLastEvent;
    // ring of closed one-second bars (tick sources): the 10 s, 30 s and 5 min windows
    private static final int SECONDS = 300;
    private final long[] secStart = new long[SECONDS];
    private final long[] secClose = new long[SECONDS];
    private final long[] secHigh = new long[SECONDS];
    private final long[] secLow = new long[SECONDS];
    private final double[] secVolume = new double[SECONDS];
    private final int[] secTrades = new int[SECONDS];
    private int secCount;
    private int secHead;
    private boolean tickSource;
    // today's volume and trades; the held history's extremes (refreshed per closed minute)
    private double dayVolume;
    private long dayTrades;
    /** Each held minute's close against the minute before it (0 for the first, or after a zero close). */
    private final double[] minuteReturn;
    private final HeldExtreme heldHighs;
    private final HeldExtreme heldLows;
    private long historyTrades;

    // today's path
    private long dayStart = Long.MIN_VALUE;
    private long dayOpen, dayHigh, dayLow;
    private long lastPrice;
    /** Time of the event that set {@link #lastPrice}: an older closed kline does not take the price back. */
    private long lastPriceMs = Long.MIN_VALUE;
    // the trades' volume counted into today per minute (current and previous), and the newest kline counted
    private long tickedMinute = Long.MIN_VALUE;
    private double tickedVolume;
    private long tickedPrevMinute = Long.MIN_VALUE;
    private double tickedPrevVolume;
    private long dayCandleMinute = Long.MIN_VALUE;
    private long lastEventMs = Long.MIN_VALUE;
    /** The last event of the feed itself; history minutes (bootstrap, REST backfill) are no sign of a live feed. */
    private long lastFeedMs = Long.MIN_VALUE;
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
        trades = new int[capacityMinutes];
        minuteReturn = new double[capacityMinutes];
        heldHighs = new HeldExtreme(capacityMinutes, true);
        heldLows = new HeldExtreme(capacityMinutes, false);
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
        lastFeedMs = Math.max(lastFeedMs, e.timeMs());
        return apply(e);
    }

    private Candle apply(MarketEvent e) {
        events++;
        secondClosedByLastEvent = false;
        lastEventMs = Math.max(lastEventMs, e.timeMs());
        if (e instanceof Candle) {
            Candle c = (Candle) e;
            if (!c.closed() || c.intervalMs() != MINUTE) {
                if (c.timeMs() >= lastPriceMs) {
                    lastPrice = c.closeE8();
                    lastPriceMs = c.timeMs();
                }
                return null;
            }
            candleBars = true;
            if (count > 0 && c.openTimeMs() <= openTime[Math.floorMod(head - 1, capacity)]) {
                return null; // a minute already held (a backfill overlapping the stream, a repeated message)
            }
            if (touchDay(c.openTimeMs(), c.openE8())) { // yesterday's last kline may land after today's first trades
                dayHigh = Math.max(dayHigh, c.highE8());
                dayLow = Math.min(dayLow, c.lowE8());
                // the minute's aggTrades, if any, already counted part of it: the kline's volume replaces them
                long m = c.openTimeMs();
                dayVolume += c.volumeE8() - (m == tickedMinute ? tickedVolume : m == tickedPrevMinute ? tickedPrevVolume : 0);
                dayCandleMinute = m;
            }
            if (c.timeMs() >= lastPriceMs) { // a kline closes up to seconds after the next minute's trades moved on
                lastPrice = c.closeE8();
                lastPriceMs = c.timeMs();
            }
            push(c.openTimeMs(), c.openE8(), c.highE8(), c.lowE8(), c.closeE8(), c.volumeE8(), -1);
            return c;
        }
        long price;
        double qty;
        int trade;
        if (e instanceof TradeTick) {
            TradeTick t = (TradeTick) e;
            price = t.priceE8();
            qty = t.qtyE8();
            trade = 1;
        } else {
            QuoteTick q = (QuoteTick) e;
            price = q.midE8();
            qty = 0;
            trade = 0;
        }
        tickSource = true;
        int minuteTrades = minuteBar.trades;
        Candle closed = minuteBar.add(e.timeMs(), price, qty, trade);
        if (closed != null && candleBars) {
            closed = null; // the candles are the bars; this tick only moves the price and today's path
        }
        if (closed != null) {
            push(closed.openTimeMs(), closed.openE8(), closed.highE8(), closed.lowE8(), closed.closeE8(),
                    closed.volumeE8(), minuteTrades);
        }
        int secondTrades = secondBar.trades;
        Candle second = secondBar.add(e.timeMs(), price, qty, trade);
        if (second != null) {
            lastClosedSecond = second;
            secondClosedByLastEvent = true;
            pushSecond(second, secondTrades);
        }
        if (touchDay(e.timeMs(), price)) {
            addTickedVolume(e.timeMs(), qty);
            dayTrades += trade;
            dayHigh = Math.max(dayHigh, price);
            dayLow = Math.min(dayLow, price);
        }
        lastPrice = price;
        lastPriceMs = Math.max(lastPriceMs, e.timeMs());
        return closed;
    }

    /** Starts a new UTC day at the first event dated in it; false for an event of an earlier day (it is not today's). */
    private boolean touchDay(long timeMs, long firstPrice) {
        long day = timeMs - Math.floorMod(timeMs, DAY);
        if (day != dayStart && day > dayStart) {
            dayStart = day;
            dayVolume = 0;
            dayTrades = 0;
            dayOpen = firstPrice;
            dayHigh = firstPrice;
            dayLow = firstPrice;
        }
        return day == dayStart;
    }

    /**
     * A trade's quantity into today's volume, remembered per minute (the current and the previous one) so the
     * minute's closed kline, which carries the whole minute, replaces it instead of counting it twice. A trade
     * of a minute whose kline is already counted adds nothing.
     */
    private void addTickedVolume(long timeMs, double qty) {
        long m = timeMs - Math.floorMod(timeMs, MINUTE);
        if (candleBars && m <= dayCandleMinute) {
            return;
        }
        dayVolume += qty;
        if (m == tickedMinute) {
            tickedVolume += qty;
        } else if (m > tickedMinute) {
            tickedPrevMinute = tickedMinute;
            tickedPrevVolume = tickedVolume;
            tickedMinute = m;
            tickedVolume = qty;
        } else if (m == tickedPrevMinute) {
            tickedPrevVolume += qty;
        }
    }

    private void pushSecond(Candle b, int tradesInSecond) {
        if (secCount > 0 && b.openTimeMs() <= secStart[secHead == 0 ? SECONDS - 1 : secHead - 1]) {
            secondsInOrder = false; // the running windows assume bars in time order: scan from now on
        }
        long whole = (long) b.volumeE8();
        if (whole != b.volumeE8() || whole >= EXACT_DOUBLE) {
            secondsWhole = false; // the running volume stays exact only for whole amounts a double holds exactly
        }
        for (SecondsRun r : secondRuns) {
            r.beforeOverwrite(secPushed - SECONDS); // the bar about to be overwritten leaves the run first
        }
        secPushed++;
        secStart[secHead] = b.openTimeMs();
        secClose[secHead] = b.closeE8();
        secHigh[secHead] = b.highE8();
        secLow[secHead] = b.lowE8();
        secVolume[secHead] = b.volumeE8();
        secTrades[secHead] = tradesInSecond;
        secHead = (secHead + 1) % SECONDS;
        if (secCount < SECONDS) {
            secCount++;
        }
    }

    private void push(long t, long o, long h, long l, long c, double v, int tradesInMinute) {
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
        closedMinutes++;
        boolean evicted = count == capacity;
        double before = count == 0 ? 0 : closeAgo(0);
        // the same quotient the volatility summed per window (computed once per minute instead of per read)
        minuteReturn[head] = before == 0 ? 0 : (c - before) / before;
        double leftVolume = volume[head];
        openTime[head] = t;
        open[head] = o;
        high[head] = h;
        low[head] = l;
        close[head] = c;
        volume[head] = v;
        if (count == capacity && trades[head] > 0) {
            historyTrades -= trades[head];
        }
        trades[head] = tradesInMinute;
        historyTrades += Math.max(0, tradesInMinute);
        head = (head + 1) % capacity;
        if (count < capacity) {
            count++;
        }
        heldHighs.push(closedMinutes, h);
        heldLows.push(closedMinutes, l);
        if (!historySumOverflowed) {
            long whole = (long) v;
            if (whole != v || whole == Long.MAX_VALUE) {
                historySumOverflowed = true;
            } else {
                try {
                    historyVolumeSum = Math.addExact(historyVolumeSum - (evicted ? (long) leftVolume : 0), whole);
                } catch (ArithmeticException e) {
                    historySumOverflowed = true;
                }
            }
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
        int i = head - 1 - k; // within (-capacity, capacity): one wrap, no division on this hot path
        return i < 0 ? i + capacity : i;
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

    /**
     * A minute that arrives outside the feed (the history bootstrap, a REST backfill): it builds the state as
     * {@link #onEvent} does, but the feed's age stays what it was, so a silent stream whose minutes are backfilled
     * still shows stale.
     */
    public Candle onHistoryMinute(Candle minute) {
        return apply(minute);
    }

    /** Time of the feed's last event (history minutes excluded), or Long.MIN_VALUE before the first. */
    public long lastFeedMs() {
        return lastFeedMs;
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
        long age = lastFeedMs == Long.MIN_VALUE ? Long.MAX_VALUE : Math.max(0, nowMs - lastFeedMs);
        return new MarketSnapshot(symbol, nowMs, Decimals.toBigDecimal(lastPrice),
                Decimals.toBigDecimal(dayOpen == 0 ? lastPrice : dayOpen), dayChange, dayRange, returnPct(1),
                returnPct(5), returnPct(15), closedMinuteVolatility(), closedMinuteVolumeRatio(), age,
                age > staleAfterMs, count, windows(nowMs));
    }

    /** Close so far of the minute in progress on tick sources (E8), 0 on candle sources or before the first tick. */
    public long partialMinuteCloseE8() {
        return tickSource && minuteBar.start != Long.MIN_VALUE ? minuteBar.c : 0;
    }

    /** Volume so far of the minute in progress on tick sources (E8 units), 0 otherwise. */
    public double partialMinuteVolumeE8() {
        return tickSource && minuteBar.start != Long.MIN_VALUE ? minuteBar.v : 0;
    }

    /** True when the last event closed a one-second bar (tick sources decide on every closed second). */
    public boolean secondClosedByLastEvent() {
        return secondClosedByLastEvent;
    }

    /** The rolling windows at {@code nowMs}, including the bar in progress on tick sources. */
    public MarketWindows windows(long nowMs) {
        double perMinute = typicalVolumePerMinute();
        MarketWindows.Window s10 = tickSource ? secondsWindow(nowMs, 10, perMinute) : MarketWindows.Window.UNKNOWN;
        MarketWindows.Window s30 = tickSource ? secondsWindow(nowMs, 30, perMinute) : MarketWindows.Window.UNKNOWN;
        MarketWindows.Window m5 = tickSource ? secondsWindow(nowMs, 300, perMinute) : minutesWindow(5, perMinute);
        MarketWindows.Window h1 = minutesWindow(60, perMinute);
        long sinceMidnight = dayStart == Long.MIN_VALUE ? 0 : Math.max(1, nowMs - dayStart);
        double dOpen = dayOpen;
        MarketWindows.Window today = dOpen == 0 ? MarketWindows.Window.UNKNOWN : new MarketWindows.Window(
                (lastPrice - dOpen) / dOpen * 100.0, (dayHigh - dayLow) / dOpen * 100.0,
                ratio(dayVolume, perMinute, sinceMidnight / (double) MINUTE), tickSource ? dayTrades : -1, sinceMidnight);
        MarketWindows.Window history = MarketWindows.Window.UNKNOWN;
        if (count > 0) {
            double first = closeAgo(count - 1);
            history = new MarketWindows.Window(first == 0 ? 0 : (lastPrice - first) / first * 100.0,
                    first == 0 ? 0 : (heldHighs.value() - heldLows.value()) / first * 100.0,
                    ratio(historySumOverflowed ? sumVolume(count) : historyVolumeSum, perMinute, count), tickSource ? historyTrades : -1, count * MINUTE);
        }
        return new MarketWindows(s10, s30, m5, h1, today, history);
    }

    double typicalVolumePerMinute() {
        int t = Math.min(typicalWindow, count);
        if (t == 0) {
            return Double.NaN;
        }
        return typicalSumOverflowed ? sumVolume(t) / t : typicalVolumeSum / (double) t;
    }

    private double sumVolume(int minutes) {
        double v = 0;
        for (int k = 0; k < minutes; k++) {
            v += volumeAgo(k);
        }
        return v;
    }

    private static double ratio(double volume, double perMinute, double minutes) {
        return perMinute > 0 && minutes > 0 ? volume / (perMinute * minutes) : Double.NaN;
    }

    /** The last {@code seconds} from the closed one-second bars and the second in progress. */
    private MarketWindows.Window secondsWindow(long nowMs, int seconds, double perMinute) {
        if (secondsInOrder && secondsWhole) {
            for (SecondsRun run : secondRuns) {
                if (run.seconds == seconds) {
                    return run.window(nowMs, perMinute);
                }
            }
        }
        return secondsWindowScan(nowMs, seconds, perMinute);
    }

    /** Doubles hold whole numbers exactly below 2^53: a running volume sum below it equals the scan's sum. */
    private static final long EXACT_DOUBLE = 1L << 53;

    /** Bars pushed since the start: bar {@code q} sits at ring index {@code q % SECONDS} while it is among the last SECONDS. */
    private long secPushed;
    private boolean secondsInOrder = true;
    private boolean secondsWhole = true;
    private final SecondsRun[] secondRuns = {new SecondsRun(10), new SecondsRun(30), new SecondsRun(300)};

    /**
     * One seconds window kept as it slides, so a decision round costs O(1) amortised instead of a scan of up
     * to 300 bars per window: the bars in it (oldest {@code first}), their whole volume and trades summed, and
     * monotonic queues of the bars that can still be the window's high and low. It gives exactly what
     * {@link #secondsWindowScan} gives (SecondsWindowsPropertyTest checks it against the scan); a query earlier than the
     * last one is answered by the scan.
     */
    private final class SecondsRun {
        final int seconds;
        long first;
        long added;
        long vol;
        long trades;
        long lastNow = Long.MIN_VALUE;
        final long[] hiQ = new long[SECONDS + 1];
        final long[] loQ = new long[SECONDS + 1];
        int hiHead, hiTail, loHead, loTail; // queues of bar numbers, head inclusive, tail exclusive, wrapping

        SecondsRun(int seconds) {
            this.seconds = seconds;
        }

        void beforeOverwrite(long q) {
            if (q >= first && q < added) {
                evictOldest();
            }
        }

        private void evictOldest() {
            int i = (int) (first % SECONDS);
            vol -= (long) secVolume[i];
            trades -= secTrades[i];
            if (hiHead != hiTail && hiQ[hiHead] == first) {
                hiHead = (hiHead + 1) % hiQ.length;
            }
            if (loHead != loTail && loQ[loHead] == first) {
                loHead = (loHead + 1) % loQ.length;
            }
            first++;
        }

        MarketWindows.Window window(long nowMs, double perMinute) {
            if (nowMs < lastNow) {
                return secondsWindowScan(nowMs, seconds, perMinute);
            }
            lastNow = nowMs;
            long from = nowMs - seconds * 1000L;
            long oldest = secPushed - secCount;
            if (added < oldest || first < oldest) { // not asked while its bars were overwritten: start again from the held ones
                first = added = oldest;
                vol = trades = 0;
                hiHead = hiTail = loHead = loTail = 0;
            }
            while (added < secPushed) { // the bars pushed since the last query join
                int i = (int) (added % SECONDS);
                vol += (long) secVolume[i];
                trades += secTrades[i];
                while (hiHead != hiTail && secHigh[(int) (hiQ[(hiTail - 1 + hiQ.length) % hiQ.length] % SECONDS)] <= secHigh[i]) {
                    hiTail = (hiTail - 1 + hiQ.length) % hiQ.length;
                }
                hiQ[hiTail] = added;
                hiTail = (hiTail + 1) % hiQ.length;
                while (loHead != loTail && secLow[(int) (loQ[(loTail - 1 + loQ.length) % loQ.length] % SECONDS)] >= secLow[i]) {
                    loTail = (loTail - 1 + loQ.length) % loQ.length;
                }
                loQ[loTail] = added;
                loTail = (loTail + 1) % loQ.length;
                added++;
            }
            while (first < added && secStart[(int) (first % SECONDS)] <= from) { // bars that opened before the window leave
                evictOldest();
            }
            SecondsSpan span = SecondsSpan.inProgress(secondBar, from);
            if (first < added) {
                if (vol >= EXACT_DOUBLE || span.vol != Math.rint(span.vol) || span.vol + vol >= EXACT_DOUBLE) {
                    return secondsWindowScan(nowMs, seconds, perMinute); // a sum a double cannot hold exactly
                }
                span.hi = Math.max(span.hi, secHigh[(int) (hiQ[hiHead] % SECONDS)]);
                span.lo = Math.min(span.lo, secLow[(int) (loQ[loHead] % SECONDS)]);
                span.vol += vol;
                span.trades += trades;
                // the close just before the window opened, else (none held) the oldest bar's in it
                span.startPrice = secClose[(int) ((first > oldest ? first - 1 : first) % SECONDS)];
            } else if (secCount > 0) {
                span.startPrice = secClose[(int) ((added - 1) % SECONDS)]; // no bar in the window: the newest closed one
            }
            if (!span.empty()) {
                runningAnswers++;
            }
            return secondsWindowOf(span, seconds, perMinute);
        }
    }

    /** What a seconds window holds: high, low, volume, trades, and the price it started from (0: none). */
    private static final class SecondsSpan {
        long hi = Long.MIN_VALUE;
        long lo = Long.MAX_VALUE;
        double vol;
        long trades;
        long startPrice;

        /** The span of the second in progress when it opened inside the window, else empty. */
        static SecondsSpan inProgress(BarBuilder second, long fromMs) {
            SecondsSpan s = new SecondsSpan();
            if (second.start != Long.MIN_VALUE && second.start > fromMs) {
                s.hi = second.h;
                s.lo = second.l;
                s.vol = second.v;
                s.trades = second.trades;
                s.startPrice = second.o;
            }
            return s;
        }

        boolean empty() {
            return startPrice == 0 || hi == Long.MIN_VALUE;
        }
    }

    private MarketWindows.Window secondsWindowOf(SecondsSpan s, int seconds, double perMinute) {
        if (s.empty()) {
            return new MarketWindows.Window(0, 0, ratio(0, perMinute, seconds / 60.0), 0, seconds * 1000L);
        }
        double sp = s.startPrice;
        return new MarketWindows.Window((lastPrice - sp) / sp * 100.0, (Math.max(s.hi, lastPrice) - Math.min(s.lo, lastPrice)) / sp * 100.0,
                ratio(s.vol, perMinute, seconds / 60.0), s.trades, seconds * 1000L);
    }

    /** Windows the running sums answered (not the scan): tests check the running path is the one taken. */
    long runningAnswers;

    /** The seconds window by a scan of the held one-second bars, newest first (the reference of {@link SecondsRun}). */
    MarketWindows.Window secondsWindowScan(long nowMs, int seconds, double perMinute) {
        long from = nowMs - seconds * 1000L;
        SecondsSpan span = SecondsSpan.inProgress(secondBar, from);
        int i = secHead; // newest first: one step back per bar, wrapping once (no division per bar)
        for (int k = 0; k < secCount; k++) {
            i = i == 0 ? SECONDS - 1 : i - 1;
            if (secStart[i] <= from) {
                span.startPrice = secClose[i]; // the close just before the window opened
                break;
            }
            span.hi = Math.max(span.hi, secHigh[i]);
            span.lo = Math.min(span.lo, secLow[i]);
            span.vol += secVolume[i];
            span.trades += secTrades[i];
            span.startPrice = secClose[i];
        }
        return secondsWindowOf(span, seconds, perMinute);
    }

    /** The last {@code minutes} closed minutes, plus the minute in progress on tick sources. */
    private MarketWindows.Window minutesWindow(int minutes, double perMinute) {
        int n = Math.min(minutes, count);
        if (n == 0) {
            return MarketWindows.Window.UNKNOWN;
        }
        ClosedSpan span = closedSpan(minutes, n);
        long hi = span.hi;
        long lo = span.lo;
        double vol = span.vol;
        long tr = span.trades;
        if (tickSource && minuteBar.start != Long.MIN_VALUE) {
            hi = Math.max(hi, minuteBar.h);
            lo = Math.min(lo, minuteBar.l);
            vol += minuteBar.v;
            tr += minuteBar.trades;
        }
        double sp = count > n ? closeAgo(n) : open[idx(n - 1)];
        if (sp == 0) {
            return MarketWindows.Window.UNKNOWN;
        }
        return new MarketWindows.Window((lastPrice - sp) / sp * 100.0, (hi - lo) / sp * 100.0, ratio(vol, perMinute, minutes),
                tickSource ? tr : -1, minutes * MINUTE);
    }

    /**
     * The closed minutes' part of a minutes window (extremes, volume, trades of the last {@code n} closed minutes):
     * it changes only when a minute closes, while on tick sources the window is read every second. Kept per window
     * length and recomputed once per closed minute, summed in the same order as before, so the figures are the same.
     */
    private static final class ClosedSpan {
        int minutes = -1;
        int atClosedMinutes = -1;
        int n;
        long hi;
        long lo;
        double vol;
        long trades;
    }

    private final ClosedSpan[] closedSpans = {new ClosedSpan(), new ClosedSpan()};
    private int nextSpanSlot;

    private ClosedSpan closedSpan(int minutes, int n) {
        ClosedSpan span = null;
        for (ClosedSpan c : closedSpans) {
            if (c.minutes == minutes) {
                span = c;
                break;
            }
        }
        if (span == null) { // a window length not kept yet: a free slot takes it, else the slots take turns
            span = closedSpans[0].minutes == -1 ? closedSpans[0] : closedSpans[1].minutes == -1 ? closedSpans[1]
                    : closedSpans[nextSpanSlot++ & 1];
            span.minutes = minutes;
            span.atClosedMinutes = -1;
        }
        if (span.atClosedMinutes != closedMinutes || span.n != n) {
            long hi = Long.MIN_VALUE;
            long lo = Long.MAX_VALUE;
            double vol = 0;
            long tr = 0;
            for (int k = 0; k < n; k++) {
                int i = idx(k);
                hi = Math.max(hi, high[i]);
                lo = Math.min(lo, low[i]);
                vol += volume[i];
                tr += Math.max(0, trades[i]);
            }
            span.hi = hi;
            span.lo = lo;
            span.vol = vol;
            span.trades = tr;
            span.n = n;
            span.atClosedMinutes = closedMinutes;
        }
        return span;
    }

    // the snapshot's closed-minute figures change only when a minute closes: on tick sources the snapshot is
    // taken every second, so they are computed once per closed minute (same values, same order of sums)
    private int closedFiguresAt = -1;
    private double volatility60;
    private double volumeRatio15;

    private void refreshClosedFigures() {
        if (closedFiguresAt != closedMinutes) {
            volatility60 = volatilityPct(60);
            volumeRatio15 = volumeRatio(15, TYPICAL_MINUTES);
            closedFiguresAt = closedMinutes;
        }
    }

    private double closedMinuteVolatility() {
        refreshClosedFigures();
        return volatility60;
    }

    private double closedMinuteVolumeRatio() {
        refreshClosedFigures();
        return volumeRatio15;
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
            double r = minuteReturn[idx(k)]; // (close k - close k+1) / close k+1, minute k+1 still held (n < count)
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
                count == 0 ? 0 : openTimeAgo(0), closes, vols, closedMinuteVolatility(), closedMinuteVolumeRatio(), events);
    }

    public BigDecimal lastPrice() {
        long e8 = lastPrice;
        PriceDecimal c = lastPriceDecimal; // one read of an immutable pair: safe from any thread
        if (c == null || c.e8 != e8) {
            c = new PriceDecimal(e8, Decimals.toBigDecimal(e8));
            lastPriceDecimal = c;
        }
        return c.value;
    }

    /** The last price as a BigDecimal, made once per price (every session marks with it on every event). */
    private record PriceDecimal(long e8, BigDecimal value) {
    }

    private PriceDecimal lastPriceDecimal;

    /** An OHLCV bar of one bucket of time, built tick by tick; a tick of a later bucket closes it. */
    static final class BarBuilder {
        private final String symbol;
        private final long lengthMs;
        private long start = Long.MIN_VALUE;
        private long o, h, l, c;
        private double v; // E8 units; sums of PEPE-class ticks outgrow a long
        private int trades;

        BarBuilder(String symbol, long lengthMs) {
            this.symbol = symbol;
            this.lengthMs = lengthMs;
        }

        /** Adds a tick; returns the bar it closed, or null. A late tick of an older bucket only updates the current bar. */
        Candle add(long timeMs, long price, double qty) {
            return add(timeMs, price, qty, 0);
        }

        /** As {@link #add(long, long, double)}, counting {@code trade} (1 for a trade, 0 for a quote) into the bar. */
        Candle add(long timeMs, long price, double qty, int trade) {
            long bucket = timeMs - Math.floorMod(timeMs, lengthMs);
            Candle closed = null;
            if (bucket > start) {
                if (start != Long.MIN_VALUE) {
                    closed = new Candle(symbol, start, lengthMs, o, h, l, c, v, true, start + lengthMs - 1);
                }
                start = bucket;
                o = h = l = c = price;
                v = 0;
                trades = 0;
            }
            trades += trade;
            h = Math.max(h, price);
            l = Math.min(l, price);
            c = price;
            v += qty;
            return closed;
        }
    }

    /**
     * The highest (or lowest) of the minutes the ring holds as minutes arrive and the oldest leave: a monotonic
     * deque of the minutes that can still become the extreme, their values falling (rising) from oldest to newest.
     * A minute costs O(1) amortised; rescanning the ring whenever the leaving minute held the extreme cost up to
     * 2,880 reads a minute while a price trends.
     */
    private static final class HeldExtreme {
        private final int[] minutes; // minute numbers, a circular deque
        private final long[] values;
        private final boolean highest;
        private int front;
        private int size;

        HeldExtreme(int capacity, boolean highest) {
            minutes = new int[capacity];
            values = new long[capacity];
            this.highest = highest;
        }

        /** Minute number {@code minute} arrives with {@code value}; minute {@code minute - capacity} leaves. */
        void push(int minute, long value) {
            int cap = minutes.length;
            if (size > 0 && minutes[front] <= minute - cap) {
                front = front + 1 == cap ? 0 : front + 1;
                size--;
            }
            while (size > 0) {
                int back = front + size - 1;
                back = back >= cap ? back - cap : back;
                if (highest ? values[back] > value : values[back] < value) {
                    break;
                }
                size--; // never the extreme again: the new minute is at least as extreme and stays longer
            }
            int at = front + size;
            at = at >= cap ? at - cap : at;
            minutes[at] = minute;
            values[at] = value;
            size++;
        }

        long value() {
            return values[front];
        }
    }
}
