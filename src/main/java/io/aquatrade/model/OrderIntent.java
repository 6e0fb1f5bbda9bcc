package io.aquatrade.model;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a rule wants done: the only way a rule asks for an order. The execution side checks it
 * against the hard caps and the exchange filters, sizes it and sends it; a rule never does I/O.
 *
 * @param side            BUY opens/adds a long position, SELL reduces or closes it
 * @param quoteQty        BUY: how much quote asset (USDT) to spend; null for SELL
 * @param sellFraction    SELL: fraction of the held quantity to sell, (0, 1]; null for BUY
 * @param reason          the rule or guardrail that asked for it (goes into trades.csv)
 * @param stopLossPct     BUY: protective stop this many % below the fill price, or null for none
 * @param takeProfitPct   BUY: take-profit this many % above the fill price, or null for none
 * @param templateDay     BUY: the mover day whose echo motivated the entry, or null
 */
public record OrderIntent(String symbol, Side side, BigDecimal quoteQty, BigDecimal sellFraction, String reason,
                          Double stopLossPct, Double takeProfitPct, String templateDay) {

    public OrderIntent {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(reason, "reason");
        if (side == Side.BUY && (quoteQty == null || quoteQty.signum() <= 0)) {
            throw new IllegalArgumentException("BUY intent for " + symbol + " needs a positive quoteQty, got " + quoteQty);
        }
        if (side == Side.SELL && (sellFraction == null || sellFraction.signum() <= 0
                || sellFraction.compareTo(BigDecimal.ONE) > 0)) {
            throw new IllegalArgumentException("SELL intent for " + symbol + " needs sellFraction in (0,1], got " + sellFraction);
        }
    }

    /** A long entry spending {@code quoteQty} USDT, with optional protective levels in %. */
    public static OrderIntent enter(String symbol, BigDecimal quoteQty, String reason, Double stopLossPct,
                                    Double takeProfitPct, String templateDay) {
        return new OrderIntent(symbol, Side.BUY, quoteQty, null, reason, stopLossPct, takeProfitPct, templateDay);
    }

    /** A long entry; {@code quoteQty} as a double for DRL convenience, made exact here. */
    public static OrderIntent enter(String symbol, double quoteQty, String reason, Double stopLossPct,
                                    Double takeProfitPct, String templateDay) {
        return enter(symbol, BigDecimal.valueOf(quoteQty), reason, stopLossPct, takeProfitPct, templateDay);
    }

    /** Close the whole position. */
    public static OrderIntent exitAll(String symbol, String reason) {
        return new OrderIntent(symbol, Side.SELL, null, BigDecimal.ONE, reason, null, null, null);
    }

    public String getSymbol() { return symbol; }
    public Side getSide() { return side; }
    public BigDecimal getQuoteQty() { return quoteQty; }
    public BigDecimal getSellFraction() { return sellFraction; }
    public String getReason() { return reason; }
    public Double getStopLossPct() { return stopLossPct; }
    public Double getTakeProfitPct() { return takeProfitPct; }
    public String getTemplateDay() { return templateDay; }
}
