package io.aquatrade.portfolio;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * What the account holds of one base asset, with the quote it cost. A holding whose quantity can no
 * longer be sold under the exchange's filters is dust: it stays in equity but is not an open position.
 */
public final class Holding {
    static final MathContext MC = MathContext.DECIMAL64;

    private final String symbol;
    private final String baseAsset;
    BigDecimal qty = BigDecimal.ZERO;
    BigDecimal costQuote = BigDecimal.ZERO;
    BigDecimal markPrice = BigDecimal.ZERO;
    BigDecimal peakPrice = BigDecimal.ZERO;
    long entryTimeMs;
    BigDecimal stopPrice;
    BigDecimal takeProfitPrice;
    String stopReason;
    String entryReason;
    String templateDay;
    boolean open;
    // round-trip bookkeeping: what this position's entries cost and its exits brought, including dust carried in
    BigDecimal tripCost = BigDecimal.ZERO;
    BigDecimal tripProceeds = BigDecimal.ZERO;
    BigDecimal tripFees = BigDecimal.ZERO;

    Holding(String symbol, String baseAsset) {
        this.symbol = symbol;
        this.baseAsset = baseAsset;
    }

    public String symbol() { return symbol; }
    public String baseAsset() { return baseAsset; }
    public BigDecimal qty() { return qty; }
    public BigDecimal costQuote() { return costQuote; }
    public BigDecimal markPrice() { return markPrice; }
    public BigDecimal peakPrice() { return peakPrice; }
    public long entryTimeMs() { return entryTimeMs; }
    public BigDecimal stopPrice() { return stopPrice; }
    public BigDecimal takeProfitPrice() { return takeProfitPrice; }
    public String stopReason() { return stopReason; }
    public String entryReason() { return entryReason; }
    public String templateDay() { return templateDay; }
    /** An open position: entered and not yet closed down to dust. */
    public boolean isOpen() { return open; }

    public BigDecimal marketValue() {
        return qty.multiply(markPrice);
    }

    public BigDecimal unrealizedPnl() {
        return marketValue().subtract(costQuote);
    }

    public BigDecimal avgEntryPrice() {
        return qty.signum() == 0 ? BigDecimal.ZERO : costQuote.divide(qty, MC);
    }

    public double unrealizedPct() {
        return unrealizedPct(avgEntryPrice());
    }

    /** As {@link #unrealizedPct()}, given {@link #avgEntryPrice()} (the position fact needs both). */
    double unrealizedPct(BigDecimal avg) {
        return avg.signum() == 0 ? 0 : markPrice.subtract(avg).divide(avg, MC).doubleValue() * 100.0;
    }

    public double drawdownFromPeakPct() {
        if (peakPrice.signum() == 0) {
            return 0;
        }
        return Math.max(0, peakPrice.subtract(markPrice).divide(peakPrice, MC).doubleValue() * 100.0);
    }

    void mark(BigDecimal price) {
        markPrice = price;
        if (open && price.compareTo(peakPrice) > 0) {
            peakPrice = price;
        }
    }

    static BigDecimal scale(BigDecimal v) {
        return v.setScale(12, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }
}
