package io.aquatrade.exchange.binance.ws;

import java.util.List;

/**
 * A user-data {@code listStatus}: the state of an order list (an OCO).
 *
 * @param listStatusType  {@code l}: RESPONSE, EXEC_STARTED, UPDATED, ALL_DONE
 * @param listOrderStatus {@code L}: EXECUTING, ALL_DONE, REJECT
 * @param clientOrderIds  the client order ids of the list's orders ({@code O[].c})
 */
public record ListStatus(long eventTimeMs, String symbol, long orderListId, String contingencyType, String listStatusType,
                         String listOrderStatus, String listClientOrderId, long transactTimeMs, List<String> clientOrderIds) {
    public ListStatus {
        clientOrderIds = List.copyOf(clientOrderIds);
    }
}
