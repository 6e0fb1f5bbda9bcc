package io.aquatrade.model;

import java.math.BigDecimal;

/**
 * Rule fact: an open long position as the portfolio sees it at a decision point.
 *
 * @param qty                 base-asset quantity held (after the fee Binance takes in the base asset)
 * @param avgEntryPrice       quote cost per unit held, fees included
 * @param costQuote           quote spent on what is held, fees included
 * @param lastPrice           mark price
 * @param unrealizedPct       (lastPrice - avgEntryPrice) / avgEntryPrice in %
 * @param peakPrice           highest mark since entry (for trailing stops)
 * @param drawdownFromPeakPct (peakPrice - lastPrice) / peakPrice in %, never negative
 * @param heldMinutes         whole minutes since the entry fill
 * @param stopPrice           protective stop level in force, or null
 * @param takeProfitPrice     take-profit level in force, or null
 * @param entryReason         the rule that opened it
 * @param entryTemplateDay    the mover day whose echo opened it, or null
 * @param exitPending         an exit order is in flight; rules should not ask again
 */
public record Position(String symbol, BigDecimal qty, BigDecimal avgEntryPrice, BigDecimal costQuote,
                       long entryTimeMs, BigDecimal lastPrice, double unrealizedPct, BigDecimal peakPrice,
                       double drawdownFromPeakPct, long heldMinutes, BigDecimal stopPrice,
                       BigDecimal takeProfitPrice, String entryReason, String entryTemplateDay,
                       boolean exitPending) {

    public String getSymbol() { return symbol; }
    public BigDecimal getQty() { return qty; }
    public BigDecimal getAvgEntryPrice() { return avgEntryPrice; }
    public BigDecimal getCostQuote() { return costQuote; }
    public long getEntryTimeMs() { return entryTimeMs; }
    public BigDecimal getLastPrice() { return lastPrice; }
    public double getUnrealizedPct() { return unrealizedPct; }
    public BigDecimal getPeakPrice() { return peakPrice; }
    public double getDrawdownFromPeakPct() { return drawdownFromPeakPct; }
    public long getHeldMinutes() { return heldMinutes; }
    public BigDecimal getStopPrice() { return stopPrice; }
    public BigDecimal getTakeProfitPrice() { return takeProfitPrice; }
    public String getEntryReason() { return entryReason; }
    public String getEntryTemplateDay() { return entryTemplateDay; }
    public boolean isExitPending() { return exitPending; }
}
