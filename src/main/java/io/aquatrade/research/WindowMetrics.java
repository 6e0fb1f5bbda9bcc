package io.aquatrade.research;

/**
 * A parameter set's result on one window of days (statistics, so doubles).
 *
 * @param days           days in the window
 * @param startEquity    equity at the window's start, USDT
 * @param netPnl         equity change over the window after fees, USDT
 * @param returnPct      the same in % of the start equity
 * @param sharpe         annualised Sharpe ratio of daily returns (0 when they do not vary)
 * @param sortino        annualised Sortino ratio of daily returns (0 without a losing day)
 * @param calmar         annualised return over max drawdown (0 without drawdown)
 * @param maxDrawdownPct largest drop from a peak of the per-minute equity inside the window, %
 * @param fills          fills inside the window
 * @param tradesPerDay   fills a day
 */
public record WindowMetrics(int days, double startEquity, double netPnl, double returnPct, double sharpe,
                            double sortino, double calmar, double maxDrawdownPct, long fills, double tradesPerDay) {
}
