package io.aquatrade.research;

import io.aquatrade.report.RunRecorder;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * A session's equity, one summary per UTC day (close, high, low and the deepest fall from a high within
 * the day), and its fill times: all any window of whole days needs to be scored after the run, exactly
 * as from every minute's sample, at about 40 bytes a day instead of one sample a minute (100 sets over
 * 46 days kept per-minute samples of about 2 GB). It is filled as the run goes ({@link Builder} is a
 * {@link RunRecorder.Sink}). A window's score reads only the days inside it (and the close of the day
 * before as its start), so scoring a training window can never see a later test window.
 */
public final class EquityCurve {

    private static final long DAY = 86_400_000L;

    private final long[] days;        // epoch days with at least one sample, ascending
    private final double[] close;     // last equity of the day
    private final double[] high;
    private final double[] low;
    private final double[] fallInDay; // largest (peak so far in the day - equity) / that peak, %, within the day
    private final long[] fillTimes;
    private final double startQuote;

    private EquityCurve(long[] days, double[] close, double[] high, double[] low, double[] fallInDay, long[] fillTimes,
                        double startQuote) {
        this.days = days;
        this.close = close;
        this.high = high;
        this.low = low;
        this.fallInDay = fallInDay;
        this.fillTimes = fillTimes;
        this.startQuote = startQuote;
    }

    /** A curve from equity samples (times ascending) and fill times. */
    public static EquityCurve of(long[] times, double[] equity, long[] fillTimes, double startQuote) {
        if (times.length != equity.length) {
            throw new IllegalArgumentException("times and equity differ in length");
        }
        Builder b = new Builder(startQuote);
        for (int i = 0; i < times.length; i++) {
            b.sample(times[i], equity[i]);
        }
        for (long f : fillTimes) {
            b.fill(f);
        }
        return b.build();
    }

    /** Collects the daily summary while a run goes; {@link #build} when it is done. Not thread-safe. */
    public static final class Builder implements RunRecorder.Sink {
        private final double startQuote;
        private long[] days = new long[64];
        private double[] close = new double[64];
        private double[] high = new double[64];
        private double[] low = new double[64];
        private double[] fall = new double[64];
        private double peakInDay;
        private int n;
        private long[] fills = new long[256];
        private int fillCount;

        public Builder(double startQuote) {
            this.startQuote = startQuote;
        }

        @Override
        public void sample(long timeMs, BigDecimal equity) {
            sample(timeMs, equity.doubleValue());
        }

        @Override
        public void fill(long timeMs) {
            if (fillCount == fills.length) {
                fills = Arrays.copyOf(fills, fillCount * 2);
            }
            fills[fillCount++] = timeMs;
        }

        void sample(long timeMs, double e) {
            long day = Math.floorDiv(timeMs, DAY);
            if (n == 0 || day != days[n - 1]) {
                if (n > 0 && day < days[n - 1]) {
                    throw new IllegalArgumentException("equity samples go back in time: day " + day + " after " + days[n - 1]);
                }
                if (n == days.length) {
                    int c = n * 2;
                    days = Arrays.copyOf(days, c);
                    close = Arrays.copyOf(close, c);
                    high = Arrays.copyOf(high, c);
                    low = Arrays.copyOf(low, c);
                    fall = Arrays.copyOf(fall, c);
                }
                days[n] = day;
                high[n] = e;
                low[n] = e;
                fall[n] = 0;
                peakInDay = e;
                n++;
            }
            int i = n - 1;
            close[i] = e;
            high[i] = Math.max(high[i], e);
            low[i] = Math.min(low[i], e);
            peakInDay = Math.max(peakInDay, e);
            if (peakInDay > 0) {
                fall[i] = Math.max(fall[i], (peakInDay - e) / peakInDay * 100.0);
            }
        }

        public EquityCurve build() {
            long[] f = Arrays.copyOf(fills, fillCount);
            Arrays.sort(f);
            return new EquityCurve(Arrays.copyOf(days, n), Arrays.copyOf(close, n), Arrays.copyOf(high, n),
                    Arrays.copyOf(low, n), Arrays.copyOf(fall, n), f, startQuote);
        }
    }

    /** The curve of a recorder that kept its samples and fills (a replay's). */
    public static EquityCurve of(RunRecorder recorder, BigDecimal startQuote) {
        Builder b = new Builder(startQuote.doubleValue());
        recorder.samples().forEach(s -> b.sample(s.timeMs(), s.equity()));
        recorder.fills().forEach(f -> b.fill(f.timeMs()));
        return b.build();
    }

    public static long dayStartMs(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /** Equity at the end of the last day before {@code day} that has a sample (the start capital before the first). */
    public double equityBefore(LocalDate day) {
        int i = lowerBound(days, day.toEpochDay()) - 1;
        return i < 0 ? startQuote : close[i];
    }

    /** Daily returns of {@code from..to} (inclusive): each day's last equity against the previous day's. */
    public double[] dailyReturns(LocalDate from, LocalDate to) {
        int count = (int) (to.toEpochDay() - from.toEpochDay() + 1);
        double[] r = new double[count];
        double prev = equityBefore(from);
        for (int d = 0; d < count; d++) {
            double end = equityBefore(from.plusDays(d + 1));
            r[d] = prev == 0 ? 0 : end / prev - 1;
            prev = end;
        }
        return r;
    }

    /** The metrics of the days {@code from..to}, inclusive. */
    public WindowMetrics window(LocalDate from, LocalDate to) {
        int count = (int) (to.toEpochDay() - from.toEpochDay() + 1);
        double start = equityBefore(from);
        double end = equityBefore(to.plusDays(1));
        // the drawdown at any minute is against the higher of the peak before its day and the day's own peak so
        // far: the larger of the day's own fall and its low against the earlier peak
        double peak = start;
        double maxDd = 0;
        for (int i = lowerBound(days, from.toEpochDay()); i < days.length && days[i] <= to.toEpochDay(); i++) {
            if (peak > 0) {
                maxDd = Math.max(maxDd, (peak - low[i]) / peak * 100.0);
            }
            maxDd = Math.max(maxDd, fallInDay[i]);
            peak = Math.max(peak, high[i]);
        }
        double[] ratios = sharpeAndSortino(dailyReturns(from, to));
        double sharpe = ratios[0];
        double sortino = ratios[1];
        double retPct = start == 0 ? 0 : (end - start) / start * 100.0;
        double calmar = calmar(retPct, count, maxDd);
        long a = dayStartMs(from);
        long b = dayStartMs(to) + DAY;
        long fills = lowerBound(fillTimes, b) - lowerBound(fillTimes, a);
        return new WindowMetrics(count, start, end - start, retPct, sharpe, sortino, calmar, maxDd, fills,
                fills / (double) count);
    }

    /**
     * The least daily deviation (0.01 %) the Sharpe and Sortino ratios divide by. A window without a losing day has
     * no downside deviation: the ratio is +infinity in empyrical or quantstats, which JSON cannot carry and which
     * ties every such window whatever its return; 0 (as before) ranked it below one that lost. With the floor it
     * scores highest, finite, by its return, and a window with a barely-there loss scores next to it.
     */
    static final double MIN_DAILY_DEVIATION = 1e-4;
    /** The least drawdown (0.01 %) Calmar divides by, for the same reasons. */
    static final double MIN_DRAWDOWN_PCT = 0.01;

    /**
     * Annualised (365 days) Sharpe and Sortino ratios of daily returns: {sharpe, sortino}; each deviation counts as
     * at least {@link #MIN_DAILY_DEVIATION}, so a gaining window without a loss is finite and ranks first.
     */
    static double[] sharpeAndSortino(double[] r) {
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
        return new double[] {mean / Math.max(sd, MIN_DAILY_DEVIATION) * annual,
                mean / Math.max(dsd, MIN_DAILY_DEVIATION) * annual};
    }

    /** Calmar: the return annualised over {@code days}, %, over the max drawdown, % (at least {@link #MIN_DRAWDOWN_PCT}). */
    static double calmar(double returnPct, int days, double maxDrawdownPct) {
        return returnPct * 365.0 / days / Math.max(maxDrawdownPct, MIN_DRAWDOWN_PCT);
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
