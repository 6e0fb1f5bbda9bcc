package io.aquatrade.execution;

import io.aquatrade.exchange.ExchangeAdapter;
import io.aquatrade.exchange.ExecutionListener;
import io.aquatrade.exchange.OrderList;
import io.aquatrade.exchange.OrderReport;
import io.aquatrade.exchange.OrderRequest;
import io.aquatrade.journal.ClientOrderIds;
import io.aquatrade.journal.IntentRecord;
import io.aquatrade.journal.Journal;
import io.aquatrade.journal.OrderRecord;
import io.aquatrade.model.Fill;
import io.aquatrade.model.OrderIntent;
import io.aquatrade.model.Side;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The one owner of every order: its state (NEW → SENT → ACKED → PARTIALLY_FILLED → FILLED |
 * CANCELED | EXPIRED | REJECTED, or UNKNOWN when the outcome was lost), its journal rows, and the
 * only writer of both. Listens to the exchange adapter; passes what matters to the execution
 * service (fills, completions, rejections) once it has recorded them.
 *
 * <p>Durability: each request is a journal row before it leaves. With {@link SendPolicy#AFTER_WRITE}
 * (a venue that outlives this process: Binance, or a simulator in another process) the row is
 * committed into the journal on the pipeline's thread and the request leaves right after; the fsync
 * follows in the journal's next group commit. So the row survives the process dying (kill -9, OOM, a
 * container restart) before the request could be sent; a power cut inside the fsync window can lose
 * it, and recovery then adopts the order it finds on the exchange under the run's durable prefix.
 * {@link SendPolicy#AFTER_DURABLE} waits for the fsync before sending (the send hops back to the
 * pipeline's context when the group commit completes): 1-50 ms on the send path. With
 * {@link SendPolicy#IMMEDIATE} (a venue inside this process, which a crash loses together with the
 * bot) the row is written the same way but the order goes out at once, which keeps a replay's
 * fills exactly where they were.
 *
 * <p>Unknown outcomes are resolved, never guessed: once the exchange can no longer accept the original
 * (the deadline the venue reports: the signed timestamp plus its recvWindow, however long the request
 * waited in the throttle's queue before it was signed) the order is looked up by its client order id;
 * only when the exchange has no such order is it sent again, under the same client order id. A look-up
 * that fails is tried again, at most {@link #LOOKUP_RETRY_MAX_MS} apart, for as long as the run lasts:
 * an order left UNKNOWN would hold its symbol (and its position's stop) for good.
 *
 * <p>Single-threaded: every method runs on the pipeline's thread.
 */
public final class OrderManager implements ExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(OrderManager.class);
    /** Added to the recvWindow before the lookup: our clock and the exchange's may differ by this much. */
    static final long CLOCK_MARGIN_MS = 1_000;
    static final int MAX_SENDS = 3;
    /** Failed look-ups after which each further failure is logged as an error (they never stop). */
    static final int MAX_LOOKUPS = 5;
    static final long LOOKUP_RETRY_MS = 2_000;
    /** The longest wait between two look-ups of an order the exchange could not be asked about. */
    static final long LOOKUP_RETRY_MAX_MS = 30_000;
    private static final int RECENT_DONE = 10_000;

    /** When a journaled request may leave. */
    public enum SendPolicy { AFTER_WRITE, AFTER_DURABLE, IMMEDIATE }

    /** Schedules a task on the pipeline's context after a delay (Vert.x timer in a run; a manual clock in tests). */
    @FunctionalInterface
    public interface Scheduler {
        void schedule(long delayMs, Runnable task);
    }

    /** What the execution service does with what the exchange reports, after the manager recorded it. */
    interface Events {
        void onFill(ManagedOrder order, Fill fill);

        void onDone(ManagedOrder order, String status);

        void onRejected(ManagedOrder order, int code, String message);

        void onUnknown(ManagedOrder order, String cause);

        /** An order whose outcome was unknown is on the exchange after all (acknowledged, or found by a lookup). */
        void onFound(ManagedOrder order);
        /** A fill could not be journaled (its write is retried), or, with null, every such fill is written now. */
        void onJournalFailing(String cause);
    }

    private final String fallbackPrefix;
    private long seq;
    private Journal journal;
    private SendPolicy policy = SendPolicy.IMMEDIATE;
    private Executor pipeline = Runnable::run;
    private Scheduler scheduler = (delay, task) -> {
        throw new IllegalStateException("no scheduler wired: an unknown order outcome cannot be resolved");
    };
    private LongSupplier wallClock = System::currentTimeMillis;
    private long recvWindowMs = 5_000;
    private ExchangeAdapter exchange;
    private Events events;
    private java.util.function.Function<String, String> baseAssetOf = s -> s;

    private final Map<String, ManagedOrder> live = new LinkedHashMap<>();
    private final Map<String, ManagedOrder> recentDone = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ManagedOrder> eldest) {
            return size() > RECENT_DONE;
        }
    };
    private final Set<String> seenTrades = new HashSet<>();
    private final Map<String, Long> lastTradeId = new HashMap<>();
    /** Fills applied but not yet journaled (the write failed), by symbol:trade id, until a retry has written them. */
    private final Map<String, Fill> unjournaledFills = new LinkedHashMap<>();
    /** The first retry of a fill's failed write waits this long; each next one twice as long, at most the cap. */
    static final long FILL_RETRY_MS = 1_000;
    static final long FILL_RETRY_MAX_MS = 60_000;
    private long journalFailures;
    private long duplicateFills;
    private long resends;
    private long lookups;
    private long lookupFailures;

    OrderManager(String fallbackPrefix) {
        this.fallbackPrefix = fallbackPrefix;
    }

    void connect(ExchangeAdapter adapter, Events events) {
        this.exchange = adapter;
        this.events = events;
        adapter.setListener(this);
    }

    /**
     * Journals every order from now on. {@code pipeline} runs tasks on the pipeline's context (for
     * sends that wait for the disk), {@code scheduler} delays lookups, {@code wallClock} is the
     * clock the exchange's recvWindow is measured against.
     */
    void attachJournal(Journal journal, SendPolicy policy, Executor pipeline, Scheduler scheduler, LongSupplier wallClock,
                       long recvWindowMs, java.util.function.Function<String, String> baseAssetOf) {
        this.journal = journal;
        this.policy = policy;
        this.pipeline = pipeline;
        this.scheduler = scheduler;
        this.wallClock = wallClock;
        this.recvWindowMs = recvWindowMs;
        this.baseAssetOf = baseAssetOf;
    }

    Journal journal() {
        return journal;
    }

    long recvWindowMs() {
        return recvWindowMs;
    }

    /** The next client order id: the journal's run prefix and sequence, so ids never repeat across restarts. */
    String nextClientOrderId() {
        if (journal != null) {
            return ClientOrderIds.of(journal.idPrefix(), journal.nextOrderSeq());
        }
        return ClientOrderIds.of(fallbackPrefix, ++seq);
    }

    /** Journals an intent and what became of it; returns its number in this run (null without a journal). */
    Long recordIntent(OrderIntent i, long nowMs, String outcome, String clientOrderId) {
        if (journal == null || i == null) {
            return null;
        }
        long no = journal.nextIntentNo();
        journal.recordIntent(new IntentRecord(journal.runNo(), no, nowMs, i.symbol(), i.side().name(), i.quoteQty(),
                i.sellFraction(), i.stopLossPct(), i.takeProfitPct(), i.templateDay(), i.reason(), outcome,
                clientOrderId)).whenComplete((v, err) -> {
                    if (err != null) {
                        journalFailures++;
                    }
                });
        return no;
    }

    /** Takes ownership of a new order, journals it and sends it (now, or once its row is durable). */
    ManagedOrder place(OrderRequest request, OrderIntent intent, ManagedOrder.Purpose purpose, Long intentNo) {
        ManagedOrder o = new ManagedOrder(request, intent, purpose, intentNo, recvWindowMs);
        live.put(o.clientOrderId(), o);
        journalThenSend(List.of(o), () -> send(o),
                why -> events.onRejected(o, 0, "not sent: the journal could not record the request"));
        return o;
    }

    /**
     * Journals the rows of {@code os} (one order, or the legs of one protection) and runs {@code send} when the send
     * policy lets them leave. When the journal cannot hold them, every one is closed REJECTED and {@code notSent}
     * runs instead: what the journal does not hold is never sent, since after a crash it could not be reconciled.
     */
    private void journalThenSend(List<ManagedOrder> os, Runnable send, java.util.function.Consumer<String> notSent) {
        if (journal == null) {
            send.run();
            return;
        }
        List<CompletableFuture<Void>> rows = new ArrayList<>();
        if (policy == SendPolicy.AFTER_WRITE) {
            try {
                for (ManagedOrder o : os) {
                    rows.add(journal.insertOrderWritten(record(o)));
                }
            } catch (io.aquatrade.journal.JournalException e) {
                journalFailures++;
                for (int k = 0; k < os.size(); k++) {
                    closeUnsent(os.get(k), e.getMessage(), k < rows.size());
                }
                notSent.accept(e.getMessage());
                return;
            }
            countFailures(rows);
            send.run();
            return;
        }
        for (ManagedOrder o : os) {
            rows.add(journal.insertOrder(record(o)));
        }
        if (policy == SendPolicy.IMMEDIATE) {
            countFailures(rows);
            send.run();
            return;
        }
        CompletableFuture.allOf(rows.toArray(new CompletableFuture[0])).whenComplete((v, err) -> pipeline.execute(() -> {
            if (err != null) {
                journalFailures++;
                for (ManagedOrder o : os) {
                    closeUnsent(o, "journal write failed: " + err.getMessage(), true);
                }
                notSent.accept(err.getMessage());
            } else if (os.stream().allMatch(o -> o.state == OrderState.NEW)) {
                send.run();
            }
        }));
    }

    private void countFailures(List<CompletableFuture<Void>> rows) {
        for (CompletableFuture<Void> row : rows) {
            row.whenComplete((v, err) -> {
                if (err != null) {
                    pipeline.execute(() -> journalFailures++);
                }
            });
        }
    }

    /** Closes an order that never left; {@code hasRow}: its journal row exists and records the refusal too. */
    private void closeUnsent(ManagedOrder o, String detail, boolean hasRow) {
        if (hasRow) {
            finish(o, OrderState.REJECTED, "REJECTED", detail);
            return;
        }
        live.remove(o.clientOrderId());
        o.state = OrderState.REJECTED;
        o.lastError = detail;
        recentDone.put(o.clientOrderId(), o);
    }

    private void send(ManagedOrder o) {
        o.state = OrderState.SENT;
        o.attempts++;
        o.sentWallMs = wallClock.getAsLong();
        journalUpdate(o, o.attempts == 1 ? "SENT" : "RESEND", o.sentWallMs, null);
        exchange.submit(o.request());
    }

    private OrderRecord record(ManagedOrder o) {
        return record(o, journal.runNo(), seqOf(o.clientOrderId()), o.orderType());
    }

    private OrderRecord record(ManagedOrder o, long runNo, long seq, String orderType) {
        OrderRequest r = o.request();
        OrderIntent i = o.intent();
        return new OrderRecord(r.clientOrderId(), runNo, seq, r.symbol(), r.side().name(),
                orderType, r.quantity(), r.quoteOrderQty(), o.limitPrice(), r.triggerPrice(), r.referencePrice(),
                r.reason(), o.purpose().name(), o.intentNo(), i == null ? null : i.stopLossPct(),
                i == null ? null : i.takeProfitPct(), i == null ? null : i.templateDay(), o.recvWindowMs(), r.createdMs(),
                null, o.state.name(), null, BigDecimal.ZERO, BigDecimal.ZERO, r.createdMs(), null, o.listClientOrderId());
    }

    private long seqOf(String clientOrderId) {
        String prefix = journal.idPrefix();
        if (clientOrderId.startsWith(prefix)) {
            try {
                return Long.parseLong(clientOrderId.substring(prefix.length()), 36);
            } catch (NumberFormatException ignored) {
                // not one of ours: fall through
            }
        }
        return -Math.abs((long) clientOrderId.hashCode());
    }

    private void journalUpdate(ManagedOrder o, String event, Long sentMs, String detail) {
        if (journal == null) {
            return;
        }
        journal.updateOrder(o.clientOrderId(), wallClock.getAsLong(), event, o.state.name(),
                o.exchangeOrderId >= 0 ? o.exchangeOrderId : null, o.executedQty, o.cumQuoteQty, sentMs, detail)
                .whenComplete((v, err) -> {
                    if (err != null) {
                        pipeline.execute(() -> journalFailures++);
                    }
                });
    }

    private void finish(ManagedOrder o, OrderState state, String event, String detail) {
        o.state = state;
        if (detail != null && (state == OrderState.REJECTED || state == OrderState.UNKNOWN)) {
            o.lastError = detail;
        }
        journalUpdate(o, event, null, detail);
        live.remove(o.clientOrderId());
        recentDone.put(o.clientOrderId(), o);
    }

    // ------------------------------------------------------------------ the adapter's reports

    private ManagedOrder find(String clientOrderId) {
        ManagedOrder o = live.get(clientOrderId);
        return o != null ? o : recentDone.get(clientOrderId);
    }

    @Override
    public void onAcknowledged(OrderRequest order, long exchangeOrderId) {
        ManagedOrder o = live.get(order.clientOrderId());
        if (o == null) {
            return;
        }
        boolean wasUnknown = o.state == OrderState.UNKNOWN;
        acknowledge(o, exchangeOrderId);
        if (wasUnknown) {
            events.onFound(o);
        }
    }

    @Override
    public void onFill(Fill fill) {
        if (!seenTrades.add(fill.symbol() + ':' + fill.tradeId())) {
            duplicateFills++; // the response and the user-data stream both carry it: it counts once
            return;
        }
        lastTradeId.merge(fill.symbol(), fill.tradeId(), Math::max);
        ManagedOrder o = find(fill.clientOrderId());
        if (o == null) {
            log.warn("fill {} {} trade {} of order {} that this bot does not own: not applied", fill.side(),
                    fill.symbol(), fill.tradeId(), fill.clientOrderId());
            return;
        }
        Fill f = fill.reason() == null || o.purpose() == ManagedOrder.Purpose.PROTECT ? new Fill(fill.timeMs(), fill.symbol(), fill.side(), fill.price(), fill.qty(),
                fill.quoteQty(), fill.fee(), fill.feeAsset(), fill.clientOrderId(), o.request().reason(), fill.tradeId())
                : fill;
        if (journal != null) {
            journalFill(f, "exchange", 1);
        }
        o.executedQty = o.executedQty.add(f.qty());
        o.cumQuoteQty = o.cumQuoteQty.add(f.quoteQty());
        if (!o.state.isFinal()) {
            o.state = OrderState.PARTIALLY_FILLED;
            journalUpdate(o, "FILL", null, "trade " + f.tradeId());
        }
        events.onFill(o, f);
    }

    /**
     * Journals a fill; a failed write is retried (backing off to {@link #FILL_RETRY_MAX_MS}) for as long as the
     * journal is open, and new entries pause meanwhile: the fill is applied, and unwritten it would be lost at the
     * next start. Recovery finds any that a crash left unwritten all the same (the order's executed quantity says so).
     */
    private void journalFill(Fill f, String source, int attempt) {
        journal.recordFill(f, baseAssetOf.apply(f.symbol()), source).whenComplete((v, err) -> {
            if (err != null || attempt > 1) { // a first write that succeeds has nothing to clear
                pipeline.execute(() -> fillWritten(f, source, attempt, err));
            }
        });
    }

    private void fillWritten(Fill f, String source, int attempt, Throwable err) {
        String key = f.symbol() + ':' + f.tradeId();
        if (err == null) {
            if (unjournaledFills.remove(key) != null) {
                log.warn("journal: fill trade {} of {} written at attempt {}", f.tradeId(), f.clientOrderId(), attempt);
                if (unjournaledFills.isEmpty()) {
                    events.onJournalFailing(null);
                }
            }
            return;
        }
        journalFailures++;
        unjournaledFills.put(key, f);
        Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                ? err.getCause() : err;
        events.onJournalFailing("fill trade " + f.tradeId() + " " + f.symbol() + " of " + f.clientOrderId()
                + " not journaled: " + cause.getMessage());
        if (journal.isClosed()) {
            log.error("journal closed with fill trade {} {} of {} not written; reconciliation at the next start finds it",
                    f.tradeId(), f.symbol(), f.clientOrderId());
            return;
        }
        long delay = backoffMs(FILL_RETRY_MS, FILL_RETRY_MAX_MS, attempt);
        log.error("journal: fill trade {} {} of {} not written ({}); attempt {} in {} ms, new entries paused until then",
                f.tradeId(), f.symbol(), f.clientOrderId(), cause.getMessage(), attempt + 1, delay);
        scheduler.schedule(delay, () -> journalFill(f, source, attempt + 1));
    }

    /**
     * Recovery: journals a fill the exchange has but the journal lost (its write failed in an earlier run); it was
     * applied then, so it is only written now, and retried like any fill's write.
     */
    void journalRecoveredFill(Fill f) {
        if (journal != null) {
            journalFill(f, "reconcile", 1);
        }
    }

    /** Counts a failed journal write (one that loses no order or fill: a retry or recovery covers it). */
    void counted(CompletableFuture<?> write) {
        write.whenComplete((v, err) -> {
            if (err != null) {
                pipeline.execute(() -> journalFailures++);
            }
        });
    }

    @Override
    public void onOrderDone(OrderRequest order, String status) {
        ManagedOrder o = live.get(order.clientOrderId());
        if (o == null) {
            return;
        }
        finish(o, OrderState.ofDone(status), "DONE", status);
        events.onDone(o, status);
    }

    @Override
    public void onRejected(OrderRequest order, int code, String message) {
        ManagedOrder o = live.get(order.clientOrderId());
        if (o == null) {
            return;
        }
        finish(o, OrderState.REJECTED, "REJECTED", code + " " + message);
        events.onRejected(o, code, message);
    }

    /**
     * The order stays in flight (every cap counts it, nothing else is sent for its symbol) until a
     * lookup after {@code acceptDeadlineWallMs} (when the exchange can no longer accept the request)
     * says what became of it.
     */
    @Override
    public void onUnknownOutcome(OrderRequest order, String cause, long acceptDeadlineWallMs) {
        ManagedOrder o = live.get(order.clientOrderId());
        if (o == null) {
            return;
        }
        o.state = OrderState.UNKNOWN;
        o.lastError = cause;
        o.acceptDeadlineWallMs = acceptDeadlineWallMs;
        journalUpdate(o, "UNKNOWN", null, cause);
        events.onUnknown(o, cause);
        scheduleLookup(o, Math.max(0, acceptDeadlineWallMs - wallClock.getAsLong()), 1);
    }

    private void scheduleLookup(ManagedOrder o, long delayMs, int attempt) {
        scheduler.schedule(delayMs, () -> lookUp(o, attempt));
    }

    /** The wait before try {@code attempt + 1} of a look-up that failed: doubling, capped. */
    static long retryDelayMs(int attempt) {
        return backoffMs(LOOKUP_RETRY_MS, LOOKUP_RETRY_MAX_MS, attempt);
    }

    /** {@code firstMs} after the first failure, twice as long after each next one, at most {@code capMs}. */
    private static long backoffMs(long firstMs, long capMs, int attempt) {
        return Math.min(capMs, firstMs << Math.min(attempt - 1, 20));
    }

    /** A look-up (of an order, or of its trades) the exchange did not answer: counted, logged louder the longer it lasts. */
    private void lookupFailed(ManagedOrder o, String what, int attempt, Throwable err) {
        lookupFailures++;
        String text = "order {} ({} {}): {} failed {} time(s) ({}); trying again in {} ms";
        Object[] args = {o.clientOrderId(), o.request().side(), o.symbol(), what, attempt, err.getMessage(), retryDelayMs(attempt)};
        if (attempt >= MAX_LOOKUPS) {
            log.error(text + ": nothing else is sent for the symbol until the exchange answers", args);
        } else {
            log.warn(text, args);
        }
    }

    /** Asks the exchange what became of an order whose outcome was lost; resends only if it has none. */
    void lookUp(ManagedOrder o, int attempt) {
        if (o.state != OrderState.UNKNOWN) {
            return; // the stream or a response told us meanwhile
        }
        lookups++;
        exchange.queryOrder(o.symbol(), o.clientOrderId()).whenComplete((found, err) -> {
            if (o.state != OrderState.UNKNOWN) {
                return;
            }
            if (err != null) {
                // never given up: an UNKNOWN order holds its symbol, and with it the position's stop-loss
                lookupFailed(o, "the look-up", attempt, err);
                scheduleLookup(o, retryDelayMs(attempt), attempt + 1);
                return;
            }
            if (found.isPresent()) {
                journalUpdate(o, "LOOKUP", null, "found " + found.get().status());
                adopt(o, found.get());
            } else if (o.purpose() == ManagedOrder.Purpose.PROTECT) {
                // a leg is not a MARKET order: execution places the whole protection again, under new ids
                finish(o, OrderState.REJECTED, "REJECTED", "not on the exchange after its recvWindow");
                events.onRejected(o, 0, "not on the exchange after its recvWindow");
            } else if (o.attempts < MAX_SENDS) {
                resends++;
                log.warn("order {} never reached the exchange (no such order after its recvWindow): sending it again",
                        o.clientOrderId());
                send(o);
            } else {
                finish(o, OrderState.REJECTED, "REJECTED", "not on the exchange after " + o.attempts + " sends");
                events.onRejected(o, 0, "not on the exchange after " + o.attempts + " sends");
            }
        });
    }

    /** Takes the exchange's report of an order as the truth: its fills (counted once each) and its state. */
    CompletableFuture<Void> adopt(ManagedOrder o, OrderReport r) {
        o.exchangeOrderId = r.orderId();
        OrderState state = OrderState.of(r.status());
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (r.executedQty().compareTo(o.executedQty) > 0) {
            applyTradesThenSettle(o, r.orderId(), state, done, 1);
        } else {
            settle(o, state);
            done.complete(null);
        }
        return done;
    }

    /**
     * Applies the order's own trades (by its exchange order id, not the symbol's history), then its state. A fetch
     * that fails is tried again: the order is never closed without its fills.
     */
    private void applyTradesThenSettle(ManagedOrder o, long exchangeOrderId, OrderState state, CompletableFuture<Void> done,
                                       int attempt) {
        exchange.orderTrades(o.symbol(), o.clientOrderId(), exchangeOrderId).whenComplete((trades, err) -> {
            if (err != null) {
                lookupFailed(o, "reading its trades", attempt, err);
                scheduler.schedule(retryDelayMs(attempt), () -> applyTradesThenSettle(o, exchangeOrderId, state, done, attempt + 1));
                return;
            }
            trades.forEach(this::onFill); // each trade counts once, by trade id
            settle(o, state);
            done.complete(null);
        });
    }

    private void settle(ManagedOrder o, OrderState state) {
        if (state.isFinal()) {
            if (live.containsKey(o.clientOrderId())) {
                finish(o, state, "DONE", state.name());
                if (state == OrderState.REJECTED) {
                    events.onRejected(o, 0, "rejected (learnt by lookup)");
                } else {
                    events.onDone(o, state.name());
                }
            }
        } else {
            boolean wasUnknown = o.state == OrderState.UNKNOWN;
            o.state = state;
            journalUpdate(o, "RESOLVED", null, state.name());
            if (wasUnknown) {
                events.onFound(o);
            }
        }
    }

    // ------------------------------------------------------------------ protective orders resting on the exchange

    /** How the placement of a protection ended: placed, refused by the exchange (its code), or not known yet. */
    record Placement(boolean placed, boolean unknown, int code, String message) {
        static final Placement PLACED = new Placement(true, false, 0, null);

        boolean refused() {
            return !placed && !unknown;
        }
    }

    /**
     * Takes ownership of a protection's legs, journals them (before they leave, like every request) and places them:
     * one OCO or a STOP_LOSS_LIMIT. Completes on the pipeline's context when the exchange answered. An outcome that
     * was lost leaves the legs UNKNOWN: each is looked up after its recvWindow; one the exchange does not have is
     * closed (never resent under its id), and execution places the protection again.
     */
    CompletableFuture<Placement> placeProtection(Protection p) {
        CompletableFuture<Placement> out = new CompletableFuture<>();
        for (ManagedOrder leg : p.legs()) {
            live.put(leg.clientOrderId(), leg);
        }
        journalThenSend(p.legs(), () -> sendProtection(p, out),
                why -> out.complete(new Placement(false, false, 0, "not sent: the journal could not record the request")));
        return out;
    }

    private void sendProtection(Protection p, CompletableFuture<Placement> out) {
        for (ManagedOrder leg : p.legs()) {
            leg.state = OrderState.SENT;
            leg.attempts++;
            leg.sentWallMs = wallClock.getAsLong();
            journalUpdate(leg, "SENT", leg.sentWallMs, null);
        }
        ManagedOrder sl = p.stopLeg();
        CompletionStage<List<OrderReport>> placed;
        try {
            placed = p.isOco()
                    ? exchange.placeOco(p.listClientOrderId(), p.takeProfitLeg().clientOrderId(), sl.clientOrderId(),
                            p.symbol(), p.quantity(), p.takeProfitPrice(), p.stopPrice(), p.stopLimitPrice(), "protect")
                            .thenApply(OrderList::orders)
                    : exchange.placeStopLossLimit(sl.clientOrderId(), p.symbol(), Side.SELL, p.quantity(), p.stopPrice(),
                            p.stopLimitPrice(), sl.request().reason()).thenApply(List::of);
        } catch (RuntimeException e) {
            placed = CompletableFuture.failedFuture(e);
        }
        placed.whenComplete((reports, err) -> {
            if (err == null) {
                for (OrderReport r : reports) {
                    ManagedOrder leg = live.get(r.clientOrderId());
                    if (leg != null && p.owns(leg)) {
                        acknowledge(leg, r.orderId());
                    }
                }
                out.complete(Placement.PLACED);
                return;
            }
            Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                    ? err.getCause() : err;
            if (cause instanceof io.aquatrade.exchange.ExchangeException ee) {
                for (ManagedOrder leg : p.legs()) {
                    if (live.containsKey(leg.clientOrderId())) {
                        finish(leg, OrderState.REJECTED, "REJECTED", ee.getMessage());
                    }
                }
                out.complete(new Placement(false, false, ee.error().code(), ee.error().msg()));
                return;
            }
            for (ManagedOrder leg : p.legs()) {
                if (leg.state == OrderState.SENT) {
                    leg.state = OrderState.UNKNOWN;
                    leg.lastError = String.valueOf(cause.getMessage());
                    journalUpdate(leg, "UNKNOWN", null, leg.lastError);
                    events.onUnknown(leg, leg.lastError);
                    // the venue did not report when the exchange stops accepting it (onUnknownOutcome): from the submit
                    scheduleLookup(leg, Math.max(0, leg.sentWallMs + leg.recvWindowMs() + CLOCK_MARGIN_MS
                            - wallClock.getAsLong()), 1);
                }
            }
            out.complete(new Placement(false, true, 0, String.valueOf(cause.getMessage())));
        });
    }

    /**
     * Cancels a protection (the OCO list, or the STOP_LOSS_LIMIT) and completes once every leg is final as the
     * exchange reports it: a leg that filled before the cancel arrived has its fills applied (once, by trade id)
     * before this completes, so the caller sees the position as it really is. A cancel the exchange refuses as
     * unknown (-2011: the legs are no longer open) is answered by looking each leg up. Fails when the exchange
     * could not be asked: the legs are then still open.
     */
    CompletableFuture<Void> cancelProtection(Protection p) {
        for (ManagedOrder leg : p.legs()) {
            if (!leg.state.isFinal()) {
                journalUpdate(leg, "CANCEL", null, null);
            }
        }
        CompletionStage<List<OrderReport>> cancelled = p.isOco()
                ? exchange.cancelOrderList(p.symbol(), p.listClientOrderId()).thenApply(OrderList::orders)
                : exchange.cancel(p.symbol(), p.stopLeg().clientOrderId()).thenApply(List::of);
        return cancelled.handle((reports, err) -> {
            if (err == null) {
                List<CompletableFuture<Void>> adopted = new ArrayList<>();
                for (OrderReport r : reports) {
                    ManagedOrder leg = find(r.clientOrderId());
                    if (leg != null && p.owns(leg)) {
                        adopted.add(adopt(leg, r));
                    }
                }
                return CompletableFuture.allOf(adopted.toArray(new CompletableFuture[0]));
            }
            Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                    ? err.getCause() : err;
            if (cause instanceof io.aquatrade.exchange.ExchangeException ee
                    && (ee.error().code() == io.aquatrade.exchange.BinanceError.CANCEL_REJECTED
                    || ee.error().code() == io.aquatrade.exchange.BinanceError.NO_SUCH_ORDER)) {
                return lookUpLegs(p);
            }
            return CompletableFuture.<Void>failedFuture(cause);
        }).thenCompose(f -> f).toCompletableFuture();
    }

    /**
     * Every leg as the exchange now has it (filled, expired, cancelled), its fills applied. A leg the exchange does not
     * have is closed CANCELED only once it was known to rest: while its placement is unanswered (sent, or its outcome
     * unknown) it may still land, and its own answer or its lookup after the recvWindow settles it.
     */
    private CompletableFuture<Void> lookUpLegs(Protection p) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (ManagedOrder leg : p.legs()) {
            chain = chain.thenCompose(v -> exchange.queryOrder(leg.symbol(), leg.clientOrderId()).toCompletableFuture()
                    .thenCompose(found -> {
                        if (found.isPresent()) {
                            return adopt(leg, found.get());
                        }
                        if (live.containsKey(leg.clientOrderId()) && !leg.state.unanswered()) {
                            finish(leg, OrderState.CANCELED, "DONE", "not on the exchange when cancelled");
                            events.onDone(leg, "CANCELED");
                        }
                        return CompletableFuture.completedFuture(null);
                    }));
        }
        return chain;
    }

    private void acknowledge(ManagedOrder o, long exchangeOrderId) {
        o.exchangeOrderId = exchangeOrderId;
        if (o.state.unanswered()) {
            o.state = OrderState.ACKED;
            journalUpdate(o, "ACK", null, null);
        }
    }

    // ------------------------------------------------------------------ recovery

    /** Takes over an order rebuilt from the journal at start (its row already exists). */
    ManagedOrder adoptFromJournal(OrderRequest request, OrderIntent intent, ManagedOrder.Purpose purpose, Long intentNo,
                                  OrderState state, long sentWallMs, long recvWindowMs) {
        return adoptFromJournal(request, intent, purpose, intentNo, state, sentWallMs, recvWindowMs, "MARKET", null);
    }

    /** The same for a protective leg: its order type and OCO list. */
    ManagedOrder adoptFromJournal(OrderRequest request, OrderIntent intent, ManagedOrder.Purpose purpose, Long intentNo,
                                  OrderState state, long sentWallMs, long recvWindowMs, String orderType,
                                  String listClientOrderId) {
        ManagedOrder o = new ManagedOrder(request, intent, purpose, intentNo, recvWindowMs, orderType, listClientOrderId);
        o.state = state;
        o.sentWallMs = sentWallMs;
        o.attempts = 1;
        live.put(o.clientOrderId(), o);
        return o;
    }

    /**
     * Takes over an order of this bot that the exchange has but the journal lost: its request row was written
     * but a power cut came before the fsync. Its client order id carries one of the journal's run prefixes
     * ({@code runNo}, {@code seq} from it). The row is journaled again from the exchange's report; the order is
     * never sent again (it reached the exchange). Its fills are then applied once, like any missed fill.
     */
    ManagedOrder adoptLost(OrderReport r, long runNo, long seq, ManagedOrder.Purpose purpose) {
        boolean stop = r.stopPrice() != null && r.stopPrice().signum() > 0;
        OrderRequest request = new OrderRequest(r.clientOrderId(), r.symbol(), r.side(),
                r.origQty().signum() > 0 ? r.origQty() : null,
                r.side() == Side.BUY && r.cumQuoteQty().signum() > 0 ? r.cumQuoteQty() : null, null,
                stop ? r.stopPrice() : null, stop, "adopted: journal row lost before its fsync", r.timeMs());
        // as it stood on the exchange before its fills: they follow as FILL events, the final state after them
        ManagedOrder o = new ManagedOrder(request, null, purpose, null, recvWindowMs);
        o.state = OrderState.ACKED;
        o.sentWallMs = r.timeMs();
        o.attempts = 1;
        o.exchangeOrderId = r.orderId();
        live.put(o.clientOrderId(), o);
        if (journal != null) {
            journal.insertOrder(record(o, runNo, seq, r.type())).whenComplete((v, err) -> {
                if (err != null) {
                    pipeline.execute(() -> journalFailures++);
                }
            });
        }
        return o;
    }

    /** Marks trades already journaled as seen (so a replayed fill counts once across restarts). */
    void markSeen(String symbol, long tradeId) {
        seenTrades.add(symbol + ':' + tradeId);
        lastTradeId.merge(symbol, tradeId, Math::max);
    }

    boolean seen(String symbol, long tradeId) {
        return seenTrades.contains(symbol + ':' + tradeId);
    }

    void close(ManagedOrder o, OrderState state, String detail) {
        finish(o, state, "RECONCILED", detail);
    }

    // ------------------------------------------------------------------ what is in flight

    /** Orders not yet final (NEW, SENT, ACKED, PARTIALLY_FILLED, UNKNOWN). */
    public Collection<ManagedOrder> inFlight() {
        return Collections.unmodifiableCollection(live.values());
    }

    /**
     * Orders whose outcome is still open: everything not final except protective legs the exchange has and that
     * rest there on purpose (a graceful stop waits for these, not for the protection meant to outlive it).
     */
    public int unresolved() {
        int n = 0;
        for (ManagedOrder o : live.values()) {
            boolean resting = o.purpose() == ManagedOrder.Purpose.PROTECT
                    && (o.state == OrderState.ACKED || o.state == OrderState.PARTIALLY_FILLED);
            if (!resting) {
                n++;
            }
        }
        return n;
    }

    /** The non-protective order in flight for a symbol, or null (at most one per symbol is sent). */
    public ManagedOrder inFlight(String symbol) {
        for (ManagedOrder o : live.values()) {
            if (o.symbol().equals(symbol) && o.purpose() != ManagedOrder.Purpose.PROTECT) {
                return o;
            }
        }
        return null;
    }

    /** A SELL is in flight for the symbol: the position's exit is under way (the rules' {@code exitPending}). */
    public boolean exitInFlight(String symbol) {
        ManagedOrder o = inFlight(symbol);
        return o != null && o.request().side() == Side.SELL;
    }

    List<ManagedOrder> inFlightList() {
        return new ArrayList<>(live.values());
    }

    public ManagedOrder order(String clientOrderId) {
        return find(clientOrderId);
    }

    /** Journal writes that failed since the start (each retry of a fill's write counts again). */
    public long journalFailures() { return journalFailures; }
    /** Fills applied but not yet journaled: their writes are being retried, and new entries pause meanwhile. */
    public int unjournaledFills() { return unjournaledFills.size(); }
    public long duplicateFills() { return duplicateFills; }
    public long resends() { return resends; }
    public long lookups() { return lookups; }
    /** Look-ups of orders (or of their trades) the exchange did not answer; each is tried again. */
    public long lookupFailures() { return lookupFailures; }
    public Map<String, Long> lastTradeIds() { return Collections.unmodifiableMap(lastTradeId); }
}
