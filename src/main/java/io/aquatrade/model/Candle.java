package io.aquatrade.model;

/**
 * An OHLCV bar. A closed bar's event time is its close time ({@code openTimeMs + intervalMs - 1}),
 * the moment its values became final; a live, still-open {@code @kline} update carries the
 * exchange's event time instead and {@code closed == false}.
 */
public record Candle(String symbol, long openTimeMs, long intervalMs, long openE8, long highE8, long lowE8,
                     long closeE8, double volumeE8, boolean closed, long timeMs) implements MarketEvent {

    public static final long ONE_MINUTE_MS = 60_000L;

    /** A closed one-minute candle as the dumps and REST klines ship them. */
    public static Candle closedMinute(String symbol, long openTimeMs, long openE8, long highE8, long lowE8,
                                      long closeE8, double volumeE8) {
        return new Candle(symbol, openTimeMs, ONE_MINUTE_MS, openE8, highE8, lowE8, closeE8, volumeE8, true,
                openTimeMs + ONE_MINUTE_MS - 1);
    }

    public long closeTimeMs() {
        return openTimeMs + intervalMs - 1;
    }
}
