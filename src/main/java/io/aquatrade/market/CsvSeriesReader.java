package io.aquatrade.market;

import io.aquatrade.model.Candle;
import io.aquatrade.model.Decimals;
import io.aquatrade.model.MarketEvent;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A CSV file holding one time series of one symbol (candles or trades). Splits rows without regex or
 * String per field, and keeps the series in order: a candle must open after the previous one, a trade
 * must not be earlier than the previous one; rows that break this are dropped and reported (a k-way merge
 * relies on every source being in order). Missing candles are reported as gaps, never filled.
 */
abstract class CsvSeriesReader extends LineFileReader {
    private static final int MAX_FIELDS = 16;

    protected final String symbol;
    protected final CharSlice row = new CharSlice();
    protected final int[] starts = new int[MAX_FIELDS];
    protected final int[] ends = new int[MAX_FIELDS];
    private long lastTimeMs = Long.MIN_VALUE;
    private long lastCandleOpenMs = Long.MIN_VALUE;
    private long lastCandleIntervalMs;
    private boolean abandoned;

    CsvSeriesReader(Path path, String symbol, int maxIssues) {
        super(path, maxIssues);
        this.symbol = symbol;
    }

    /**
     * Parses the row in {@link #row} split into {@code fields} fields. Returns the event, or null for a
     * header line (after counting it).
     */
    protected abstract MarketEvent parseRow(int fields, long line) throws RowError;

    /** Continues the series of a previous file (a chain of daily files), so order and gaps span files. */
    void continueFrom(CsvSeriesReader previous) {
        this.lastTimeMs = previous.lastTimeMs;
        this.lastCandleOpenMs = previous.lastCandleOpenMs;
        this.lastCandleIntervalMs = previous.lastCandleIntervalMs;
    }

    @Override
    protected MarketEvent readNext() throws IOException {
        LineReader in = lines;
        while (!abandoned && in.next()) {
            int s = in.start();
            int e = in.end();
            if (isBlank(in.buffer(), s, e)) {
                report.blank();
                continue;
            }
            row.copyAscii(in.buffer(), s, e);
            int n = split(e - s);
            long line = in.lineNumber();
            try {
                MarketEvent ev = parseRow(n, line);
                if (ev != null && inOrder(ev, line)) {
                    return ev;
                }
            } catch (RowError err) {
                report.malformed(line, err.getMessage());
            }
        }
        return null;
    }

    private boolean inOrder(MarketEvent ev, long line) {
        if (ev instanceof Candle c) {
            if (lastCandleOpenMs != Long.MIN_VALUE) {
                if (c.openTimeMs() <= lastCandleOpenMs) {
                    report.outOfOrder(line, "candle opened at " + Instant.ofEpochMilli(c.openTimeMs())
                            + " is not after the previous one (" + Instant.ofEpochMilli(lastCandleOpenMs)
                            + "): duplicate or out of order, dropped");
                    return false;
                }
                long step = c.openTimeMs() - lastCandleOpenMs;
                if (step > lastCandleIntervalMs && lastCandleIntervalMs == c.intervalMs()) {
                    long missing = step / c.intervalMs() - 1;
                    if (step % c.intervalMs() != 0) {
                        missing++;
                    }
                    report.gap(line, missing, missing + " missing " + Intervals.name(c.intervalMs())
                            + " candles from " + Instant.ofEpochMilli(lastCandleOpenMs + c.intervalMs())
                            + " to " + Instant.ofEpochMilli(c.openTimeMs() - c.intervalMs())
                            + " (open times; reported as found, not filled)");
                }
            }
            lastCandleOpenMs = c.openTimeMs();
            lastCandleIntervalMs = c.intervalMs();
        } else if (ev.timeMs() < lastTimeMs) {
            report.outOfOrder(line, "time " + Instant.ofEpochMilli(ev.timeMs()) + " is before the previous row's "
                    + Instant.ofEpochMilli(lastTimeMs) + ": out of order, dropped");
            return false;
        }
        lastTimeMs = ev.timeMs();
        return true;
    }

    private static boolean isBlank(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            if (b[i] != ' ' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    /** Splits {@link #row} at commas; returns the number of fields (only the first 16 are located). */
    private int split(int length) {
        char[] c = row.array();
        int n = 0;
        int fieldStart = 0;
        for (int i = 0; i < length; i++) {
            if (c[i] == ',') {
                if (n < MAX_FIELDS) {
                    starts[n] = fieldStart;
                    ends[n] = i;
                }
                n++;
                fieldStart = i + 1;
            }
        }
        if (n < MAX_FIELDS) {
            starts[n] = fieldStart;
            ends[n] = length;
        }
        return n + 1;
    }

    /** Stops reading this file (after the reason was reported): its remaining lines cannot be understood. */
    protected void abandon() {
        abandoned = true;
    }

    // ---- field access for subclasses

    protected long e8(int field, String column) throws RowError {
        int s = starts[field];
        int e = ends[field];
        try {
            return Decimals.parseE8(row, s, e);
        } catch (NumberFormatException ex) {
            throw new RowError("column '" + column + "' is not a number: '" + row.text(s, e) + "'");
        }
    }

    /** A quantity or volume column (wide enough for PEPE-class coins, see {@link Decimals#parseVolumeE8}). */
    protected double volumeE8(int field, String column) throws RowError {
        int s = starts[field];
        int e = ends[field];
        try {
            return Decimals.parseVolumeE8(row, s, e);
        } catch (NumberFormatException ex) {
            throw new RowError("column '" + column + "' is not a number: '" + row.text(s, e) + "'");
        }
    }

    /** The text of a field, as it stands in the row (for messages). */
    protected String text(int field) {
        return row.text(starts[field], ends[field]);
    }

    protected long positiveE8(int field, String column) throws RowError {
        long v = e8(field, column);
        if (v <= 0) {
            throw new RowError("column '" + column + "' must be positive: '" + row.text(starts[field], ends[field]) + "'");
        }
        return v;
    }

    /** An epoch time in ms or µs (detected per row) converted to ms. */
    protected long epochMs(int field, String column) throws RowError {
        long v = Ascii.parseNonNegativeLong(row.array(), starts[field], ends[field]);
        if (v < 0) {
            throw new RowError("column '" + column + "' is not an epoch time: '" + row.text(starts[field], ends[field]) + "'");
        }
        long ms = EpochTime.toMillis(v);
        if (!EpochTime.isPlausibleMs(ms)) {
            throw new RowError("column '" + column + "' is not a plausible time: '" + row.text(starts[field], ends[field]) + "'");
        }
        return ms;
    }

    protected long id(int field, String column) throws RowError {
        long v = Ascii.parseNonNegativeLong(row.array(), starts[field], ends[field]);
        if (v < 0) {
            throw new RowError("column '" + column + "' is not an id: '" + row.text(starts[field], ends[field]) + "'");
        }
        return v;
    }

    protected boolean flag(int field, String column) throws RowError {
        int v = Ascii.parseFlag(row.array(), starts[field], ends[field]);
        if (v < 0) {
            throw new RowError("column '" + column + "' is not True/False: '" + row.text(starts[field], ends[field]) + "'");
        }
        return v == 1;
    }

    /** True if the row's first field starts with a letter: a header line, which is counted, not an error. */
    protected boolean looksLikeHeader() {
        char c = row.length() > 0 ? row.charAt(0) : '0';
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '"';
    }

    protected Candle candle(long openMs, long intervalMs, int o, int h, int l, int c, int v) throws RowError {
        long open = positiveE8(o, "open");
        long high = positiveE8(h, "high");
        long low = positiveE8(l, "low");
        long close = positiveE8(c, "close");
        double volume = volumeE8(v, "volume");
        if (volume < 0) {
            throw new RowError("column 'volume' is negative: '" + row.text(starts[v], ends[v]) + "'");
        }
        if (high < low || high < open || high < close || low > open || low > close) {
            throw new RowError("high/low do not bracket open/close: open=" + Decimals.format(open) + " high="
                    + Decimals.format(high) + " low=" + Decimals.format(low) + " close=" + Decimals.format(close));
        }
        return new Candle(symbol, openMs, intervalMs, open, high, low, close, volume, true, openMs + intervalMs - 1);
    }
}
