package io.aquatrade.exchange.binance.http;

import java.math.BigDecimal;

/** One element of a FULL order response's {@code fills[]}: {@code price, qty, commission, commissionAsset, tradeId}. */
public record TradeFill(BigDecimal price, BigDecimal qty, BigDecimal commission, String commissionAsset, long tradeId) {
}
