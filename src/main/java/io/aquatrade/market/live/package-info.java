/**
 * Live market data in: {@link io.aquatrade.market.live.BinanceStreamVerticle} keeps Binance combined-stream
 * websocket connections open (reconnect with backoff, switch-over on {@code serverShutdown}, rotation before
 * the 24 h limit, stale-feed detection), parses each message with the shared
 * {@link io.aquatrade.market.BinanceStreamParser} and hands every event to a sink. Configured by
 * {@link io.aquatrade.market.live.StreamSettings}; health per connection is
 * {@link io.aquatrade.market.live.StreamStats}.
 */
package io.aquatrade.market.live;
