package io.aquatrade.execution;

import io.aquatrade.exchange.OrderRequest;
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
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * {@code execution.protective_orders=exchange}: each open position's stop-loss and take-profit rest on the exchange,
 * so the position stays protected while the bot is down. What rests is {@link ProtectiveOrders}' plan for what is
 * held: an OCO, or a STOP_LOSS_LIMIT alone where the symbol has no OCO or the exchange refused it (the take-profit is
 * then watched locally). The legs are orders of the {@link OrderManager}, journaled before they leave.
 *
 * <ul>
 *   <li>{@link #ensure} is the one place that decides: no protection for a held position → place it; the held
 *       quantity changed (a partial entry fill, a partial exit) or the trailing stop rose by a tick after the minimum
 *       interval → cancel-replace. It places nothing while the kill switch is HALTED or trading is blocked (what
 *       rests stays), nor while an exit of the symbol is in flight.</li>
 *   <li>{@link #cancelThen}: a rule exit first cancels the protection; only once the exchange confirmed every leg
 *       final (fills of a leg that executed in between applied first) does the exit go on, with the position as it
 *       then is: if the protection sold it, there is nothing left to sell.</li>
 *   <li>{@link #holdExit}: an exit while the protection is still being placed waits for the placement's answer (or,
 *       when that was lost, for the lookup after its recvWindow): a cancel before it would find nothing, and the legs
 *       could land after the sell and lock or sell the same coins. Once placed, refused or found absent, the exit goes
 *       on at once (and cancels what was placed); meanwhile the legs on their way protect the position.</li>
 *   <li>A refused placement is not retried for {@link #RETRY_AFTER_REFUSAL_MS} unless the plan changes: a refusal is
 *       never hammered at the exchange on every tick.</li>
 * </ul>
 * Single-threaded: the pipeline's thread.
 */
final class ExchangeProtection {

    private static final Logger log = LoggerFactory.getLogger(ExchangeProtection.class);
    /** Defaults of execution.stop_limit_offset_pct and execution.protection_min_move_ms (ConfigKeys). */
    static final BigDecimal STOP_LIMIT_OFFSET_PCT = new BigDecimal("0.5");
    static final long MIN_MOVE_INTERVAL_MS = 60_000;
    static final long RETRY_AFTER_REFUSAL_MS = 60_000;

    private record Refusal(ProtectiveOrders.Plan plan, long atMs, String why) {
    }

    private final Portfolio portfolio;
    private final OrderManager orders;
    private final SymbolRules rules;
    private final ProtectiveOrders planner;
    private final OrderRateLimiter rateLimiter;
    private final LongSupplier now;
    private final BooleanSupplier mayPlace;
    private final Map<String, Protection> bySymbol = new TreeMap<>();
    private final Map<String, Refusal> refused = new HashMap<>();
    /** The exit of each symbol waiting for its protection's placement to be answered. */
    private final Map<String, Runnable> heldExits = new HashMap<>();
    private long placements;
    private long moves;
    private long ocoRefusals;

    ExchangeProtection(Portfolio portfolio, OrderManager orders, SymbolRules rules, OrderRateLimiter rateLimiter,
                       LongSupplier now, BooleanSupplier mayPlace, BigDecimal stopLimitOffsetPct, long minMoveIntervalMs) {
        this.portfolio = portfolio;
        this.orders = orders;
        this.rules = rules;
        this.planner = new ProtectiveOrders(rules, stopLimitOffsetPct, minMoveIntervalMs);
        this.rateLimiter = rateLimiter;
        this.now = now;
        this.mayPlace = mayPlace;
    }

    /** The protection of a symbol's position (placing, resting or being cancelled), or null. */
    Protection of(String symbol) {
        Protection p = bySymbol.get(symbol);
        if (p != null && p.state() == Protection.State.ENDED && !p.canceling) {
            bySymbol.remove(symbol);
            return null;
        }
        return p;
    }

    /** A cancel of the symbol's protection is under way (its exit waits for it). */
    boolean canceling(String symbol) {
        Protection p = bySymbol.get(symbol);
        return p != null && p.canceling;
    }

    /** The symbol's protection is being placed: the exchange has not yet answered for every leg. */
    boolean placing(String symbol) {
        Protection p = of(symbol);
        return p != null && p.state() == Protection.State.PLACING;
    }

    /** An exit of the symbol waits for its protection's placement (see {@link #holdExit}). */
    boolean exitHeld(String symbol) {
        return heldExits.containsKey(symbol);
    }

    /** Runs {@code exit} once the symbol's protection is no longer being placed (one exit per symbol waits). */
    void holdExit(String symbol, Runnable exit) {
        log.info("exit {} waits for its protection's placement to be answered", symbol);
        heldExits.put(symbol, exit);
    }

    /** The held exit goes once the placement is answered (and no cancel is under way, which it would wait for). */
    private void releaseExit(String symbol) {
        Protection p = of(symbol);
        if (heldExits.containsKey(symbol) && (p == null || p.state() != Protection.State.PLACING && !p.canceling)) {
            heldExits.remove(symbol).run();
        }
    }

    /** A leg whose placement's outcome was lost is on the exchange after all. */
    void legFound(ManagedOrder leg) {
        Protection p = bySymbol.get(leg.symbol());
        if (p != null && p.owns(leg)) {
            releaseExit(leg.symbol());
        }
    }

    /** Why the last placement for the symbol was refused, while that refusal holds; else null. */
    String refusal(String symbol) {
        Refusal r = refused.get(symbol);
        return r == null ? null : r.why;
    }

    Map<String, Protection> all() {
        Map<String, Protection> out = new TreeMap<>();
        for (String s : new ArrayList<>(bySymbol.keySet())) {
            Protection p = of(s);
            if (p != null) {
                out.put(s, p);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /**
     * Places, moves or resizes the symbol's protection to match what is held (see the class comment); completes
     * when the exchange answered what was asked (at once when nothing was).
     */
    CompletableFuture<Void> ensure(String symbol) {
        releaseExit(symbol); // before protecting anew: a position being sold needs none
        Holding h = portfolio.holding(symbol);
        Protection p = of(symbol);
        if (p != null && p.canceling) {
            return DONE;
        }
        if (h == null || !h.isOpen() || !rules.knows(symbol)) {
            if (p != null && p.state() == Protection.State.RESTING && !anyExecuted(p)) {
                // nothing held any more (sold outside the bot, reduced at reconciliation): the legs would only be refused
                cancelThen(symbol, () -> { }, why -> { });
            }
            return DONE;
        }
        if (!mayPlace.getAsBoolean() || orders.exitInFlight(symbol) || exitHeld(symbol)) {
            return DONE;
        }
        ProtectiveOrders.Plan want = planner.plan(symbol, h.qty(), h.stopPrice(), h.takeProfitPrice(),
                rules.ocoAllowed(symbol));
        if (p != null) {
            if (p.state() != Protection.State.RESTING || want == null) {
                return DONE;
            }
            // a leg filling in parts is left to finish: replacing it would only chase a triggered stop
            boolean resized = want.quantity().compareTo(p.quantity()) != 0 && !anyExecuted(p);
            boolean moved = planner.worthMoving(symbol, p.stopPrice(), h.stopPrice(), p.placedAtMs(), now.getAsLong());
            if (resized || moved) {
                // the replacement's slots are taken before the cancel: a move never leaves the position bare for want
                // of order budget
                if (!acquire(symbol, want)) {
                    return DONE;
                }
                moves++;
                log.info("protection {} {}: {} (cancel-replace)", symbol, p, resized ? "held quantity is now "
                        + want.quantity().toPlainString() : "stop rises to " + h.stopPrice().toPlainString());
                cancelThen(symbol, () -> replace(symbol), why -> log.warn("protection {} not moved: {}", symbol, why));
            }
            return DONE;
        }
        if (want == null) {
            return DONE;
        }
        Refusal r = refused.get(symbol);
        if (r != null && r.plan.equals(want) && now.getAsLong() - r.atMs < RETRY_AFTER_REFUSAL_MS) {
            return DONE;
        }
        if (r != null && r.plan.kind() == ProtectiveOrders.Kind.OCO && want.kind() == ProtectiveOrders.Kind.OCO
                && r.plan.equals(want)) {
            want = want.stopOnly(); // within the same plan an OCO refused once is not asked for again
        }
        return acquire(symbol, want) ? place(want) : DONE;
    }

    /** After a move's cancel: the protection of what is held now, on the slots the move took. */
    private void replace(String symbol) {
        Holding h = portfolio.holding(symbol);
        if (h == null || !h.isOpen() || orders.exitInFlight(symbol)) {
            return; // a leg filled before the cancel landed: nothing left to protect
        }
        ProtectiveOrders.Plan want = planner.plan(symbol, h.qty(), h.stopPrice(), h.takeProfitPrice(),
                rules.ocoAllowed(symbol));
        if (want != null) {
            place(want);
        }
    }

    /** Takes the order budget's slots for a plan's orders (an OCO is two), or none when it has not room for all. */
    private boolean acquire(String symbol, ProtectiveOrders.Plan plan) {
        int legs = plan.kind() == ProtectiveOrders.Kind.OCO ? 2 : 1;
        for (int i = 0; i < legs; i++) {
            if (!rateLimiter.tryAcquireOrder(now.getAsLong(), true)) {
                log.warn("protection {} waits: the exchange's order budget is used up", symbol);
                return false;
            }
        }
        return true;
    }

    private static boolean anyExecuted(Protection p) {
        for (ManagedOrder leg : p.legs()) {
            if (leg.executedQty().signum() > 0) {
                return true;
            }
        }
        return false;
    }

    private CompletableFuture<Void> place(ProtectiveOrders.Plan plan) {
        String symbol = plan.symbol();
        Holding h = portfolio.holding(symbol);
        String stopReason = h.stopReason() == null ? "stop_loss" : h.stopReason();
        long at = now.getAsLong();
        String list = plan.kind() == ProtectiveOrders.Kind.OCO ? orders.nextClientOrderId() : null;
        ManagedOrder tp = plan.kind() == ProtectiveOrders.Kind.OCO
                ? leg(orders.nextClientOrderId(), plan, "LIMIT_MAKER", plan.takeProfitPrice(), null, "take_profit", list, at)
                : null;
        ManagedOrder sl = leg(orders.nextClientOrderId(), plan, "STOP_LOSS_LIMIT", plan.stopLimitPrice(), plan.stopPrice(),
                stopReason, list, at);
        Protection p = new Protection(plan, list, sl, tp, at);
        bySymbol.put(symbol, p);
        placements++;
        return orders.placeProtection(p).thenCompose(result -> placed(p, result));
    }

    private ManagedOrder leg(String clientOrderId, ProtectiveOrders.Plan plan, String type, BigDecimal limit,
                             BigDecimal stop, String reason, String list, long at) {
        OrderRequest r = new OrderRequest(clientOrderId, plan.symbol(), Side.SELL, plan.quantity(), null, limit, stop,
                stop != null, reason, at);
        return new ManagedOrder(r, null, ManagedOrder.Purpose.PROTECT, null, orders.recvWindowMs(), type, list);
    }

    private CompletableFuture<Void> placed(Protection p, OrderManager.Placement result) {
        String symbol = p.symbol();
        if (result.placed()) {
            refused.remove(symbol);
            log.info("protection {} rests on the exchange: {}", symbol, p);
            releaseExit(symbol);
            return DONE;
        }
        if (result.unknown()) {
            log.warn("protection {}: outcome unknown ({}); its legs are looked up after their recvWindow", symbol,
                    result.message());
            releaseExit(symbol); // the stream may have reported the legs already
            return DONE;
        }
        if (bySymbol.get(symbol) == p) {
            bySymbol.remove(symbol);
        }
        if (p.isOco()) {
            ocoRefusals++;
            refused.put(symbol, new Refusal(p.plan(), now.getAsLong(), "OCO refused: " + result.code() + " "
                    + result.message()));
            log.warn("protection {}: the exchange refused the OCO ({} {}); a STOP_LOSS_LIMIT alone rests instead and the"
                    + " take-profit is watched locally", symbol, result.code(), result.message());
            if (exitHeld(symbol)) {
                releaseExit(symbol); // the position is being sold: no stop to place for it
                return DONE;
            }
            ProtectiveOrders.Plan stop = p.plan().stopOnly();
            return mayPlace.getAsBoolean() && acquire(symbol, stop) ? place(stop) : DONE;
        }
        refused.put(symbol, new Refusal(p.plan(), now.getAsLong(), result.code() + " " + result.message()));
        log.error("protection {} UNPROTECTED on the exchange: the STOP_LOSS_LIMIT was refused ({} {}); its levels are "
                + "watched locally", symbol, result.code(), result.message());
        releaseExit(symbol);
        return DONE;
    }

    /**
     * Cancels the symbol's protection, then runs {@code then} once every leg is final as the exchange reports it;
     * {@code failed} gets the reason when the cancel could not be confirmed (the protection then stays).
     */
    void cancelThen(String symbol, Runnable then, Consumer<String> failed) {
        Protection p = of(symbol);
        if (p == null) {
            then.run();
            return;
        }
        if (p.canceling) {
            failed.accept("protection_cancel_in_flight");
            return;
        }
        p.canceling = true;
        orders.cancelProtection(p).whenComplete((v, err) -> {
            p.canceling = false;
            if (err != null || p.state() != Protection.State.ENDED) {
                String why = err == null ? "a leg is still open after the cancel" : String.valueOf(err.getMessage());
                log.warn("protection {}: cancel not confirmed ({}); it stays", symbol, why);
                failed.accept("protection_cancel_failed");
                return;
            }
            if (bySymbol.get(symbol) == p) {
                bySymbol.remove(symbol);
            }
            then.run();
        });
    }

    /** A leg of some protection ended (filled, expired, cancelled, refused): the position is protected anew if held. */
    void legEnded(ManagedOrder leg) {
        Protection p = bySymbol.get(leg.symbol());
        if (p == null || !p.owns(leg) || p.canceling) {
            return;
        }
        if (p.state() == Protection.State.ENDED) {
            bySymbol.remove(leg.symbol());
            ensure(leg.symbol()); // a held exit goes first
        } else {
            releaseExit(leg.symbol());
        }
    }

    // ------------------------------------------------------------------ recovery

    /**
     * At a restart: the legs the journal knows and the exchange still has resting (the order manager holds them
     * ACKED or PARTIALLY_FILLED) become each symbol's protection again, as they rest: adopted, never cancelled nor
     * placed twice. The holding's stop takes the resting one when that is higher (a trailing stop that had moved it).
     * Returns the protections adopted.
     */
    List<Protection> adoptResting(long atMs) {
        Map<String, ManagedOrder> stops = new TreeMap<>();
        Map<String, ManagedOrder> takeProfits = new HashMap<>();
        for (ManagedOrder leg : orders.inFlight()) {
            boolean resting = leg.state() == OrderState.ACKED || leg.state() == OrderState.PARTIALLY_FILLED;
            if (leg.purpose() != ManagedOrder.Purpose.PROTECT || !resting) {
                continue;
            }
            if ("STOP_LOSS_LIMIT".equals(leg.orderType())) {
                ManagedOrder other = stops.put(leg.symbol(), leg);
                if (other != null) {
                    log.warn("protection {}: two resting stops ({} and {}); {} is adopted", leg.symbol(),
                            other.clientOrderId(), leg.clientOrderId(), leg.clientOrderId());
                }
            } else if (leg.listClientOrderId() != null) {
                takeProfits.put(leg.listClientOrderId(), leg);
            }
        }
        List<Protection> adopted = new ArrayList<>();
        for (ManagedOrder stop : stops.values()) {
            ManagedOrder tp = stop.listClientOrderId() == null ? null : takeProfits.get(stop.listClientOrderId());
            adopted.add(adopt(stop.symbol(), stop, tp, atMs));
            Holding h = portfolio.holding(stop.symbol());
            if (h != null && h.isOpen() && (h.stopPrice() == null || stop.stopPrice().compareTo(h.stopPrice()) > 0)) {
                portfolio.raiseStop(stop.symbol(), stop.stopPrice(), stop.request().reason());
            }
        }
        return adopted;
    }

    private Protection adopt(String symbol, ManagedOrder stopLeg, ManagedOrder takeProfitLeg, long atMs) {
        ProtectiveOrders.Plan plan = new ProtectiveOrders.Plan(takeProfitLeg == null ? ProtectiveOrders.Kind.STOP_LOSS_LIMIT
                : ProtectiveOrders.Kind.OCO, symbol, stopLeg.request().quantity(), stopLeg.stopPrice(), stopLeg.limitPrice(),
                takeProfitLeg == null ? null : takeProfitLeg.limitPrice());
        Protection p = new Protection(plan, stopLeg.listClientOrderId(), stopLeg, takeProfitLeg, atMs);
        bySymbol.put(symbol, p);
        log.info("protection {} adopted from the exchange: {}", symbol, p);
        return p;
    }

    /**
     * Every held position without resting protection gets it (a restart after its protection was cancelled by hand,
     * or filled partly, or never placed); completes with the protections placed once the exchange answered each.
     */
    CompletableFuture<List<Protection>> protectHoldings() {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        List<String> symbols = new ArrayList<>();
        for (Holding h : new ArrayList<>(portfolio.holdings().values())) {
            if (h.isOpen() && of(h.symbol()) == null) {
                symbols.add(h.symbol());
                all.add(ensure(h.symbol()));
            }
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).handle((v, err) -> {
            List<Protection> placed = new ArrayList<>();
            for (String s : symbols) {
                Protection p = of(s);
                if (p != null) {
                    placed.add(p);
                }
            }
            return placed;
        });
    }

    long placements() { return placements; }
    long moves() { return moves; }
    long ocoRefusals() { return ocoRefusals; }
}
