package io.aquatrade.market;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * How to read recorded market data.
 *
 * @param symbols         symbols to keep (upper case); empty keeps all
 * @param window          events outside {@code [from, to)} are left out; a replay that needs warm-up
 *                        history passes a window starting that much earlier (see
 *                        {@link TimeWindow#withWarmUp}) and tells warm-up from trading with its own window
 * @param reorderWindowMs how far back in time a capture line may reach and still be put in order;
 *                        captures are in receive order, not event-time order (trades of several symbols,
 *                        quotes on another clock); later stragglers are dropped and reported
 * @param quoteClock      the clock recorded {@code @bookTicker} quotes are stamped with
 * @param maxIssues       how many issue texts each report keeps (all are counted)
 * @param readThreads     threads that read (decompress, parse) files ahead of the caller in
 *                        {@link MarketData#openAll}; 0 reads on the caller's thread
 * @param maxFutureSkewMs how far a captured event's own time may lie after its receive time
 *                        ({@code market.max_future_skew_ms}); later ones are malformed
 */
public record ReadOptions(Set<String> symbols, TimeWindow window, long reorderWindowMs, QuoteClock quoteClock,
                          int maxIssues, int readThreads, long maxFutureSkewMs) {

    public static final long DEFAULT_REORDER_WINDOW_MS = 5_000L;

    public ReadOptions {
        Set<String> upper = new TreeSet<>();
        for (String s : symbols) {
            upper.add(s.trim().toUpperCase(Locale.ROOT));
        }
        symbols = Set.copyOf(upper);
        if (window == null) {
            window = TimeWindow.ALL;
        }
        if (reorderWindowMs < 0) {
            throw new IllegalArgumentException("reorder window must not be negative: " + reorderWindowMs);
        }
        if (quoteClock == null) {
            quoteClock = QuoteClock.RECEIVE_TIME;
        }
        if (maxIssues < 0) {
            throw new IllegalArgumentException("maxIssues must not be negative: " + maxIssues);
        }
        if (readThreads < 0) {
            throw new IllegalArgumentException("readThreads must not be negative: " + readThreads);
        }
        if (maxFutureSkewMs < 0) {
            throw new IllegalArgumentException("maxFutureSkewMs must not be negative: " + maxFutureSkewMs);
        }
    }

    /** One reading thread less than the cores, at least one: the caller's pipeline keeps a core. */
    public static int defaultReadThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }

    public static ReadOptions defaults() {
        return new ReadOptions(Set.of(), TimeWindow.ALL, DEFAULT_REORDER_WINDOW_MS, QuoteClock.RECEIVE_TIME,
                ReadReport.DEFAULT_MAX_ISSUES, defaultReadThreads(),
                BinanceStreamParser.DEFAULT_MAX_FUTURE_SKEW_MS);
    }

    public ReadOptions withSymbols(Collection<String> s) {
        return new ReadOptions(Set.copyOf(s), window, reorderWindowMs, quoteClock, maxIssues, readThreads, maxFutureSkewMs);
    }

    public ReadOptions withWindow(TimeWindow w) {
        return new ReadOptions(symbols, w, reorderWindowMs, quoteClock, maxIssues, readThreads, maxFutureSkewMs);
    }

    public ReadOptions withReorderWindowMs(long ms) {
        return new ReadOptions(symbols, window, ms, quoteClock, maxIssues, readThreads, maxFutureSkewMs);
    }

    public ReadOptions withQuoteClock(QuoteClock c) {
        return new ReadOptions(symbols, window, reorderWindowMs, c, maxIssues, readThreads, maxFutureSkewMs);
    }

    public ReadOptions withMaxIssues(int n) {
        return new ReadOptions(symbols, window, reorderWindowMs, quoteClock, n, readThreads, maxFutureSkewMs);
    }

    public ReadOptions withReadThreads(int n) {
        return new ReadOptions(symbols, window, reorderWindowMs, quoteClock, maxIssues, n, maxFutureSkewMs);
    }

    public ReadOptions withMaxFutureSkewMs(long ms) {
        return new ReadOptions(symbols, window, reorderWindowMs, quoteClock, maxIssues, readThreads, ms);
    }

    public boolean acceptsSymbol(String symbol) {
        return symbols.isEmpty() || symbols.contains(symbol);
    }
}
