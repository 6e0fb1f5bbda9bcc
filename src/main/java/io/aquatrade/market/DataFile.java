package io.aquatrade.market;

import java.nio.file.Path;

/**
 * One recognised data file.
 *
 * @param symbol     the symbol of a single-symbol file (upper case); null for captures, which name their
 *                   symbols per message
 * @param intervalMs candle interval for kline files; 0 for other files or when it varies ({@code 1mo})
 * @param coverage   the time span the file's name promises (daily/monthly dumps), {@link TimeWindow#ALL}
 *                   when the name does not say
 */
public record DataFile(Path path, DataFormat format, String symbol, long intervalMs, TimeWindow coverage) {
    public DataFile {
        if (path == null || format == null) {
            throw new IllegalArgumentException("path and format are required");
        }
        if (format != DataFormat.WS_CAPTURE && (symbol == null || symbol.isBlank())) {
            throw new IllegalArgumentException(path + ": a " + format + " file needs a symbol");
        }
        if (format == DataFormat.HEADED_KLINES && intervalMs <= 0) {
            throw new IllegalArgumentException(path + ": a headed kline file needs its interval");
        }
        if (coverage == null) {
            coverage = TimeWindow.ALL;
        }
    }

    public String fileName() {
        return String.valueOf(path.getFileName());
    }

    @Override
    public String toString() {
        return fileName() + " [" + format + (symbol != null ? " " + symbol : "")
                + (intervalMs > 0 ? " " + Intervals.name(intervalMs) : "") + "]";
    }
}
