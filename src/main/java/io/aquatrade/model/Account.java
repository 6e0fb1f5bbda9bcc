package io.aquatrade.model;

import java.math.BigDecimal;

/**
 * Rule fact: the account at a decision point, in the quote asset (USDT).
 *
 * @param deployable       capital the capital rule allows in positions: base_fraction x start + reinvest x realised profit
 * @param exposure         cost of the open positions
 * @param availableQuote   min(deployable - exposure, cash): what a new entry may still use
 * @param todayPnl         equity now minus equity at the start of the UTC day
 * @param tradesLastMinute orders sent in the last 60 s of clock time
 */
public record Account(BigDecimal startQuote, BigDecimal equity, BigDecimal cash, BigDecimal deployable,
                      BigDecimal exposure, BigDecimal availableQuote, int openPositions, BigDecimal realizedPnl,
                      BigDecimal fees, BigDecimal todayPnl, int tradesToday, int tradesLastMinute) {

    public BigDecimal getStartQuote() { return startQuote; }
    public BigDecimal getEquity() { return equity; }
    public BigDecimal getCash() { return cash; }
    public BigDecimal getDeployable() { return deployable; }
    public BigDecimal getExposure() { return exposure; }
    public BigDecimal getAvailableQuote() { return availableQuote; }
    public int getOpenPositions() { return openPositions; }
    public BigDecimal getRealizedPnl() { return realizedPnl; }
    public BigDecimal getFees() { return fees; }
    public BigDecimal getTodayPnl() { return todayPnl; }
    public int getTradesToday() { return tradesToday; }
    public int getTradesLastMinute() { return tradesLastMinute; }
}
