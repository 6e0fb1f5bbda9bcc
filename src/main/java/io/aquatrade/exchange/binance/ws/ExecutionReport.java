package io.aquatrade.exchange.binance.ws;

import io.aquatrade.exchange.OrderReport;
import io.aquatrade.exchange.OrderStatus;
import io.aquatrade.model.Side;

import java.math.BigDecimal;

/**
 * A user-data {@code executionReport} (user-data-stream.md): the order's state after one execution event.
 *
 * @param executionType     {@code x}: NEW, CANCELED, REPLACED, REJECTED, TRADE, EXPIRED, TRADE_PREVENTION
 * @param origClientOrderId {@code C}: the original client order id of a cancel, else empty
 * @param lastQty           {@code l}: quantity of this trade (zero unless TRADE)
 * @param lastPrice         {@code L}
 * @param lastQuoteQty      {@code Y}
 * @param commission        {@code n}, in {@code commissionAsset} ({@code N}, null when there is none)
 * @param tradeId           {@code t}, -1 unless TRADE
 * @param cumQty            {@code z}
 * @param cumQuoteQty       {@code Z}
 */
public record ExecutionReport(long eventTimeMs, String symbol, String clientOrderId, Side side, String orderType,
                              String timeInForce, BigDecimal origQty, BigDecimal price, BigDecimal stopPrice,
                              long orderListId, String origClientOrderId, String executionType, OrderStatus orderStatus,
                              String rejectReason, long orderId, BigDecimal lastQty, BigDecimal cumQty,
                              BigDecimal lastPrice, BigDecimal commission, String commissionAsset, long transactTimeMs,
                              long tradeId, boolean maker, BigDecimal cumQuoteQty, BigDecimal lastQuoteQty,
                              long orderCreationTimeMs) {

    public boolean isTrade() {
        return "TRADE".equals(executionType);
    }

    /** The client order id the order was placed with (a cancel's report names it in {@code C}). */
    public String orderClientId() {
        return origClientOrderId != null && !origClientOrderId.isEmpty() ? origClientOrderId : clientOrderId;
    }

    /** The order's fields as the port reports orders. */
    public OrderReport toOrderReport() {
        return new OrderReport(symbol, orderId, orderClientId(), side, orderType, orderStatus, origQty, cumQty,
                cumQuoteQty, price, stopPrice, orderListId, orderCreationTimeMs, transactTimeMs);
    }
}
