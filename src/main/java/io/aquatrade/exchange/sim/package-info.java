/**
 * The simulated exchange of replay and paper modes: Binance's MARKET-order behaviour on recorded or
 * live prices: fills at the next market event, fees in the asset received, the real filters with
 * Binance's error codes, and balances that refuse what the account cannot pay.
 */
package io.aquatrade.exchange.sim;
