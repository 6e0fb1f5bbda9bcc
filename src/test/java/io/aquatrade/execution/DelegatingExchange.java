package io.aquatrade.execution;

import io.aquatrade.exchange.AssetBalance;
import io.aquatrade.exchange.ExchangeAdapter;
import io.aquatrade.exchange.ExecutionListener;
import io.aquatrade.exchange.OrderReport;
import io.aquatrade.exchange.OrderRequest;
import io.aquatrade.model.Fill;
import io.aquatrade.model.MarketEvent;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Passes everything to another adapter; tests override the call they observe. */
class DelegatingExchange implements ExchangeAdapter {
    final ExchangeAdapter inner;

    DelegatingExchange(ExchangeAdapter inner) {
        this.inner = inner;
    }

    @Override public String name() { return inner.name(); }
    @Override public void setListener(ExecutionListener l) { inner.setListener(l); }
    @Override public void onMarketEvent(MarketEvent e) { inner.onMarketEvent(e); }
    @Override public void submit(OrderRequest order) { inner.submit(order); }
    @Override public CompletionStage<OrderReport> cancel(String s, String id) { return inner.cancel(s, id); }
    @Override public CompletionStage<Optional<OrderReport>> queryOrder(String s, String id) { return inner.queryOrder(s, id); }
    @Override public CompletionStage<List<OrderReport>> openOrders(String s) { return inner.openOrders(s); }
    @Override public CompletionStage<Map<String, AssetBalance>> balances() { return inner.balances(); }
    @Override public CompletionStage<List<Fill>> tradesSince(String s, long after) { return inner.tradesSince(s, after); }
}
