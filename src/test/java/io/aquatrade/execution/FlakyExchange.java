package io.aquatrade.execution;

import io.aquatrade.exchange.ExecutionListener;
import io.aquatrade.exchange.OrderReport;
import io.aquatrade.exchange.OrderRequest;
import io.aquatrade.exchange.sim.SimulatedExchange;
import io.aquatrade.model.Fill;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The real simulated exchange behind a connection that can lose things the way a network does: a
 * request that never arrives, or one that arrives (and fills) while its response and every later
 * report of it are lost. Either way the bot is told only that the outcome is unknown.
 */
final class FlakyExchange extends DelegatingExchange {

    enum Loss { NONE, REQUEST, RESPONSE }

    final SimulatedExchange venue;
    private ExecutionListener listener;
    private final Set<String> silenced = new HashSet<>();
    Loss nextLoss = Loss.NONE;
    final List<OrderRequest> arrived = new ArrayList<>();
    int queries;

    FlakyExchange(SimulatedExchange venue) {
        super(venue);
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

    @Override
    public CompletionStage<Optional<OrderReport>> queryOrder(String symbol, String clientOrderId) {
        queries++;
        return venue.queryOrder(symbol, clientOrderId);
    }
}
