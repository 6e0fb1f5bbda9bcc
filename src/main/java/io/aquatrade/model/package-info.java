/**
 * The plain, immutable types every other package shares: market events (ticks, quotes, candles),
 * the fixed-point price/quantity encoding, the facts the rules see and the intents they produce,
 * and fills. Nothing here does I/O or depends on another Aquatrade package.
 */
package io.aquatrade.model;
