package io.aquatrade.execution;

import io.aquatrade.exchange.ExchangeAdapter;
import io.aquatrade.exchange.OrderRequest;
import io.aquatrade.model.Fill;
import io.aquatrade.model.KillSwitchLevel;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.model.OrderIntent;
import io.aquatrade.model.RiskEvent;
import io.aquatrade.model.RiskState;
import io.aquatrade.model.Side;
import io.aquatrade.model.StopUpdate;
import io.aquatrade.model.SymbolRisk;
import io.aquatrade.portfolio.Holding;
import io.aquatrade.portfolio.Portfolio;
import io.aquatrade.portfolio.RoundTrip;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Single-threaded (the pipeline's context). Intents pass, in order: reconciliation, kill switch, halts and
 * pauses (this service's state), then the {@link RiskGate}: hard caps and the capital rule (an entry is shrunk
 * to fit, or refused), the exchange filters, the throttle; then get a unique client order id and go to the
 * {@link OrderManager}, which owns every order from then on (its state, its journal rows, its sending).
 * Protective levels are {@link ProtectiveLevels}, sizing {@link EntrySizing}. At most one order per
 * symbol is in flight, so an intent repeated before its order completes is never sent twice.
 */
public final class ExecutionService {

    private static final Logger log = LoggerFactory.getLogger(ExecutionService.class);

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

        /**
         * The journal could not write a fill (new entries pause until it has; {@code cause} says which and why), or,
         * with {@code cause} null, every such fill is written now and entries resume.
         */
        default void onJournalFailing(String cause) { }
    }

    private Observer observer = new Observer() { };

    /** Adds an observer (metrics and notifications, kill-switch persistence, ...); call before trading starts. */
    public void addObserver(Observer added) {
        Objects.requireNonNull(added, "observer");
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
            @Override public void onJournalFailing(String c) { before.onJournalFailing(c); added.onJournalFailing(c); }
        };
    }
    // ---- end observers

    private final Portfolio portfolio;
    private final SymbolRules symbolRules;
    private final OrderManager orders;
    private final RiskGate gate;
    /** The order budget, shared by the gate and the exchange-side protection. */
    private final OrderRateLimiter rateLimiter;
    private final ProtectiveLevels levels;
    private ExchangeAdapter exchange;
    private FillSink fillSink = (f, rt) -> { };
    // execution.protective_orders=exchange: the stop-loss and take-profit rest on the exchange; null = local
    private ExchangeProtection protection;

    private final TradeCounter trades = new TradeCounter();
    private final Map<String, Long> pausedUntil = new TreeMap<>();
    private final Map<String, String> pauseReason = new TreeMap<>();
    /** Index in {@link #halts} of each symbol's latest PAUSE_SYMBOL record. */
    private final Map<String, Integer> pauseRecord = new HashMap<>();
    /** Symbols whose feed keeps failing the sanity band: paused for entries until the feed is good again. */
    private final Map<String, String> feedPaused = new TreeMap<>();
    private final List<Halt> halts = new ArrayList<>();
    private final Map<String, Long> refusals = new TreeMap<>();
    private final Map<Integer, Long> exchangeRejections = new TreeMap<>();
    // read at the order gate on every order; set from any thread (see KillSwitchGate)
    private final KillSwitchGate killSwitchGate = new KillSwitchGate();
    private static final long DAY_MS = 86_400_000L;
    private long entriesHaltedDay = Long.MIN_VALUE;
    private String haltReason;
    /** Why new entries pause: a fill the journal has not written yet (it is retried), else null. */
    private String journalFailing;
    private long nowMs;
    private long unknownOutcomes;

    public ExecutionService(Portfolio portfolio, SymbolRules symbolRules, HardLimits limits,
                            OrderRateLimiter rateLimiter, String idPrefix) {
        this.portfolio = portfolio;
        this.symbolRules = symbolRules;
        this.orders = new OrderManager(idPrefix);
        this.rateLimiter = rateLimiter;
        this.gate = new RiskGate(portfolio, symbolRules, orders, trades, rateLimiter, limits, this::lastPrice);
        this.levels = new ProtectiveLevels(symbolRules);
    }

    public void connect(ExchangeAdapter adapter) {
        this.exchange = adapter;
        orders.connect(adapter, new OrderManager.Events() {
            @Override public void onFill(ManagedOrder order, Fill fill) { filled(order, fill); }
            @Override public void onDone(ManagedOrder order, String status) { done(order, status); }
            @Override public void onRejected(ManagedOrder order, int code, String message) { rejected(order, code, message); }
            @Override public void onUnknown(ManagedOrder order, String cause) { unknown(order, cause); }
            @Override public void onFound(ManagedOrder order) { found(order); }
            @Override public void onJournalFailing(String cause) { journalFailing(cause); }
        });
    }

    /**
     * Journals every intent, order and fill from now on (see {@link OrderManager} for the send policy).
     * Call before trading starts, after {@link #connect}.
     */
    public void attachJournal(io.aquatrade.journal.Journal journal, OrderManager.SendPolicy policy,
                              java.util.concurrent.Executor pipeline, OrderManager.Scheduler scheduler,
                              java.util.function.LongSupplier wallClock, long recvWindowMs) {
        orders.attachJournal(journal, policy, pipeline, scheduler, wallClock, recvWindowMs, symbolRules::baseAsset);
        if (journal == null) {
            return; // timers and send policy only, nothing journaled (as OrderManager allows)
        }
        // each UTC day's start is journaled: a restart the same day continues it (see restoreDay). Day 0 is the clock
        // not yet started (recovery applying a missed fill before the first event), no day to continue.
        portfolio.setDayStartListener((dayStartMs, equity) -> {
            if (dayStartMs > 0) {
                orders.counted(journal.recordDayStart(Math.floorDiv(dayStartMs, DAY_MS), equity, nowMs));
            }
        });
    }

    /**
     * Recovery: continues the latest UTC day an earlier run journaled. Its PnL is measured from that day's start and
     * a halt of its entries holds again, so a restart the same day (a crash loop under a restart policy) gets no
     * fresh loss budget; a clock already in a later day starts that day afresh.
     */
    void restoreDay(io.aquatrade.journal.TradingDay day) {
        portfolio.continueDay(day.utcDay() * DAY_MS, day.startTradingEquity());
        if (day.halted() && entriesHaltedDay < day.utcDay()) {
            haltEntries(day.utcDay(), day.haltedMs(), day.haltCause(), day.haltSource());
            log.warn("entries halted for UTC day {} by an earlier run ({}: {}): the halt holds until the day ends",
                    io.aquatrade.model.Clock.at(day.utcDay() * DAY_MS).utcDay(), day.haltSource(), day.haltCause());
        }
    }

    /**
     * Recovery: a restart on a UTC day no earlier run began starts it at {@code startTradingEquity}, the books' equity at
     * that day's 00:00 (see {@link Recovery}), instead of the equity the first event after the restart finds; journaled,
     * so a crash loop later that day continues it.
     */
    void restoreDayStart(long utcDay, BigDecimal startTradingEquity, long timeMs) {
        portfolio.continueDay(utcDay * DAY_MS, startTradingEquity);
        if (orders.journal() != null) {
            orders.counted(orders.journal().recordDayStart(utcDay, startTradingEquity, timeMs));
        }
    }

    /** Recovery: the times of the orders earlier runs sent; the latest day's count against the order-rate caps. */
    void restoreOrdersSent(java.util.Collection<Long> sentMs) {
        trades.restore(sentMs);
    }

    /**
     * {@code execution.protective_orders=exchange}: from now on each position's protection rests on the exchange
     * (see {@link ExchangeProtection}); without it the levels are watched locally. Call before trading starts.
     */
    public void protectOnExchange() {
        protectOnExchange(ExchangeProtection.STOP_LIMIT_OFFSET_PCT, ExchangeProtection.MIN_MOVE_INTERVAL_MS);
    }

    /**
     * As {@link #protectOnExchange()}, with the stop leg's limit {@code stopLimitOffsetPct} % under its trigger and
     * trailing moves at least {@code minMoveIntervalMs} apart ({@code execution.stop_limit_offset_pct},
     * {@code execution.protection_min_move_ms}).
     */
    public void protectOnExchange(BigDecimal stopLimitOffsetPct, long minMoveIntervalMs) {
        if (protection == null) {
            // reconciliation blocks trading but not the protection of what is held (see protectHoldingsAtStart)
            protection = new ExchangeProtection(portfolio, orders, symbolRules, rateLimiter, () -> nowMs,
                    () -> (tradingBlocked == null || protectingAtStart) && killSwitchGate.level().allowsExits(),
                    stopLimitOffsetPct, minMoveIntervalMs);
        }
    }

    private boolean protectingAtStart;

    /**
     * Reconciliation at start, with the exchange's truth applied: the protective legs still resting become their
     * positions' protection again (adopted, not cancelled, not placed twice). Returns those adopted; none with local
     * protection.
     */
    List<Protection> adoptRestingProtection() {
        return protection == null ? List.of() : protection.adoptResting(nowMs);
    }

    /**
     * Reconciliation at start, last step before trading: every held position without resting protection gets it
     * (cancelled by hand while the bot was down, never placed), before any new signal is acted on. Completes with
     * the protections placed once the exchange answered each.
     */
    java.util.concurrent.CompletableFuture<List<Protection>> protectHoldingsAtStart() {
        if (protection == null) {
            return java.util.concurrent.CompletableFuture.completedFuture(List.of());
        }
        protectingAtStart = true;
        return protection.protectHoldings().whenComplete((placed, err) -> protectingAtStart = false);
    }

    /** True when protection rests on the exchange ({@code execution.protective_orders=exchange}). */
    public boolean protectsOnExchange() {
        return protection != null;
    }

    /** The protection resting on the exchange for a symbol's position, or null (none, or local protection). */
    public Protection protection(String symbol) {
        return protection == null ? null : protection.of(symbol);
    }

    /** Why the last placement of a symbol's protection was refused (while that holds), else null. */
    public String protectionRefusal(String symbol) {
        return protection == null ? null : protection.refusal(symbol);
    }

    /**
     * How a held position is protected, for the status page and {@code /api/status}: {@code local} (the bot watches
     * the levels), {@code exchange OCO stop X tp Y}, {@code exchange STOP_LOSS_LIMIT stop X, tp Y local}, or local
     * with the reason nothing rests on the exchange now (refused, halted, not yet placed).
     */
    public String protectionLine(String symbol) {
        if (protection == null) {
            return "local";
        }
        Protection p = protection.of(symbol);
        Holding h = portfolio.holding(symbol);
        if (p == null) {
            String refused = protection.refusal(symbol);
            return "local (" + (refused != null ? refused : "nothing rests on the exchange") + ")";
        }
        if (!p.isOco() && h != null && h.takeProfitPrice() != null) {
            return p.describe() + ", tp " + h.takeProfitPrice().toPlainString() + " local";
        }
        return p.describe();
    }

    /** What rests for the symbol's position: OCO, STOP_LOSS_LIMIT, or local (nothing on the exchange). */
    public String protectionKind(String symbol) {
        Protection p = protection == null ? null : protection.of(symbol);
        return p == null ? "local" : p.kind();
    }

    /** Resting protections moved by cancel-replace (a trailing stop's rise, a new held quantity) since the start. */
    public long protectionMoves() {
        return protection == null ? 0 : protection.moves();
    }

    ExchangeProtection exchangeProtection() {
        return protection;
    }

    /** The order manager: every order's state, what is in flight. */
    public OrderManager orders() {
        return orders;
    }

    public void setFillSink(FillSink sink) {
        this.fillSink = sink;
    }

    // live hard caps (a config reload)
    /** Replaces the hard caps (a config reload changed risk.*); on the pipeline thread, between two events. */
    public void setLimits(HardLimits limits) {
        Objects.requireNonNull(limits, "limits");
        if (!limits.equals(gate.limits())) {
            log.info("hard caps changed: {} -> {}", gate.limits(), limits);
            gate.setLimits(limits);
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
        BigDecimal maxDailyLoss = gate.limits().maxDailyLossQuote();
        if (!entriesHaltedToday() && portfolio.todayPnl().compareTo(maxDailyLoss.negate()) <= 0) {
            haltEntriesToday("daily loss " + portfolio.todayPnl().setScale(2, java.math.RoundingMode.HALF_EVEN)
                    .toPlainString() + " reached the hard cap -" + maxDailyLoss.toPlainString(), "hard_cap");
        }
        journalEquity();
    }

    private long equityJournaledMinute = Long.MIN_VALUE;

    /**
     * Once a minute, the day's latest equity into the journal: a restart on a later day that cannot price a position at
     * midnight starts that day no lower than the equity last valued before it (see {@link Recovery}).
     */
    private void journalEquity() {
        long minute = Math.floorDiv(nowMs, 60_000L);
        if (orders.journal() == null || nowMs <= 0 || minute <= equityJournaledMinute) {
            return; // no journal, the clock not started (recovery), or written this minute
        }
        equityJournaledMinute = minute;
        orders.counted(orders.journal().recordDayEquity(Math.floorDiv(nowMs, DAY_MS), portfolio.dayStartTradingEquity(),
                portfolio.tradingEquity(), nowMs));
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
            String problem = gate.invalid(u);
            if (problem != null) {
                refuseInvalid(problem, null);
                continue;
            }
            BigDecimal rounded = symbolRules.roundPrice(u.symbol(), u.stopPrice(), false);
            portfolio.raiseStop(u.symbol(), rounded, u.reason());
            if (protection != null) {
                protection.ensure(u.symbol()); // a trailing stop moves the resting one (cancel-replace) when worth it
            }
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

    /** The intent's fields checked again at the hard caps (see {@link RiskGate#invalid(OrderIntent)}). */
    private boolean valid(OrderIntent i) {
        String problem = gate.invalid(i);
        if (problem != null) {
            refuseInvalid(problem, i);
            return false;
        }
        return true;
    }

    private void refuseInvalid(String problem, OrderIntent i) {
        log.warn("intent refused as invalid: {}", problem);
        refuse("invalid_intent", i);
    }

    /**
     * Pauses entries of a symbol whose feed keeps failing the sanity band, until {@link #resumeFeed}: the
     * market there cannot be believed, so nothing new is bought on it. Exits and protective levels still act.
     */
    public void pauseFeed(String symbol, String cause) {
        if (feedPaused.putIfAbsent(symbol, cause) == null) {
            halts.add(new Halt(nowMs, "PAUSE_FEED", symbol, cause, "sanity band", 0));
        }
    }

    /** Ends a {@link #pauseFeed} pause: the feed has agreed with the band for a run of events again. */
    public void resumeFeed(String symbol, String cause) {
        if (feedPaused.remove(symbol) != null) {
            halts.add(new Halt(nowMs, "RESUME_FEED", symbol, cause, "sanity band", 0));
        }
    }

    /** Symbols paused by {@link #pauseFeed} now, with the cause. */
    public Map<String, String> feedPauses() {
        return Collections.unmodifiableMap(feedPaused);
    }

    public void apply(RiskEvent e, String source) {
        switch (e.kind()) {
            case HALT_ENTRIES_TODAY:
                if (!entriesHaltedToday()) {
                    haltEntriesToday(e.reason(), source);
                }
                break;
            case PAUSE_SYMBOL:
                long running = e.symbol() == null ? 0L : pausedUntil.getOrDefault(e.symbol(), 0L);
                if (e.symbol() != null && e.untilMs() > running) {
                    Integer record = running > nowMs && Objects.equals(e.reason(), pauseReason.get(e.symbol()))
                            ? pauseRecord.get(e.symbol()) : null;
                    pausedUntil.put(e.symbol(), e.untilMs());
                    pauseReason.put(e.symbol(), e.reason());
                    if (record != null) {
                        // the same cause renewing a pause that still runs (a feed that stays silent): one pause
                        // whose end moves on, not a record per renewal
                        Halt h = halts.get(record);
                        halts.set(record, new Halt(h.timeMs(), h.kind(), h.symbol(), h.cause(), h.source(), e.untilMs()));
                    } else {
                        pauseRecord.put(e.symbol(), halts.size());
                        halts.add(new Halt(nowMs, "PAUSE_SYMBOL", e.symbol(), e.reason(), source, e.untilMs()));
                    }
                }
                break;
            case KILL_REDUCING:
                // Rules only tighten: REDUCING never relaxes an operator's HALTED.
                if (killSwitchGate.tighten(KillSwitchLevel.ACTIVE, KillSwitchLevel.REDUCING)) {
                    recordKillSwitch(KillSwitchLevel.ACTIVE, KillSwitchLevel.REDUCING, e.reason(), source);
                }
                break;
            case KILL_HALTED:
                setKillSwitch(KillSwitchLevel.HALTED, e.reason(), source);
                break;
            default:
                throw new IllegalArgumentException("unknown risk event " + e.kind());
        }
    }

    /** Sets the graded kill switch (rules, operator API or the kill file) on the pipeline thread. */
    public void setKillSwitch(KillSwitchLevel level, String cause, String source) {
        KillSwitchLevel from = killSwitchGate.set(level);
        if (from != level) {
            recordKillSwitch(from, level, cause, source);
        }
    }

    /** The gate itself: set from any thread, in force for the next order; then {@link #recordKillSwitch}. */
    public KillSwitchGate killSwitchGate() {
        return killSwitchGate;
    }

    /** Records a change of the switch (halts, observers); on the pipeline thread. */
    public void recordKillSwitch(KillSwitchLevel from, KillSwitchLevel to, String cause, String source) {
        if (from == to) {
            return;
        }
        halts.add(new Halt(nowMs, to == KillSwitchLevel.ACTIVE ? "RESUME" : "KILL_" + to, null, cause, source, 0));
        log.warn("kill switch -> {} ({}: {})", to, source, cause);
        if (to == KillSwitchLevel.HALTED) {
            cancelEntries();
        }
        if (orders.journal() != null) {
            orders.journal().recordKillSwitch(nowMs, from.name(), to.name(), cause, source);
        }
        observer.onKillSwitch(from, to, cause, source);
    }

    /**
     * HALTED: entry orders still in flight are cancelled where the exchange may still hold them (a MARKET order
     * that already executed simply answers "unknown order"); protective orders keep resting: HALTED sends nothing
     * new, and what protects a position stays.
     */
    private void cancelEntries() {
        for (ManagedOrder m : new ArrayList<>(orders.inFlight())) {
            if (m.purpose() == ManagedOrder.Purpose.ENTRY && exchange != null) {
                exchange.cancel(m.symbol(), m.clientOrderId()).whenComplete((r, err) -> {
                    if (err != null) {
                        log.info("kill switch HALTED: entry {} not cancelled ({}); it is already done or never arrived",
                                m.clientOrderId(), err.getMessage());
                    } else {
                        log.warn("kill switch HALTED: entry {} {} cancelled ({})", m.clientOrderId(), m.symbol(), r.status());
                    }
                });
            }
        }
    }

    private void haltEntriesToday(String cause, String source) {
        long today = Math.floorDiv(nowMs, DAY_MS);
        if (orders.journal() != null) { // durable: a restart later the same day stays halted
            orders.counted(orders.journal().recordDayHalt(today, portfolio.dayStartTradingEquity(), nowMs, cause, source));
        }
        haltEntries(today, nowMs, cause, source);
        log.warn("entries halted until the next UTC day: {}", cause);
        observer.onEntriesHalted(cause, source);
    }

    /** New entries stop until UTC day {@code utcDay} ends (this run's halt, or one an earlier run journaled). */
    private void haltEntries(long utcDay, long timeMs, String cause, String source) {
        entriesHaltedDay = utcDay;
        haltReason = cause;
        halts.add(new Halt(timeMs, "HALT_ENTRIES_TODAY", null, cause, source, (utcDay + 1) * DAY_MS));
    }

    public boolean entriesHaltedToday() {
        return entriesHaltedDay == Math.floorDiv(nowMs, DAY_MS);
    }

    private void enter(OrderIntent i) {
        String s = i.symbol();
        if (tradingBlocked != null) {
            refuse("not_reconciled", i);
            return;
        }
        if (stopping) {
            refuse("stopping", i);
            return;
        }
        KillSwitchLevel killSwitch = killSwitchGate.level();
        if (!killSwitch.allowsEntries()) {
            refuse("kill_switch_" + killSwitch.name().toLowerCase(), i);
            return;
        }
        if (entriesHaltedToday()) {
            refuse("entries_halted_today", i);
            return;
        }
        if (journalFailing != null) {
            refuse("journal_failing", i);
            return;
        }
        if (pausedUntil.getOrDefault(s, 0L) > nowMs || feedPaused.containsKey(s)) {
            refuse("symbol_paused", i);
            return;
        }
        RiskGate.Verdict v = gate.entry(i, nowMs);
        if (!v.approved()) {
            refuse(v.refusal(), i);
            return;
        }
        send(new OrderRequest(orders.nextClientOrderId(), s, Side.BUY, null, v.quoteQty(), v.refPrice(), null, false,
                i.reason(), nowMs), i, ManagedOrder.Purpose.ENTRY);
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
        if (tradingBlocked != null) {
            refuse("not_reconciled", intent);
            return;
        }
        if (!killSwitchGate.level().allowsExits()) {
            refuse("kill_switch_halted", intent);
            return;
        }
        if (protection != null && (protection.canceling(s) || protection.exitHeld(s))) {
            refuse("order_in_flight", intent);
            return;
        }
        // the resting protection locks the quantity: the exit is checked now, but takes its order from the budget
        // only when it is sent, after the cancel
        boolean restingProtection = protection != null && protection.of(s) != null;
        RiskGate.Verdict v = gate.exit(h, fraction, trigger, nowMs, !restingProtection);
        if (!v.approved()) {
            refuse(v.refusal(), intent);
            return;
        }
        if (restingProtection) {
            // cancel it first, and sell only once the cancel is confirmed, with the position as it then is (a leg
            // that filled meanwhile leaves nothing, or less, to sell)
            Runnable sell = () -> {
                Holding now = portfolio.holding(s);
                if (now == null || !now.isOpen()) {
                    log.info("exit {} {}: the protection sold the position before its cancel; no second sell", s, reason);
                    refuse("protection_filled", intent);
                } else {
                    submitExit(now, fraction, reason, trigger, triggerIsStop, intent);
                }
            };
            if (protection.placing(s)) {
                // its placement is unanswered: the cancel waits for the answer, or the legs might land after the sell
                protection.holdExit(s, sell);
            } else {
                protection.cancelThen(s, sell, why -> refuse(why, intent));
            }
            return;
        }
        send(new OrderRequest(orders.nextClientOrderId(), s, Side.SELL, v.qty(), null, v.refPrice(), trigger, triggerIsStop,
                reason, nowMs), intent, ManagedOrder.Purpose.EXIT);
    }

    private void send(OrderRequest order, OrderIntent intent, ManagedOrder.Purpose purpose) {
        // last look at the gate: the switch may have been thrown from another thread during this round
        KillSwitchLevel gate = killSwitchGate.level();
        if (order.side() == Side.BUY ? !gate.allowsEntries() : !gate.allowsExits()) {
            refuse("kill_switch_" + gate.name().toLowerCase(), intent);
            return;
        }
        Long intentNo = orders.recordIntent(intent, nowMs, "SENT", order.clientOrderId());
        trades.record(nowMs);
        observer.onOrderSent(order);
        orders.place(order, intent, purpose, intentNo);
    }

    private void refuse(String why, OrderIntent i) {
        refusals.merge(why, 1L, Long::sum);
        orders.recordIntent(i, nowMs, "REFUSED:" + why, null);
        observer.onRefused(why, i);
        if (log.isDebugEnabled()) {
            log.debug("intent refused ({}): {}", why, i);
        }
    }

    // ------------------------------------------------------------------ protective levels

    /** Checks the stop and take-profit levels of the event's symbol; triggers an exit when crossed. */
    public void onMarketEvent(MarketEvent e) {
        Holding h = portfolio.holding(e.symbol());
        if (h == null || !h.isOpen() || orders.inFlight(e.symbol()) != null) {
            return;
        }
        ProtectiveLevels.Trigger t;
        if (protection != null) {
            protection.ensure(e.symbol());
            Protection p = protection.of(e.symbol());
            if (p != null) {
                if (!p.canceling && !protection.exitHeld(e.symbol()) && levels.below(e, p.stopLimitPrice())) {
                    // the market gapped through the stop leg's limit: the triggered leg would rest there unfilled, so
                    // it is cancelled and the position sold at market
                    log.warn("protection {} {}: the price is below the stop's limit {}; cancelling it to sell at market",
                            e.symbol(), p, p.stopLimitPrice().toPlainString());
                    submitExit(h, BigDecimal.ONE, ProtectiveLevels.STOP_GAP_REASON, null, true, null);
                    return;
                }
                // the exchange watches what rests; only a take-profit a STOP_LOSS_LIMIT alone leaves out is watched here
                t = p.isOco() || p.canceling ? null : levels.crossedTakeProfit(h, e);
                if (t != null) {
                    submitExit(h, BigDecimal.ONE, t.reason(), t.level(), t.isStop(), null);
                }
                return;
            }
            // nothing rests (refused, halted, not yet placed): the levels are watched locally meanwhile
        }
        t = levels.crossed(h, e);
        if (t != null) {
            submitExit(h, BigDecimal.ONE, t.reason(), t.level(), t.isStop(), null);
        }
    }

    // ------------------------------------------------------------------ what the order manager reports

    private void filled(ManagedOrder order, Fill fill) {
        RoundTrip closed = portfolio.apply(fill);
        if (fill.side() == Side.BUY && order.intent() != null) {
            OrderIntent intent = order.intent();
            setProtectiveLevels(fill.symbol(), intent.stopLossPct(), intent.takeProfitPct(), intent.templateDay());
        }
        fillSink.onFill(fill, closed);
        observer.onFill(fill);
        onClock(nowMs);
        if (protection != null && order.purpose() != ManagedOrder.Purpose.EXIT) {
            protection.ensure(fill.symbol()); // an entry's fill: protect what is held, partial fills included
        }
    }

    /** Stop and take-profit of an entry, in % of the position's average entry price, rounded to the tick. */
    private void setProtectiveLevels(String symbol, Double stopLossPct, Double takeProfitPct, String templateDay) {
        BigDecimal entry = portfolio.holding(symbol).avgEntryPrice();
        portfolio.setProtectiveLevels(symbol, levels.stop(symbol, entry, stopLossPct),
                levels.takeProfit(symbol, entry, takeProfitPct), templateDay);
    }

    /**
     * Recovery: applies a fill journaled by an earlier run to the portfolio again (no sink, no
     * observer: it was reported when it happened), with its entry's protective levels.
     */
    void restoreFill(Fill fill, io.aquatrade.journal.OrderRecord order) {
        orders.markSeen(fill.symbol(), fill.tradeId());
        portfolio.apply(fill);
        if (fill.side() == Side.BUY && order != null && "ENTRY".equals(order.purpose())) {
            setProtectiveLevels(fill.symbol(), order.stopLossPct(), order.takeProfitPct(), order.templateDay());
        }
    }

    // trading blocked until reconciliation succeeded (crash-only start); null = allowed
    private String tradingBlocked;

    /** No order of any kind goes out until {@link #unblockTrading}; intents are refused as {@code not_reconciled}. */
    public void blockTrading(String reason) {
        tradingBlocked = reason;
    }

    public void unblockTrading() {
        tradingBlocked = null;
    }

    private boolean stopping;

    /** Graceful stop: no new entries from now on; exits and orders in flight go on until they resolve. */
    public void stopEntries() {
        stopping = true;
    }

    /** Why the bot may not trade now (reconciliation pending or failed), or null. */
    public String tradingBlockedReason() {
        return tradingBlocked;
    }

    private void done(ManagedOrder order, String status) {
        observer.onOrderDone(order.request(), status);
        if (protection != null) {
            if (order.purpose() == ManagedOrder.Purpose.PROTECT) {
                protection.legEnded(order); // filled, expired by its sibling, cancelled
            } else {
                protection.ensure(order.symbol()); // what is held after the entry or a partial exit
            }
        }
    }

    /**
     * A fill the journal could not write is applied but not durable: new entries pause (exits still act) until the
     * order manager's retries have written every such fill, so the loss of the journal cannot grow unnoticed.
     */
    private void journalFailing(String cause) {
        if ((journalFailing == null) == (cause == null)) {
            return; // the pause holds (or there is none): its first cause is the one shown
        }
        boolean resumed = cause == null;
        halts.add(new Halt(nowMs, resumed ? "RESUME_JOURNAL" : "PAUSE_JOURNAL", null,
                resumed ? "every fill is journaled again" : cause, "journal", 0));
        if (resumed) {
            log.warn("journal: every fill is written again; new entries resume");
        } else {
            log.error("journal failing: new entries paused until its fills are written ({})", cause);
        }
        journalFailing = cause;
        observer.onJournalFailing(cause);
    }

    /** Why new entries pause for the journal (a fill not yet written), or null. */
    public String journalFailing() {
        return journalFailing;
    }

    /**
     * The order stays in flight, so every cap keeps counting it and nothing is sent for its symbol,
     * until the order manager's lookup says what became of it: never assumed failed, never resent blindly.
     */
    private void unknown(ManagedOrder order, String cause) {
        unknownOutcomes++;
        org.slf4j.MDC.put("clientOrderId", order.clientOrderId());
        try {
            log.error("order {} {} {}: outcome unknown ({}); it stays in flight until the exchange says what became of it",
                    order.clientOrderId(), order.request().side(), order.symbol(), cause);
        } finally {
            org.slf4j.MDC.remove("clientOrderId");
        }
    }

    private void found(ManagedOrder order) {
        if (protection != null && order.purpose() == ManagedOrder.Purpose.PROTECT) {
            protection.legFound(order); // a placement answered at last: an exit waiting for it goes
        }
    }

    private void rejected(ManagedOrder managed, int code, String message) {
        OrderRequest order = managed.request();
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
        observer.onOrderDone(order, "REJECTED");
        if (protection != null && managed.purpose() == ManagedOrder.Purpose.PROTECT) {
            protection.legEnded(managed);
        }
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
        return new io.aquatrade.model.RiskState(killSwitchGate.level(), entriesHaltedToday(), entriesHaltedToday() ? haltReason : null,
                io.aquatrade.model.Clock.at(nowMs).utcDay());
    }

    public SymbolRisk symbolRisk(String symbol) {
        // The end of the latest pause is kept after it passes: the rules compare it with the clock,
        // and the circuit breaker uses it to trip once per losing streak, not again after each cooldown.
        long until = pausedUntil.getOrDefault(symbol, 0L);
        return new SymbolRisk(symbol, portfolio.consecutiveLosses(symbol), until, pauseReason.get(symbol));
    }

    public KillSwitchLevel killSwitch() { return killSwitchGate.level(); }
    public int tradesToday() { return trades.today(nowMs); }
    public int tradesLastMinute() { return trades.lastMinute(nowMs); }
    public long ordersSent() { return trades.total(); }
    public List<Halt> halts() { return Collections.unmodifiableList(halts); }
    public Map<String, Long> refusals() { return Collections.unmodifiableMap(refusals); }
    public Map<Integer, Long> exchangeRejections() { return Collections.unmodifiableMap(exchangeRejections); }
    public boolean hasOrderInFlight(String symbol) { return orders.inFlight(symbol) != null; }
    /** An exit order is in flight for the symbol (the rules' {@code Position.exitPending}). */
    public boolean exitInFlight(String symbol) {
        return orders.exitInFlight(symbol)
                || (protection != null && (protection.canceling(symbol) || protection.exitHeld(symbol)));
    }
    public HardLimits limits() { return gate.limits(); }
    public long unknownOutcomes() { return unknownOutcomes; }
}
