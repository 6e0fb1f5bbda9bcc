package io.aquatrade.execution;

import io.aquatrade.exchange.AssetBalance;
import io.aquatrade.exchange.ExchangeAdapter;
import io.aquatrade.exchange.OrderReport;
import io.aquatrade.exchange.OrderRequest;
import io.aquatrade.journal.Journal;
import io.aquatrade.journal.JournalReader;
import io.aquatrade.journal.OrderRecord;
import io.aquatrade.model.Fill;
import io.aquatrade.model.OrderIntent;
import io.aquatrade.model.Side;
import io.aquatrade.portfolio.Holding;
import io.aquatrade.portfolio.Portfolio;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Crash-only start: before any signal is acted on, rebuild the books from the journal, then
 * reconcile them with the exchange, whose truth wins:
 * <ol>
 *   <li>the latest UTC day the journal holds is continued (its starting equity, its halt of entries, the orders
 *       sent in it), so a restart the same day gets no fresh loss or order budget;</li>
 *   <li>every fill in the journal is applied again to the portfolio (and the protective levels of the
 *       positions still open are set again from their entries), with any fill whose journal write failed in an
 *       earlier run: an order whose journaled fills add up to less than its executed quantity has its trades read
 *       from the exchange, from before the order, and the missing ones are journaled;</li>
 *   <li>every order the journal left unfinished is looked up by its client order id, once its
 *       recvWindow has passed: found, it takes the exchange's state; not found, it never reached
 *       the exchange and is closed;</li>
 *   <li>each symbol's trades after the last journaled trade id are read: a fill of the bot's own
 *       order missed while it was down is journaled and applied; a trade of an order it did not
 *       place is reported and not applied;</li>
 *   <li>open orders the bot did not place are reported and left alone;</li>
 *   <li>balances: a position larger than the exchange's balance of its asset (sold by hand) is
 *       reduced to the balance; more on the exchange than the bot bought is the owner's and is left
 *       alone (reported); cash above the exchange's free quote balance is capped to it.</li>
 * </ol>
 * Every disagreement is a {@link Finding}: logged, journaled, and returned for notices and the
 * status page. If any step fails the run must not trade ({@link Report#ok()} false, with the reason).
 */
public final class Recovery {

    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    /** One disagreement between the journal and the exchange, and how the exchange's truth was applied. */
    public record Finding(String kind, String symbol, String detail) {
    }

    /** What reconciliation did; {@code ok} false means it could not finish and the bot must not trade. */
    public record Report(boolean ok, String failure, List<Finding> findings, int fillsReplayed, int fillsRecovered,
                         int ordersResolved) {
    }

    private final ExecutionService execution;
    private final ExchangeAdapter exchange;
    private final Portfolio portfolio;
    private final Journal journal;
    private final Executor pipeline;
    private final LongSupplier wallClock;
    private final OrderManager.Scheduler scheduler;
    private final String quoteAsset;
    private final java.util.function.Function<String, String> baseAssetOf;
    private final List<Finding> findings = new ArrayList<>();
    private final Map<String, OrderRecord> journaled = new HashMap<>();
    /** The journal's fills (with those recovered into it), and their quantity per client order id. */
    private final List<JournalReader.FillRow> journaledFills = new ArrayList<>();
    private final Map<String, BigDecimal> journaledQty = new HashMap<>();
    /** Every trade the journal holds or recovery found, by symbol:trade id (each is applied once). */
    private final Set<String> seenTrades = new java.util.HashSet<>();
    /** Trades of orders the journal left unfinished, found by their lookup: applied in their place in the replay. */
    private final Set<String> missedTrades = new java.util.HashSet<>();
    /** Orders found final on the exchange: closed once their trades are applied, so their row has every fill. */
    private final Map<ManagedOrder, OrderState> closeAfterReplay = new java.util.LinkedHashMap<>();
    /** Orders found still open on the exchange: followed once the books are rebuilt. */
    private final List<OrderReport> followAfterReplay = new ArrayList<>();
    /** The latest UTC day the journal holds, or null. */
    private io.aquatrade.journal.TradingDay lastDay;
    /** Fills applied after the replay (missed while down), for the books at midnight. */
    private final List<Fill> appliedAfterReplay = new ArrayList<>();
    private static final long DAY_MS = 86_400_000L;
    private int fillsReplayed;
    private int fillsRecovered;
    private int ordersResolved;

    public Recovery(ExecutionService execution, ExchangeAdapter exchange, Portfolio portfolio, Journal journal,
                    Executor pipeline, OrderManager.Scheduler scheduler, LongSupplier wallClock, String quoteAsset,
                    java.util.function.Function<String, String> baseAssetOf) {
        this.execution = execution;
        this.exchange = exchange;
        this.portfolio = portfolio;
        this.journal = journal;
        this.pipeline = pipeline;
        this.scheduler = scheduler;
        this.wallClock = wallClock;
        this.quoteAsset = quoteAsset;
        this.baseAssetOf = baseAssetOf;
    }

    /**
     * Runs the whole reconciliation on the pipeline's context; {@code symbols} are the symbols the bot
     * trades (their trades are read even when the journal has none). Trading stays blocked until it
     * completes with {@code ok}.
     */
    public CompletableFuture<Report> run(Set<String> symbols) {
        return run(symbols, true);
    }

    /**
     * @param fromJournal false for a venue that started empty with this process (a simulator): the
     *                    journal's earlier runs traded on a venue that is gone, so only the exchange's
     *                    side is checked (foreign orders, balances)
     */
    public CompletableFuture<Report> run(Set<String> symbols, boolean fromJournal) {
        execution.blockTrading("reconciling with the exchange");
        CompletableFuture<Report> done = new CompletableFuture<>();
        CompletableFuture<Void> books = fromJournal
                ? onPipeline(journal.runPrefixes()).thenCompose(p -> {
                    ownPrefixes.putAll(p);
                    return onPipeline(journal.allOrders());
                }).thenCompose(all -> {
                    all.forEach(o -> journaled.put(o.clientOrderId(), o));
                    execution.restoreOrdersSent(all.stream().filter(o -> !"PROTECT".equals(o.purpose()))
                            .map(OrderRecord::createdMs).toList());
                    return onPipeline(journal.lastDay());
                }).thenCompose(day -> {
                    lastDay = day.orElse(null);
                    day.ifPresent(execution::restoreDay);
                    return onPipeline(journal.fills());
                }).thenCompose(this::fillsMissingFromJournal)
                // unfinished orders are looked up before the replay: the trades the exchange executed for them take
                // their place among the journal's fills, so a later fill (the exit of a recovered entry) is applied
                // after them, not before them as a sale of units the bot did not hold
                .thenCompose(v -> resolveUnfinished())
                .thenRun(this::replay)
                .thenCompose(v -> missedFills(symbols))
                .thenCompose(v -> startOfToday())
                : CompletableFuture.completedFuture(null);
        books
                .thenCompose(v -> foreignOrders())
                .thenCompose(v -> balances())
                .thenCompose(v -> protection())
                .whenComplete((v, err) -> {
                    if (err != null) {
                        Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                                ? err.getCause() : err;
                        String why = "reconciliation failed: " + cause.getMessage();
                        log.error(why, cause);
                        execution.blockTrading(why);
                        done.complete(new Report(false, why, List.copyOf(findings), fillsReplayed, fillsRecovered,
                                ordersResolved));
                    } else {
                        execution.unblockTrading();
                        log.info("reconciled with {}: {} journaled fill(s) replayed, {} recovered, {} unfinished order(s)"
                                        + " resolved, {} disagreement(s)", exchange.name(), fillsReplayed, fillsRecovered,
                                ordersResolved, findings.size());
                        done.complete(new Report(true, null, List.copyOf(findings), fillsReplayed, fillsRecovered,
                                ordersResolved));
                    }
                });
        return done;
    }

    private <T> CompletableFuture<T> onPipeline(CompletableFuture<T> journalRead) {
        return journalRead.thenApplyAsync(x -> x, pipeline);
    }

    private void report(String kind, String symbol, String detail) {
        findings.add(new Finding(kind, symbol, detail));
        log.warn("reconciliation: {} {}: {}", kind, symbol == null ? "" : symbol, detail);
        journal.recordReconcile(wallClock.getAsLong(), kind, symbol, detail);
    }

    // 1b. fills an earlier run applied but could not journal: their order's executed quantity is more than its fills
    private CompletableFuture<Void> fillsMissingFromJournal(List<JournalReader.FillRow> rows) {
        journaledFills.addAll(rows);
        for (JournalReader.FillRow row : rows) {
            journaledQty.merge(row.fill().clientOrderId(), row.fill().qty(), BigDecimal::add);
            seenTrades.add(row.fill().symbol() + ':' + row.fill().tradeId());
        }
        Map<String, Long> after = new java.util.TreeMap<>();
        Set<String> shortOrders = new java.util.HashSet<>();
        for (OrderRecord o : journaled.values()) {
            if (o.executedQty().compareTo(journaledQty.getOrDefault(o.clientOrderId(), BigDecimal.ZERO)) > 0) {
                shortOrders.add(o.clientOrderId());
                after.merge(o.symbol(), lastTradeBefore(o), Math::min);
            }
        }
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (Map.Entry<String, Long> e : after.entrySet()) {
            String symbol = e.getKey();
            chain = chain.thenCompose(v -> exchange.tradesSince(symbol, e.getValue()).toCompletableFuture())
                    .thenAccept(trades -> {
                        for (Fill f : trades) {
                            OrderRecord o = journaled.get(f.clientOrderId());
                            if (o != null && shortOrders.contains(o.clientOrderId())
                                    && seenTrades.add(f.symbol() + ':' + f.tradeId())) {
                                recoverIntoJournal(f, o);
                            }
                        }
                    });
        }
        return chain;
    }

    /** A fill of a journaled order that its run applied but could not journal: journaled now, replayed in its place. */
    private void recoverIntoJournal(Fill trade, OrderRecord o) {
        Fill f = withReason(trade, o);
        journaledFills.add(new JournalReader.FillRow(f, baseAssetOf.apply(f.symbol()), "reconcile"));
        journaledQty.merge(f.clientOrderId(), f.qty(), BigDecimal::add);
        execution.orders().journalRecoveredFill(f);
        fillsRecovered++;
        report("fill_missing_from_journal", f.symbol(), "trade " + f.tradeId() + " " + f.side() + " "
                + f.qty().toPlainString() + " @ " + f.price().toPlainString() + " of " + f.clientOrderId()
                + " was applied by an earlier run but not journaled (its write failed): journaled and applied");
    }

    /** The trade with its order's reason where the exchange gives none, or for a protective leg. */
    private static Fill withReason(Fill trade, OrderRecord o) {
        return trade.reason() == null || "PROTECT".equals(o.purpose()) ? new Fill(trade.timeMs(), trade.symbol(),
                trade.side(), trade.price(), trade.qty(), trade.quoteQty(), trade.fee(), trade.feeAsset(),
                trade.clientOrderId(), o.reason(), trade.tradeId()) : trade;
    }

    /**
     * The last journaled trade of the order's symbol from before it was sent: every trade of the order comes after
     * it. Trade times are the exchange's, which may differ from ours by up to the request's recvWindow.
     */
    private long lastTradeBefore(OrderRecord o) {
        long before = o.createdMs() - o.recvWindowMs() - OrderManager.CLOCK_MARGIN_MS;
        long last = 0L;
        for (JournalReader.FillRow row : journaledFills) {
            Fill f = row.fill();
            if (f.symbol().equals(o.symbol()) && f.timeMs() < before) {
                last = Math.max(last, f.tradeId());
            }
        }
        return last;
    }

    // 1. the books from the journal, with the trades the lookups of unfinished orders found, in time order
    private void replay() {
        journaledFills.sort(java.util.Comparator.comparingLong((JournalReader.FillRow r) -> r.fill().timeMs())
                .thenComparing(r -> r.fill().symbol()).thenComparingLong(r -> r.fill().tradeId()));
        for (JournalReader.FillRow row : journaledFills) {
            Fill f = row.fill();
            if (missedTrades.contains(f.symbol() + ':' + f.tradeId())) {
                // never journaled: applied (and journaled, reported) as any fill now, in its place
                report("fill_missed_while_down", f.symbol(), "trade " + f.tradeId() + " " + f.side() + " "
                        + f.qty().toPlainString() + " @ " + f.price().toPlainString() + " of " + f.clientOrderId()
                        + ", which the journal left unfinished: journaled and applied");
                execution.orders().onFill(f);
                fillsRecovered++;
                continue;
            }
            OrderRecord o = journaled.get(f.clientOrderId());
            execution.restoreFill(f, o);
            fillsReplayed++;
        }
        // the DONE row of an order is written once its fills are in: it says what the exchange executed, so a fill
        // whose write fails now is still found missing from the journal at the next start
        closeAfterReplay.forEach((m, state) -> execution.orders().close(m, state, "exchange says " + state.name()));
        closeAfterReplay.clear();
        followAfterReplay.forEach(r -> exchange.follow(r, journaled.get(r.clientOrderId()).reason()));
        followAfterReplay.clear();
    }

    // 2. orders the journal left unfinished
    private CompletableFuture<Void> resolveUnfinished() {
        List<OrderRecord> open = new ArrayList<>();
        long waitUntil = 0;
        long now = wallClock.getAsLong();
        for (OrderRecord o : journaled.values()) {
            if (!isFinal(o.state())) {
                open.add(o);
                if (OrderState.valueOf(o.state()).unanswered()) {
                    // the stopped run may have held it in its throttle's queue and signed it at any time up to its end,
                    // which is before now (one bot per journal): the exchange may accept it until now + its recvWindow
                    long sent = Math.max(o.createdMs(), o.sentMs() == null ? 0 : o.sentMs());
                    waitUntil = Math.max(waitUntil, Math.max(sent, now) + o.recvWindowMs() + OrderManager.CLOCK_MARGIN_MS);
                }
            }
        }
        if (open.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        open.sort(java.util.Comparator.comparingLong(OrderRecord::createdMs));
        CompletableFuture<Void> ready = new CompletableFuture<>();
        long delay = waitUntil - wallClock.getAsLong();
        if (delay > 0) {
            // the exchange could still accept a request sent just before the stop: look only after its recvWindow
            log.info("reconciliation waits {} ms for the recvWindow of the last request before the stop", delay);
            scheduler.schedule(delay, () -> ready.complete(null));
        } else {
            ready.complete(null);
        }
        CompletableFuture<Void> chain = ready;
        for (OrderRecord o : open) {
            chain = chain.thenCompose(v -> exchange.queryOrder(o.symbol(), o.clientOrderId()).toCompletableFuture()
                    .thenCompose(found -> resolve(o, found.orElse(null))));
        }
        return chain;
    }

    private CompletableFuture<Void> resolve(OrderRecord o, OrderReport found) {
        ordersResolved++;
        OrderManager orders = execution.orders();
        if (found == null) {
            ManagedOrder m = adoptRow(o, OrderState.UNKNOWN, o.sentMs() == null ? o.createdMs() : o.sentMs());
            orders.close(m, OrderState.REJECTED, "not on the exchange after its recvWindow: it never reached it");
            report("order_never_reached_exchange", o.symbol(), o.clientOrderId() + " (" + o.side() + ", journal state "
                    + o.state() + ") is unknown to the exchange; closed, nothing was traded");
            return CompletableFuture.completedFuture(null);
        }
        OrderState state = OrderState.of(found.status());
        ManagedOrder m = adoptRow(o, state, o.sentMs() == null ? o.createdMs() : o.sentMs());
        m.exchangeOrderId = found.orderId();
        if (!o.state().equals(state.name())) {
            report("order_state_changed_while_down", o.symbol(), o.clientOrderId() + ": journal " + o.state()
                    + ", exchange " + found.status() + " (executed " + found.executedQty().toPlainString() + ")");
        }
        if (state.isFinal()) {
            closeAfterReplay.put(m, state); // the order stays findable for its trades
        } else {
            followAfterReplay.add(found); // still open (a resting protective leg): its fills come as they happen
        }
        if (found.executedQty().compareTo(journaledQty.getOrDefault(o.clientOrderId(), BigDecimal.ZERO)) <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        // executed more than the journal holds (filled while down, or its fill's and its row's writes failed): its
        // own trades are read now and applied in their place in the replay
        return exchange.orderTrades(o.symbol(), o.clientOrderId(), found.orderId()).toCompletableFuture()
                .thenAccept(trades -> {
                    for (Fill t : trades) {
                        if (o.clientOrderId().equals(t.clientOrderId()) && seenTrades.add(t.symbol() + ':' + t.tradeId())) {
                            Fill f = withReason(t, o);
                            missedTrades.add(f.symbol() + ':' + f.tradeId());
                            journaledFills.add(new JournalReader.FillRow(f, baseAssetOf.apply(f.symbol()), "reconcile"));
                        }
                    }
                });
    }

    // 3. trades after the last journaled trade id of each symbol
    private CompletableFuture<Void> missedFills(Set<String> symbols) {
        Set<String> all = new TreeSet<>(symbols);
        for (OrderRecord o : journaled.values()) {
            all.add(o.symbol());
        }
        Map<String, Long> last = execution.orders().lastTradeIds();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (String symbol : all) {
            long after = last.getOrDefault(symbol, 0L);
            chain = chain.thenCompose(v -> exchange.tradesSince(symbol, after).toCompletableFuture()
                    .thenCompose(trades -> adoptLostOrdersOf(symbol, trades))
                    .thenAccept(trades -> {
                        for (Fill f : trades) {
                            if (execution.orders().seen(f.symbol(), f.tradeId())) {
                                continue;
                            }
                            if (execution.orders().order(f.clientOrderId()) == null) {
                                OrderRecord o = journaled.get(f.clientOrderId());
                                if (o == null) {
                                    report("foreign_trade", symbol, "trade " + f.tradeId() + " " + f.side() + " "
                                            + f.qty().toPlainString() + " @ " + f.price().toPlainString() + " of order "
                                            + f.clientOrderId() + " that the bot did not place: not applied");
                                    continue;
                                }
                                ManagedOrder m = adoptRow(o, OrderState.valueOf(o.state()), o.createdMs());
                                report(f, symbol);
                                execution.orders().onFill(f);
                                appliedAfterReplay.add(f);
                                fillsRecovered++;
                                // closed after its fill: its row's executed quantity then includes it
                                execution.orders().close(m, OrderState.valueOf(o.state()), "fill found at reconciliation");
                                continue;
                            }
                            report(f, symbol);
                            execution.orders().onFill(f);
                            appliedAfterReplay.add(f);
                            fillsRecovered++;
                        }
                    }).thenRun(this::settleAdopted));
        }
        return chain;
    }

    // 3c. the UTC day the restart falls on
    /**
     * A restart on a UTC day no earlier run began (the bot was down over midnight) starts that day at the trading equity
     * the books had at 00:00 UTC, not at what the first event after the restart finds: fills and price moves between
     * midnight and the restart (a protective leg that filled, an order in flight at the crash, a falling market) belong
     * to the new day and count against its loss cap as they would have had the bot been running. The books at midnight
     * are the fills before it, each position valued at its symbol's price at 00:00 (the venue's one-minute kline).
     * Where the venue cannot tell that price, the start is estimated on the safe side: the highest of those books valued
     * at the last fill price before midnight, the equity the previous day last journaled (once a minute) and the equity
     * found now. A start set too high can only halt entries early; one too low would hand the bot a loss budget the
     * day no longer has. A restart on a day already begun continues it ({@link ExecutionService#restoreDay}).
     */
    private CompletableFuture<Void> startOfToday() {
        long now = wallClock.getAsLong();
        long today = Math.floorDiv(now, DAY_MS);
        List<Fill> all = new ArrayList<>(journaledFills.size() + appliedAfterReplay.size());
        journaledFills.forEach(r -> all.add(r.fill()));
        all.addAll(appliedAfterReplay);
        if ((lastDay != null && lastDay.utcDay() >= today) || (lastDay == null && all.isEmpty())) {
            return CompletableFuture.completedFuture(null); // the day is continued, or nothing was ever traded
        }
        long midnight = today * DAY_MS;
        all.sort(java.util.Comparator.comparingLong(Fill::timeMs).thenComparing(Fill::symbol)
                .thenComparingLong(Fill::tradeId));
        Portfolio books = portfolio.emptyCopy();
        for (Fill f : all) {
            if (f.timeMs() < midnight) {
                books.apply(f);
            }
        }
        Set<String> unpriced = new TreeSet<>();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (Holding h : books.holdings().values()) {
            if (h.qty().signum() > 0) {
                chain = chain.thenCompose(v -> exchange.priceAt(h.symbol(), midnight).toCompletableFuture()
                        .handle((price, err) -> {
                            if (err == null && price.isPresent() && price.get().signum() > 0) {
                                books.mark(h.symbol(), price.get());
                            } else {
                                unpriced.add(h.symbol() + (err != null ? " (" + err.getMessage() + ")" : ""));
                            }
                            return null;
                        }));
            }
        }
        return chain.thenRun(() -> {
            BigDecimal atMidnight = books.tradingEquity();
            BigDecimal start = atMidnight;
            String day = io.aquatrade.model.Clock.at(midnight).utcDay();
            if (!unpriced.isEmpty()) {
                start = start.max(portfolio.tradingEquity());
                if (lastDay != null && lastDay.utcDay() == today - 1 && lastDay.lastTradingEquity() != null) {
                    start = start.max(lastDay.lastTradingEquity());
                }
                report("day_start_estimated", null, "no price at 00:00 UTC of " + day + " for " + String.join(", ", unpriced)
                        + ": the day starts at " + start.toPlainString() + " " + quoteAsset + ", the highest of the books"
                        + " at midnight at their last fill prices (" + atMidnight.toPlainString() + "), the equity the"
                        + " previous day last journaled and the equity now (" + portfolio.tradingEquity().toPlainString()
                        + ")");
            } else {
                log.info("UTC day {} began while the bot was down: it starts at the books' equity at 00:00, {} {}", day,
                        start.toPlainString(), quoteAsset);
            }
            execution.restoreDayStart(today, start, now);
        });
    }

    private void report(Fill f, String symbol) {
        report("fill_missed_while_down", symbol, "trade " + f.tradeId() + " " + f.side() + " "
                + f.qty().toPlainString() + " @ " + f.price().toPlainString() + " of " + f.clientOrderId()
                + ": journaled and applied");
    }

    // 3b. the bot's own orders whose journal row a power cut took before its fsync
    private final Map<String, Long> ownPrefixes = new HashMap<>();
    private final Map<String, OrderReport> adopted = new java.util.LinkedHashMap<>();

    /** An order the journal holds or the order manager tracks: the bot's, nothing to adopt or report. */
    private boolean known(String clientOrderId) {
        return journaled.containsKey(clientOrderId) || execution.orders().order(clientOrderId) != null;
    }

    /** The run and sequence of a client order id under one of the journal's run prefixes, or null: not the bot's. */
    private long[] ownRunAndSeq(String clientOrderId) {
        for (Map.Entry<String, Long> p : ownPrefixes.entrySet()) {
            String prefix = p.getKey();
            if (clientOrderId != null && clientOrderId.length() > prefix.length() && clientOrderId.startsWith(prefix)) {
                try {
                    return new long[] {p.getValue(), Long.parseLong(clientOrderId.substring(prefix.length()), 36)};
                } catch (NumberFormatException e) {
                    // the prefix matched by chance: not one of ours
                }
            }
        }
        return null;
    }

    /**
     * Trades of orders the journal does not hold but whose client order id carries one of its run prefixes: the
     * request row was written but lost before its fsync (a power cut). The order is the bot's: looked up, journaled
     * and adopted (never sent again), so the trades are applied once as missed fills instead of reported as foreign.
     */
    private CompletableFuture<List<Fill>> adoptLostOrdersOf(String symbol, List<Fill> trades) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        Set<String> lost = new java.util.LinkedHashSet<>();
        for (Fill f : trades) {
            if (!known(f.clientOrderId()) && ownRunAndSeq(f.clientOrderId()) != null) {
                lost.add(f.clientOrderId());
            }
        }
        for (String id : lost) {
            chain = chain.thenCompose(v -> exchange.queryOrder(symbol, id).toCompletableFuture()).thenAccept(found -> {
                if (found.isEmpty()) {
                    return; // trades without an order: reported as foreign below
                }
                adoptLost(found.get(), "its trades");
            });
        }
        return chain.thenApply(v -> trades);
    }

    private ManagedOrder adoptLost(OrderReport r, String seen) {
        long[] runSeq = ownRunAndSeq(r.clientOrderId());
        ManagedOrder.Purpose purpose = "MARKET".equals(r.type())
                ? (r.side() == Side.BUY ? ManagedOrder.Purpose.ENTRY : ManagedOrder.Purpose.EXIT)
                : ManagedOrder.Purpose.PROTECT;
        ManagedOrder m = execution.orders().adoptLost(r, runSeq[0], runSeq[1], purpose);
        adopted.put(r.clientOrderId(), r);
        report("own_order_adopted", r.symbol(), r.clientOrderId() + " " + r.side() + " " + r.type() + " (" + r.status()
                + ", executed " + r.executedQty().toPlainString() + ") is on the exchange under run " + runSeq[0]
                + "'s prefix but not in the journal (its row was lost before the fsync): journaled and adopted, "
                + "found by " + seen + ", not sent again");
        return m;
    }

    /** Adopted orders the exchange has finished take their final state once their fills are applied. */
    private void settleAdopted() {
        for (OrderReport r : adopted.values()) {
            ManagedOrder m = execution.orders().order(r.clientOrderId());
            OrderState state = OrderState.of(r.status());
            if (m != null && state.isFinal() && !m.state().isFinal()) {
                execution.orders().close(m, state, "adopted; exchange says " + r.status());
            }
        }
        adopted.clear();
    }

    // 4. orders on the exchange the bot did not place
    private CompletableFuture<Void> foreignOrders() {
        return exchange.openOrders(null).toCompletableFuture().thenAccept(open -> {
            for (OrderReport r : open) {
                if (known(r.clientOrderId())) {
                    continue;
                }
                if (ownRunAndSeq(r.clientOrderId()) != null) {
                    adoptLost(r, "the open orders"); // resting: it stays the bot's, its fills come as they happen
                    exchange.follow(r, "adopted: journal row lost before its fsync");
                } else {
                    report("foreign_order", r.symbol(), r.clientOrderId() + " " + r.side() + " " + r.type() + " "
                            + r.origQty().toPlainString() + " (" + r.status() + ") was not placed by the bot: left alone");
                }
            }
        });
    }

    // 5. balances
    private CompletableFuture<Void> balances() {
        return exchange.balances().toCompletableFuture().thenAccept(balances -> {
            for (Holding h : new ArrayList<>(portfolio.holdings().values())) {
                if (h.qty().signum() <= 0) {
                    continue;
                }
                AssetBalance b = balances.get(h.baseAsset());
                BigDecimal onExchange = b == null ? BigDecimal.ZERO : b.total();
                int cmp = onExchange.compareTo(h.qty());
                if (cmp < 0) {
                    BigDecimal removed = portfolio.reduceToExchangeQuantity(h.symbol(), onExchange);
                    report("balance_changed_by_hand", h.symbol(), "the fills add up to " + h.qty().add(removed)
                            .toPlainString() + " " + h.baseAsset() + " but the exchange holds "
                            + onExchange.toPlainString() + ": the position is reduced to the exchange's quantity");
                } else if (cmp > 0) {
                    report("balance_above_position", h.symbol(), "the exchange holds " + onExchange.toPlainString() + " "
                            + h.baseAsset() + ", the bot's position is " + h.qty().toPlainString()
                            + ": the difference is not the bot's and is left alone");
                }
            }
            AssetBalance q = balances.get(quoteAsset);
            BigDecimal freeQuote = q == null ? BigDecimal.ZERO : q.free();
            BigDecimal capped = portfolio.capCashToExchange(freeQuote);
            if (capped.signum() > 0) {
                report("quote_balance_short", null, "the bot's cash was " + portfolio.cash().add(capped).toPlainString()
                        + " " + quoteAsset + " but the exchange has " + freeQuote.toPlainString() + " free: cash capped");
            }
        });
    }

    // 6. protection resting on the exchange (execution.protective_orders=exchange)
    private CompletableFuture<Void> protection() {
        for (Protection p : execution.adoptRestingProtection()) {
            report("protection_adopted", p.symbol(), p.describe() + " rests on the exchange as the previous run left it ("
                    + p.legs().stream().map(ManagedOrder::clientOrderId).toList() + "): adopted, not placed again");
        }
        return execution.protectHoldingsAtStart().thenAccept(placed -> {
            for (Protection p : placed) {
                report("protection_placed_at_start", p.symbol(), "the position had no protection resting on the exchange: "
                        + p.describe() + " placed before trading resumed");
            }
        });
    }

    // ------------------------------------------------------------------ rows back to orders

    /** The order of a journal row, taken over by the order manager in {@code state} (a leg with its type and list). */
    private ManagedOrder adoptRow(OrderRecord o, OrderState state, long sentWallMs) {
        ManagedOrder m = execution.orders().adoptFromJournal(request(o), intent(o), purpose(o), o.intentNo(), state,
                sentWallMs, o.recvWindowMs(), o.orderType(), o.listClientOrderId());
        // what the journal holds of it: a row updated from now on adds what is applied to it, never starts at zero
        for (JournalReader.FillRow row : journaledFills) {
            Fill f = row.fill();
            if (f.clientOrderId().equals(o.clientOrderId()) && !missedTrades.contains(f.symbol() + ':' + f.tradeId())) {
                m.executedQty = m.executedQty.add(f.qty());
                m.cumQuoteQty = m.cumQuoteQty.add(f.quoteQty());
            }
        }
        return m;
    }

    static boolean isFinal(String state) {
        return OrderState.valueOf(state).isFinal();
    }

    static OrderRequest request(OrderRecord o) {
        return new OrderRequest(o.clientOrderId(), o.symbol(), Side.valueOf(o.side()), o.quantity(), o.quoteQty(),
                o.referencePrice(), o.stopPrice(), "STOP_LOSS_LIMIT".equals(o.orderType()), o.reason(), o.createdMs());
    }

    static OrderIntent intent(OrderRecord o) {
        if (!"ENTRY".equals(o.purpose()) || o.quoteQty() == null || o.quoteQty().signum() <= 0) {
            return null;
        }
        return OrderIntent.enter(o.symbol(), o.quoteQty(), o.reason(), o.stopLossPct(), o.takeProfitPct(),
                o.templateDay());
    }

    static ManagedOrder.Purpose purpose(OrderRecord o) {
        return ManagedOrder.Purpose.valueOf(o.purpose());
    }

    public List<Finding> findings() {
        return Collections.unmodifiableList(findings);
    }
}
