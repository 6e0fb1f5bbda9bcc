package io.aquatrade.model;

import java.math.BigDecimal;

/**
 * One execution of an order, as Binance reports it in a FULL response's {@code fills[]} or an
 * {@code executionReport}. The fee is in {@code feeAsset}: the base asset on a BUY, the quote
 * asset on a SELL (unless paid in BNB).
 */
public record Fill(long timeMs, String symbol, Side side, BigDecimal price, BigDecimal qty, BigDecimal quoteQty,
                   BigDecimal fee, String feeAsset, String clientOrderId, String reason, long tradeId) {
}
