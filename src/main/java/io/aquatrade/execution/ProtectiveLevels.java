package io.aquatrade.execution;

import io.aquatrade.model.Candle;
import io.aquatrade.model.Decimals;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.model.QuoteTick;
import io.aquatrade.model.TradeTick;
import io.aquatrade.portfolio.Holding;

import java.math.BigDecimal;

/**
 * A position's protective levels kept locally: where an entry's stop and take-profit sit (in % of
 * the average entry price, rounded to the symbol's tick, the stop down and the target up), and
 * whether a market event crossed one (a closed candle's range, a trade's price, a quote's bid).
 */
final class ProtectiveLevels {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /** A crossed level: the exit it asks for. */
    record Trigger(BigDecimal level, boolean isStop, String reason) {
    }

    private final SymbolRules symbolRules;

    ProtectiveLevels(SymbolRules symbolRules) {
        this.symbolRules = symbolRules;
    }

    BigDecimal stop(String symbol, BigDecimal entry, Double stopLossPct) {
        return stopLossPct == null ? null : symbolRules.roundPrice(symbol,
                entry.multiply(BigDecimal.ONE.subtract(BigDecimal.valueOf(stopLossPct).divide(HUNDRED))), false);
    }

    BigDecimal takeProfit(String symbol, BigDecimal entry, Double takeProfitPct) {
        return takeProfitPct == null ? null : symbolRules.roundPrice(symbol,
                entry.multiply(BigDecimal.ONE.add(BigDecimal.valueOf(takeProfitPct).divide(HUNDRED))), true);
    }

    /** The exit's reason when the market gapped through a resting stop leg's limit (see {@link #below}). */
    static final String STOP_GAP_REASON = "stop_loss_gap";

    /**
     * True when the price {@code e} leaves the market at is below {@code level}: a closed candle's close, a trade's
     * price, a quote's bid. The close, not the low: a limit the bar only passed through may still fill.
     */
    boolean below(MarketEvent e, BigDecimal level) {
        long priceE8 = sellPriceE8(e, false);
        return priceE8 != NO_PRICE && priceE8 < Decimals.fromBigDecimal(level);
    }

    private static final long NO_PRICE = Long.MIN_VALUE;

    /**
     * What a SELL could get on this event: a trade's price, a quote's bid, a closed candle's close (or its high,
     * for a level the bar reached); {@link #NO_PRICE} for a candle still open.
     */
    private static long sellPriceE8(MarketEvent e, boolean candleHigh) {
        if (e instanceof Candle c) {
            return !c.closed() ? NO_PRICE : candleHigh ? c.highE8() : c.closeE8();
        }
        return e instanceof TradeTick t ? t.priceE8() : ((QuoteTick) e).bidE8();
    }

    /** The take-profit alone: where the stop rests on the exchange and only the take-profit is watched here. */
    Trigger crossedTakeProfit(Holding h, MarketEvent e) {
        BigDecimal target = h.takeProfitPrice();
        if (target == null) {
            return null;
        }
        long highE8 = sellPriceE8(e, true);
        return highE8 != NO_PRICE && highE8 >= Decimals.fromBigDecimal(target)
                ? new Trigger(target, false, "take_profit") : null;
    }

    /**
     * The level {@code e} crossed for an open position, or null. Conservative: when one bar crosses
     * both levels, the stop is taken to have come first.
     */
    Trigger crossed(Holding h, MarketEvent e) {
        BigDecimal stop = h.stopPrice();
        BigDecimal target = h.takeProfitPrice();
        if (stop == null && target == null) {
            return null;
        }
        long lowE8;
        long highE8;
        if (e instanceof Candle) {
            Candle c = (Candle) e;
            if (!c.closed()) {
                return null;
            }
            lowE8 = c.lowE8();
            highE8 = c.highE8();
        } else if (e instanceof TradeTick) {
            lowE8 = highE8 = ((TradeTick) e).priceE8();
        } else {
            lowE8 = highE8 = ((QuoteTick) e).bidE8(); // a long exits at the bid
        }
        if (stop != null && lowE8 <= Decimals.fromBigDecimal(stop)) {
            return new Trigger(stop, true, h.stopReason() == null ? "stop_loss" : h.stopReason());
        }
        if (target != null && highE8 >= Decimals.fromBigDecimal(target)) {
            return new Trigger(target, false, "take_profit");
        }
        return null;
    }
}
