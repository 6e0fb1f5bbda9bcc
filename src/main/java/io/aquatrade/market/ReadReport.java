package io.aquatrade.market;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What reading one source (a file, or the merge itself) found: events read, header and blank lines,
 * lines skipped knowingly by message type, malformed lines, events dropped because they were out of
 * time order, events the caller's filter left out, gaps in candle series, and a file-level error if the
 * file could not be read to its end. Every problem is counted; the first {@link #maxIssues()} are kept
 * as text ({@code file:line: reason}) so an operator can find them.
 *
 * <p>A report is written by the thread that reads the file (a read-ahead thread, see
 * {@link ReadOptions#readThreads()}). Its lists and map can be read from any thread at any time; its
 * counters are exact once the reader has returned null, and may lag while it is still reading.
 */
public final class ReadReport {
    public static final int DEFAULT_MAX_ISSUES = 20;
    /** Kind of a malformed line that could not be read at all (not a number, not JSON, a field missing). */
    public static final String UNREADABLE = "unreadable";

    private final String source;
    private final Path path;
    private final int maxIssues;

    private long events;
    private long headerLines;
    private long blankLines;
    private long skipped;
    private final Map<String, Long> skippedByType = new TreeMap<>();
    private long malformed;
    private final Map<String, Long> malformedByReason = new TreeMap<>();
    private long outOfOrder;
    private long duplicates;
    private long filteredOut;
    private long gaps;
    private long missingCandles;
    private long firstTimeMs = Long.MIN_VALUE;
    private long lastTimeMs = Long.MIN_VALUE;
    private long issueCount;
    private final List<String> issues = new ArrayList<>();
    private final List<String> gapNotes = new ArrayList<>();
    private String fileError;

    public ReadReport(String source, Path path, int maxIssues) {
        this.source = source;
        this.path = path;
        this.maxIssues = maxIssues;
    }

    public ReadReport(String source) {
        this(source, null, DEFAULT_MAX_ISSUES);
    }

    // ---- written by readers

    void event(long timeMs) {
        if (events++ == 0) {
            firstTimeMs = timeMs;
        }
        lastTimeMs = timeMs;
    }

    void header() {
        headerLines++;
    }

    void blank() {
        blankLines++;
    }

    void skipped(String type) {
        skipped++;
        synchronized (this) {
            skippedByType.merge(type, 1L, Long::sum);
        }
    }

    void malformed(long line, String reason) {
        malformed(line, UNREADABLE, reason);
    }

    /** A malformed line of a kind ({@code crossed_book}, {@code candle_range}, ...) counted per kind. */
    void malformed(long line, String kind, String reason) {
        malformed++;
        synchronized (this) {
            malformedByReason.merge(kind, 1L, Long::sum);
        }
        issue(line, reason);
    }

    void outOfOrder(long line, String reason) {
        outOfOrder++;
        issue(line, reason);
    }

    void duplicate(long line, String reason) {
        duplicates++;
        issue(line, reason);
    }

    void countFilteredOut() {
        filteredOut++;
    }

    synchronized void gap(long line, long missing, String note) {
        gaps++;
        missingCandles += missing;
        if (gapNotes.size() < maxIssues) {
            gapNotes.add(where(line) + note);
        }
    }

    synchronized void fileError(long line, String reason) {
        if (fileError == null) {
            fileError = where(line) + reason;
        }
        issueCount++;
        if (issues.size() < maxIssues) {
            issues.add(where(line) + reason);
        }
    }

    private synchronized void issue(long line, String reason) {
        issueCount++;
        if (issues.size() < maxIssues) {
            issues.add(where(line) + reason);
        }
    }

    private String where(long line) {
        return line > 0 ? source + ":" + line + ": " : source + ": ";
    }

    // ---- read by callers

    /** File name (or source name) used in every message. */
    public String source() {
        return source;
    }

    /** Full path of the file, or null for a source that is not a file. */
    public Path path() {
        return path;
    }

    public int maxIssues() {
        return maxIssues;
    }

    /** Events produced by this source (before any caller filter). */
    public long events() {
        return events;
    }

    public long headerLines() {
        return headerLines;
    }

    public long blankLines() {
        return blankLines;
    }

    /** Lines recognised and skipped on purpose (depth streams, REST snapshots, control replies...). */
    public long skipped() {
        return skipped;
    }

    /** {@link #skipped()} per message type, e.g. {@code depth@100ms -> 3929}. */
    public synchronized Map<String, Long> skippedByType() {
        return Collections.unmodifiableMap(new TreeMap<>(skippedByType));
    }

    /** Lines that could not be understood. */
    public long malformed() {
        return malformed;
    }

    /** {@link #malformed()} per kind, e.g. {@code crossed_book -> 2, unreadable -> 1}. */
    public synchronized Map<String, Long> malformedByReason() {
        return Collections.unmodifiableMap(new TreeMap<>(malformedByReason));
    }

    /** Well-formed events dropped because they went back in time (duplicates, overlaps, too late). */
    public long outOfOrder() {
        return outOfOrder;
    }

    /** Rows dropped because they repeat the previous one (a candle of the same open time). */
    public long duplicates() {
        return duplicates;
    }

    /** Events the caller's symbol/time filter left out. */
    public long filteredOut() {
        return filteredOut;
    }

    /** Missing stretches in a candle series (reported as found; never filled). */
    public long gaps() {
        return gaps;
    }

    /** Candles missing across all {@link #gaps()}. */
    public long missingCandles() {
        return missingCandles;
    }

    /** The first gaps as text, e.g. {@code BTCUSDT-1m.csv.gz:10947: 80 missing 1m candles ...}. */
    public synchronized List<String> gapNotes() {
        return List.copyOf(gapNotes);
    }

    /** Time of the first event, or Long.MIN_VALUE if none. */
    public long firstTimeMs() {
        return firstTimeMs;
    }

    /** Time of the last event, or Long.MIN_VALUE if none. */
    public long lastTimeMs() {
        return lastTimeMs;
    }

    /** Malformed + out-of-order + duplicates + file errors. */
    public long issueCount() {
        return issueCount;
    }

    /** The first {@link #maxIssues()} issues as {@code file:line: reason}. */
    public synchronized List<String> issues() {
        return List.copyOf(issues);
    }

    /** Set when the file could not be opened or read to its end (e.g. truncated gzip); null otherwise. */
    public synchronized String fileError() {
        return fileError;
    }

    public boolean clean() {
        return issueCount == 0;
    }

    /** Sums reports; the kept issues are the first ones in the order of {@code parts}. */
    public static ReadReport total(String name, Collection<ReadReport> parts) {
        int max = DEFAULT_MAX_ISSUES;
        for (ReadReport r : parts) {
            max = Math.max(max, r.maxIssues);
        }
        ReadReport t = new ReadReport(name, null, max);
        for (ReadReport r : parts) {
            synchronized (r) {
                r.addTo(t, max);
            }
        }
        return t;
    }

    /** Adds this report into {@code t}; the caller holds this report's lock. */
    private void addTo(ReadReport t, int max) {
        if (events > 0) {
            if (t.events == 0 || firstTimeMs < t.firstTimeMs) {
                t.firstTimeMs = firstTimeMs;
            }
            if (t.events == 0 || lastTimeMs > t.lastTimeMs) {
                t.lastTimeMs = lastTimeMs;
            }
        }
        t.events += events;
        t.headerLines += headerLines;
        t.blankLines += blankLines;
        t.skipped += skipped;
        skippedByType.forEach((k, v) -> t.skippedByType.merge(k, v, Long::sum));
        t.malformed += malformed;
        malformedByReason.forEach((k, v) -> t.malformedByReason.merge(k, v, Long::sum));
        t.outOfOrder += outOfOrder;
        t.duplicates += duplicates;
        t.filteredOut += filteredOut;
        t.gaps += gaps;
        t.missingCandles += missingCandles;
        t.issueCount += issueCount;
        for (String s : issues) {
            if (t.issues.size() < max) {
                t.issues.add(s);
            }
        }
        for (String s : gapNotes) {
            if (t.gapNotes.size() < max) {
                t.gapNotes.add(s);
            }
        }
        if (t.fileError == null && fileError != null) {
            t.fileError = fileError;
        }
    }

    /** One line for logs. */
    @Override
    public synchronized String toString() {
        StringBuilder sb = new StringBuilder(source).append(": events=").append(events);
        if (headerLines > 0) {
            sb.append(" headers=").append(headerLines);
        }
        if (blankLines > 0) {
            sb.append(" blank=").append(blankLines);
        }
        if (skipped > 0) {
            sb.append(" skipped=").append(skippedByType);
        }
        if (filteredOut > 0) {
            sb.append(" filteredOut=").append(filteredOut);
        }
        if (gaps > 0) {
            sb.append(" gaps=").append(gaps).append(" (missing candles=").append(missingCandles).append(')');
        }
        sb.append(" malformed=").append(malformed);
        if (!malformedByReason.isEmpty()) {
            sb.append(' ').append(malformedByReason);
        }
        if (outOfOrder > 0) {
            sb.append(" outOfOrder=").append(outOfOrder);
        }
        if (duplicates > 0) {
            sb.append(" duplicates=").append(duplicates);
        }
        if (fileError != null) {
            sb.append(" FILE ERROR: ").append(fileError);
        }
        return sb.toString();
    }
}
