package io.aquatrade.research;

/**
 * Limits a parameter set must meet on a window to be ranked among the feasible ones.
 *
 * @param minTradesPerDay fewest fills a day (0 = no limit)
 * @param maxDrawdownPct  largest drawdown in % of the peak (100 = no limit)
 */
public record Constraints(double minTradesPerDay, double maxDrawdownPct) {

    public static Constraints none() {
        return new Constraints(0, 100);
    }

    /** Why {@code m} breaks a constraint, or null when it meets them all. */
    public String violation(WindowMetrics m) {
        if (m.tradesPerDay() < minTradesPerDay) {
            return String.format(java.util.Locale.ROOT, "%.1f trades/day < %.1f", m.tradesPerDay(), minTradesPerDay);
        }
        if (m.maxDrawdownPct() > maxDrawdownPct) {
            return String.format(java.util.Locale.ROOT, "drawdown %.2f%% > %.2f%%", m.maxDrawdownPct(), maxDrawdownPct);
        }
        return null;
    }
}
