package io.aquatrade.report;

import io.aquatrade.model.Fill;
import io.aquatrade.model.Side;
import io.aquatrade.portfolio.Portfolio;
import io.aquatrade.portfolio.RoundTrip;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects what happened during a run, on the pipeline thread: fills, an equity/exposure sample
 * per clock minute, running maxima and per-symbol figures.
 */
public final class RunRecorder {

    /**
     * A fill with what it did to the book: the realised PnL it booked (net of fees; zero for a BUY) and
     * the quantity of the symbol held after it.
     */
    public record FillRow(Fill fill, BigDecimal realizedPnl, BigDecimal positionAfter) {
    }

    /** One point of the equity curve. */
    public record Sample(long timeMs, BigDecimal equity, BigDecimal exposure, int openPositions) {
    }

    /** Per-symbol running figures. */
    public static final class SymbolStats {
        public long fills;
        public long buys;
        public long sells;
        public long roundTrips;
        public long wins;
        public BigDecimal realizedPnl = BigDecimal.ZERO;
        public BigDecimal fees = BigDecimal.ZERO;
        public BigDecimal boughtQuote = BigDecimal.ZERO;
        public BigDecimal maxExposure = BigDecimal.ZERO;
    }

    /**
     * Where a lean recorder streams what a scorer needs: one equity sample a clock minute and every fill's time.
     * Called on the pipeline thread.
     */
    public interface Sink {
        void sample(long timeMs, BigDecimal equity);

        void fill(long timeMs);
    }

    private Sink sink;

    /**
     * Makes this a lean recorder, before the first fill: samples and fill times go to {@code sink} and are not
     * kept, nor are fills, rows and round trips (the per-symbol counts and running maxima still are). For the
     * optimizer's many sessions, whose only use of the history is a score: keeping every set's minutes costs
     * gigabytes.
     */
    public void streamTo(Sink sink) {
        if (!fills.isEmpty() || !samples.isEmpty()) {
            throw new IllegalStateException("a recorder streams from its start: it already holds fills or samples");
        }
        this.sink = java.util.Objects.requireNonNull(sink, "sink");
    }

    private final List<Fill> fills = new ArrayList<>();
    private final List<FillRow> rows = new ArrayList<>();
    private final List<RoundTrip> roundTrips = new ArrayList<>();
    private BigDecimal realizedSoFar = BigDecimal.ZERO;
    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, SymbolStats> perSymbol = new TreeMap<>();
    private BigDecimal peakEquity;
    private BigDecimal maxDrawdownPct = BigDecimal.ZERO;
    private BigDecimal maxExposure = BigDecimal.ZERO;
    private long maxExposureTimeMs;
    private int maxOpenPositions;
    private long lastSampleMinute = Long.MIN_VALUE;

    public void onFill(Fill f, RoundTrip closed, Portfolio p) {
        if (sink != null) {
            sink.fill(f.timeMs());
        } else {
            fills.add(f);
            BigDecimal realized = p.realizedPnl().subtract(realizedSoFar);
            realizedSoFar = p.realizedPnl();
            var holding = p.holding(f.symbol());
            rows.add(new FillRow(f, realized, holding == null ? BigDecimal.ZERO : holding.qty()));
            if (closed != null) {
                roundTrips.add(closed);
            }
        }
        SymbolStats s = perSymbol.computeIfAbsent(f.symbol(), k -> new SymbolStats());
        s.fills++;
        if (f.side() == Side.BUY) {
            s.buys++;
            s.boughtQuote = s.boughtQuote.add(f.quoteQty());
        } else {
            s.sells++;
        }
        s.fees = s.fees.add(f.feeAsset().equals(p.quoteAsset()) ? f.fee() : f.fee().multiply(f.price()));
        if (closed != null) {
            s.roundTrips++;
            if (closed.win()) {
                s.wins++;
            }
            s.realizedPnl = s.realizedPnl.add(closed.pnl());
        }
        s.maxExposure = s.maxExposure.max(p.exposure(f.symbol()));
        observeExposure(f.timeMs(), p);
    }

    /** Samples the curve once per clock minute and tracks drawdown and peak exposure. */
    public void sample(long nowMs, Portfolio p) {
        observeExposure(nowMs, p);
        long minute = Math.floorDiv(nowMs, 60_000L);
        if (minute == lastSampleMinute) {
            return;
        }
        lastSampleMinute = minute;
        BigDecimal equity = p.equity();
        if (sink != null) {
            sink.sample(nowMs, equity); // the sink keeps its own drawdown
            return;
        }
        samples.add(new Sample(nowMs, equity, p.exposure(), p.openPositions()));
        if (peakEquity == null || equity.compareTo(peakEquity) > 0) {
            peakEquity = equity;
        }
        BigDecimal below = peakEquity.subtract(equity).multiply(BigDecimal.valueOf(100));
        // divide only for a deeper drawdown: below / peak > max exactly when below > max * peak (peak > 0), and a
        // quotient that is not deeper would round to at most max, leaving it as it is
        if (peakEquity.signum() > 0 && below.compareTo(maxDrawdownPct.multiply(peakEquity)) > 0) {
            BigDecimal dd = below.divide(peakEquity, java.math.MathContext.DECIMAL64);
            maxDrawdownPct = maxDrawdownPct.max(dd);
        }
    }

    private void observeExposure(long nowMs, Portfolio p) {
        BigDecimal x = p.exposure();
        if (x.compareTo(maxExposure) > 0) {
            maxExposure = x;
            maxExposureTimeMs = nowMs;
        }
        maxOpenPositions = Math.max(maxOpenPositions, p.openPositions());
    }

    public List<Fill> fills() { return Collections.unmodifiableList(fills); }
    public List<FillRow> rows() { return Collections.unmodifiableList(rows); }
    public List<RoundTrip> roundTrips() { return Collections.unmodifiableList(roundTrips); }
    public List<Sample> samples() { return Collections.unmodifiableList(samples); }
    public Map<String, SymbolStats> perSymbol() { return Collections.unmodifiableMap(perSymbol); }
    public BigDecimal maxDrawdownPct() { return maxDrawdownPct; }
    public BigDecimal maxExposure() { return maxExposure; }
    public long maxExposureTimeMs() { return maxExposureTimeMs; }
    public int maxOpenPositions() { return maxOpenPositions; }
}
