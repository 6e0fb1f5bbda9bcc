package io.aquatrade.exchange;

/**
 * Where orders go: Binance REST (live, testnet), paper (live data, simulated fills) or the
 * simulated exchange (replay). Adapters never move funds off the exchange: there is no withdraw or
 * transfer anywhere in this interface or its implementations.
 */
public interface ExchangeAdapter {

    String name();

    void setListener(ExecutionListener listener);

    /**
     * Sends one order. Never throws for an exchange-side refusal: that comes back through
     * {@link ExecutionListener#onRejected}. An unknown outcome (timeout, 5xx) must be reconciled by
     * the adapter by querying the order by its clientOrderId, never by sending it again.
     */
    void submit(OrderRequest order);
}
