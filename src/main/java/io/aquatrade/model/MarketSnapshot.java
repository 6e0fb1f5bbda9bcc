package io.aquatrade.model;

import java.math.BigDecimal;

/**
 * Rule fact: the rolling state of one symbol at a decision point. Percentages are plain percent
 * (1.5 means 1.5%); they are statistics, so doubles. Prices are exact.
 *
 * @param lastPrice        last traded (or candle close) price
 * @param dayOpen          first price of the current UTC day
 * @param dayChangePct     (last - dayOpen) / dayOpen in %
 * @param dayRangePct      (dayHigh - dayLow) / dayOpen in %
 * @param ret1mPct         return over the last minute in %
 * @param ret5mPct         return over the last 5 minutes in %
 * @param ret15mPct        return over the last 15 minutes in %
 * @param volatility1hPct  standard deviation of 1-minute returns over the last hour in %
 * @param volumeRatio15m   traded volume of the last 15 minutes over the trailing average 15 minutes
 * @param lastEventAgeMs   milliseconds since the symbol's last market event (clock time minus event time)
 * @param stale            true when no event arrived within the configured stale-feed limit
 * @param minutesOfHistory how many 1-minute bars the state holds for the symbol (warm-up depth)
 */
public record MarketSnapshot(String symbol, long timeMs, BigDecimal lastPrice, BigDecimal dayOpen,
                             double dayChangePct, double dayRangePct, double ret1mPct, double ret5mPct,
                             double ret15mPct, double volatility1hPct, double volumeRatio15m, long lastEventAgeMs,
                             boolean stale, int minutesOfHistory, MarketWindows windows) {

    /** A snapshot without rolling windows ({@link MarketWindows#NONE}). */
    public MarketSnapshot(String symbol, long timeMs, BigDecimal lastPrice, BigDecimal dayOpen, double dayChangePct,
                          double dayRangePct, double ret1mPct, double ret5mPct, double ret15mPct, double volatility1hPct,
                          double volumeRatio15m, long lastEventAgeMs, boolean stale, int minutesOfHistory) {
        this(symbol, timeMs, lastPrice, dayOpen, dayChangePct, dayRangePct, ret1mPct, ret5mPct, ret15mPct,
                volatility1hPct, volumeRatio15m, lastEventAgeMs, stale, minutesOfHistory, MarketWindows.NONE);
    }

    public MarketWindows getWindows() { return windows; }

    public String getSymbol() { return symbol; }
    public long getTimeMs() { return timeMs; }
    public BigDecimal getLastPrice() { return lastPrice; }
    public BigDecimal getDayOpen() { return dayOpen; }
    public double getDayChangePct() { return dayChangePct; }
    public double getDayRangePct() { return dayRangePct; }
    public double getRet1mPct() { return ret1mPct; }
    public double getRet5mPct() { return ret5mPct; }
    public double getRet15mPct() { return ret15mPct; }
    public double getVolatility1hPct() { return volatility1hPct; }
    public double getVolumeRatio15m() { return volumeRatio15m; }
    public long getLastEventAgeMs() { return lastEventAgeMs; }
    public boolean isStale() { return stale; }
    public int getMinutesOfHistory() { return minutesOfHistory; }
}
