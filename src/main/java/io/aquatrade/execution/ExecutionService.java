package io.aquatrade.execution;

import io.aquatrade.exchange.ExchangeAdapter;
import io.aquatrade.exchange.ExecutionListener;
import io.aquatrade.exchange.OrderRequest;
import io.aquatrade.model.Candle;
import io.aquatrade.model.Fill;
import io.aquatrade.model.KillSwitchLevel;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.model.OrderIntent;
import io.aquatrade.model.QuoteTick;
import io.aquatrade.model.RiskEvent;
import io.aquatrade.model.RiskState;
import io.aquatrade.model.Side;
import io.aquatrade.model.StopUpdate;
import io.aquatrade.model.SymbolRisk;
import io.aquatrade.model.TradeTick;
import io.aquatrade.model.Decimals;
import io.aquatrade.portfolio.Holding;
import io.aquatrade.portfolio.Portfolio;
import io.aquatrade.portfolio.RoundTrip;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Single-threaded (the pipeline's context). Intents pass, in order: kill switch, halts and pauses,
 * hard caps and the capital rule (an entry is shrunk to fit, or refused), the exchange filters,
 * the throttle; then get a unique client order id and go to the adapter. At most one order per
 * symbol is in flight, so an intent repeated before its order completes is never sent twice.
 */
public final class ExecutionService implements ExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(ExecutionService.class);
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /** Receives every fill after the portfolio has applied it (journal, trades.csv, metrics). */
    public interface FillSink {
        void onFill(Fill fill, RoundTrip closed);
    }

    // ---- observers (metrics, notifications, order logs, kill-switch persistence): pipeline thread, must be cheap
    /**
     * What happens to orders and guardrails, for metrics, notifications and order logs. Owned here so
     * that execution depends on no metrics library; the app wires an implementation. Called on the
     * pipeline's thread; implementations must not block.
     */
    public interface Observer {
        /** An order passed every check and went to the adapter. */
        default void onOrderSent(OrderRequest order) { }

        /** A fill was applied to the portfolio. */
        default void onFill(Fill fill) { }

        /** The order is complete (FILLED, EXPIRED, CANCELED, REJECTED): nothing more will fill. */
        default void onOrderDone(OrderRequest order, String status) { }

        /** The exchange rejected an order with Binance's code. */
        default void onRejected(OrderRequest order, int code, String message) { }

        /** An intent was refused by a guardrail before reaching the exchange. */
        default void onRefused(String reason, OrderIntent intent) { }

        /** The kill switch changed level. */
        default void onKillSwitch(KillSwitchLevel from, KillSwitchLevel to, String cause, String source) { }

        /** New entries were halted for the rest of the UTC day (daily loss). */
        default void onEntriesHalted(String cause, String source) { }
    }

    private Observer observer = new Observer() { };

    /** Adds an observer (metrics and notifications, kill-switch persistence, ...); call before trading starts. */
    public void addObserver(Observer added) {
        java.util.Objects.requireNonNull(added, "observer");
        Observer before = this.observer;
        this.observer = new Observer() {
            @Override public void onOrderSent(OrderRequest o) { before.onOrderSent(o); added.onOrderSent(o); }
            @Override public void onFill(Fill f) { before.onFill(f); added.onFill(f); }
            @Override public void onOrderDone(OrderRequest o, String st) { before.onOrderDone(o, st); added.onOrderDone(o, st); }
            @Override public void onRejected(OrderRequest o, int c, String m) { before.onRejected(o, c, m); added.onRejected(o, c, m); }
            @Override public void onRefused(String r, OrderIntent i) { before.onRefused(r, i); added.onRefused(r, i); }
            @Override public void onKillSwitch(KillSwitchLevel f, KillSwitchLevel t, String c, String src) {
                before.onKillSwitch(f, t, c, src);
                added.onKillSwitch(f, t, c, src);
            }
            @Override public void onEntriesHalted(String c, String src) { before.onEntriesHalted(c, src); added.onEntriesHalted(c, src); }
        };
    }
    // ---- end observers

    private final Portfolio portfolio;
    private final SymbolRules symbolRules;
    private HardLimits limits; // replaced only on the pipeline thread, by a config reload (setLimits)
    private final OrderRateLimiter rateLimiter;
    private final String idPrefix;
    private ExchangeAdapter exchange;
    private FillSink fillSink = (f, rt) -> { };

    private final TradeCounter trades = new TradeCounter();
    private final Map<String, OrderRequest> inFlightBySymbol = new HashMap<>();
    private final Map<String, OrderIntent> intentByOrderId = new HashMap<>();
    private final Map<String, Long> pausedUntil = new TreeMap<>();
    private final Map<String, String> pauseReason = new TreeMap<>();
    private final List<Halt> halts = new ArrayList<>();
    private final Map<String, Long> refusals = new TreeMap<>();
    private final Map<Integer, Long> exchangeRejections = new TreeMap<>();
    private KillSwitchLevel killSwitch = KillSwitchLevel.ACTIVE;
    private long entriesHaltedDay = Long.MIN_VALUE;
    private String haltReason;
    private long seq;
    private long nowMs;
    private long unknownOutcomes;

    public ExecutionService(Portfolio portfolio, SymbolRules symbolRules, HardLimits limits,
                            OrderRateLimiter rateLimiter, String idPrefix) {
        this.portfolio = portfolio;
        this.symbolRules = symbolRules;
        this.limits = limits;
        this.rateLimiter = rateLimiter;
        this.idPrefix = idPrefix;
    }

    public void connect(ExchangeAdapter adapter) {
        this.exchange = adapter;
        adapter.setListener(this);
    }

    public void setFillSink(FillSink sink) {
        this.fillSink = sink;
    }

    // live hard caps (a config reload)
    /** Replaces the hard caps (a config reload changed risk.*); on the pipeline thread, between two events. */
    public void setLimits(HardLimits limits) {
        java.util.Objects.requireNonNull(limits, "limits");
        if (!limits.equals(this.limits)) {
            log.info("hard caps changed: {} -> {}", this.limits, limits);
            this.limits = limits;
        }
    }


    /**
     * Advances the clock and starts a new UTC day's PnL when one begins; cheap, for every market event.
     * The daily-loss cap, which revalues the portfolio, is checked by {@link #onClock} at decision
     * rounds and after every fill.
     */
    public void advanceClock(long clockMs) {
        this.nowMs = Math.max(this.nowMs, clockMs);
        portfolio.onClock(this.nowMs);
    }

    /** Advances the clock and applies the hard daily-loss cap. */
    public void onClock(long clockMs) {
        advanceClock(clockMs);
        if (!entriesHaltedToday() && portfolio.todayPnl().compareTo(limits.maxDailyLossQuote().negate()) <= 0) {
            haltEntriesToday("daily loss " + portfolio.todayPnl().setScale(2, java.math.RoundingMode.HALF_EVEN)
                    .toPlainString() + " reached the hard cap -" + limits.maxDailyLossQuote().toPlainString(), "hard_cap");
        }
    }

    public long now() {
        return nowMs;
    }

    // ------------------------------------------------------------------ decisions from the rules

    /** Applies one evaluation's output, in order: guardrail events, stop updates, exits, entries. */
    public void handle(List<RiskEvent> riskEvents, List<StopUpdate> stopUpdates, List<OrderIntent> intents) {
        for (RiskEvent e : riskEvents) {
            apply(e, "rule");
        }
        for (StopUpdate u : stopUpdates) {
            String problem = stopProblem(u);
            if (problem != null) {
                refuseInvalid(problem, null);
                continue;
            }
            BigDecimal rounded = symbolRules.roundPrice(u.symbol(), u.stopPrice(), false);
            portfolio.raiseStop(u.symbol(), rounded, u.reason());
        }
        for (OrderIntent i : intents) {
            if (i.side() == Side.SELL && valid(i)) {
                exit(i);
            }
        }
        for (OrderIntent i : intents) {
            if (i.side() == Side.BUY && valid(i)) {
                enter(i);
            }
        }
    }

    // The intent's own fields were checked where it was built; here they are checked again, and against
    // the exchange's rules for the symbol, because no cap below may rely on a rule's arithmetic.
    private boolean valid(OrderIntent i) {
        String problem = i.problem();
        if (problem == null && i.side() == Side.BUY && i.stopLossPct() != null && symbolRules.knows(i.symbol())) {
            BigDecimal ref = lastPrice(i.symbol());
            if (ref != null && ref.signum() > 0 && symbolRules.roundPrice(i.symbol(),
                    ref.multiply(BigDecimal.ONE.subtract(BigDecimal.valueOf(i.stopLossPct()).divide(HUNDRED))), false)
                    .signum() <= 0) {
                problem = "stopLossPct " + i.stopLossPct() + " puts the stop at or below zero at the price "
                        + ref.toPlainString();
            }
        }
        if (problem != null) {
            refuseInvalid(i.symbol() + ": " + problem, i);
            return false;
        }
        return true;
    }

    private String stopProblem(StopUpdate u) {
        String problem = u.problem();
        if (problem == null && !symbolRules.knows(u.symbol())) {
            problem = "unknown symbol";
        }
        if (problem == null && symbolRules.roundPrice(u.symbol(), u.stopPrice(), false).signum() <= 0) {
            problem = "stopPrice " + u.stopPrice().toPlainString() + " rounds to zero at the symbol's tick size";
        }
        return problem == null ? null : "stop update for " + u.symbol() + " (" + u.reason() + "): " + problem;
    }

    private void refuseInvalid(String problem, OrderIntent i) {
        log.warn("intent refused as invalid: {}", problem);
        refuse("invalid_intent", i);
    }

    public void apply(RiskEvent e, String source) {
        switch (e.kind()) {
            case HALT_ENTRIES_TODAY:
                if (!entriesHaltedToday()) {
                    haltEntriesToday(e.reason(), source);
                }
                break;
            case PAUSE_SYMBOL:
                if (e.symbol() != null && e.untilMs() > pausedUntil.getOrDefault(e.symbol(), 0L)) {
                    pausedUntil.put(e.symbol(), e.untilMs());
                    pauseReason.put(e.symbol(), e.reason());
                    halts.add(new Halt(nowMs, "PAUSE_SYMBOL", e.symbol(), e.reason(), source, e.untilMs()));
                }
                break;
            case KILL_REDUCING:
                // Rules only tighten: REDUCING never relaxes an operator's HALTED.
                if (killSwitch == KillSwitchLevel.ACTIVE) {
                    setKillSwitch(KillSwitchLevel.REDUCING, e.reason(), source);
                }
                break;
            case KILL_HALTED:
                setKillSwitch(KillSwitchLevel.HALTED, e.reason(), source);
                break;
            default:
                throw new IllegalArgumentException("unknown risk event " + e.kind());
        }
    }

    /** Sets the graded kill switch (rules, operator API or the kill file). */
    public void setKillSwitch(KillSwitchLevel level, String cause, String source) {
        if (level != killSwitch) {
            KillSwitchLevel from = killSwitch;
            killSwitch = level;
            halts.add(new Halt(nowMs, level == KillSwitchLevel.ACTIVE ? "RESUME" : "KILL_" + level, null, cause,
                    source, 0));
            log.warn("kill switch -> {} ({}: {})", level, source, cause);
            observer.onKillSwitch(from, level, cause, source);
        }
    }

    private void haltEntriesToday(String cause, String source) {
        entriesHaltedDay = Math.floorDiv(nowMs, 86_400_000L);
        haltReason = cause;
        halts.add(new Halt(nowMs, "HALT_ENTRIES_TODAY", null, cause, source,
                (entriesHaltedDay + 1) * 86_400_000L));
        log.warn("entries halted until the next UTC day: {}", cause);
        observer.onEntriesHalted(cause, source);
    }

    public boolean entriesHaltedToday() {
        return entriesHaltedDay == Math.floorDiv(nowMs, 86_400_000L);
    }

    private void enter(OrderIntent i) {
        String s = i.symbol();
        if (!killSwitch.allowsEntries()) {
            refuse("kill_switch_" + killSwitch.name().toLowerCase(), i);
            return;
        }
        if (entriesHaltedToday()) {
            refuse("entries_halted_today", i);
            return;
        }
        if (pausedUntil.getOrDefault(s, 0L) > nowMs) {
            refuse("symbol_paused", i);
            return;
        }
        if (!symbolRules.knows(s)) {
            refuse("unknown_symbol", i);
            return;
        }
        // Every money cap is in the capital's quote asset: 0.5 of an ETHBTC entry is BTC, not USDT.
        if (!portfolio.quoteAsset().equals(symbolRules.quoteAsset(s))) {
            refuse("not_quote_asset", i);
            return;
        }
        if (inFlightBySymbol.containsKey(s)) {
            refuse("order_in_flight", i);
            return;
        }
        Holding h = portfolio.holding(s);
        boolean newPosition = h == null || !h.isOpen();
        // Entries still in flight count as if filled, in every cap: a decision round that enters
        // many symbols at once must not open more positions or spend more than the caps allow.
        int pendingEntries = entriesInFlight();
        int open = portfolio.openPositions();
        if (newPosition && open + pendingEntries >= limits.maxOpenPositions()) {
            refuse("max_open_positions", i);
            return;
        }
        // Each open position, and each entry still in flight, may need one exit; entries leave room
        // for those so that exits are never blocked by the trade-count caps and the caps are never exceeded.
        int reserve = open + pendingEntries + (newPosition ? 1 : 0);
        if (trades.lastMinute(nowMs) + 1 + reserve > limits.maxTradesPerMinute()) {
            refuse("max_trades_per_minute", i);
            return;
        }
        if (trades.today(nowMs) + 1 + reserve > limits.maxTradesPerDay()) {
            refuse("max_trades_per_day", i);
            return;
        }
        BigDecimal pendingQuote = pendingBuyQuote();
        BigDecimal symbolExposure = portfolio.exposure(s); // one order per symbol in flight: none pending here
        BigDecimal totalExposure = portfolio.exposure().add(pendingQuote);
        BigDecimal quote = i.quoteQty()
                .min(limits.maxPositionQuote().subtract(symbolExposure))
                .min(limits.maxSymbolExposureQuote().subtract(symbolExposure))
                .min(limits.maxTotalExposureQuote().subtract(totalExposure))
                .min(portfolio.deployable().subtract(totalExposure))
                .min(portfolio.cash().subtract(pendingQuote));
        quote = symbolRules.roundQuoteDown(s, quote.max(BigDecimal.ZERO));
        BigDecimal ref = lastPrice(s);
        if (quote.signum() <= 0 || ref == null || ref.signum() <= 0) {
            refuse(quote.signum() <= 0 ? "caps_exhausted" : "no_price", i);
            return;
        }
        SymbolRules.Rejection r = symbolRules.checkMarketOrder(s, Side.BUY, null, quote, ref);
        if (r != null) {
            refuse(quote.compareTo(i.quoteQty()) < 0 ? "caps_leave_less_than_filters_allow" : "filters", i);
            return;
        }
        if (!rateLimiter.tryAcquireOrder(nowMs, false)) {
            refuse("exchange_rate_limit", i);
            return;
        }
        send(new OrderRequest(nextId(), s, Side.BUY, null, quote, ref, null, false, i.reason(), nowMs), i);
    }

    private void exit(OrderIntent i) {
        String s = i.symbol();
        Holding h = portfolio.holding(s);
        if (h == null || !h.isOpen()) {
            refuse("no_position", i);
            return;
        }
        submitExit(h, i.sellFraction(), i.reason(), null, false, i);
    }

    private void submitExit(Holding h, BigDecimal fraction, String reason, BigDecimal trigger, boolean triggerIsStop,
                            OrderIntent intent) {
        String s = h.symbol();
        if (!killSwitch.allowsExits()) {
            refuse("kill_switch_halted", intent);
            return;
        }
        if (inFlightBySymbol.containsKey(s)) {
            refuse("order_in_flight", intent);
            return;
        }
        boolean partial = fraction.compareTo(BigDecimal.ONE) < 0;
        if (partial && trades.lastMinute(nowMs) + 1 + portfolio.openPositions() > limits.maxTradesPerMinute()) {
            refuse("max_trades_per_minute", intent);
            return;
        }
        BigDecimal qty = symbolRules.roundQuantityDown(s, h.qty().multiply(fraction, MathContext.DECIMAL64));
        BigDecimal ref = trigger != null ? trigger : h.markPrice();
        if (qty.signum() <= 0 || symbolRules.checkMarketOrder(s, Side.SELL, qty, null, ref) != null) {
            refuse("exit_below_filters", intent);
            return;
        }
        if (!rateLimiter.tryAcquireOrder(nowMs, true)) {
            refuse("exchange_rate_limit", intent);
            return;
        }
        portfolio.setExitPending(s, true);
        send(new OrderRequest(nextId(), s, Side.SELL, qty, null, ref, trigger, triggerIsStop, reason, nowMs), intent);
    }

    private void send(OrderRequest order, OrderIntent intent) {
        inFlightBySymbol.put(order.symbol(), order);
        if (intent != null) {
            intentByOrderId.put(order.clientOrderId(), intent);
        }
        trades.record(nowMs);
        observer.onOrderSent(order);
        exchange.submit(order);
    }

    /** Quote amount that BUY orders in flight may still spend (they count against every money cap). */
    private BigDecimal pendingBuyQuote() {
        BigDecimal sum = BigDecimal.ZERO;
        for (OrderRequest o : inFlightBySymbol.values()) {
            if (o.side() == Side.BUY && o.quoteOrderQty() != null) {
                sum = sum.add(o.quoteOrderQty());
            }
        }
        return sum;
    }

    private int entriesInFlight() {
        int n = 0;
        for (OrderRequest o : inFlightBySymbol.values()) {
            if (o.side() == Side.BUY) {
                Holding h = portfolio.holding(o.symbol());
                if (h == null || !h.isOpen()) {
                    n++;
                }
            }
        }
        return n;
    }

    private String nextId() {
        return idPrefix + Long.toString(++seq, 36);
    }

    private void refuse(String why, OrderIntent i) {
        refusals.merge(why, 1L, Long::sum);
        observer.onRefused(why, i);
        if (log.isDebugEnabled()) {
            log.debug("intent refused ({}): {}", why, i);
        }
    }

    // ------------------------------------------------------------------ protective levels

    /** Checks the stop and take-profit levels of the event's symbol; triggers an exit when crossed. */
    public void onMarketEvent(MarketEvent e) {
        Holding h = portfolio.holding(e.symbol());
        if (h == null || !h.isOpen() || h.exitPending() || inFlightBySymbol.containsKey(e.symbol())) {
            return;
        }
        BigDecimal stop = h.stopPrice();
        BigDecimal target = h.takeProfitPrice();
        if (stop == null && target == null) {
            return;
        }
        long lowE8;
        long highE8;
        if (e instanceof Candle) {
            Candle c = (Candle) e;
            if (!c.closed()) {
                return;
            }
            lowE8 = c.lowE8();
            highE8 = c.highE8();
        } else if (e instanceof TradeTick) {
            lowE8 = highE8 = ((TradeTick) e).priceE8();
        } else {
            lowE8 = highE8 = ((QuoteTick) e).bidE8(); // a long exits at the bid
        }
        // Conservative: when one bar crosses both levels, the stop is taken to have come first.
        if (stop != null && lowE8 <= Decimals.fromBigDecimal(stop)) {
            submitExit(h, BigDecimal.ONE, h.stopReason() == null ? "stop_loss" : h.stopReason(), stop, true, null);
        } else if (target != null && highE8 >= Decimals.fromBigDecimal(target)) {
            submitExit(h, BigDecimal.ONE, "take_profit", target, false, null);
        }
    }

    // ------------------------------------------------------------------ exchange callbacks

    @Override
    public void onFill(Fill fill) {
        RoundTrip closed = portfolio.apply(fill);
        if (fill.side() == Side.BUY) {
            OrderIntent intent = intentByOrderId.get(fill.clientOrderId());
            if (intent != null) {
                Holding h = portfolio.holding(fill.symbol());
                BigDecimal entry = h.avgEntryPrice();
                BigDecimal stop = intent.stopLossPct() == null ? null : symbolRules.roundPrice(fill.symbol(),
                        entry.multiply(BigDecimal.ONE.subtract(BigDecimal.valueOf(intent.stopLossPct()).divide(HUNDRED))),
                        false);
                BigDecimal target = intent.takeProfitPct() == null ? null : symbolRules.roundPrice(fill.symbol(),
                        entry.multiply(BigDecimal.ONE.add(BigDecimal.valueOf(intent.takeProfitPct()).divide(HUNDRED))),
                        true);
                portfolio.setProtectiveLevels(fill.symbol(), stop, target, intent.templateDay());
            }
        }
        fillSink.onFill(fill, closed);
        observer.onFill(fill);
        onClock(nowMs);
    }

    @Override
    public void onOrderDone(OrderRequest order, String status) {
        inFlightBySymbol.remove(order.symbol(), order);
        intentByOrderId.remove(order.clientOrderId());
        observer.onOrderDone(order, status);
        if (order.side() == Side.SELL) {
            portfolio.setExitPending(order.symbol(), false);
        }
    }

    @Override
    public void onAcknowledged(OrderRequest order, long exchangeOrderId) {
        if (log.isDebugEnabled()) {
            log.debug("order {} acknowledged by {} as {}", order.clientOrderId(), exchange.name(), exchangeOrderId);
        }
    }

    /**
     * The order stays in flight, so every cap keeps counting it and nothing is sent for its symbol,
     * until its outcome is known: never assumed failed, never resent blindly.
     */
    @Override
    public void onUnknownOutcome(OrderRequest order, String cause) {
        unknownOutcomes++;
        org.slf4j.MDC.put("clientOrderId", order.clientOrderId());
        try {
            log.error("order {} {} {}: outcome unknown ({}); it stays in flight until the exchange says what became of it",
                    order.clientOrderId(), order.side(), order.symbol(), cause);
        } finally {
            org.slf4j.MDC.remove("clientOrderId");
        }
    }

    @Override
    public void onRejected(OrderRequest order, int code, String message) {
        exchangeRejections.merge(code, 1L, Long::sum);
        // the client order id in the MDC is the per-order correlation id of the structured logs
        org.slf4j.MDC.put("clientOrderId", order.clientOrderId());
        try {
            log.warn("order {} {} {} rejected by {}: {} {}", order.clientOrderId(), order.side(), order.symbol(),
                    exchange.name(), code, message);
        } finally {
            org.slf4j.MDC.remove("clientOrderId");
        }
        observer.onRejected(order, code, message);
        onOrderDone(order, "REJECTED");
    }

    // ------------------------------------------------------------------ facts and figures

    private BigDecimal lastPrice(String symbol) {
        Holding h = portfolio.holding(symbol);
        BigDecimal p = h == null ? null : h.markPrice();
        return p != null && p.signum() > 0 ? p : priceLookup.apply(symbol);
    }

    private java.util.function.Function<String, BigDecimal> priceLookup = s -> null;

    /** Where the last market price of a symbol comes from (the rolling state). */
    public void setPriceLookup(java.util.function.Function<String, BigDecimal> lookup) {
        this.priceLookup = lookup;
    }

    public RiskState riskState() {
        return new io.aquatrade.model.RiskState(killSwitch, entriesHaltedToday(), entriesHaltedToday() ? haltReason : null,
                io.aquatrade.model.Clock.at(nowMs).utcDay());
    }

    public SymbolRisk symbolRisk(String symbol) {
        // The end of the latest pause is kept after it passes: the rules compare it with the clock,
        // and the circuit breaker uses it to trip once per losing streak, not again after each cooldown.
        long until = pausedUntil.getOrDefault(symbol, 0L);
        return new SymbolRisk(symbol, portfolio.consecutiveLosses(symbol), until, pauseReason.get(symbol));
    }

    public KillSwitchLevel killSwitch() { return killSwitch; }
    public int tradesToday() { return trades.today(nowMs); }
    public int tradesLastMinute() { return trades.lastMinute(nowMs); }
    public long ordersSent() { return trades.total(); }
    public List<Halt> halts() { return Collections.unmodifiableList(halts); }
    public Map<String, Long> refusals() { return Collections.unmodifiableMap(refusals); }
    public Map<Integer, Long> exchangeRejections() { return Collections.unmodifiableMap(exchangeRejections); }
    public boolean hasOrderInFlight(String symbol) { return inFlightBySymbol.containsKey(symbol); }
    public HardLimits limits() { return limits; }
    public long unknownOutcomes() { return unknownOutcomes; }
}
