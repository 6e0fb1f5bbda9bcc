package io.aquatrade.exchange.binance.http;

import java.math.BigDecimal;

/**
 * One symbol of {@code GET /api/v3/ticker/24hr} (the FULL form): the rolling 24-hour window.
 *
 * @param volume      base asset traded in the window
 * @param quoteVolume quote asset traded in the window (what the pair universe ranks by)
 * @param count       number of trades
 */
public record Ticker24h(String symbol, BigDecimal lastPrice, BigDecimal priceChangePercent, BigDecimal volume,
                        BigDecimal quoteVolume, long count, long openTimeMs, long closeTimeMs) {
}
