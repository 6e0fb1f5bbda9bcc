package io.aquatrade.app;

import io.aquatrade.report.Formats;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long task counted in parts (optimizer trials, market passes, history days): the replay's
 * bar ({@link ProgressBar#bar}) with the percent done, the time spent and the time left, then what is
 * being done. On a terminal it redraws one line; into a file or pipe it writes a line per tenth, so logs
 * stay short. Callable from any thread.
 */
final class TaskProgress {

    private final ConsoleLine console;
    private final LongSupplier wallMs;
    private final long startMs;
    private int lastPercent = -1;
    private int lastTenth = -1;

    TaskProgress(PrintStream out) {
        this(out, System.console() != null, System::currentTimeMillis);
    }

    TaskProgress(PrintStream out, boolean terminal, LongSupplier wallMs) {
        this.console = new ConsoleLine(out, terminal);
        this.wallMs = wallMs;
        this.startMs = wallMs.getAsLong();
    }

    /** {@code done} of {@code total} parts, now working on {@code what} (may be empty). */
    void show(long done, long total, String what) {
        update(total <= 0 ? 1 : done / (double) total, total <= 0 ? what : done + "/" + total + (what.isEmpty() ? "" : "  " + what));
    }

    /** A share 0..1 of the task done. */
    void update(double fraction) {
        update(fraction, "");
    }

    synchronized void update(double fraction, String what) {
        double share = Math.max(0, Math.min(1, fraction));
        int percent = (int) Math.floor(share * 100);
        int tenth = (int) Math.floor(share * 10);
        if (console.terminal() ? percent == lastPercent && what.isEmpty() : tenth == lastTenth && share < 1) {
            return;
        }
        lastPercent = percent;
        lastTenth = tenth;
        double elapsed = (wallMs.getAsLong() - startMs) / 1000.0;
        String left = share >= 1 ? "done" : share <= 0 || elapsed < 1 ? "estimating time left"
                : Formats.duration(elapsed * (1 - share) / share) + " left";
        String line = String.format(Locale.ROOT, "  %s %3d%%  %s elapsed, %s%s", ProgressBar.bar(share), percent,
                Formats.duration(elapsed), left, what.isEmpty() ? "" : "  " + what);
        console.show(line);
    }

    /** The task is over: the bar shows it done and the console goes on below it. */
    synchronized void done() {
        if (lastPercent < 100) {
            update(1.0);
        }
        console.end();
    }
}
