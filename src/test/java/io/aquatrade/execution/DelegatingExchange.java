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
    @Override public Map<String, AssetBalance> lastKnownBalances() { return inner.lastKnownBalances(); }
    @Override public CompletionStage<List<Fill>> tradesSince(String s, long after) { return inner.tradesSince(s, after); }
    @Override public CompletionStage<Optional<java.math.BigDecimal>> priceAt(String s, long minuteStartMs) {
        return inner.priceAt(s, minuteStartMs);
    }
    @Override public CompletionStage<List<Fill>> orderTrades(String s, String id, long orderId) {
        return inner.orderTrades(s, id, orderId);
    }

    @Override public CompletionStage<OrderReport> placeLimit(String id, String s, io.aquatrade.model.Side side,
            java.math.BigDecimal qty, java.math.BigDecimal price, String tif, String reason) {
        return inner.placeLimit(id, s, side, qty, price, tif, reason);
    }
    @Override public CompletionStage<OrderReport> placeStopLossLimit(String id, String s, io.aquatrade.model.Side side,
            java.math.BigDecimal qty, java.math.BigDecimal stop, java.math.BigDecimal limit, String reason) {
        return inner.placeStopLossLimit(id, s, side, qty, stop, limit, reason);
    }
    @Override public CompletionStage<io.aquatrade.exchange.OrderList> placeOco(String list, String tp, String sl, String s,
            java.math.BigDecimal qty, java.math.BigDecimal tpPrice, java.math.BigDecimal stop, java.math.BigDecimal stopLimit,
            String reason) {
        return inner.placeOco(list, tp, sl, s, qty, tpPrice, stop, stopLimit, reason);
    }
    @Override public void follow(OrderReport r, String reason) { inner.follow(r, reason); }
    @Override public CompletionStage<io.aquatrade.exchange.OrderList> cancelOrderList(String s, String list) {
        return inner.cancelOrderList(s, list);
    }
}
