/**
 * Binance's WebSocket API ({@code wss://ws-api.binance.com:443/ws-api/v3}) for the user data stream: subscribe
 * with {@code userDataStream.subscribe.signature} (any key) or {@code session.logon} then
 * {@code userDataStream.subscribe} (Ed25519), typed account events, keep-alive, reconnect and resubscribe.
 */
package io.aquatrade.exchange.binance.ws;
