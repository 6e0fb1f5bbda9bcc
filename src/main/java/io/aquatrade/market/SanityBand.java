package io.aquatrade.market;

import io.aquatrade.model.Candle;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.model.QuoteTick;
import io.aquatrade.model.TradeTick;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Holds price outliers out of state and fills: an event whose prices (a candle's high and low too) lie
 * more than {@code market.sanity_band_pct} away from the symbol's last accepted price is refused. A
 * well-formed candle at 1,000x the market is as false as a malformed one. If the market really moved, the
 * next events agree with each other: after {@link #REANCHOR_AFTER} outliers in a row within the band of
 * one another the band re-anchors on them. Per symbol; single-threaded (the pipeline's).
 */
public final class SanityBand {

    /** Consecutive outliers that agree with each other before they are taken as the new market. */
    public static final int REANCHOR_AFTER = 3;

    private final double bandFraction;
    private final Map<String, long[]> bySymbol = new HashMap<>(); // {last accepted, candidate, candidate count}
    private final Map<String, Long> outliers = new LinkedHashMap<>();
    private long total;
    private String lastOutlier;

    /** @param bandPct how far from the last accepted price an event may be, in %; 0 turns the band off */
    public SanityBand(double bandPct) {
        if (!(bandPct >= 0) || Double.isInfinite(bandPct)) {
            throw new IllegalArgumentException("sanity band must be >= 0 %, got " + bandPct);
        }
        this.bandFraction = bandPct / 100.0;
    }

    /** True when the event may reach state and fills; false (and counted) for an outlier. */
    public boolean accept(MarketEvent e) {
        if (bandFraction == 0) {
            return true;
        }
        long ref;
        long lo;
        long hi;
        if (e instanceof TradeTick t) {
            ref = lo = hi = t.priceE8();
        } else if (e instanceof QuoteTick q) {
            ref = (q.bidE8() + q.askE8()) / 2;
            lo = q.bidE8();
            hi = q.askE8();
        } else {
            Candle c = (Candle) e;
            ref = c.closeE8();
            lo = c.lowE8();
            hi = c.highE8();
        }
        long[] s = bySymbol.get(e.symbol());
        if (s == null) {
            bySymbol.put(e.symbol(), new long[] {ref, 0, 0});
            return true;
        }
        if (within(lo, s[0]) && within(hi, s[0])) {
            s[0] = ref;
            s[2] = 0;
            return true;
        }
        if (s[2] > 0 && within(ref, s[1])) {
            s[2]++;
        } else {
            s[1] = ref;
            s[2] = 1;
        }
        if (s[2] >= REANCHOR_AFTER) { // the market is there: follow it
            s[0] = ref;
            s[2] = 0;
            return true;
        }
        total++;
        outliers.merge(e.symbol(), 1L, Long::sum);
        lastOutlier = e.getClass().getSimpleName() + " " + e.symbol() + " at " + java.time.Instant.ofEpochMilli(e.timeMs())
                + ": " + io.aquatrade.model.Decimals.format(lo) + ".." + io.aquatrade.model.Decimals.format(hi)
                + " outside " + (bandFraction * 100) + "% of " + io.aquatrade.model.Decimals.format(s[0]);
        return false;
    }

    private boolean within(long priceE8, long refE8) {
        return refE8 > 0 && Math.abs((double) priceE8 - refE8) <= bandFraction * refE8;
    }

    public long outliers() {
        return total;
    }

    public Map<String, Long> outliersBySymbol() {
        return java.util.Collections.unmodifiableMap(outliers);
    }

    /** The latest outlier as text, or null. */
    public String lastOutlier() {
        return lastOutlier;
    }
}
