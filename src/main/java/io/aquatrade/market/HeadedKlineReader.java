package io.aquatrade.market;

import io.aquatrade.model.MarketEvent;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Headed kline CSV ({@code .csv} or {@code .csv.gz}) such as freqtrade's download-data output in
 * shared/data: {@code open_time_ms,open,high,low,close,volume}, one row per candle. Columns are found by
 * name in the header, so extra or reordered columns are fine; the time column may be called
 * {@code open_time_ms}, {@code open_time}, {@code openTime} or {@code timestamp} (ms or µs, detected
 * per row). A header without the needed columns is reported and the file is not read further.
 */
public final class HeadedKlineReader extends CsvSeriesReader {
    private final long intervalMs;
    private int colTime = -1;
    private int colOpen = -1;
    private int colHigh = -1;
    private int colLow = -1;
    private int colClose = -1;
    private int colVolume = -1;
    private int columns;

    public HeadedKlineReader(Path path, String symbol, long intervalMs, int maxIssues) {
        super(path, symbol, maxIssues);
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("interval must be positive: " + intervalMs);
        }
        this.intervalMs = intervalMs;
    }

    public HeadedKlineReader(Path path, String symbol, long intervalMs) {
        this(path, symbol, intervalMs, ReadReport.DEFAULT_MAX_ISSUES);
    }

    @Override
    protected MarketEvent parseRow(int fields, long line) throws RowError {
        if (columns == 0) {
            if (!looksLikeHeader()) {
                abandon();
                throw new RowError("expected a header line (open_time_ms,open,high,low,close,volume); file not read");
            }
            report.header();
            readHeader(fields);
            return null;
        }
        if (fields != columns) {
            throw new RowError("expected " + columns + " columns like the header, found " + fields);
        }
        long open = epochMs(colTime, "open_time_ms");
        return candle(open, intervalMs, colOpen, colHigh, colLow, colClose, colVolume);
    }

    private void readHeader(int fields) throws RowError {
        columns = fields;
        for (int i = 0; i < Math.min(fields, starts.length); i++) {
            String name = row.text(starts[i], ends[i]).trim().replace("\"", "").toLowerCase(Locale.ROOT);
            switch (name) {
                case "open_time_ms", "open_time", "opentime", "timestamp" -> colTime = i;
                case "open" -> colOpen = i;
                case "high" -> colHigh = i;
                case "low" -> colLow = i;
                case "close" -> colClose = i;
                case "volume" -> colVolume = i;
                default -> {
                    // other columns (quote volume, trades...) are not needed
                }
            }
        }
        String missing = colTime < 0 ? "open_time_ms" : colOpen < 0 ? "open" : colHigh < 0 ? "high"
                : colLow < 0 ? "low" : colClose < 0 ? "close" : colVolume < 0 ? "volume" : null;
        if (missing != null) {
            abandon();
            throw new RowError("header has no column '" + missing + "': '" + row + "'; file not read");
        }
    }
}
