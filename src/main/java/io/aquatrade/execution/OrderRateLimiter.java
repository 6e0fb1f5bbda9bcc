package io.aquatrade.execution;

/**
 * The exchange's order rate limits as execution needs them (implemented over the exchange's
 * rateLimits). Exits get priority: the limiter keeps a reserve that only exits may use.
 */
public interface OrderRateLimiter {

    /**
     * For a venue that queues and throttles orders itself (Binance: the REST client's throttle and waiting
     * queue own the order budget, see {@code BinanceHttp}): execution hands every order over and the venue
     * answers a dropped one as a rejection. Counting the same orders here too would halve the budget.
     */
    OrderRateLimiter VENUE_THROTTLES = (nowMs, exit) -> true;

    /** Takes one order slot at clock time {@code nowMs} if one is free for this kind of order. */
    boolean tryAcquireOrder(long nowMs, boolean exit);
}
