package io.aquatrade.echo;

import io.aquatrade.model.Candle;
import io.aquatrade.model.EchoMatch;
import io.aquatrade.model.EchoTrack;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pattern-echo engine of one process: fed every symbol's closed one-minute candles in time order,
 * it keeps per symbol a compact history, the templates of its past mover days, and answers
 * {@link #matches(String, long)}: which templates the live path of the last L minutes resembles.
 *
 * <h2>Mover days and their move</h2>
 * A completed UTC day is a mover day when its range {@code (high - low) / open} reaches one of
 * {@link EchoParams#moveClassesPct()} (3/5/10 %; the day's class is the largest reached; the open is that
 * of the day's first present bar). Its move is the larger of the largest run-up from a running low and the
 * largest run-down from a running high (see {@link DayMove}). With the default
 * {@link EchoParams#moveHorizonMinutes()} of 0 this is always the day's whole low-to-high swing, UP when the
 * low came first; with a horizon H it is the largest move completed within H minutes. The move starts at
 * the minute of the trough/crest it ran from; its size is in % of that start price; its duration is the
 * minutes from start to the extreme.
 *
 * <h2>Incomplete days</h2>
 * A day is judged on the minutes present; missing minutes are real outages, not zeros. Its observed range
 * can only understate the true one, so a class it reaches is real. A day with at least
 * {@link EchoParams#minDayCoverage()} of its 1440 minutes is used as it is (a gap inside its move is an
 * outage the price moved across). A day below that coverage is still used when its move is visible: no
 * minute is missing from the move's start to its extreme. Either way the template's lead-in must have at
 * least {@link EchoParams#minLeadInCoverage()} of its L minutes; missing lead-in minutes repeat the previous
 * close with zero volume. Every completed day, used or not, is listed with its reason in {@link #days(String)}.
 *
 * <h2>Templates</h2>
 * The lead-in is the L minutes before the move start (reaching into the previous day when the move
 * started early). Its path is ln(close) — log-returns cumulated from the window start, up to a constant —
 * z-normalised; its volume profile is {@code ln(v + mean v)} z-normalised. A day's template is built once,
 * when the symbol's first candle of a later day arrives (the day is complete then), and kept
 * {@link EchoParams#historyDays()} days. Only days strictly before the current UTC day of the query are
 * ever compared: a day in progress is never a template, however the calls are interleaved.
 *
 * <h2>Similarity and activity</h2>
 * The live window is the L minutes ending with the last minute closed at {@code nowMs}; that minute must
 * be present (else the feed is not current and nothing matches) and the window must meet the lead-in
 * coverage. Similarity is Pearson's correlation of the two z-normalised paths — independent of price level
 * and volatility, 1 for the same shape, -1 for its mirror image. With {@link EchoParams#volumeWeight()}
 * w > 0 it is {@code (1 - w) * pricePathCorrelation + w * volumeProfileCorrelation}. The activity ratio is
 * the live window's volume over the symbol's typical volume of an L-minute window (median of all complete
 * L-minute windows over the {@link EchoParams#activityBaselineDays()} days before the current day, fixed
 * when the symbol's first candle of the day arrives); NaN when those days hold no data.
 *
 * <h2>Threads and cost</h2>
 * Each symbol's state has its own lock, so different symbols may be fed and queried from different
 * threads. A query first bounds every template's similarity from the means of 12 segments of the two paths (a
 * z-normalised path's squared distance is 2L(1 - r), and segment means never overstate it) and compares all L values
 * only with those whose bound reaches the floor or the weakest of a full list: the same answers, about 4 full
 * comparisons a call instead of 15 on the 13-pair 2023 set (0.7 µs a call against 1.1 µs), and allocates only the
 * matches it returns. History per symbol is {@code 16 * ((activityBaselineDays + 2) * 1440 + L)}
 * bytes (a day of it for readers trailing on another thread) plus about {@code 16 * L} bytes per template.
 */
public final class EchoEngine {

    private final EchoParams params;
    private final ConcurrentHashMap<String, SymbolEcho> bySymbol = new ConcurrentHashMap<>();

    public EchoEngine(EchoParams params) {
        this(params, true);
    }

    /** @param boundFirst rule templates out by their segment bound before the full comparison (false: tests' reference) */
    EchoEngine(EchoParams params, boolean boundFirst) {
        this.params = Objects.requireNonNull(params, "params");
        this.boundFirst = boundFirst;
    }

    private final boolean boundFirst;

    /** Templates compared in full so far, over all symbols (the others were ruled out by their bound). */
    long fullComparisons() {
        return bySymbol.values().stream().mapToLong(SymbolEcho::fullComparisons).sum();
    }

    public EchoParams params() {
        return params;
    }

    /** Feeds one closed one-minute candle. Candles of a symbol must come in time order; re-sending the latest minute replaces it. */
    public void onClosedMinute(Candle candle) {
        Objects.requireNonNull(candle, "candle");
        if (!candle.closed()) {
            throw new IllegalArgumentException("echo: " + candle.symbol() + " candle " + Instant.ofEpochMilli(candle.openTimeMs())
                    + " is not closed; the echo takes closed candles only");
        }
        if (candle.intervalMs() != Candle.ONE_MINUTE_MS) {
            throw new IllegalArgumentException("echo: " + candle.symbol() + " candle " + Instant.ofEpochMilli(candle.openTimeMs())
                    + " has interval " + candle.intervalMs() + " ms; the echo takes one-minute candles only");
        }
        onClosedMinute(candle.symbol(), candle.openTimeMs(), candle.openE8(), candle.highE8(), candle.lowE8(),
                candle.closeE8(), candle.volumeE8());
    }

    /** Same as {@link #onClosedMinute(Candle)} without a Candle object, for bulk warm-up from files. */
    public void onClosedMinute(String symbol, long openTimeMs, long openE8, long highE8, long lowE8, long closeE8,
                               double volumeE8) {
        if (symbol == null || symbol.isEmpty()) {
            throw new IllegalArgumentException("echo: candle at " + openTimeMs + " has no symbol");
        }
        if (openTimeMs < 0 || openTimeMs % Candle.ONE_MINUTE_MS != 0) {
            throw new IllegalArgumentException("echo: " + symbol + " candle open time " + openTimeMs
                    + " is not the start of a UTC minute");
        }
        if (lowE8 <= 0 || highE8 < lowE8 || openE8 < lowE8 || openE8 > highE8 || closeE8 < lowE8 || closeE8 > highE8
                || volumeE8 < 0) {
            throw new IllegalArgumentException("echo: " + symbol + " candle " + Instant.ofEpochMilli(openTimeMs)
                    + " is inconsistent: open " + openE8 + " high " + highE8 + " low " + lowE8 + " close " + closeE8
                    + " volume " + volumeE8 + " (E8); need 0 < low <= open, close <= high and volume >= 0");
        }
        SymbolEcho s = bySymbol.get(symbol);
        if (s == null) {
            s = bySymbol.computeIfAbsent(symbol, k -> new SymbolEcho(k, params, boundFirst));
        }
        s.onClosedMinute(openTimeMs, openE8, highE8, lowE8, closeE8, volumeE8);
    }

    /**
     * The templates of {@code symbol} the live window ending at the last minute closed at {@code nowMs}
     * resembles with at least {@link EchoParams#minSimilarity()}, best first, at most
     * {@link EchoParams#maxMatchesPerSymbol()}; each carries {@code timeMs = nowMs}. Empty for an unknown
     * symbol, before the first mover day, or when the symbol has no bar for that last minute. Uses no data
     * after {@code nowMs} and no template of nowMs's UTC day or later, whatever has been fed since.
     */
    public List<EchoMatch> matches(String symbol, long nowMs) {
        SymbolEcho s = bySymbol.get(symbol);
        return s == null ? List.of() : s.matches(nowMs);
    }

    /**
     * As {@link #matches(String, long)}, with the minute in progress (close so far and volume so far, E8) as the
     * newest point of the live window; {@code partialCloseE8 <= 0} means none (candle sources).
     */
    public List<EchoMatch> matches(String symbol, long nowMs, long partialCloseE8, double partialVolumeE8) {
        SymbolEcho s = bySymbol.get(symbol);
        return s == null ? List.of() : s.matches(nowMs, partialCloseE8, partialVolumeE8);
    }

    /**
     * How an open position entered on the echo of {@code templateDay} follows that template since
     * {@code entryTimeMs}, as of {@code nowMs}; null when unknown (template dropped, nothing closed yet).
     */
    public EchoTrack track(String symbol, String templateDay, long entryTimeMs, long nowMs) {
        SymbolEcho s = bySymbol.get(symbol);
        return s == null ? null : s.track(templateDay, entryTimeMs, nowMs);
    }

    /**
     * As {@link #track(String, String, long, long)} answered when {@code asOfMinuteMs} (from {@link #lastMinuteOpenMs},
     * -1: none) was the symbol's latest minute: minutes fed since, up to a day of them, do not change it. For a
     * session trailing the market on another thread.
     */
    public EchoTrack track(String symbol, String templateDay, long entryTimeMs, long nowMs, long asOfMinuteMs) {
        SymbolEcho s = bySymbol.get(symbol);
        return s == null ? null : s.track(templateDay, entryTimeMs, nowMs,
                asOfMinuteMs < 0 ? MinuteRing.NONE : Math.floorDiv(asOfMinuteMs, SymbolEcho.MS_PER_MINUTE));
    }

    /** The templates a query at {@code nowMs} compares with, oldest first. */
    public List<EchoTemplate> templates(String symbol, long nowMs) {
        SymbolEcho s = bySymbol.get(symbol);
        return s == null ? List.of() : s.templates(nowMs);
    }

    /** Every completed day held for {@code symbol}, oldest first, with its class and whether it became a template. */
    public List<EchoDay> days(String symbol) {
        SymbolEcho s = bySymbol.get(symbol);
        return s == null ? List.of() : s.days();
    }

    /** Typical volume (base asset) of an L-minute window on nowMs's UTC day; NaN when unknown. */
    public double activityBaseline(String symbol, long nowMs) {
        SymbolEcho s = bySymbol.get(symbol);
        return s == null ? Double.NaN : s.activityBaseline(nowMs);
    }

    /** Open time of the latest minute fed for {@code symbol}, or -1. */
    public long lastMinuteOpenMs(String symbol) {
        SymbolEcho s = bySymbol.get(symbol);
        return s == null ? -1 : s.lastMinuteOpenMs();
    }

    /** Number of templates held for {@code symbol} (all days fed so far). */
    public int templateCount(String symbol) {
        SymbolEcho s = bySymbol.get(symbol);
        return s == null ? 0 : s.templateCount();
    }

    public Set<String> symbols() {
        return Set.copyOf(bySymbol.keySet());
    }
}
