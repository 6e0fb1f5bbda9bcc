package io.aquatrade.app;

import io.aquatrade.echo.EchoEngine;
import io.aquatrade.exchange.ExchangeAdapter;
import io.aquatrade.execution.ExecutionService;
import io.aquatrade.model.Candle;
import io.aquatrade.model.Clock;
import io.aquatrade.model.EchoMatch;
import io.aquatrade.model.EchoTrack;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.model.Position;
import io.aquatrade.portfolio.Portfolio;
import io.aquatrade.report.RunRecorder;
import io.aquatrade.rules.Decisions;
import io.aquatrade.rules.RuleEngine;
import io.aquatrade.rules.SymbolActivity;
import io.aquatrade.state.StatePublisher;
import io.aquatrade.state.SymbolState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one pipeline of every mode. Single-threaded: it runs on one Vert.x context and owns all the
 * mutable trading state. For each market event, in order: the clock advances; the exchange
 * adapter sees it (a local venue, replay or paper, fills orders waiting for it); the rolling
 * state and marks update; protective levels are checked; and a closed minute feeds the echo engine and marks the symbol for
 * a decision. Decisions for all symbols whose minute closed at the same event time are taken
 * together, once the clock moves past that time, in one rule evaluation.
 */
public final class TradingPipeline {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TradingPipeline.class);

    private final Map<String, SymbolState> states = new HashMap<>();
    private final int stateCapacityMinutes;
    private final long staleAfterMs;
    private final EchoEngine echo;
    private final RuleEngine rules;
    private final ExecutionService execution;
    private final ExchangeAdapter exchange;
    private final Portfolio portfolio;
    private final StatePublisher publisher;
    private final RunRecorder recorder;
    private final long tradeFromMs;
    private final PipelineStats stats;

    private final Set<String> pendingDecision = new LinkedHashSet<>();
    private long pendingTimeMs = Long.MIN_VALUE;
    private long clockMs = Long.MIN_VALUE;

    public TradingPipeline(int stateCapacityMinutes, long staleAfterMs, EchoEngine echo, RuleEngine rules,
                           ExecutionService execution, ExchangeAdapter exchange, Portfolio portfolio,
                           StatePublisher publisher, RunRecorder recorder, long tradeFromMs, PipelineStats stats) {
        this.stateCapacityMinutes = stateCapacityMinutes;
        this.staleAfterMs = staleAfterMs;
        this.echo = echo;
        this.rules = rules;
        this.execution = execution;
        this.exchange = exchange;
        this.portfolio = portfolio;
        this.publisher = publisher;
        this.recorder = recorder;
        this.tradeFromMs = tradeFromMs;
        this.stats = stats;
        execution.setPriceLookup(s -> {
            SymbolState st = states.get(s);
            return st == null || st.lastPriceE8() == 0 ? null : st.lastPrice();
        });
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
        if (trading) {
            execution.advanceClock(clockMs);
            exchange.onMarketEvent(e); // a venue that matches locally fills waiting orders on it
        }
        SymbolState st = states.get(e.symbol());
        if (st == null) {
            st = new SymbolState(e.symbol(), stateCapacityMinutes);
            states.put(e.symbol(), st);
        }
        Candle closed = st.onEvent(e);
        if (trading) {
            portfolio.mark(e.symbol(), st.lastPrice());
            execution.onMarketEvent(e);
        }
        if (closed != null) {
            stats.closedMinutes++;
            echo.onClosedMinute(closed);
            publisher.markDirty(st);
            if (trading) {
                pendingDecision.add(e.symbol());
                pendingTimeMs = t;
            }
        }
    }

    /** Runs the pending decision round now (end of data, or a live timer when the clock stalls). */
    public void flush() {
        if (!pendingDecision.isEmpty()) {
            decide();
        }
        publisher.flush(clockMs);
    }

    private void decide() {
        long startNanos = System.nanoTime();
        long now = pendingTimeMs;
        List<String> symbols = new ArrayList<>(pendingDecision);
        pendingDecision.clear(); // a round that fails is not retried on every later event
        execution.onClock(now);
        rules.setClock(Clock.at(now));
        rules.setRiskState(execution.riskState());
        rules.setAccount(portfolio.accountFact(execution.tradesToday(), execution.tradesLastMinute()));
        for (String symbol : symbols) {
            SymbolState st = states.get(symbol);
            List<EchoMatch> matches = echo.matches(symbol, now);
            stats.echoMatches += matches.size();
            Position position = portfolio.positionFact(symbol, now);
            EchoTrack track = position == null || position.entryTemplateDay() == null ? null
                    : echo.track(symbol, position.entryTemplateDay(), position.entryTimeMs(), now);
            rules.updateSymbol(st.snapshot(now, staleAfterMs), matches, position, track, execution.symbolRisk(symbol),
                    new SymbolActivity(symbol, portfolio.lastEntryTimeMs(symbol), portfolio.lastExitTimeMs(symbol),
                            execution.hasOrderInFlight(symbol)));
        }
        Decisions d = rules.fire();
        stats.decisionRounds++;
        stats.intents += d.orders().size();
        d.firings().forEach((rule, n) -> stats.ruleFirings.merge(rule, (long) n, Long::sum));
        if (d.hasErrors()) {
            stats.ruleErrors += d.errors().size();
            d.errors().forEach(err -> log.error("rules {}: {}", d.ruleSetVersion(), err));
        }
        execution.handle(d.riskEvents(), d.stopUpdates(), d.orders());
        recorder.sample(now, portfolio);
        publisher.maybeFlush(now);
        decisionObserver.onDecision(d, System.nanoTime() - startNanos);
    }

    /** Sees every decision round (metrics: rule firings, decision time). Called on the pipeline's thread. */
    public interface DecisionObserver {
        void onDecision(Decisions decisions, long wallNanos);
    }

    private DecisionObserver decisionObserver = (d, nanos) -> { };

    /** Adds a decision observer (metrics; the rules service's firing counts and runaway reports). */
    public void addDecisionObserver(DecisionObserver added) {
        java.util.Objects.requireNonNull(added, "observer");
        DecisionObserver before = decisionObserver;
        decisionObserver = (d, nanos) -> {
            before.onDecision(d, nanos);
            added.onDecision(d, nanos);
        };
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
        public final List<String> failures = new ArrayList<>();

        void failed(MarketEvent e, Throwable cause) {
            failedEvents++;
            if (failures.size() < KEPT_FAILURES) {
                StackTraceElement[] at = cause.getStackTrace();
                failures.add(e.getClass().getSimpleName() + " " + e.symbol() + " at " + java.time.Instant.ofEpochMilli(e.timeMs())
                        + ": " + cause + (at.length > 0 ? " at " + at[0] : ""));
            }
        }

        public List<String> ruleNames() {
            return new ArrayList<>(ruleFirings.keySet());
        }
    }
}
