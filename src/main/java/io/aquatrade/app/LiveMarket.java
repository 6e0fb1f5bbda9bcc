package io.aquatrade.app;

import io.aquatrade.history.KlineHistory;
import io.aquatrade.model.Candle;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.state.SymbolState;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Between Binance's streams and the pipeline in paper, testnet and live: makes the live feed look like a
 * complete, ordered market, as a replay's files are. Confined to the pipeline's context.
 * <ul>
 *   <li><b>Bars.</b> The closed one-minute klines ({@code @kline_1m}, {@code x=true}) are the bars; open-kline
 *       updates are dropped (aggTrades carry the price). The closed klines of one minute are handed over
 *       together, once every watched pair's has arrived or {@link #CLOSE_GRACE_MS} after the minute ended, so
 *       the rules decide on all pairs of a minute in one round, as in a replay.</li>
 *   <li><b>No missing bar.</b> A closed kline that skips minutes (a reconnect, a rotation, a silent stream), or
 *       a pair whose last bar lags the wall clock, starts a REST backfill of the missed minutes. Until it
 *       lands, the pair's events wait, so the rolling state and the echo see every minute, in order.</li>
 *   <li>Trades and book tickers pass straight through (the paper venue fills on the book ticker).</li>
 * </ul>
 */
final class LiveMarket {

    private static final Logger log = LoggerFactory.getLogger(LiveMarket.class);
    static final long MINUTE = 60_000L;
    /** How long after a minute's end its closed klines may still arrive before the round goes without them. */
    static final long CLOSE_GRACE_MS = 3_000L;
    /** A pair whose newest bar is this far behind the last closed minute is backfilled even while silent. */
    static final long LAG_BEFORE_BACKFILL_MS = MINUTE + 15_000L;
    static final long RETRY_MS = 5_000L;
    /** Events kept per pair while its backfill is in flight; past it, ticks are dropped (bars never are). */
    static final int MAX_HELD = 20_000;

    /** What the market feeds: the pipeline (or a test). */
    interface Sink {
        void onEvent(MarketEvent e);

        void warmUp(Candle c);

        /** Open time of the newest bar held for the pair, or Long.MIN_VALUE. */
        long lastBarOpenMs(String symbol);
    }

    /** Fetches the closed minutes opening in [from, to). */
    interface Backfill {
        Future<List<Candle>> minutes(String symbol, long fromMs, long toMs);
    }

    private final Sink sink;
    private final Backfill backfill;
    private final LongSupplier wallClock;
    private final Set<String> symbols = new LinkedHashSet<>();
    private final Map<String, Long> lastBar = new HashMap<>();
    private final Map<String, ArrayDeque<MarketEvent>> held = new HashMap<>();
    private final Map<String, Long> retryAfter = new HashMap<>();
    private final Map<String, Long> gapEnd = new HashMap<>();
    private final Set<String> inFlight = new java.util.HashSet<>();
    /** Closed klines waiting for their minute's round, by close time. */
    private final TreeMap<Long, Map<String, Candle>> closing = new TreeMap<>();
    private long backfilledMinutes;
    private long backfills;
    private long droppedWhileHeld;

    LiveMarket(Sink sink, Backfill backfill, LongSupplier wallClock) {
        this.sink = sink;
        this.backfill = backfill;
        this.wallClock = wallClock;
    }

    /** The pairs watched from now on; a new one starts from the newest bar its warm-up left. */
    void watch(Collection<String> pairs) {
        symbols.clear();
        symbols.addAll(pairs);
        for (String s : pairs) {
            lastBar.computeIfAbsent(s, k -> sink.lastBarOpenMs(k));
        }
    }

    Set<String> watched() {
        return symbols;
    }

    long backfilledMinutes() {
        return backfilledMinutes;
    }

    long backfills() {
        return backfills;
    }

    /** Trades and quotes dropped while a backfill held their pair's events past {@link #MAX_HELD}. */
    long droppedWhileHeld() {
        return droppedWhileHeld;
    }

    /** One stream event, on the pipeline's context. */
    void onEvent(MarketEvent e) {
        String s = e.symbol();
        ArrayDeque<MarketEvent> wait = held.get(s);
        if (wait != null) {
            if (wait.size() >= MAX_HELD && !(e instanceof Candle)) {
                if (droppedWhileHeld++ % MAX_HELD == 0) { // said once per MAX_HELD drops, not per tick
                    log.warn("backfill of {} still unanswered with {} of its events held: dropping its trades and quotes "
                            + "until it is ({} dropped so far; its bars come from REST)", s, wait.size(), droppedWhileHeld);
                }
                return;
            }
            wait.addLast(e);
            return;
        }
        route(e);
    }

    private void route(MarketEvent e) {
        if (!(e instanceof Candle c)) {
            sink.onEvent(e);
            return;
        }
        if (!c.closed() || c.intervalMs() != MINUTE) {
            return; // an update of the minute in progress: the aggTrades already move the price
        }
        String s = c.symbol();
        long last = lastBar.getOrDefault(s, Long.MIN_VALUE);
        if (c.openTimeMs() <= last) {
            return; // a minute already held
        }
        if (last != Long.MIN_VALUE && c.openTimeMs() > last + MINUTE) {
            ArrayDeque<MarketEvent> wait = new ArrayDeque<>();
            wait.add(c);
            held.put(s, wait);
            startBackfill(s, last + MINUTE, c.openTimeMs());
            return;
        }
        lastBar.put(s, c.openTimeMs());
        closing.computeIfAbsent(c.timeMs(), k -> new TreeMap<>()).put(s, c);
        releaseComplete(wallClock.getAsLong());
    }

    /** The once-a-second check: rounds whose grace has passed, pairs that fell behind, backfills to retry. */
    void onWallClock(long nowMs) {
        releaseComplete(nowMs);
        long lastClosedOpen = nowMs - Math.floorMod(nowMs, MINUTE) - MINUTE;
        boolean lagging = nowMs - (lastClosedOpen + MINUTE) >= LAG_BEFORE_BACKFILL_MS - MINUTE;
        for (String s : symbols) {
            if (inFlight.contains(s) || nowMs < retryAfter.getOrDefault(s, Long.MIN_VALUE)) {
                continue;
            }
            long last = lastBar.getOrDefault(s, Long.MIN_VALUE);
            if (held.containsKey(s)) {
                startBackfill(s, last + MINUTE, gapEnd.get(s)); // a failed one, again
            } else if (lagging && last != Long.MIN_VALUE && last < lastClosedOpen) {
                held.put(s, new ArrayDeque<>());
                startBackfill(s, last + MINUTE, lastClosedOpen + MINUTE);
            }
        }
    }

    private void releaseComplete(long nowMs) {
        while (!closing.isEmpty()) {
            Map.Entry<Long, Map<String, Candle>> first = closing.firstEntry();
            boolean all = first.getValue().keySet().containsAll(symbols);
            if (!all && nowMs < first.getKey() + 1 + CLOSE_GRACE_MS) {
                return;
            }
            closing.pollFirstEntry();
            for (Candle c : first.getValue().values()) {
                sink.onEvent(c);
            }
        }
    }

    private void startBackfill(String s, long fromMs, long toMs) {
        backfills++;
        inFlight.add(s);
        gapEnd.put(s, toMs);
        log.info("backfill {}: minutes {} .. {} over REST", s, java.time.Instant.ofEpochMilli(fromMs),
                java.time.Instant.ofEpochMilli(toMs - MINUTE));
        backfill.minutes(s, fromMs, toMs).onComplete(ar -> {
            inFlight.remove(s);
            if (ar.failed()) {
                // the pair's events keep waiting: a bar after the gap must not be taken before the gap is filled
                log.warn("backfill {} failed ({}); retrying in {} s", s, ar.cause().getMessage(), RETRY_MS / 1000);
                retryAfter.put(s, wallClock.getAsLong() + RETRY_MS);
                return;
            }
            retryAfter.remove(s);
            gapEnd.remove(s);
            List<Candle> got = new ArrayList<>(ar.result());
            got.sort(Comparator.comparingLong(Candle::openTimeMs));
            long last = lastBar.getOrDefault(s, Long.MIN_VALUE);
            for (Candle c : got) {
                if (c.openTimeMs() > last && c.openTimeMs() < toMs) {
                    sink.warmUp(c);
                    last = c.openTimeMs();
                    backfilledMinutes++;
                }
            }
            ArrayDeque<MarketEvent> wait = held.get(s);
            if (last < toMs - MINUTE && wait != null && barAtOrAfter(wait, toMs)) {
                // the stream already closed a later minute: what REST lacks of the gap was an exchange outage and
                // will never come; asking again would hold the pair's events (and spend weight) for ever
                log.warn("backfill {}: the exchange has no minutes {} .. {} (an outage); going on without them", s,
                        java.time.Instant.ofEpochMilli(last == Long.MIN_VALUE ? fromMs : Math.max(fromMs, last + MINUTE)),
                        java.time.Instant.ofEpochMilli(toMs - MINUTE));
                last = toMs - MINUTE;
            }
            lastBar.put(s, last);
            wait = held.remove(s);
            if (wait != null) {
                for (MarketEvent e : wait) {
                    onEvent(e);
                }
            }
        });
    }

    private static boolean barAtOrAfter(ArrayDeque<MarketEvent> events, long openMs) {
        for (MarketEvent e : events) {
            if (e instanceof Candle c && c.closed() && c.intervalMs() == MINUTE && c.openTimeMs() >= openMs) {
                return true;
            }
        }
        return false;
    }

    /** The pipeline as the sink. */
    static Sink of(TradingPipeline pipeline) {
        return new Sink() {
            @Override
            public void onEvent(MarketEvent e) {
                pipeline.onEvent(e);
            }

            @Override
            public void warmUp(Candle c) {
                pipeline.warmUp(c);
            }

            @Override
            public long lastBarOpenMs(String symbol) {
                SymbolState st = pipeline.states().get(symbol);
                return st == null || st.minutesHeld() == 0 ? Long.MIN_VALUE : st.openTimeAgo(0);
            }
        };
    }

    static Backfill of(KlineHistory history) {
        return history::minutes;
    }
}
