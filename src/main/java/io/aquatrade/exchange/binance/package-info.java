/**
 * Binance-specific protocol pieces: request signing (HMAC-SHA256, Ed25519, RSA), the secret type that
 * never prints its value, and the canonical payload builders for REST query strings and WebSocket-API params.
 */
package io.aquatrade.exchange.binance;
