package io.aquatrade.app;

import io.aquatrade.echo.EchoEngine;
import io.aquatrade.exchange.ExchangeAdapter;
import io.aquatrade.execution.ExecutionService;
import io.aquatrade.model.Candle;
import io.aquatrade.model.EchoMatch;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.portfolio.Portfolio;
import io.aquatrade.report.RunRecorder;
import io.aquatrade.rules.Decisions;
import io.aquatrade.rules.RuleEngine;
import io.aquatrade.state.StatePublisher;
import io.aquatrade.state.SymbolState;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one pipeline of every mode. Single-threaded: it runs on one Vert.x context and owns all the
 * mutable trading state. It is split in two: the market part here (the clock, the rolling state,
 * the echo, the state publication), which depends only on the data and the {@code echo.*} keys, and
 * one or more {@link TradingSession}s (rules, execution, exchange adapter, portfolio), each a
 * parameter set. A normal run has one session; the optimizer and the edge report drive many over
 * one market pass, and each trades exactly as it would alone.
 *
 * <p>For each market event, in order: the clock advances; each session's exchange adapter sees it (a
 * local venue, replay or paper, fills orders waiting for it); the rolling state updates; each session
 * marks and checks protective levels; and a closed minute feeds the echo engine and marks the symbol
 * for a decision. Decisions for all symbols whose minute closed at the same event time are taken
 * together, once the clock moves past that time: their snapshots and echo matches are computed once,
 * then every session runs one rule evaluation over them.
 */
public final class TradingPipeline {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TradingPipeline.class);

    /** Minutes of closed bars each symbol's rolling state keeps: two days. */
    public static final int STATE_MINUTES = 2 * 24 * 60;

    /** The echo engine of the config's {@code echo.*} keys. */
    public static EchoEngine echoFor(io.aquatrade.config.AquatradeConfig config) {
        return new EchoEngine(io.aquatrade.echo.EchoParams.defaults()
                .withLeadInMinutes(config.integer(io.aquatrade.config.ConfigKeys.ECHO_LEAD_MINUTES))
                .withMinSimilarity(config.dbl(io.aquatrade.config.ConfigKeys.ECHO_MIN_SIMILARITY_FLOOR))
                .withMaxMatchesPerSymbol(config.integer(io.aquatrade.config.ConfigKeys.ECHO_MAX_MATCHES_PER_SYMBOL))
                .withMoveHorizonMinutes(config.integer(io.aquatrade.config.ConfigKeys.ECHO_MOVE_HORIZON_MINUTES))
                .withVolumeWeight(config.dbl(io.aquatrade.config.ConfigKeys.ECHO_VOLUME_WEIGHT)));
    }

    /** The market part of a simulated run of {@code config}, with no state publication. */
    public static TradingPipeline marketOnly(io.aquatrade.config.AquatradeConfig config, long tradeFromMs,
                                             PipelineStats stats) {
        return new TradingPipeline(STATE_MINUTES,
                config.longValue(io.aquatrade.config.ConfigKeys.RISK_STALE_FEED_SECONDS) * 1000L, echoFor(config), null,
                tradeFromMs, stats);
    }

    private final Map<String, SymbolState> states = new HashMap<>();
    private final int stateCapacityMinutes;
    private final long staleAfterMs;
    private final EchoEngine echo;
    private final StatePublisher publisher;
    private final long tradeFromMs;
    private final PipelineStats stats;
    private final List<TradingSession> sessions = new ArrayList<>();
    private TradingSession[] sessionArray = new TradingSession[0];
    // Sessions that trail the market pass: on their own lane (thread) when there is a core for it, else in step
    // after the others. The lane reads prices from its own copy, set as each event's step reaches it.
    private TradingSession[] trailingArray = new TradingSession[0];
    private boolean trailOnOwnThread = Runtime.getRuntime().availableProcessors() > 1;
    private SessionLane lane;
    private final Map<String, BigDecimal> trailingPrices = new HashMap<>();
    private final PipelineStats trailingFailures = new PipelineStats(); // written on the lane only

    private final Set<String> pendingDecision = new LinkedHashSet<>();
    private long pendingTimeMs = Long.MIN_VALUE;
    private long clockMs = Long.MIN_VALUE;

    /**
     * The market part alone; add sessions with {@link #addSession}.
     *
     * @param publisher where rolling state is published (null: not published, e.g. an optimizer pass)
     */
    public TradingPipeline(int stateCapacityMinutes, long staleAfterMs, EchoEngine echo, StatePublisher publisher,
                           long tradeFromMs, PipelineStats stats) {
        this.stateCapacityMinutes = stateCapacityMinutes;
        this.staleAfterMs = staleAfterMs;
        this.echo = echo;
        this.publisher = publisher;
        this.tradeFromMs = tradeFromMs;
        this.stats = stats;
    }

    /** The pipeline of one parameter set: the market part and one session. */
    public TradingPipeline(int stateCapacityMinutes, long staleAfterMs, EchoEngine echo, RuleEngine rules,
                           ExecutionService execution, ExchangeAdapter exchange, Portfolio portfolio,
                           StatePublisher publisher, RunRecorder recorder, long tradeFromMs, PipelineStats stats) {
        this(stateCapacityMinutes, staleAfterMs, echo, publisher, tradeFromMs, stats);
        addSession(new TradingSession(rules, execution, exchange, portfolio, recorder, stats));
    }

    /** Adds a session before the first event. */
    public void addSession(TradingSession session) {
        requireNoEvent();
        session.attach(this::lastPrice);
        sessions.add(session);
        sessionArray = append(sessionArray, session);
    }

    /**
     * Adds a session that only follows the others (an edge report's random baseline: nothing it does reaches the
     * market part or the other sessions) before the first event. It trades exactly as one added by
     * {@link #addSession}, but on a thread of its own when the machine has a second core (see
     * {@link #trailOnOwnThread}), as long as that thread is not busier than the pipeline's (many seeds: the rest
     * run in step); its results are complete once {@link #flush} returns. Reach it from the other sessions only
     * through {@link #alongTrailingSession}.
     */
    public void addTrailingSession(TradingSession session) {
        requireNoEvent();
        if (trailOnOwnThread && lane == null) {
            lane = new SessionLane("trailing-sessions");
        }
        sessions.add(session);
        // keep the two threads about equally busy: past the lane's share, a trailing session runs in step
        if (lane != null && trailingArray.length <= trailingInStep + MARKET_PASS_IN_SESSIONS) {
            session.attach(trailingPrices::get);
            trailingArray = append(trailingArray, session);
        } else {
            session.attach(this::lastPrice);
            sessionArray = append(sessionArray, session);
            trailingInStep++;
        }
    }

    /**
     * What the market pass and the primary session cost, in random-entry sessions (each evaluates its rules only
     * for what it holds or enters): about 3 on the 13-pair 2023 set (5.4 s against 1.7 s a session, 2026-12-04).
     */
    static final int MARKET_PASS_IN_SESSIONS = 3;
    private int trailingInStep;

    /**
     * Whether trailing sessions run on a thread of their own (default: when there is more than one core); set
     * before the first is added. Either way they trade the same, fill for fill.
     */
    public void trailOnOwnThread(boolean own) {
        if (trailingArray.length + trailingInStep > 0) {
            throw new IllegalStateException("choose where trailing sessions run before adding the first");
        }
        this.trailOnOwnThread = own;
    }

    /**
     * Runs {@code change} to the trailing session {@code session} (an entry a random baseline copies) in order with
     * what it is given: on its lane after the calls submitted so far, or now when it runs in step.
     */
    public void alongTrailingSession(TradingSession session, Runnable change) {
        if (onLane(session)) {
            lane.submit(clockMs, trailing(change, null));
        } else {
            change.run();
        }
    }

    private boolean onLane(TradingSession session) {
        for (TradingSession s : trailingArray) {
            if (s == session) {
                return true;
            }
        }
        return false;
    }

    private void requireNoEvent() {
        if (clockMs != Long.MIN_VALUE) {
            throw new IllegalStateException("sessions are added before the first market event");
        }
    }

    private static TradingSession[] append(TradingSession[] a, TradingSession s) {
        TradingSession[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = s;
        return out;
    }

    private BigDecimal lastPrice(String symbol) {
        SymbolState st = states.get(symbol);
        return st == null ? null : knownPrice(st);
    }

    /** A symbol's last price, null before its first (what execution and the portfolio take as "no price"). */
    private static BigDecimal knownPrice(SymbolState st) {
        return st.lastPriceE8() == 0 ? null : st.lastPrice();
    }

    /** A call on the lane whose failure is counted like a failed event (for {@code e}) and does not stop the next. */
    private Runnable trailing(Runnable call, MarketEvent e) {
        return () -> {
            try {
                call.run();
            } catch (RuntimeException | StackOverflowError ex) {
                trailingFailures.failed(e, ex);
                if (trailingFailures.failedEvents <= PipelineStats.KEPT_FAILURES) {
                    log.error("a trailing session failed at {} and skipped it", e == null ? "a decision round" : e, ex);
                }
            }
        };
    }

    public List<TradingSession> sessions() {
        return java.util.Collections.unmodifiableList(sessions);
    }

    public void onEvents(List<MarketEvent> batch) {
        for (int i = 0, n = batch.size(); i < n; i++) {
            onEvent(batch.get(i));
        }
    }

    /**
     * Processes one event. A failure anywhere in it (state, echo, rules, execution, the venue) is contained
     * here: counted and kept with its cause, and the next event is processed; the venue resolves any order
     * the failure touched. A run with failures says so (see {@link PipelineStats#failedEvents}).
     */
    public void onEvent(MarketEvent e) {
        try {
            process(e);
        } catch (RuntimeException | StackOverflowError ex) {
            stats.failed(e, ex);
            if (stats.failedEvents <= PipelineStats.KEPT_FAILURES) {
                log.error("event failed and was skipped: {}", e, ex);
            }
        }
    }

    private void process(MarketEvent e) {
        if (sanity != null && !sanity.accept(e)) {
            stats.outliers++; // never reaches state, stops or fills
            return;
        }
        long t = e.timeMs();
        if (t > pendingTimeMs && !pendingDecision.isEmpty()) {
            decide();
        }
        if (t > clockMs) {
            clockMs = t;
        }
        stats.events++;
        // per-type counts for aquatrade_market_events_total (read by a FunctionCounter: no meter on the hot path)
        if (e instanceof io.aquatrade.model.TradeTick) {
            stats.trades++;
        } else if (e instanceof io.aquatrade.model.QuoteTick) {
            stats.quotes++;
        } else {
            stats.candles++;
        }
        boolean trading = clockMs >= tradeFromMs;
        TradingSession[] ss = sessionArray;
        if (trading) {
            for (TradingSession s : ss) {
                s.beforeState(e, clockMs);
            }
            if (lane != null && !laneSeeded) {
                seedLanePrices(); // the prices warm-up left, as the first trading step finds them
            }
        }
        SymbolState st = stateOf(e.symbol());
        Candle closed = st.onEvent(e);
        if (trading) {
            BigDecimal price = st.lastPrice();
            for (TradingSession s : ss) {
                s.afterState(e, price);
            }
            if (lane != null) {
                long at = clockMs;
                BigDecimal known = knownPrice(st);
                lane.submit(at, trailing(() -> {
                    for (TradingSession s : trailingArray) {
                        s.beforeState(e, at);
                    }
                    trailingPrices.put(e.symbol(), known); // as the state holds it now, for the steps up to the next
                    for (TradingSession s : trailingArray) {
                        s.afterState(e, price);
                    }
                }, e));
            }
        }
        if (closed != null) {
            stats.closedMinutes++;
            echo.onClosedMinute(closed);
            if (publisher != null) {
                publisher.markDirty(st);
            }
        }
        // decide on every closed minute (candles) and, on tick sources, on every closed one-second bar
        if (trading && (closed != null || st.secondClosedByLastEvent())) {
            pendingDecision.add(e.symbol());
            pendingTimeMs = t;
        }
    }

    /**
     * History that arrives outside the live flow: the bootstrap of a pair's look-back, a pair added to the
     * universe, the minutes a feed gap missed (REST backfill). It builds the rolling state and the echo's
     * templates like any closed minute but never trades, marks or decides: those minutes are over. Minutes
     * already held are ignored, so a backfill may overlap what the stream delivered.
     */
    public void warmUp(Candle minute) {
        SymbolState st = stateOf(minute.symbol());
        Candle closed = st.onHistoryMinute(minute); // history is no sign of a live feed: a silent one stays stale
        if (lane != null && laneSeeded) {
            priceForLane(st);
        }
        if (closed != null) {
            stats.closedMinutes++;
            echo.onClosedMinute(closed);
            if (publisher != null) {
                publisher.markDirty(st);
            }
        }
    }

    /**
     * The wall clock of a live run, on a timer: the clock moves on while no event arrives (so a silent
     * feed shows as stale), and a decision round still waiting for the next event is taken.
     */
    public void onWallClock(long nowMs) {
        if (nowMs > pendingTimeMs && !pendingDecision.isEmpty()) {
            decide();
        }
        if (nowMs > clockMs) {
            clockMs = nowMs;
            if (clockMs >= tradeFromMs) {
                for (TradingSession s : sessionArray) {
                    s.advanceClock(clockMs);
                }
                if (lane != null) {
                    long at = clockMs;
                    lane.submit(at, trailing(() -> {
                        for (TradingSession s : trailingArray) {
                            s.advanceClock(at);
                        }
                    }, null));
                }
            }
        }
    }

    /**
     * The stale-feed check of a live run, on its wall-clock timer. A watched symbol whose feed has been silent for
     * longer than the stale limit (or has not delivered since the first check) gets no decision round of its own,
     * so the rules would keep its last, fresh snapshot: it is decided on now, with its stale snapshot, and the
     * rules pause its entries ({@code risk-stale-feed-pause}). Repeated at every check while it stays silent (its
     * pause and risk facts stay current); its next event ends it. Other symbols are untouched.
     */
    public void decideStaleFeeds(long nowMs, java.util.Collection<String> watched) {
        if (clockMs < tradeFromMs) {
            return;
        }
        for (String s : watched) {
            SymbolState st = states.get(s);
            if (st == null) {
                continue;
            }
            long last = st.lastFeedMs();
            if (last == Long.MIN_VALUE) {
                last = silentSince.computeIfAbsent(s, k -> nowMs);
            }
            if (nowMs - last > staleAfterMs) {
                pendingDecision.add(s);
            }
        }
        if (!pendingDecision.isEmpty()) {
            pendingTimeMs = Math.max(pendingTimeMs, nowMs);
            decide();
        }
    }

    private boolean laneSeeded;

    private void seedLanePrices() {
        laneSeeded = true;
        Map<String, BigDecimal> now = new HashMap<>();
        states.forEach((symbol, st) -> now.put(symbol, knownPrice(st)));
        lane.submit(clockMs, trailing(() -> trailingPrices.putAll(now), null));
    }

    /** The lane's copy of a symbol's price follows a change no trailing session is told of (history warm-up). */
    private void priceForLane(SymbolState st) {
        String symbol = st.symbol();
        BigDecimal known = knownPrice(st);
        lane.submit(clockMs, trailing(() -> trailingPrices.put(symbol, known), null));
    }

    /** Watched symbols without any feed event yet: when the stale-feed check first saw them. */
    private final Map<String, Long> silentSince = new HashMap<>();

    private SymbolState stateOf(String symbol) {
        SymbolState st = states.get(symbol);
        if (st == null) {
            st = new SymbolState(symbol, stateCapacityMinutes);
            states.put(symbol, st);
        }
        return st;
    }

    /** Runs the pending decision round now (end of data, or a live timer when the clock stalls). */
    public void flush() {
        if (!pendingDecision.isEmpty()) {
            decide();
        }
        if (lane != null) {
            lane.drain(); // the trailing sessions' results are complete and visible from here
            stats.failedEvents += trailingFailures.failedEvents;
            for (String f : trailingFailures.failures) {
                if (stats.failures.size() < PipelineStats.KEPT_FAILURES) {
                    stats.failures.add("trailing session: " + f);
                }
            }
            trailingFailures.failedEvents = 0;
            trailingFailures.failures.clear();
        }
        if (publisher != null) {
            publisher.flush(clockMs);
        }
    }

    private void decide() {
        long now = pendingTimeMs;
        List<String> symbols = new ArrayList<>(pendingDecision);
        pendingDecision.clear(); // a round that fails is not retried on every later event
        List<TradingSession.SymbolInput> inputs = new ArrayList<>(symbols.size());
        for (String symbol : symbols) {
            SymbolState st = states.get(symbol);
            // on tick sources the minute in progress is the live window's newest point: the echo moves every second
            List<EchoMatch> matches = echo.matches(symbol, now, st.partialMinuteCloseE8(), st.partialMinuteVolumeE8());
            stats.echoMatches += matches.size();
            inputs.add(new TradingSession.SymbolInput(symbol, st.snapshot(now, staleAfterMs), matches,
                    echo.lastMinuteOpenMs(symbol)));
        }
        for (TradingSession s : sessionArray) {
            s.decide(now, inputs, echo);
        }
        if (lane != null) {
            lane.submit(now, trailing(() -> {
                for (TradingSession s : trailingArray) {
                    s.decide(now, inputs, echo);
                }
            }, null));
        }
        if (publisher != null) {
            publisher.maybeFlush(now);
        }
    }

    /** Sees every decision round (metrics: rule firings, decision time). Called on the pipeline's thread. */
    public interface DecisionObserver {
        void onDecision(Decisions decisions, long wallNanos);
    }

    /** Adds a decision observer to the primary session: the first added, the one a run trades with. */
    public void addDecisionObserver(DecisionObserver added) {
        if (sessions.isEmpty()) {
            throw new IllegalStateException("add the session before its decision observers");
        }
        sessions.get(0).addDecisionObserver(added);
    }

    private io.aquatrade.market.SanityBand sanity;

    /** Holds price outliers out of state and fills ({@code market.sanity_band_pct}); before the first event. */
    public void sanityBand(io.aquatrade.market.SanityBand band) {
        this.sanity = band;
    }

    public io.aquatrade.market.SanityBand sanityBand() {
        return sanity;
    }

    public long clockMs() {
        return clockMs;
    }

    public Map<String, SymbolState> states() {
        return states;
    }

    /** Counters of what the pipeline did (for the report, progress and metrics). */
    public static final class PipelineStats {
        public long events;
        // written only by the pipeline's thread; volatile-free on purpose (read by metrics, a stale read is fine)
        public long trades;
        public long quotes;
        public long candles;
        public long closedMinutes;
        public long decisionRounds;
        public long echoMatches;
        public long intents;
        public long ruleErrors;
        public final Map<String, Long> ruleFirings = new java.util.TreeMap<>();
        /** How many failures are kept with their cause; all are counted. */
        public static final int KEPT_FAILURES = 20;
        /** Events whose processing failed (they were skipped; the run goes on and reports them). */
        public long failedEvents;
        /** Events held out of state and fills by the sanity band. */
        public long outliers;
        public final List<String> failures = new ArrayList<>();

        void failed(MarketEvent e, Throwable cause) {
            failedEvents++;
            if (failures.size() < KEPT_FAILURES) {
                StackTraceElement[] at = cause.getStackTrace();
                String where = e == null ? "decision round"
                        : e.getClass().getSimpleName() + " " + e.symbol() + " at " + java.time.Instant.ofEpochMilli(e.timeMs());
                failures.add(where + ": " + cause + (at.length > 0 ? " at " + at[0] : ""));
            }
        }

        public List<String> ruleNames() {
            return new ArrayList<>(ruleFirings.keySet());
        }
    }
}
