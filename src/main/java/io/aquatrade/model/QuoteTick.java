package io.aquatrade.model;

/**
 * Best bid and ask ({@code @bookTicker}). The stream carries no event time, so {@code timeMs} is the
 * receive time of the message (live: local clock; capture: the recorded receive time).
 */
public record QuoteTick(String symbol, long timeMs, long bidE8, double bidQtyE8, long askE8, double askQtyE8)
        implements MarketEvent {
    public long midE8() {
        return (bidE8 + askE8) / 2;
    }
}
