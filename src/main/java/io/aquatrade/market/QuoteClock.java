package io.aquatrade.market;

/**
 * Which clock a recorded {@code @bookTicker} quote is stamped with. The stream carries no event time,
 * so a capture only knows when the recorder received it, on the recorder's clock, while trades carry
 * the exchange's clock. In the 2024 hftbacktest captures the recorder's clock ran about 1.27 s behind
 * the exchange, so receive-time quotes sort 1.27 s too early against the trades beside them.
 */
public enum QuoteClock {
    /** The recorded receive time as is (the contract of {@link io.aquatrade.model.QuoteTick}). */
    RECEIVE_TIME,
    /**
     * The receive time moved onto the exchange clock: minus the smallest (receive time − event time
     * {@code E}) seen so far in the file over messages that carry {@code E} (trades, klines, depth
     * updates). That is the clock offset plus the fastest delivery, so a quote is never placed before the
     * exchange could have sent it. Quotes before the first message with {@code E} keep their receive time.
     */
    EXCHANGE_ESTIMATE
}
