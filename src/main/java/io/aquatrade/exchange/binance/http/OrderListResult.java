package io.aquatrade.exchange.binance.http;

import io.aquatrade.exchange.OrderReport;

import java.util.List;

/**
 * The answer to an order-list request (an OCO placed or cancelled): the list's ids and states and its
 * orders ({@code orderReports[]}).
 *
 * @param listStatusType  RESPONSE, EXEC_STARTED, UPDATED, ALL_DONE
 * @param listOrderStatus EXECUTING, ALL_DONE, REJECT
 */
public record OrderListResult(long orderListId, String listClientOrderId, String listStatusType,
                              String listOrderStatus, List<OrderReport> orders) {
    public OrderListResult {
        orders = List.copyOf(orders);
    }
}
