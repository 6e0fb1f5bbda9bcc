package io.aquatrade.exchange;

import java.util.Objects;

/**
 * One entry of exchangeInfo's {@code rateLimits[]}, e.g. REQUEST_WEIGHT 6000 per 1 MINUTE. The throttle
 * builds one sliding window per entry from {@link #windowMs()}.
 */
public record RateLimit(Type type, Interval interval, int intervalNum, long limit) {

    /** What a limit counts. */
    public enum Type {
        /** Sum of request weights, per IP. */
        REQUEST_WEIGHT,
        /** New orders (the unfilled order count), per account. */
        ORDERS,
        /** Number of requests whatever their weight, per IP. */
        RAW_REQUESTS
    }

    public enum Interval {
        SECOND(1_000L, 'S'), MINUTE(60_000L, 'M'), HOUR(3_600_000L, 'H'), DAY(86_400_000L, 'D');

        private final long millis;
        private final char letter;

        Interval(long millis, char letter) {
            this.millis = millis;
            this.letter = letter;
        }

        public long millis() {
            return millis;
        }

        /** The letter Binance uses in header names ({@code X-MBX-USED-WEIGHT-1M}). */
        public char letter() {
            return letter;
        }
    }

    public RateLimit {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(interval, "interval");
        if (intervalNum <= 0) {
            throw new IllegalArgumentException("rate limit " + type + ": intervalNum must be positive, got " + intervalNum);
        }
        if (limit <= 0) {
            throw new IllegalArgumentException("rate limit " + type + ": limit must be positive, got " + limit);
        }
    }

    /** Length of the limit's window in milliseconds, e.g. 10 SECOND -> 10000. */
    public long windowMs() {
        return interval.millis() * intervalNum;
    }

    /**
     * The response header in which Binance reports the current usage of this limit:
     * {@code X-MBX-USED-WEIGHT-1M} for REQUEST_WEIGHT, {@code X-MBX-ORDER-COUNT-10S} for ORDERS; null for
     * RAW_REQUESTS, which has no header.
     */
    public String usageHeader() {
        String suffix = "-" + intervalNum + interval.letter();
        return switch (type) {
            case REQUEST_WEIGHT -> "X-MBX-USED-WEIGHT" + suffix;
            case ORDERS -> "X-MBX-ORDER-COUNT" + suffix;
            case RAW_REQUESTS -> null;
        };
    }

    @Override
    public String toString() {
        return type + " " + limit + "/" + intervalNum + " " + interval;
    }
}
