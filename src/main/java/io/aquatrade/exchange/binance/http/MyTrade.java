package io.aquatrade.exchange.binance.http;

import io.aquatrade.model.Side;

import java.math.BigDecimal;

/**
 * One own trade from {@code GET /api/v3/myTrades}: {@code id, orderId, price, qty, quoteQty, commission,
 * commissionAsset, time, isBuyer, isMaker}. It names the order by the exchange's id only; the adapter
 * maps that to the client order id.
 */
public record MyTrade(String symbol, long id, long orderId, BigDecimal price, BigDecimal qty, BigDecimal quoteQty,
                      BigDecimal commission, String commissionAsset, long timeMs, Side side, boolean maker) {
}
