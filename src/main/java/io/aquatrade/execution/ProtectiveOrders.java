package io.aquatrade.execution;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a position's protection on the exchange looks like, and when it is worth moving: the
 * {@code execution.protective_orders=exchange} counterpart of {@link ProtectiveLevels}. Every price and
 * quantity goes through {@link SymbolRules}, where the exchange's rounding lives.
 *
 * <ul>
 *   <li>a stop and a take-profit rest as one SELL OCO (LIMIT_MAKER above, STOP_LOSS_LIMIT below); a stop alone,
 *       a symbol without OCO, or an OCO the exchange refused rest as a STOP_LOSS_LIMIT alone (the take-profit
 *       is then watched locally);</li>
 *   <li>the stop leg's limit sits {@code stopLimitOffsetPct} below its trigger, rounded down to the tick, so a
 *       fast fall still fills it;</li>
 *   <li>a trailing stop moves the resting order (cancel-replace) only when the new stop is at least one tick
 *       higher and the last move is at least {@code minMoveIntervalMs} old: two orders per move, within the
 *       order budget, never churned on every tick.</li>
 * </ul>
 */
final class ProtectiveOrders {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /** How the protection rests on the exchange. */
    enum Kind { OCO, STOP_LOSS_LIMIT }

    /**
     * One protection to place, rounded to the symbol's filters.
     *
     * @param takeProfitPrice the OCO's LIMIT_MAKER price; null for a STOP_LOSS_LIMIT alone
     */
    record Plan(Kind kind, String symbol, BigDecimal quantity, BigDecimal stopPrice, BigDecimal stopLimitPrice,
                BigDecimal takeProfitPrice) {

        /** The same stop as a STOP_LOSS_LIMIT alone: where the exchange refused the OCO. */
        Plan stopOnly() {
            return new Plan(Kind.STOP_LOSS_LIMIT, symbol, quantity, stopPrice, stopLimitPrice, null);
        }
    }

    private final SymbolRules rules;
    private final BigDecimal stopLimitOffsetPct;
    private final long minMoveIntervalMs;

    ProtectiveOrders(SymbolRules rules, BigDecimal stopLimitOffsetPct, long minMoveIntervalMs) {
        this.rules = Objects.requireNonNull(rules, "rules");
        if (stopLimitOffsetPct.signum() < 0 || stopLimitOffsetPct.compareTo(HUNDRED) >= 0) {
            throw new IllegalArgumentException("stop limit offset must be in [0, 100) %, got " + stopLimitOffsetPct);
        }
        if (minMoveIntervalMs < 0) {
            throw new IllegalArgumentException("minimum move interval must not be negative, got " + minMoveIntervalMs);
        }
        this.stopLimitOffsetPct = stopLimitOffsetPct;
        this.minMoveIntervalMs = minMoveIntervalMs;
    }

    /**
     * The protection of {@code heldQty} with these levels, or null when there is nothing to rest: no stop, or a
     * quantity or stop that rounds to zero. {@code ocoAllowed} is the symbol's exchangeInfo flag.
     */
    Plan plan(String symbol, BigDecimal heldQty, BigDecimal stop, BigDecimal takeProfit, boolean ocoAllowed) {
        if (stop == null || heldQty == null) {
            return null;
        }
        BigDecimal qty = rules.roundQuantityDown(symbol, heldQty);
        BigDecimal stopPrice = rules.roundPrice(symbol, stop, false);
        if (qty.signum() <= 0 || stopPrice.signum() <= 0) {
            return null;
        }
        BigDecimal limit = rules.roundPrice(symbol,
                stopPrice.multiply(BigDecimal.ONE.subtract(stopLimitOffsetPct.divide(HUNDRED))), false);
        if (limit.signum() <= 0) {
            limit = stopPrice;
        }
        BigDecimal target = takeProfit == null ? null : rules.roundPrice(symbol, takeProfit, true);
        boolean oco = ocoAllowed && target != null && target.compareTo(stopPrice) > 0;
        return new Plan(oco ? Kind.OCO : Kind.STOP_LOSS_LIMIT, symbol, qty, stopPrice, limit, oco ? target : null);
    }

    /**
     * True when a resting stop at {@code restingStop}, last placed or moved at {@code lastMoveMs}, should be
     * replaced by one at {@code newStop}: the rounded new stop is higher (so by at least one tick, both being on
     * the tick grid) and the minimum interval has passed.
     */
    boolean worthMoving(String symbol, BigDecimal restingStop, BigDecimal newStop, long lastMoveMs, long nowMs) {
        if (newStop == null) {
            return false;
        }
        if (restingStop == null) {
            return true;
        }
        BigDecimal rounded = rules.roundPrice(symbol, newStop, false);
        return rounded.compareTo(restingStop) > 0 && nowMs - lastMoveMs >= minMoveIntervalMs;
    }
}
