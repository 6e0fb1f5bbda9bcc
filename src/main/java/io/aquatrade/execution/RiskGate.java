package io.aquatrade.execution;

import io.aquatrade.exchange.OrderRequest;
import io.aquatrade.model.OrderIntent;
import io.aquatrade.model.Side;
import io.aquatrade.model.StopUpdate;
import io.aquatrade.portfolio.Holding;
import io.aquatrade.portfolio.Portfolio;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Objects;
import java.util.function.Function;

/**
 * The hard caps in code between a rule's intent and an order: the intent's fields checked again, the symbol
 * known and quoted in the capital's asset, one order per symbol in flight, open positions, trade rates (with
 * room kept for every position's exit), exposure per symbol and in total, the capital rule and cash (via
 * {@link EntrySizing}), the exchange's filters and the order budget. Orders still in flight count as if filled
 * in every cap. A rule can only tighten these by what it decides; nothing it does loosens them.
 *
 * <p>It answers, it does not act: {@link ExecutionService} turns a {@link Verdict} into an order or a refusal.
 * Whether trading is open at all (reconciliation, kill switch, halts, pauses) is the service's state and is
 * checked before. Single-threaded (the pipeline's context).
 */
final class RiskGate {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /** Refused with a reason (a refusal counter's name), or approved with the order's size and reference price. */
    record Verdict(String refusal, BigDecimal quoteQty, BigDecimal qty, BigDecimal refPrice) {

        static Verdict refused(String why) {
            return new Verdict(why, null, null, null);
        }

        boolean approved() {
            return refusal == null;
        }
    }

    private final Portfolio portfolio;
    private final SymbolRules symbolRules;
    private final OrderManager orders;
    private final TradeCounter trades;
    private final OrderRateLimiter rateLimiter;
    private final Function<String, BigDecimal> lastPrice;
    private HardLimits limits; // replaced only on the pipeline thread, by a config reload

    RiskGate(Portfolio portfolio, SymbolRules symbolRules, OrderManager orders, TradeCounter trades,
             OrderRateLimiter rateLimiter, HardLimits limits, Function<String, BigDecimal> lastPrice) {
        this.portfolio = portfolio;
        this.symbolRules = symbolRules;
        this.orders = orders;
        this.trades = trades;
        this.rateLimiter = rateLimiter;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.lastPrice = lastPrice;
    }

    HardLimits limits() {
        return limits;
    }

    void setLimits(HardLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Why the intent cannot be acted on as it stands, or null. Its own fields were checked where it was built;
     * here they are checked again, and against the exchange's rules for the symbol, because no cap may rely on
     * a rule's arithmetic.
     */
    String invalid(OrderIntent i) {
        String problem = i.problem();
        if (problem == null && i.side() == Side.BUY && i.stopLossPct() != null && symbolRules.knows(i.symbol())) {
            BigDecimal ref = lastPrice.apply(i.symbol());
            if (ref != null && ref.signum() > 0 && symbolRules.roundPrice(i.symbol(),
                    ref.multiply(BigDecimal.ONE.subtract(BigDecimal.valueOf(i.stopLossPct()).divide(HUNDRED))), false)
                    .signum() <= 0) {
                problem = "stopLossPct " + i.stopLossPct() + " puts the stop at or below zero at the price "
                        + ref.toPlainString();
            }
        }
        return problem == null ? null : i.symbol() + ": " + problem;
    }

    /** Why a rule's stop update cannot be applied, or null. */
    String invalid(StopUpdate u) {
        String problem = u.problem();
        if (problem == null && !symbolRules.knows(u.symbol())) {
            problem = "unknown symbol";
        }
        if (problem == null && symbolRules.roundPrice(u.symbol(), u.stopPrice(), false).signum() <= 0) {
            problem = "stopPrice " + u.stopPrice().toPlainString() + " rounds to zero at the symbol's tick size";
        }
        return problem == null ? null : "stop update for " + u.symbol() + " (" + u.reason() + "): " + problem;
    }

    /** A BUY: refused, or its quote amount shrunk to fit every cap. Takes an order from the budget when approved. */
    Verdict entry(OrderIntent i, long nowMs) {
        String s = i.symbol();
        if (!symbolRules.knows(s)) {
            return Verdict.refused("unknown_symbol");
        }
        // Every money cap is in the capital's quote asset: 0.5 of an ETHBTC entry is BTC, not USDT.
        if (!portfolio.quoteAsset().equals(symbolRules.quoteAsset(s))) {
            return Verdict.refused("not_quote_asset");
        }
        if (orders.inFlight(s) != null) {
            return Verdict.refused("order_in_flight");
        }
        Holding h = portfolio.holding(s);
        boolean newPosition = h == null || !h.isOpen();
        // Entries still in flight count as if filled, in every cap: a decision round that enters
        // many symbols at once must not open more positions or spend more than the caps allow.
        int pendingEntries = entriesInFlight();
        int open = portfolio.openPositions();
        if (newPosition && open + pendingEntries >= limits.maxOpenPositions()) {
            return Verdict.refused("max_open_positions");
        }
        // Each open position, and each entry still in flight, may need one exit; entries leave room
        // for those so that exits are never blocked by the trade-count caps and the caps are never exceeded.
        int reserve = open + pendingEntries + (newPosition ? 1 : 0);
        if (trades.lastMinute(nowMs) + 1 + reserve > limits.maxTradesPerMinute()) {
            return Verdict.refused("max_trades_per_minute");
        }
        if (trades.today(nowMs) + 1 + reserve > limits.maxTradesPerDay()) {
            return Verdict.refused("max_trades_per_day");
        }
        // a new position takes over the dust the last one left, at its cost: it counts in the symbol and in the total
        BigDecimal held = portfolio.heldCost(s);
        BigDecimal quote = EntrySizing.quote(i.quoteQty(), limits, held,
                newPosition ? portfolio.exposure().add(held) : portfolio.exposure(),
                pendingBuyQuote(), portfolio.deployable(), portfolio.cash());
        quote = symbolRules.roundQuoteDown(s, quote);
        BigDecimal ref = lastPrice.apply(s);
        if (quote.signum() <= 0 || ref == null || ref.signum() <= 0) {
            return Verdict.refused(quote.signum() <= 0 ? "caps_exhausted" : "no_price");
        }
        if (symbolRules.checkMarketOrder(s, Side.BUY, null, quote, ref) != null) {
            return Verdict.refused(quote.compareTo(i.quoteQty()) < 0 ? "caps_leave_less_than_filters_allow" : "filters");
        }
        if (!rateLimiter.tryAcquireOrder(nowMs, false)) {
            return Verdict.refused("exchange_rate_limit");
        }
        return new Verdict(null, quote, null, ref);
    }

    /**
     * A SELL of {@code fraction} of a holding, at {@code trigger} when a protective level fired (else the mark):
     * refused, or its quantity rounded to the filters. An exit that closes the position (all of it, or all but dust)
     * is never held to the trade caps: entries keep room for it. A partial exit leaves the position open and so
     * still needing that exit: it must leave room for it, and for every other position's, in both caps. Takes an
     * order from the budget when approved and {@code takeBudget} (an exit that must first cancel the position's
     * resting protection takes it when it is sent, after the cancel).
     */
    Verdict exit(Holding h, BigDecimal fraction, BigDecimal trigger, long nowMs, boolean takeBudget) {
        String s = h.symbol();
        if (orders.inFlight(s) != null) {
            return Verdict.refused("order_in_flight");
        }
        BigDecimal qty = symbolRules.roundQuantityDown(s, h.qty().multiply(fraction, MathContext.DECIMAL64));
        BigDecimal ref = trigger != null ? trigger : h.markPrice();
        BigDecimal dustPrice = ref != null && ref.signum() > 0 ? ref : h.avgEntryPrice(); // as the portfolio judges dust
        boolean partial = fraction.compareTo(BigDecimal.ONE) < 0 && !(dustPrice.signum() > 0
                && symbolRules.isDust(s, h.qty().subtract(qty), dustPrice));
        if (partial) {
            int reserved = portfolio.openPositions() + entriesInFlight(); // the exits entries have kept room for
            if (trades.lastMinute(nowMs) + 1 + reserved > limits.maxTradesPerMinute()) {
                return Verdict.refused("max_trades_per_minute");
            }
            if (trades.today(nowMs) + 1 + reserved > limits.maxTradesPerDay()) {
                return Verdict.refused("max_trades_per_day");
            }
        }
        if (qty.signum() <= 0 || symbolRules.checkMarketOrder(s, Side.SELL, qty, null, ref) != null) {
            return Verdict.refused("exit_below_filters");
        }
        if (takeBudget && !rateLimiter.tryAcquireOrder(nowMs, true)) {
            return Verdict.refused("exchange_rate_limit");
        }
        return new Verdict(null, null, qty, ref);
    }

    /** Quote amount that BUY orders in flight may still spend (they count against every money cap). */
    private BigDecimal pendingBuyQuote() {
        BigDecimal sum = BigDecimal.ZERO;
        for (ManagedOrder m : orders.inFlight()) {
            OrderRequest o = m.request();
            if (o.side() == Side.BUY && o.quoteOrderQty() != null) {
                sum = sum.add(o.quoteOrderQty());
            }
        }
        return sum;
    }

    /** BUYs in flight that would open a new position. */
    private int entriesInFlight() {
        int n = 0;
        for (ManagedOrder m : orders.inFlight()) {
            OrderRequest o = m.request();
            if (o.side() == Side.BUY) {
                Holding h = portfolio.holding(o.symbol());
                if (h == null || !h.isOpen()) {
                    n++;
                }
            }
        }
        return n;
    }
}
