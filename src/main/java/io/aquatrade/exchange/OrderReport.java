package io.aquatrade.exchange;

import io.aquatrade.model.Side;

import java.math.BigDecimal;

/**
 * An order as the exchange knows it (GET /api/v3/order, openOrders, a cancel's answer, an
 * executionReport's order fields).
 *
 * @param type            Binance's order type name (MARKET, LIMIT, STOP_LOSS_LIMIT, LIMIT_MAKER, ...)
 * @param price           the limit price, zero for MARKET
 * @param stopPrice       the trigger price of a stop order, zero otherwise
 * @param cumQuoteQty     Binance's {@code cummulativeQuoteQty}: quote spent or received so far
 * @param orderListId     the OCO list the order belongs to, -1 for none
 */
public record OrderReport(String symbol, long orderId, String clientOrderId, Side side, String type,
                          OrderStatus status, BigDecimal origQty, BigDecimal executedQty, BigDecimal cumQuoteQty,
                          BigDecimal price, BigDecimal stopPrice, long orderListId, long timeMs, long updateTimeMs) {

    public boolean isOpen() {
        return !status.isFinal();
    }
}
