package io.aquatrade.exchange.binance.http;

import io.aquatrade.exchange.OrderReport;

import java.util.List;

/** The FULL answer to a new order: the order as it stands ({@code transactTime} as its time) and its fills so far. */
public record OrderResult(OrderReport order, List<TradeFill> fills) {
    public OrderResult {
        fills = List.copyOf(fills);
    }
}
