package io.aquatrade.rules;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Small exact helpers for DRL ({@code import function io.aquatrade.rules.RuleMath.below;}), so rules
 * can compute price levels without doing money arithmetic in double.
 */
public final class RuleMath {

    /** Prices carry 8 decimals, as Binance quotes them. */
    public static final int PRICE_SCALE = 8;

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private RuleMath() {
    }

    /**
     * {@code price} lowered by {@code pct} percent, rounded down to 8 decimals (a stop or a buy level;
     * rounding down never makes a long's stop tighter than asked).
     */
    public static BigDecimal below(BigDecimal price, double pct) {
        BigDecimal factor = HUNDRED.subtract(BigDecimal.valueOf(pct)).divide(HUNDRED);
        return price.multiply(factor).setScale(PRICE_SCALE, RoundingMode.DOWN);
    }

    /** {@code price} raised by {@code pct} percent, rounded up to 8 decimals. */
    public static BigDecimal above(BigDecimal price, double pct) {
        BigDecimal factor = HUNDRED.add(BigDecimal.valueOf(pct)).divide(HUNDRED);
        return price.multiply(factor).setScale(PRICE_SCALE, RoundingMode.UP);
    }

    /** True when {@code candidate} is a strictly higher stop than {@code current} (null = no stop yet). */
    public static boolean raisesStop(BigDecimal candidate, BigDecimal current) {
        return current == null || candidate.compareTo(current) > 0;
    }

    /**
     * True when {@code amount} plus every one of {@code parts} (sums from {@code accumulate}, which may come as
     * any Number; null counts as 0) is above {@code cap}. Exact: numbers are added as BigDecimal.
     */
    public static boolean exceeds(BigDecimal amount, Number a, Number b, BigDecimal cap) {
        return amount.add(exact(a)).add(exact(b)).compareTo(cap) > 0;
    }

    private static BigDecimal exact(Number n) {
        if (n == null) {
            return BigDecimal.ZERO;
        }
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof Long || n instanceof Integer) {
            return BigDecimal.valueOf(n.longValue());
        }
        return new BigDecimal(n.toString());
    }

    public static long minutesToMs(long minutes) {
        return minutes * 60_000L;
    }
}
