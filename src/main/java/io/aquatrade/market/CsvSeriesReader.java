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
 * relies on every source being in order), duplicates apart from rows out of order. Missing candles are
 * reported as gaps, never filled.
 *
 * <p>A row that jumps ahead (a candle past the next interval, a trade {@link #JUMP_MS} or more) is held until
 * the next row: when that one goes back to before it, the jump was the outlier (one mis-dated row must not
 * make every later row up to its time "out of order"), and it is dropped instead; a third row decides when the
 * held row may be real and the next one dated back (into a real gap). The series' first row has no row before
 * it, so it is held too. A row dated after the wall clock cannot have been recorded and is malformed.
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
    /** A trade this far after the previous one is held until the next row says whether it is the outlier. */
    static final long JUMP_MS = 86_400_000L;
    /** A recorded row dated this much after the wall clock is impossible (clock skew allowed). */
    static final long FUTURE_SLACK_MS = 86_400_000L;
    private MarketEvent held;
    private long heldLine;
    private MarketEvent queued;
    private long queuedLine;
    /** A row dated before the held one, waiting for the third row to say which of the two is wrong. */
    private MarketEvent second;
    private long secondLine;

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
        if (queued != null) {
            MarketEvent q = queued;
            queued = null;
            MarketEvent out = offer(q, queuedLine);
            if (out != null) {
                return out;
            }
        }
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
                MarketEvent out = ev == null ? null : offer(ev, line);
                if (out != null) {
                    return out;
                }
            } catch (RowError err) {
                report.malformed(line, err.kind, err.getMessage());
            }
        }
        if (second != null) { // the file ends on the held row and one before it: keep the one that fits the series
            MarketEvent behind = second;
            second = null;
            if (lastSeriesTime() != Long.MIN_VALUE) {
                return dropHeld(behind, secondLine, null, 0);
            }
            report.outOfOrder(secondLine, dated(behind) + " is before the row before it ("
                    + Instant.ofEpochMilli(seriesTime(held)) + "): out of order, dropped");
        }
        if (held != null) { // the file ends on the jump: nothing says it was wrong
            MarketEvent h = held;
            held = null;
            commit(h, heldLine);
            return h;
        }
        return null;
    }

    /** The event to hand out now (this one, or a held one before it), or null. */
    private MarketEvent offer(MarketEvent ev, long line) {
        if (second != null) {
            return thirdRowDecides(ev, line);
        }
        if (held != null) {
            if (seriesTime(ev) < seriesTime(held) && fitsSeries(ev)) { // is the held row ahead, or this one behind?
                second = ev;
                secondLine = line;
                return null;
            }
            return releaseHeld(ev, line);
        }
        if (!inOrder(ev, line)) {
            return null;
        }
        if (isJump(ev)) {
            held = ev;
            heldLine = line;
            return null;
        }
        commit(ev, line);
        return ev;
    }

    /**
     * A held row and a second one dated before it: the third row says which one is wrong. After the held row,
     * the second was out of order (a row dated back into a real gap); at or before it (a real row at the held
     * row's time says it repeats that one), the held row was the outlier.
     */
    private MarketEvent thirdRowDecides(MarketEvent ev, long line) {
        MarketEvent behind = second;
        long behindLine = secondLine;
        second = null;
        if (seriesTime(ev) > seriesTime(held)) {
            report.outOfOrder(behindLine, dated(behind) + " is before the row before it (" + Instant.ofEpochMilli(
                    seriesTime(held)) + ") and the one after it (" + Instant.ofEpochMilli(seriesTime(ev))
                    + "): out of order, dropped");
            return releaseHeld(ev, line);
        }
        return dropHeld(behind, behindLine, ev, line);
    }

    /** The held row was the outlier: it is reported and dropped, {@code behind} goes out, then {@code next}. */
    private MarketEvent dropHeld(MarketEvent behind, long behindLine, MarketEvent next, long nextLine) {
        long before = lastSeriesTime();
        report.outOfOrder(heldLine, dated(held) + " is ahead of the rows "
                + (before == Long.MIN_VALUE ? "" : "before (" + Instant.ofEpochMilli(before) + ") and ")
                + "after it (" + Instant.ofEpochMilli(seriesTime(behind))
                + (next == null ? "" : ", " + Instant.ofEpochMilli(seriesTime(next))) + "): dropped as out of order");
        held = null;
        commit(behind, behindLine);
        queued = next;
        queuedLine = nextLine;
        return behind;
    }

    /** The held row proved part of the series: it goes out now, {@code next} after it. */
    private MarketEvent releaseHeld(MarketEvent next, long line) {
        MarketEvent h = held;
        held = null;
        commit(h, heldLine);
        queued = next;
        queuedLine = line;
        return h;
    }

    private static String dated(MarketEvent ev) {
        return (ev instanceof Candle ? "candle opened at " : "row dated ") + Instant.ofEpochMilli(seriesTime(ev));
    }

    /**
     * True when {@code ev} leaves a gap that only the next row can confirm: a candle opening more than one
     * interval after the previous one (a lone mis-dated row a few hours ahead must not make the good rows up to
     * its time "out of order"; a real gap is confirmed by the next row at once and costs nothing), or a trade
     * {@link #JUMP_MS} after the previous one (trades have no grid, so only a far jump is suspect).
     */
    private boolean isJump(MarketEvent ev) {
        long last = lastSeriesTime();
        if (last == Long.MIN_VALUE) {
            return true; // the series' first row: nothing before it says whether its date is right
        }
        long step = seriesTime(ev) - last;
        return ev instanceof Candle c && lastCandleOpenMs != Long.MIN_VALUE ? step > c.intervalMs() : step >= JUMP_MS;
    }

    private static long seriesTime(MarketEvent ev) {
        return ev instanceof Candle c ? c.openTimeMs() : ev.timeMs();
    }

    private long lastSeriesTime() {
        return lastCandleOpenMs != Long.MIN_VALUE ? lastCandleOpenMs : lastTimeMs;
    }

    private boolean fitsSeries(MarketEvent ev) {
        long last = lastSeriesTime();
        return last == Long.MIN_VALUE || (ev instanceof Candle ? seriesTime(ev) > last : seriesTime(ev) >= last);
    }

    /** Reports a row out of order or duplicate (without changing the series); true when it is in order. */
    private boolean inOrder(MarketEvent ev, long line) {
        if (ev instanceof Candle c) {
            if (lastCandleOpenMs != Long.MIN_VALUE && c.openTimeMs() <= lastCandleOpenMs) {
                if (c.openTimeMs() == lastCandleOpenMs) {
                    report.duplicate(line, "candle opened at " + Instant.ofEpochMilli(c.openTimeMs())
                            + " repeats the previous one: duplicate, dropped");
                } else {
                    report.outOfOrder(line, "candle opened at " + Instant.ofEpochMilli(c.openTimeMs())
                            + " is before the previous one (" + Instant.ofEpochMilli(lastCandleOpenMs)
                            + "): out of order, dropped");
                }
                return false;
            }
        } else if (ev.timeMs() < lastTimeMs) {
            report.outOfOrder(line, "time " + Instant.ofEpochMilli(ev.timeMs()) + " is before the previous row's "
                    + Instant.ofEpochMilli(lastTimeMs) + ": out of order, dropped");
            return false;
        }
        return true;
    }

    /** Makes an in-order event part of the series: gaps are reported, the series advances. */
    private void commit(MarketEvent ev, long line) {
        if (ev instanceof Candle c) {
            if (lastCandleOpenMs != Long.MIN_VALUE) {
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
        }
        lastTimeMs = ev.timeMs();
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
            throw new RowError(BinanceStreamParser.NON_POSITIVE_PRICE, "column '" + column + "' must be positive: '"
                    + row.text(starts[field], ends[field]) + "'");
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
            throw new RowError(BinanceStreamParser.IMPLAUSIBLE_TIME, "column '" + column + "' is not a plausible time: '"
                    + row.text(starts[field], ends[field]) + "'");
        }
        if (ms > System.currentTimeMillis() + FUTURE_SLACK_MS) {
            throw new RowError(BinanceStreamParser.IMPLAUSIBLE_TIME, "column '" + column + "' is in the future ("
                    + Instant.ofEpochMilli(ms) + "): a recorded row cannot be");
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
            throw new RowError(BinanceStreamParser.NEGATIVE_QUANTITY, "column 'volume' is negative: '"
                    + row.text(starts[v], ends[v]) + "'");
        }
        if (high < low || high < open || high < close || low > open || low > close) {
            throw new RowError(BinanceStreamParser.CANDLE_RANGE, "high/low do not bracket open/close: open=" + Decimals.format(open) + " high="
                    + Decimals.format(high) + " low=" + Decimals.format(low) + " close=" + Decimals.format(close));
        }
        return new Candle(symbol, openMs, intervalMs, open, high, low, close, volume, true, openMs + intervalMs - 1);
    }
}
