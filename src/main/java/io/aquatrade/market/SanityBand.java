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
 * one another the band re-anchors on them.
 * <p>
 * Where the source has the book ({@code @bookTicker}), a trade or candle must also lie within the band of
 * the latest accepted best bid and ask, when that book is at most {@link #BOOK_FRESH_MS} older than it.
 * Trades that disagree with a live book never re-anchor the band: only the book moving does.
 * <p>
 * Live, a feed that keeps failing the band is not to be traded on: with {@link #pauseFeeds} set,
 * {@code rejections} outliers of one symbol within {@code windowMs} (event time) tell the listener to pause it,
 * and a run of {@code resumeAfter} accepted events in a row tells it to resume. Per symbol; single-threaded
 * (the pipeline's).
 */
public final class SanityBand {

    /** Consecutive outliers that agree with each other before they are taken as the new market. */
    public static final int REANCHOR_AFTER = 3;
    /** The book a trade or candle is checked against must be at most this much older (or newer) than it. */
    public static final long BOOK_FRESH_MS = 120_000;

    /** Told when a symbol's feed starts and stops failing the band (on the pipeline thread). */
    public interface FeedListener {
        /** {@code rejections} outliers within the window: pause the symbol for entries. */
        void onFeedFailing(String symbol, int rejections, long windowMs, String lastOutlier);

        /** {@code goodEvents} accepted events in a row since the pause: the symbol may trade again. */
        void onFeedRecovered(String symbol, int goodEvents);
    }

    /** A symbol's feed quality: recent rejection times (a ring), the run of accepted events, paused or not. */
    private static final class Feed {
        final long[] rejectedAt;
        int next;
        int count;
        int goodRun;
        boolean paused;

        Feed(int rejections) {
            rejectedAt = new long[rejections];
        }
    }

    private final double bandFraction;
    private final Map<String, long[]> bySymbol = new HashMap<>(); // {last accepted, candidate, candidate count}
    private final Map<String, Long> outliers = new LinkedHashMap<>();
    private final Map<String, long[]> books = new HashMap<>(); // {bid, ask, time} of the last accepted quote
    private long total;
    private long offBook;
    private String lastOutlier;
    private int pauseRejections; // 0 = no feed pauses
    private long pauseWindowMs;
    private int resumeAfter;
    private FeedListener feedListener;
    private final Map<String, Feed> feeds = new HashMap<>();

    /** @param bandPct how far from the last accepted price an event may be, in %; 0 turns the band off */
    public SanityBand(double bandPct) {
        if (!(bandPct >= 0) || Double.isInfinite(bandPct)) {
            throw new IllegalArgumentException("sanity band must be >= 0 %, got " + bandPct);
        }
        this.bandFraction = bandPct / 100.0;
    }

    /**
     * Pauses feeds that keep failing the band (live runs): {@code rejections} outliers within {@code windowMs}
     * pause the symbol, {@code resumeAfter} accepted events in a row resume it. {@code rejections} 0 = never pause.
     */
    public SanityBand pauseFeeds(int rejections, long windowMs, int resumeAfter, FeedListener listener) {
        if (rejections < 0 || windowMs < 1 || resumeAfter < 1) {
            throw new IllegalArgumentException("feed pause needs rejections >= 0, windowMs >= 1, resumeAfter >= 1; got "
                    + rejections + ", " + windowMs + ", " + resumeAfter);
        }
        this.pauseRejections = rejections;
        this.pauseWindowMs = windowMs;
        this.resumeAfter = resumeAfter;
        this.feedListener = java.util.Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** True when the event may reach state and fills; false (and counted) for an outlier. */
    public boolean accept(MarketEvent e) {
        if (bandFraction == 0) {
            return true;
        }
        boolean ok = judge(e);
        if (pauseRejections > 0) {
            track(e, ok);
        }
        return ok;
    }

    private boolean judge(MarketEvent e) {
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
        long[] book = e instanceof QuoteTick ? null : books.get(e.symbol());
        if (book != null && Math.abs(e.timeMs() - book[2]) <= BOOK_FRESH_MS
                && !(lo >= book[0] - bandFraction * book[0] && hi <= book[1] + bandFraction * book[1])) {
            offBook++;
            return outlier(e, lo, hi, "the book " + io.aquatrade.model.Decimals.format(book[0]) + "/"
                    + io.aquatrade.model.Decimals.format(book[1]));
        }
        long[] s = bySymbol.get(e.symbol());
        if (s == null) {
            bySymbol.put(e.symbol(), new long[] {ref, 0, 0});
            keepBook(e);
            return true;
        }
        if (within(lo, s[0]) && within(hi, s[0])) {
            s[0] = ref;
            s[2] = 0;
            keepBook(e);
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
            keepBook(e);
            return true;
        }
        return outlier(e, lo, hi, io.aquatrade.model.Decimals.format(s[0]));
    }

    private void keepBook(MarketEvent e) {
        if (e instanceof QuoteTick q) {
            books.put(q.symbol(), new long[] {q.bidE8(), q.askE8(), q.timeMs()});
        }
    }

    private boolean outlier(MarketEvent e, long lo, long hi, String reference) {
        total++;
        outliers.merge(e.symbol(), 1L, Long::sum);
        lastOutlier = e.getClass().getSimpleName() + " " + e.symbol() + " at " + java.time.Instant.ofEpochMilli(e.timeMs())
                + ": " + io.aquatrade.model.Decimals.format(lo) + ".." + io.aquatrade.model.Decimals.format(hi)
                + " outside " + (bandFraction * 100) + "% of " + reference;
        return false;
    }

    /** Counts the symbol's rejections in the window and its run of good events; tells the listener of a change. */
    private void track(MarketEvent e, boolean ok) {
        Feed f = feeds.computeIfAbsent(e.symbol(), k -> new Feed(pauseRejections));
        if (ok) {
            if (f.paused && ++f.goodRun >= resumeAfter) {
                f.paused = false;
                f.count = 0;
                f.next = 0;
                feedListener.onFeedRecovered(e.symbol(), f.goodRun);
            }
            return;
        }
        f.goodRun = 0;
        f.rejectedAt[f.next] = e.timeMs();
        f.next = (f.next + 1) % f.rejectedAt.length;
        f.count = Math.min(f.count + 1, f.rejectedAt.length);
        // the ring holds the latest `rejections` times: the oldest of them is where `next` points now
        long oldest = f.rejectedAt[f.count < f.rejectedAt.length ? 0 : f.next];
        if (!f.paused && f.count == f.rejectedAt.length && e.timeMs() - oldest <= pauseWindowMs) {
            f.paused = true;
            feedListener.onFeedFailing(e.symbol(), f.count, pauseWindowMs, lastOutlier);
        }
    }

    /** Symbols whose feed is paused now (failing the band, not yet a good run since). */
    public java.util.Set<String> pausedFeeds() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        feeds.forEach((k, f) -> {
            if (f.paused) {
                out.add(k);
            }
        });
        return out;
    }

    /** Trades and candles held out because they lay outside the band of a live book. */
    public long offBook() {
        return offBook;
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
