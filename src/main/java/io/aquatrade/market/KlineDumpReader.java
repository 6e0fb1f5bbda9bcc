package io.aquatrade.market;

import io.aquatrade.model.Candle;
import io.aquatrade.model.MarketEvent;

import java.nio.file.Path;
import java.time.Instant;

/**
 * Klines as data.binance.vision ships them ({@code BTCUSDT-1m-2025-01-01.zip}, or the CSV inside): no
 * header, 12 columns {@code openTime,open,high,low,close,volume,closeTime,quoteVolume,trades,takerBuyBase,
 * takerBuyQuote,ignore}. Times are ms up to 2024-12-31 and µs from 2025-01-01; the unit is detected per
 * row. Each row becomes a closed {@link Candle} stamped with its close time. Columns 7-11 are not used
 * and not checked beyond their count.
 */
public final class KlineDumpReader extends CsvSeriesReader {
    private static final int COLUMNS = 12;
    private final long intervalMs;

    /**
     * @param intervalMs the file's interval (from its name), or 0 to take each row's
     *                   {@code closeTime - openTime + 1}
     */
    public KlineDumpReader(Path path, String symbol, long intervalMs, int maxIssues) {
        super(path, symbol, maxIssues);
        this.intervalMs = intervalMs;
    }

    public KlineDumpReader(Path path, String symbol, long intervalMs) {
        this(path, symbol, intervalMs, ReadReport.DEFAULT_MAX_ISSUES);
    }

    @Override
    protected MarketEvent parseRow(int fields, long line) throws RowError {
        if (line == 1 && looksLikeHeader()) { // Binance's spot dumps have none, its futures dumps do
            report.header();
            return null;
        }
        if (fields != COLUMNS) {
            throw new RowError("expected " + COLUMNS + " columns, found " + fields);
        }
        long open = epochMs(0, "openTime");
        long close = epochMs(6, "closeTime");
        long interval = intervalMs > 0 ? intervalMs : close - open + 1;
        if (interval <= 0 || close != open + interval - 1) {
            throw new RowError("closeTime " + Instant.ofEpochMilli(close) + " does not close the "
                    + (intervalMs > 0 ? Intervals.name(intervalMs) + " " : "") + "candle opened at "
                    + Instant.ofEpochMilli(open));
        }
        return candle(open, interval, 1, 2, 3, 4, 5);
    }
}
