package io.aquatrade.market;

import io.aquatrade.model.MarketEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Common frame of the file readers: opens the file on first pull, closes it as soon as it is exhausted,
 * counts events, and turns an I/O failure into the report's file error instead of an exception, so
 * one truncated file does not stop a replay of many.
 */
abstract class LineFileReader implements MarketEventReader {
    protected final Path path;
    protected final ReadReport report;
    protected LineReader lines;
    private boolean finished;

    LineFileReader(Path path, int maxIssues) {
        this.path = path;
        this.report = new ReadReport(String.valueOf(path.getFileName()), path, maxIssues);
    }

    /** Reads lines until the next event; null at the end of the file. */
    protected abstract MarketEvent readNext() throws IOException;

    @Override
    public final MarketEvent next() {
        if (finished) {
            return null;
        }
        try {
            if (lines == null) {
                lines = new LineReader(Inputs.open(path));
            }
            MarketEvent e = readNext();
            if (e == null) {
                finish();
                return null;
            }
            report.event(e.timeMs());
            return e;
        } catch (IOException | UncheckedIOException e) {
            long line = lines == null ? 0 : lines.lineNumber() + 1;
            report.fileError(line, (lines == null ? "cannot read file: " : "reading stopped: ") + e);
            finish();
            return null;
        }
    }

    long lineNumber() {
        return lines == null ? 0 : lines.lineNumber();
    }

    @Override
    public List<ReadReport> reports() {
        return List.of(report);
    }

    ReadReport report() {
        return report;
    }

    @Override
    public void close() {
        finish();
    }

    private void finish() {
        finished = true;
        if (lines != null) {
            try {
                lines.close();
            } catch (IOException ignored) {
                // closing a read-only file: nothing to recover, the data was already read
            }
        }
    }

    /** A problem with one row; cheap (no stack trace) because bad input is data, not a bug. */
    static final class RowError extends Exception {
        final String kind;

        RowError(String message) {
            this(ReadReport.UNREADABLE, message);
        }

        RowError(String kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }
    }
}
