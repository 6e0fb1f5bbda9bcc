package io.aquatrade.market;

/** Binance kline interval names ({@code 1m}, {@code 4h}, {@code 1d}...) to and from milliseconds. */
public final class Intervals {
    private Intervals() {
    }

    /** Milliseconds of a fixed-length Binance interval name; -1 if unknown (or month-long {@code 1mo}/{@code 1M}). */
    public static long toMillis(String name) {
        switch (name) {
            case "1s": return 1_000L;
            case "1m": return 60_000L;
            case "3m": return 3 * 60_000L;
            case "5m": return 5 * 60_000L;
            case "15m": return 15 * 60_000L;
            case "30m": return 30 * 60_000L;
            case "1h": return 3_600_000L;
            case "2h": return 2 * 3_600_000L;
            case "4h": return 4 * 3_600_000L;
            case "6h": return 6 * 3_600_000L;
            case "8h": return 8 * 3_600_000L;
            case "12h": return 12 * 3_600_000L;
            case "1d": return 86_400_000L;
            case "3d": return 3 * 86_400_000L;
            case "1w": return 7 * 86_400_000L;
            default: return -1;
        }
    }

    /** Short name for messages, e.g. 60000 → "1m". */
    public static String name(long ms) {
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1_000L == 0) {
            return ms / 1_000L + "s";
        }
        return ms + "ms";
    }
}
