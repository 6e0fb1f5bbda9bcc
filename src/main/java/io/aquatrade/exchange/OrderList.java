package io.aquatrade.exchange;

import java.util.List;

/**
 * An order list (an OCO) as the exchange answers a placement or a cancel: the list's ids and states and its
 * orders, one {@link OrderReport} per leg ({@code orderReports[]} on Binance). Every venue answers with it.
 *
 * @param listStatusType  RESPONSE, EXEC_STARTED, UPDATED, ALL_DONE
 * @param listOrderStatus EXECUTING, ALL_DONE, REJECT
 */
public record OrderList(long orderListId, String listClientOrderId, String listStatusType,
                        String listOrderStatus, List<OrderReport> orders) {
    public OrderList {
        orders = List.copyOf(orders);
    }

    /** The leg with this client order id, or null. */
    public OrderReport leg(String clientOrderId) {
        for (OrderReport r : orders) {
            if (r.clientOrderId().equals(clientOrderId)) {
                return r;
            }
        }
        return null;
    }
}
