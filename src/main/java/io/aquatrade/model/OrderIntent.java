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

    /** A stop this far below the fill is at or under zero: not a stop. */
    public static final double MAX_STOP_LOSS_PCT = 100;
    /** A take-profit above +1000% is a typo, not a plan (same bound as strategy.take_profit_pct). */
    public static final double MAX_TAKE_PROFIT_PCT = 1000;
    /** More quote asset than any account holds: a unit or scale mistake in a rule. */
    public static final BigDecimal MAX_QUOTE_QTY = new BigDecimal("1000000000000");

    public OrderIntent {
        String problem = problem(symbol, side, quoteQty, sellFraction, reason, stopLossPct, takeProfitPct);
        if (problem != null) {
            throw new IllegalArgumentException("invalid " + (side == null ? "" : side + " ") + "intent"
                    + (symbol == null ? "" : " for " + symbol) + ": " + problem);
        }
    }

    /**
     * What is wrong with these intent fields, or null when every one is usable. One check for every
     * place that builds or accepts an intent (the constructor, the hard caps).
     */
    public static String problem(String symbol, Side side, BigDecimal quoteQty, BigDecimal sellFraction, String reason,
                                 Double stopLossPct, Double takeProfitPct) {
        if (symbol == null || !Symbols.isExchangeSymbol(symbol)) {
            return "symbol " + (symbol == null ? "missing" : "'" + symbol + "' is not an exchange symbol");
        }
        if (side == null) {
            return "side missing";
        }
        if (reason == null || reason.isBlank()) {
            return "reason missing";
        }
        if (side == Side.BUY) {
            if (quoteQty == null || quoteQty.signum() <= 0 || quoteQty.compareTo(MAX_QUOTE_QTY) > 0) {
                return "quoteQty must be in (0, " + MAX_QUOTE_QTY.toPlainString() + "], got " + plain(quoteQty);
            }
            if (sellFraction != null) {
                return "a BUY has no sellFraction, got " + plain(sellFraction);
            }
            if (stopLossPct != null && !(stopLossPct > 0 && stopLossPct < MAX_STOP_LOSS_PCT)) {
                return "stopLossPct must be null or in (0, " + (int) MAX_STOP_LOSS_PCT + "), got " + stopLossPct;
            }
            if (takeProfitPct != null && !(takeProfitPct > 0 && takeProfitPct <= MAX_TAKE_PROFIT_PCT)) {
                return "takeProfitPct must be null or in (0, " + (int) MAX_TAKE_PROFIT_PCT + "], got " + takeProfitPct;
            }
        } else {
            if (sellFraction == null || sellFraction.signum() <= 0 || sellFraction.compareTo(BigDecimal.ONE) > 0) {
                return "sellFraction must be in (0, 1], got " + plain(sellFraction);
            }
            if (quoteQty != null || stopLossPct != null || takeProfitPct != null) {
                return "a SELL has no quoteQty, stopLossPct or takeProfitPct";
            }
        }
        return null;
    }

    /** This intent's problem at the time it is used (null when valid): the hard caps check again. */
    public String problem() {
        return problem(symbol, side, quoteQty, sellFraction, reason, stopLossPct, takeProfitPct);
    }

    private static String plain(BigDecimal v) {
        return v == null ? "null" : v.toPlainString();
    }

    /** A long entry spending {@code quoteQty} USDT, with optional protective levels in %. */
    public static OrderIntent enter(String symbol, BigDecimal quoteQty, String reason, Double stopLossPct,
                                    Double takeProfitPct, String templateDay) {
        return new OrderIntent(symbol, Side.BUY, quoteQty, null, reason, stopLossPct, takeProfitPct, templateDay);
    }

    /** A long entry; {@code quoteQty} as a double for DRL convenience, made exact here. */
    public static OrderIntent enter(String symbol, double quoteQty, String reason, Double stopLossPct,
                                    Double takeProfitPct, String templateDay) {
        if (!Double.isFinite(quoteQty)) {
            throw new IllegalArgumentException("invalid BUY intent for " + symbol + ": quoteQty must be a finite number, got "
                    + quoteQty);
        }
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
