package io.aquatrade.market;

/**
 * Converts Binance epoch timestamps to milliseconds, detecting the unit from the magnitude of each
 * value: the spot dumps switched from ms to µs on 2025-01-01 (and a stream opened with
 * {@code timeUnit=MICROSECOND} sends µs), and capture files prefix lines with a receive time in µs or ns.
 * Any epoch after 1973 in ms is below 10^14 and any µs epoch is below 10^17, so the ranges cannot overlap
 * for real dates.
 */
public final class EpochTime {
    /** Values above this are microseconds (Binance's own documented rule). */
    public static final long MICROS_ABOVE = 100_000_000_000_000L; // 10^14
    /** Values at or above this are nanoseconds. */
    public static final long NANOS_FROM = 100_000_000_000_000_000L; // 10^17

    private EpochTime() {
    }

    /** ms, µs or ns since the epoch to ms (floor). */
    public static long toMillis(long epoch) {
        if (epoch >= NANOS_FROM) {
            return epoch / 1_000_000L;
        }
        if (epoch > MICROS_ABOVE) {
            return epoch / 1_000L;
        }
        return epoch;
    }
}
