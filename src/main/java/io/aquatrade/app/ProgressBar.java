package io.aquatrade.app;

import io.aquatrade.portfolio.Portfolio;
import io.aquatrade.report.Formats;
import io.aquatrade.report.RunRecorder;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * The replay's progress: a bar with the share of the trading window done and the time left, then the
 * market clock, fills and equity. On a terminal it redraws one line; into a file or pipe it writes a
 * line every {@code LOG_EVERY_MS} so logs stay short. Before the trading window it shows the warm-up.
 */
final class ProgressBar implements TradingRun.ProgressPrinter {

    static final int WIDTH = 24;
    static final long LOG_EVERY_MS = 10_000;

    private final ConsoleLine console;
    private final long warmUpFromMs;
    private final long fromMs;
    private final long toMs;
    private final LongSupplier wallMs;
    private long tradingStartWallMs = -1;
    private double tradingStartProgress;
    private long lastLineWallMs = Long.MIN_VALUE;

    /**
     * @param warmUpFromMs where the data starts (for the warm-up share)
     * @param fromMs       start of the trading window
     * @param toMs         its end (exclusive); {@link Long#MIN_VALUE} when unknown: no bar, no time left
     */
    ProgressBar(PrintStream out, boolean terminal, long warmUpFromMs, long fromMs, long toMs, LongSupplier wallMs) {
        this.console = new ConsoleLine(out, terminal);
        this.warmUpFromMs = warmUpFromMs;
        this.fromMs = fromMs;
        this.toMs = toMs;
        this.wallMs = wallMs;
    }

    /** The share of the trading window the clock has passed, 0..1; NaN when the end is unknown. */
    double share(long clockMs) {
        if (toMs == Long.MIN_VALUE || toMs <= fromMs) {
            return Double.NaN;
        }
        return Math.max(0, Math.min(1, (clockMs - fromMs) / (double) (toMs - fromMs)));
    }

    @Override
    public void print(long clockMs, double ignoredProgress, long events, Portfolio portfolio, RunRecorder recorder) {
        long now = wallMs.getAsLong();
        if (!console.terminal() && lastLineWallMs != Long.MIN_VALUE && now - lastLineWallMs < LOG_EVERY_MS) {
            return;
        }
        lastLineWallMs = now;
        String line = line(clockMs, now, recorder.fills().size(), portfolio.equity());
        console.show(line);
    }

    @Override
    public void printLast(long clockMs, long events, Portfolio portfolio, RunRecorder recorder) {
        lastLineWallMs = Long.MIN_VALUE; // a log gets the final line even if one was written a moment ago
        print(clockMs, 1.0, events, portfolio, recorder);
    }

    /** Ends the redrawn line so the summary starts on its own. */
    void finish() {
        console.end();
    }

    String line(long clockMs, long nowWallMs, long fills, java.math.BigDecimal equity) {
        if (clockMs < fromMs) {
            double days = (Math.max(clockMs, warmUpFromMs) - warmUpFromMs) / 86_400_000.0;
            double total = (fromMs - warmUpFromMs) / 86_400_000.0;
            return String.format(java.util.Locale.ROOT, "  warming up  %s  %s UTC  (%s of %s of history)",
                    bar(total <= 0 ? 1 : days / total), Formats.utcMinute(Math.max(clockMs, warmUpFromMs)),
                    Formats.days(days), Formats.days(total));
        }
        double share = share(clockMs);
        String left;
        if (Double.isNaN(share)) {
            left = "";
        } else {
            if (tradingStartWallMs < 0) {
                tradingStartWallMs = nowWallMs;
                tradingStartProgress = share;
            }
            double done = share - tradingStartProgress;
            double elapsed = (nowWallMs - tradingStartWallMs) / 1000.0;
            left = share >= 0.9995 ? "  done" : done <= 0 || elapsed < 1 ? "  estimating time left"
                    : "  " + Formats.duration(elapsed * (1 - share) / done) + " left";
        }
        return String.format(java.util.Locale.ROOT, "  trading     %s %s%s  %s UTC  %s fills  equity %s", bar(share),
                Double.isNaN(share) ? "" : pad(Formats.fraction(share)), left, Formats.utcMinute(clockMs),
                Formats.count(fills), Formats.money(equity));
    }

    private static String pad(String pct) {
        return " ".repeat(Math.max(0, 6 - pct.length())) + pct;
    }

    static String bar(double share) {
        if (Double.isNaN(share)) {
            return "";
        }
        int full = (int) Math.round(Math.max(0, Math.min(1, share)) * WIDTH);
        return "[" + "#".repeat(full) + ".".repeat(WIDTH - full) + "]";
    }
}
