/**
 * The exchange's rules as data and the one place where exchange rounding lives: the parsed
 * {@code exchangeInfo} ({@link io.aquatrade.exchange.ExchangeInfo}), per-symbol filters with rounding and
 * Binance-exact validation ({@link io.aquatrade.exchange.SymbolFilters}), Binance error codes
 * ({@link io.aquatrade.exchange.BinanceError}), the rate limits and the order throttle built from them
 * ({@link io.aquatrade.exchange.OrderThrottle}). Exchange adapters (Binance REST, paper, simulated) live
 * in subpackages and share these types; nothing here depends on rules, echo or state.
 */
package io.aquatrade.exchange;
