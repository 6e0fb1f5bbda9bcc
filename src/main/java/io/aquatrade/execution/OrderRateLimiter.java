package io.aquatrade.execution;

/**
 * The exchange's order rate limits as execution needs them (implemented over the exchange's
 * rateLimits). Exits get priority: the limiter keeps a reserve that only exits may use.
 */
public interface OrderRateLimiter {

    /** Takes one order slot at clock time {@code nowMs} if one is free for this kind of order. */
    boolean tryAcquireOrder(long nowMs, boolean exit);
}
