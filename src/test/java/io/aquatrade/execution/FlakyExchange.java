package io.aquatrade.execution;

import io.aquatrade.exchange.AssetBalance;
import io.aquatrade.exchange.ExchangeAdapter;
import io.aquatrade.exchange.ExecutionListener;
import io.aquatrade.exchange.OrderReport;
import io.aquatrade.exchange.OrderRequest;
import io.aquatrade.exchange.sim.SimulatedExchange;
import io.aquatrade.model.Fill;
import io.aquatrade.model.MarketEvent;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The real simulated exchange behind a connection that can lose things the way a network does: a
 * request that never arrives, or one that arrives (and fills) while its response and every later
 * report of it are lost. Either way the bot is told only that the outcome is unknown.
 */
final class FlakyExchange implements ExchangeAdapter {

    enum Loss { NONE, REQUEST, RESPONSE }

    final SimulatedExchange venue;
    private ExecutionListener listener;
    private final Set<String> silenced = new HashSet<>();
    Loss nextLoss = Loss.NONE;
    final List<OrderRequest> arrived = new ArrayList<>();
    int queries;

    FlakyExchange(SimulatedExchange venue) {
        this.venue = venue;
        venue.setListener(new ExecutionListener() {
            @Override public void onAcknowledged(OrderRequest o, long id) { if (!silenced.contains(o.clientOrderId())) listener.onAcknowledged(o, id); }
            @Override public void onFill(Fill f) { if (!silenced.contains(f.clientOrderId())) listener.onFill(f); }
            @Override public void onOrderDone(OrderRequest o, String s) { if (!silenced.contains(o.clientOrderId())) listener.onOrderDone(o, s); }
            @Override public void onRejected(OrderRequest o, int c, String m) { if (!silenced.contains(o.clientOrderId())) listener.onRejected(o, c, m); }
            @Override public void onUnknownOutcome(OrderRequest o, String cause) { listener.onUnknownOutcome(o, cause); }
        });
    }

    @Override public String name() { return "flaky-sim"; }
    @Override public void setListener(ExecutionListener l) { this.listener = l; }
    @Override public void onMarketEvent(MarketEvent e) { venue.onMarketEvent(e); }

    @Override
    public void submit(OrderRequest order) {
        Loss loss = nextLoss;
        nextLoss = Loss.NONE;
        switch (loss) {
            case REQUEST -> listener.onUnknownOutcome(order, "timeout: no response within 10 s");
            case RESPONSE -> {
                silenced.add(order.clientOrderId());
                arrived.add(order);
                venue.submit(order);
                listener.onUnknownOutcome(order, "connection reset while reading the response");
            }
            default -> {
                arrived.add(order);
                venue.submit(order);
            }
        }
    }

    @Override public CompletionStage<OrderReport> cancel(String s, String id) { return venue.cancel(s, id); }

    @Override
    public CompletionStage<Optional<OrderReport>> queryOrder(String symbol, String clientOrderId) {
        queries++;
        return venue.queryOrder(symbol, clientOrderId);
    }

    @Override public CompletionStage<List<OrderReport>> openOrders(String s) { return venue.openOrders(s); }
    @Override public CompletionStage<Map<String, AssetBalance>> balances() { return venue.balances(); }
    @Override public CompletionStage<List<Fill>> tradesSince(String s, long after) { return venue.tradesSince(s, after); }

    @Override public CompletionStage<OrderReport> placeLimit(String id, String s, io.aquatrade.model.Side side,
            java.math.BigDecimal qty, java.math.BigDecimal price, String tif, String reason) {
        return venue.placeLimit(id, s, side, qty, price, tif, reason);
    }
    @Override public CompletionStage<OrderReport> placeStopLossLimit(String id, String s, io.aquatrade.model.Side side,
            java.math.BigDecimal qty, java.math.BigDecimal stop, java.math.BigDecimal limit, String reason) {
        return venue.placeStopLossLimit(id, s, side, qty, stop, limit, reason);
    }
    @Override public CompletionStage<io.aquatrade.exchange.OrderList> placeOco(String list, String tp, String sl, String s,
            java.math.BigDecimal qty, java.math.BigDecimal tpPrice, java.math.BigDecimal stop, java.math.BigDecimal stopLimit,
            String reason) {
        return venue.placeOco(list, tp, sl, s, qty, tpPrice, stop, stopLimit, reason);
    }
    @Override public CompletionStage<io.aquatrade.exchange.OrderList> cancelOrderList(String s, String list) {
        return venue.cancelOrderList(s, list);
    }
}
