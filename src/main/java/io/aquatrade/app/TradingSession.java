package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.config.ConfigKeys;
import io.aquatrade.echo.EchoEngine;
import io.aquatrade.exchange.ExchangeAdapter;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.exchange.OrderThrottle;
import io.aquatrade.exchange.sim.SimulatedExchange;
import io.aquatrade.execution.ExchangeSymbolRules;
import io.aquatrade.execution.OrderRateLimiter;
import io.aquatrade.execution.ExecutionService;
import io.aquatrade.execution.HardLimits;
import io.aquatrade.model.Clock;
import io.aquatrade.model.EchoMatch;
import io.aquatrade.model.EchoTrack;
import io.aquatrade.model.Fill;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.model.MarketSnapshot;
import io.aquatrade.model.Position;
import io.aquatrade.portfolio.RoundTrip;
import io.aquatrade.portfolio.Portfolio;
import io.aquatrade.report.RunRecorder;
import io.aquatrade.rules.CompiledRuleSet;
import io.aquatrade.rules.Decisions;
import io.aquatrade.rules.RiskLimits;
import io.aquatrade.rules.RuleEngine;
import io.aquatrade.rules.StrategyParams;
import io.aquatrade.rules.SymbolActivity;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * What one parameter set trades: a rules session, the execution service with its hard caps, the
 * exchange adapter and the portfolio, and the recorder of its fills and equity. It reads the market
 * part of the {@link TradingPipeline} (rolling state, echo matches) but never changes it, so one
 * market pass can drive many sessions (the optimizer, the edge report's random baseline) and each
 * trades exactly as it would alone.
 */
public final class TradingSession {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TradingSession.class);

    private final RuleEngine rules;
    private final ExecutionService execution;
    private final ExchangeAdapter exchange;
    private final Portfolio portfolio;
    private final RunRecorder recorder;
    private final TradingPipeline.PipelineStats stats;
    private DecisionHook decisionHook;
    private TradingPipeline.DecisionObserver decisionObserver = (d, nanos) -> { };

    public TradingSession(RuleEngine rules, ExecutionService execution, ExchangeAdapter exchange, Portfolio portfolio,
                          RunRecorder recorder, TradingPipeline.PipelineStats stats) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.execution = Objects.requireNonNull(execution, "execution");
        this.exchange = Objects.requireNonNull(exchange, "exchange");
        this.portfolio = Objects.requireNonNull(portfolio, "portfolio");
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    /**
     * A session trading on the simulated exchange with the config's capital, fees, caps, strategy and
     * rules: the wiring every simulated run uses (replay, demo, optimizer, edge report).
     *
     * @param stats  where the session counts its decision rounds, intents and rule firings
     * @param onFill also told of every fill after the recorder (null: nobody)
     */
    public static TradingSession simulated(AquatradeConfig config, ExchangeInfo exchangeInfo, CompiledRuleSet ruleSet,
                                           String idPrefix, TradingPipeline.PipelineStats stats,
                                           BiConsumer<Fill, RoundTrip> onFill) {
        SimulatedExchange exchange = SimulatedExchange.nextEvent("simulated", exchangeInfo,
                config.decimal(ConfigKeys.FEES_TAKER_RATE), config.string(ConfigKeys.CAPITAL_QUOTE_ASSET),
                config.decimal(ConfigKeys.CAPITAL_START_QUOTE));
        return on(exchange, config, exchangeInfo, ruleSet, idPrefix, stats, onFill);
    }

    /**
     * A session trading on {@code exchange} (the mode's venue: simulated, paper or Binance) with the
     * config's capital, fees, caps, strategy and rules.
     */
    public static TradingSession on(ExchangeAdapter exchange, AquatradeConfig config, ExchangeInfo exchangeInfo,
                                    CompiledRuleSet ruleSet, String idPrefix, TradingPipeline.PipelineStats stats,
                                    BiConsumer<Fill, RoundTrip> onFill) {
        String quote = config.string(ConfigKeys.CAPITAL_QUOTE_ASSET);
        BigDecimal start = config.decimal(ConfigKeys.CAPITAL_START_QUOTE);
        ExchangeSymbolRules symbolRules = new ExchangeSymbolRules(exchangeInfo);
        Portfolio portfolio = new Portfolio(quote, start, config.decimal(ConfigKeys.CAPITAL_BASE_FRACTION),
                config.decimal(ConfigKeys.CAPITAL_PROFIT_REINVEST_FRACTION), symbolRules::baseAsset, symbolRules::isDust);
        // one owner of the order budget: a venue that throttles and queues orders itself (Binance) keeps it;
        // otherwise execution throttles by exchangeInfo's rate limits
        OrderThrottle venueThrottle = exchange.orderThrottle().orElse(null);
        OrderThrottle throttle = venueThrottle != null ? venueThrottle : OrderThrottle.fromExchangeInfo(exchangeInfo,
                config.dbl(ConfigKeys.EXCHANGE_LIMIT_FRACTION), OrderThrottle.DEFAULT_EXIT_RESERVE_FRACTION);
        OrderRateLimiter limiter = venueThrottle != null ? OrderRateLimiter.VENUE_THROTTLES
                : (now, exit) -> throttle.tryAcquire(now, 1, exit ? OrderThrottle.Kind.EXIT_ORDER
                        : OrderThrottle.Kind.ENTRY_ORDER).allowed();
        ExecutionService execution = new ExecutionService(portfolio, symbolRules, HardLimits.from(config), limiter,
                idPrefix);
        execution.connect(exchange);
        // execution.protective_orders: exchange (live, testnet) rests the levels on the venue; local watches them here
        if (AquatradeConfig.PROTECTION_EXCHANGE.equals(config.protectiveOrders(config.string(ConfigKeys.MODE)))) {
            execution.protectOnExchange(config.decimal(ConfigKeys.EXECUTION_STOP_LIMIT_OFFSET_PCT),
                    config.longValue(ConfigKeys.EXECUTION_PROTECTION_MIN_MOVE_MS));
        }
        RunRecorder recorder = new RunRecorder();
        execution.setFillSink((fill, closed) -> {
            recorder.onFill(fill, closed, portfolio);
            if (onFill != null) {
                onFill.accept(fill, closed);
            }
        });
        RuleEngine rules = new RuleEngine(ruleSet, StrategyParams.from(config), RiskLimits.from(config),
                config.integer(ConfigKeys.RULES_FIRING_LIMIT));
        TradingSession session = new TradingSession(rules, execution, exchange, portfolio, recorder, stats);
        session.throttle = throttle;
        session.symbolRules = symbolRules;
        return session;
    }

    private OrderThrottle throttle;
    private ExchangeSymbolRules symbolRules;

    /**
     * The exchange's symbol filters as execution and the portfolio read them, for a session built by {@link #on}
     * (else null): a live run updates them from exchangeInfo's hourly refresh, on the pipeline's thread.
     */
    public ExchangeSymbolRules symbolRules() {
        return symbolRules;
    }

    /** Client order ids: "aq" + the trading start in base 36 + "-" + sequence: unique per run, deterministic. */
    public static String clientIdPrefix(long tradeFromMs) {
        return "aq" + Long.toString(Math.floorDiv(tradeFromMs, 60_000L), 36) + "-";
    }

    /** The order throttle of a session built by {@link #on} (its metrics), else null. */
    public OrderThrottle throttle() {
        return throttle;
    }

    /**
     * Tells execution and the portfolio where current prices come from: the market part's rolling state, or for
     * a session trailing it on another thread, the prices as they stood at the step it is at (null: no price yet).
     */
    void attach(Function<String, BigDecimal> lastPrice) {
        execution.setPriceLookup(lastPrice);
        // a fee paid in a third asset (BNB) is valued at that asset's pair with the quote asset, when watched
        portfolio.setAssetPrices(asset -> lastPrice.apply(asset + portfolio.quoteAsset()));
    }

    /** Before the rolling state sees {@code e}: the clock advances; a local venue fills orders waiting for it. */
    void beforeState(MarketEvent e, long clockMs) {
        execution.advanceClock(clockMs);
        exchange.onMarketEvent(e);
    }

    /** The wall clock of a live run moved on while no event arrived (see {@link TradingPipeline#onWallClock}). */
    void advanceClock(long clockMs) {
        execution.advanceClock(clockMs);
    }

    /** After the rolling state saw {@code e}, its symbol's last price now {@code lastPrice}: marks and protective levels. */
    void afterState(MarketEvent e, BigDecimal lastPrice) {
        portfolio.mark(e.symbol(), lastPrice);
        execution.onMarketEvent(e);
    }

    /**
     * One symbol's market facts of a decision round, computed once and shared by every session (immutable, so a
     * session trailing the market on another thread reads them as they were).
     *
     * @param echoLatestMinuteMs the echo's latest minute of the symbol then ({@link EchoEngine#lastMinuteOpenMs}):
     *                           open positions are tracked as of it
     */
    public record SymbolInput(String symbol, MarketSnapshot snapshot, List<EchoMatch> matches, long echoLatestMinuteMs) {
    }

    /** One decision round at {@code now} over the symbols whose bar closed then. */
    void decide(long now, List<SymbolInput> all, EchoEngine echo) {
        long startNanos = System.nanoTime();
        List<SymbolInput> inputs = decisionHook == null ? all : decisionHook.select(now, all);
        execution.onClock(now);
        Decisions d;
        if (decisionHook != null && inputs.isEmpty()) {
            // nothing this session decides on this round (a random-entry session without positions): no rule evaluation
            d = new Decisions(rules.version(), -1, now, List.of(), List.of(), List.of(), List.of(), java.util.Map.of(), 0,
                    false, List.of());
        } else {
            d = evaluate(now, inputs, echo);
        }
        if (decisionHook != null) {
            d = decisionHook.onDecisions(now, inputs, d);
        }
        execution.handle(d.riskEvents(), d.stopUpdates(), d.orders());
        recorder.sample(now, portfolio);
        decisionObserver.onDecision(d, System.nanoTime() - startNanos);
    }

    private Decisions evaluate(long now, List<SymbolInput> inputs, EchoEngine echo) {
        rules.setClock(Clock.at(now));
        rules.setRiskState(execution.riskState());
        rules.setAccount(portfolio.accountFact(execution.tradesToday(), execution.tradesLastMinute()));
        for (int i = 0, n = inputs.size(); i < n; i++) {
            SymbolInput in = inputs.get(i);
            String symbol = in.symbol();
            Position position = portfolio.positionFact(symbol, now, execution.exitInFlight(symbol));
            EchoTrack track = position == null || position.entryTemplateDay() == null ? null
                    : echo.track(symbol, position.entryTemplateDay(), position.entryTimeMs(), now, in.echoLatestMinuteMs());
            rules.updateSymbol(in.snapshot(), in.matches(), position, track, execution.symbolRisk(symbol),
                    activity(symbol));
        }
        // symbols without a bar this round (on ticks, those whose second did not close; in a random-entry session,
        // those it neither holds nor enters) keep their market facts, but a pause, a fill or an exit since must reach
        // the rules: else a rule joining the Clock with the stale facts decides on them again every round (a second
        // entry on a position that filled, an exit of one already sold)
        if (rules.symbols().size() > inputs.size()) {
            Set<String> decided = new HashSet<>();
            for (int i = 0, n = inputs.size(); i < n; i++) {
                decided.add(inputs.get(i).symbol());
            }
            for (String symbol : rules.symbols()) {
                if (!decided.contains(symbol)) {
                    rules.updateBook(symbol, portfolio.positionFact(symbol, now, execution.exitInFlight(symbol)),
                            execution.symbolRisk(symbol), activity(symbol));
                }
            }
        }
        Decisions fired = rules.fire();
        stats.decisionRounds++;
        stats.intents += fired.orders().size();
        fired.firings().forEach((rule, n) -> stats.ruleFirings.merge(rule, (long) n, Long::sum));
        if (fired.hasErrors()) {
            stats.ruleErrors += fired.errors().size();
            fired.errors().forEach(err -> log.error("rules {}: {}", fired.ruleSetVersion(), err));
        }
        return fired;
    }

    private SymbolActivity activity(String symbol) {
        return new SymbolActivity(symbol, portfolio.lastEntryTimeMs(symbol), portfolio.lastExitTimeMs(symbol),
                execution.hasOrderInFlight(symbol));
    }

    /**
     * Chooses which symbols a session decides on and may change what the rules decided before execution
     * acts on it: the edge report's observers and random-entry baselines.
     */
    public interface DecisionHook {
        /** The inputs this session's rules see this round (all of them by default). */
        default List<SymbolInput> select(long nowMs, List<SymbolInput> inputs) {
            return inputs;
        }

        Decisions onDecisions(long nowMs, List<SymbolInput> inputs, Decisions decisions);
    }

    public void setDecisionHook(DecisionHook hook) {
        this.decisionHook = hook;
    }

    /** Adds a decision observer (metrics; the rules service's firing counts and runaway reports). */
    public void addDecisionObserver(TradingPipeline.DecisionObserver added) {
        Objects.requireNonNull(added, "observer");
        TradingPipeline.DecisionObserver before = decisionObserver;
        decisionObserver = (d, nanos) -> {
            before.onDecision(d, nanos);
            added.onDecision(d, nanos);
        };
    }

    public RuleEngine rules() {
        return rules;
    }

    public ExecutionService execution() {
        return execution;
    }

    public ExchangeAdapter exchange() {
        return exchange;
    }

    public Portfolio portfolio() {
        return portfolio;
    }

    public RunRecorder recorder() {
        return recorder;
    }

    public TradingPipeline.PipelineStats stats() {
        return stats;
    }

    /** Closes the rules session. */
    public void close() {
        rules.close();
    }
}
