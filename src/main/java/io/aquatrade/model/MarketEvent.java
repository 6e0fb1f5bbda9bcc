package io.aquatrade.model;

/**
 * One thing the market told us, whatever the source (live websocket, recorded capture, data dump).
 * {@link #timeMs()} is the exchange's event time in epoch milliseconds and is what the one clock of
 * the pipeline advances on; events of many symbols are merged in this order.
 */
public sealed interface MarketEvent permits TradeTick, QuoteTick, Candle {
    String symbol();

    long timeMs();
}
