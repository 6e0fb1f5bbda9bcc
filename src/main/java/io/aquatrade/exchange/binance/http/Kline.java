package io.aquatrade.exchange.binance.http;

import java.math.BigDecimal;

/**
 * One row of {@code GET /api/v3/klines}:
 * {@code [openTime, o, h, l, c, v, closeTime, quoteVol, trades, takerBuyBase, takerBuyQuote, "0"]}. Prices and
 * volumes keep the exchange's digits (their BigDecimal scale is the text's), so {@link #toDumpLine()} writes
 * the row back exactly as Binance's data dumps carry it.
 */
public record Kline(long openTimeMs, BigDecimal open, BigDecimal high, BigDecimal low, BigDecimal close,
                    BigDecimal volume, long closeTimeMs, BigDecimal quoteVolume, long trades,
                    BigDecimal takerBuyBaseVolume, BigDecimal takerBuyQuoteVolume) {

    /** The row in Binance's spot kline dump format (no header, 12 columns, times in ms). */
    public String toDumpLine() {
        return openTimeMs + "," + open.toPlainString() + "," + high.toPlainString() + "," + low.toPlainString() + ","
                + close.toPlainString() + "," + volume.toPlainString() + "," + closeTimeMs + ","
                + quoteVolume.toPlainString() + "," + trades + "," + takerBuyBaseVolume.toPlainString() + ","
                + takerBuyQuoteVolume.toPlainString() + ",0";
    }
}
