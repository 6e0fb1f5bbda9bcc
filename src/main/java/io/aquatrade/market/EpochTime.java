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

    /** 2017-01-01T00:00Z: nothing Binance sends is older (it opened in July 2017). */
    public static final long EARLIEST_MS = 1_483_228_800_000L;
    /** 2100-01-01T00:00Z. */
    public static final long LATEST_MS = 4_102_444_800_000L;

    private EpochTime() {
    }

    /**
     * True for a time Binance can have produced. A corrupted timestamp far in the future would otherwise
     * push a reorder buffer's watermark ahead and make every later event of the file look late.
     */
    public static boolean isPlausibleMs(long ms) {
        return ms >= EARLIEST_MS && ms < LATEST_MS;
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
