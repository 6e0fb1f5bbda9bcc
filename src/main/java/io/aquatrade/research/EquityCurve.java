package io.aquatrade.research;

import io.aquatrade.model.Fill;
import io.aquatrade.report.RunRecorder;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A session's per-minute equity and fill times, compact, for scoring any window of days after the
 * run. A window's score reads only the samples inside it (and the equity just before it as its
 * start), so scoring a training window can never see a later test window.
 */
public final class EquityCurve {

    private static final long DAY = 86_400_000L;

    private final long[] times;
    private final double[] equity;
    private final long[] fillTimes;
    private final double startQuote;

    public EquityCurve(long[] times, double[] equity, long[] fillTimes, double startQuote) {
        if (times.length != equity.length) {
            throw new IllegalArgumentException("times and equity differ in length");
        }
        this.times = times;
        this.equity = equity;
        this.fillTimes = fillTimes;
        this.startQuote = startQuote;
    }

    public static EquityCurve of(RunRecorder recorder, BigDecimal startQuote) {
        List<RunRecorder.Sample> samples = recorder.samples();
        long[] t = new long[samples.size()];
        double[] e = new double[samples.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = samples.get(i).timeMs();
            e[i] = samples.get(i).equity().doubleValue();
        }
        List<Fill> fills = recorder.fills();
        long[] f = new long[fills.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = fills.get(i).timeMs();
        }
        return new EquityCurve(t, e, f, startQuote.doubleValue());
    }

    public long[] times() {
        return times;
    }

    public double[] equity() {
        return equity;
    }

    public static long dayStartMs(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /** Equity at the last sample before {@code ms} (the start capital before the first). */
    public double equityBefore(long ms) {
        int i = lowerBound(times, ms) - 1;
        return i < 0 ? startQuote : equity[i];
    }

    /** Daily returns of {@code from..to} (inclusive): each day's last equity against the previous day's. */
    public double[] dailyReturns(LocalDate from, LocalDate to) {
        int days = (int) (to.toEpochDay() - from.toEpochDay() + 1);
        double[] r = new double[days];
        double prev = equityBefore(dayStartMs(from));
        for (int d = 0; d < days; d++) {
            double end = equityBefore(dayStartMs(from) + (d + 1) * DAY);
            r[d] = prev == 0 ? 0 : end / prev - 1;
            prev = end;
        }
        return r;
    }

    /** The metrics of the days {@code from..to}, inclusive. */
    public WindowMetrics window(LocalDate from, LocalDate to) {
        long a = dayStartMs(from);
        long b = dayStartMs(to) + DAY;
        int days = (int) (to.toEpochDay() - from.toEpochDay() + 1);
        double start = equityBefore(a);
        double end = equityBefore(b);
        double peak = start;
        double maxDd = 0;
        for (int i = lowerBound(times, a); i < times.length && times[i] < b; i++) {
            peak = Math.max(peak, equity[i]);
            if (peak > 0) {
                maxDd = Math.max(maxDd, (peak - equity[i]) / peak * 100.0);
            }
        }
        double[] r = dailyReturns(from, to);
        double mean = 0;
        for (double x : r) {
            mean += x;
        }
        mean /= r.length;
        double var = 0;
        double down = 0;
        for (double x : r) {
            var += (x - mean) * (x - mean);
            down += Math.min(0, x) * Math.min(0, x);
        }
        double sd = r.length > 1 ? Math.sqrt(var / (r.length - 1)) : 0;
        double dsd = Math.sqrt(down / r.length);
        double annual = Math.sqrt(365.0);
        double sharpe = sd > 1e-12 ? mean / sd * annual : 0;
        double sortino = dsd > 1e-12 ? mean / dsd * annual : 0;
        double retPct = start == 0 ? 0 : (end - start) / start * 100.0;
        double calmar = maxDd > 1e-9 ? retPct * 365.0 / days / maxDd : 0;
        long fills = lowerBound(fillTimes, b) - lowerBound(fillTimes, a);
        return new WindowMetrics(days, start, end - start, retPct, sharpe, sortino, calmar, maxDd, fills,
                fills / (double) days);
    }

    /** First index whose value is >= key (values sorted ascending). */
    static int lowerBound(long[] values, long key) {
        int lo = 0;
        int hi = values.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
