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

    /**
     * REQUEST: never arrives. RESPONSE: arrives (and fills) but its answer and reports are lost. LATE: its answer is
     * lost and it arrives only when {@link #deliverHeld} says so (it waited in a queue before it was signed).
     */
    enum Loss { NONE, REQUEST, RESPONSE, LATE }

    final SimulatedExchange venue;
    private ExecutionListener listener;
    private final Set<String> silenced = new HashSet<>();
    Loss nextLoss = Loss.NONE;
    final List<OrderRequest> arrived = new ArrayList<>();
    int queries;
    /** The connection's wall clock and the recvWindow it signs with: a lost request's deadline counts from them. */
    java.util.function.LongSupplier wallClock = System::currentTimeMillis;
    long recvWindowMs = 5_000;
    /** How long the next lost request waits before it is signed (its deadline moves out by as much). */
    long queuedMs;
    private final List<OrderRequest> held = new ArrayList<>();

    FlakyExchange(SimulatedExchange venue) {
        super(venue);
        this.venue = venue;
        venue.setListener(new ExecutionListener() {
            @Override public void onAcknowledged(OrderRequest o, long id) { if (!silenced.contains(o.clientOrderId())) listener.onAcknowledged(o, id); }
            @Override public void onFill(Fill f) { if (!silenced.contains(f.clientOrderId())) listener.onFill(f); }
            @Override public void onOrderDone(OrderRequest o, String s) { if (!silenced.contains(o.clientOrderId())) listener.onOrderDone(o, s); }
            @Override public void onRejected(OrderRequest o, int c, String m) { if (!silenced.contains(o.clientOrderId())) listener.onRejected(o, c, m); }
            @Override public void onUnknownOutcome(OrderRequest o, String cause, long acceptDeadlineWallMs) { listener.onUnknownOutcome(o, cause, acceptDeadlineWallMs); }
        });
    }

    @Override public String name() { return "flaky-sim"; }
    @Override public void setListener(ExecutionListener l) { this.listener = l; }

    @Override
    public void submit(OrderRequest order) {
        Loss loss = nextLoss;
        nextLoss = Loss.NONE;
        long acceptBy = wallClock.getAsLong() + queuedMs + recvWindowMs + OrderManager.CLOCK_MARGIN_MS;
        queuedMs = 0;
        switch (loss) {
            case REQUEST -> listener.onUnknownOutcome(order, "timeout: no response within 10 s", acceptBy);
            case RESPONSE -> {
                silenced.add(order.clientOrderId());
                arrived.add(order);
                venue.submit(order);
                listener.onUnknownOutcome(order, "connection reset while reading the response", acceptBy);
            }
            case LATE -> {
                silenced.add(order.clientOrderId());
                held.add(order);
                listener.onUnknownOutcome(order, "timeout: no response within 10 s", acceptBy);
            }
            default -> {
                arrived.add(order);
                venue.submit(order);
            }
        }
    }

    /** The LATE requests reach the venue now (still inside their window): they execute, unreported. */
    void deliverHeld() {
        for (OrderRequest o : held) {
            arrived.add(o);
            venue.submit(o);
        }
        held.clear();
    }

    @Override
    public CompletionStage<Optional<OrderReport>> queryOrder(String symbol, String clientOrderId) {
        queries++;
        return venue.queryOrder(symbol, clientOrderId);
    }
}
