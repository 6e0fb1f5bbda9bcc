package io.aquatrade.research;

import io.aquatrade.portfolio.Portfolio;
import io.aquatrade.report.RunRecorder;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The daily summary scores every window exactly as the minute samples it replaced. */
class EquityCurveTest {

    private static final long DAY = 86_400_000L;
    private static final LocalDate FROM = LocalDate.of(2023, 4, 1);

    @Test
    void dailySummariesGiveTheSameWindowMetricsAsEveryMinute() {
        int days = 12;
        long start = EquityCurve.dayStartMs(FROM);
        long[] t = new long[days * 1440];
        double[] e = new double[t.length];
        Random r = new Random(7);
        double eq = 10_000;
        for (int i = 0; i < t.length; i++) {
            t[i] = start + i * 60_000L;
            // swings large enough that a day's high, a later day's low and in-day falls all set the drawdown somewhere
            eq *= 1 + (r.nextDouble() - 0.5) * 4e-3 + (i % 1440 == 700 ? -0.02 : 0);
            e[i] = eq;
        }
        long[] fills = {start + 10, start + DAY + 5, start + 3 * DAY, start + 3 * DAY + 1, start + 11 * DAY + 3};
        EquityCurve curve = EquityCurve.of(t, e, fills, 10_000);
        for (int a = 0; a < days; a++) {
            for (int b = a; b < days; b++) {
                LocalDate from = FROM.plusDays(a);
                LocalDate to = FROM.plusDays(b);
                WindowMetrics want = minuteByMinute(t, e, fills, 10_000, from, to);
                WindowMetrics got = curve.window(from, to);
                assertThat(got.maxDrawdownPct()).as("drawdown %s..%s", from, to).isCloseTo(want.maxDrawdownPct(), within(1e-9));
                assertThat(got.netPnl()).as("pnl %s..%s", from, to).isEqualTo(want.netPnl());
                assertThat(got.startEquity()).isEqualTo(want.startEquity());
                assertThat(got.sharpe()).isEqualTo(want.sharpe());
                assertThat(got.sortino()).isEqualTo(want.sortino());
                assertThat(got.calmar()).isCloseTo(want.calmar(), within(1e-9));
                assertThat(got.fills()).isEqualTo(want.fills());
            }
        }
        assertThat(curve.window(FROM, FROM.plusDays(days - 1)).maxDrawdownPct()).as("the data has drawdowns").isGreaterThan(1.0);
    }

    @Test
    void aLeanRecorderStreamsTheSameCurveAsAFullOne() {
        Portfolio p = new Portfolio("USDT", new BigDecimal("1000"), BigDecimal.ONE, BigDecimal.ONE, s -> s.replace("USDT", ""),
                (s, q, px) -> false);
        RunRecorder full = new RunRecorder();
        RunRecorder lean = new RunRecorder();
        EquityCurve.Builder streamed = new EquityCurve.Builder(1000);
        lean.streamTo(streamed);
        long start = EquityCurve.dayStartMs(FROM);
        for (long m = 0; m < 3 * 1440; m += 7) {
            full.sample(start + m * 60_000L, p);
            lean.sample(start + m * 60_000L, p);
        }
        assertThat(lean.samples()).as("nothing kept").isEmpty();
        EquityCurve a = EquityCurve.of(full, new BigDecimal("1000"));
        EquityCurve b = streamed.build();
        assertThat(b.window(FROM, FROM.plusDays(2))).isEqualTo(a.window(FROM, FROM.plusDays(2)));
        assertThatThrownBy(() -> full.streamTo(new EquityCurve.Builder(1000))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already holds");
    }

    /** The scoring the optimizer did from every minute's sample before the daily summary. */
    private static WindowMetrics minuteByMinute(long[] times, double[] equity, long[] fillTimes, double startQuote,
                                                LocalDate from, LocalDate to) {
        long a = EquityCurve.dayStartMs(from);
        long b = EquityCurve.dayStartMs(to) + DAY;
        int days = (int) (to.toEpochDay() - from.toEpochDay() + 1);
        double start = before(times, equity, startQuote, a);
        double end = before(times, equity, startQuote, b);
        double peak = start;
        double maxDd = 0;
        for (int i = EquityCurve.lowerBound(times, a); i < times.length && times[i] < b; i++) {
            peak = Math.max(peak, equity[i]);
            maxDd = Math.max(maxDd, (peak - equity[i]) / peak * 100.0);
        }
        double[] r = new double[days];
        double prev = start;
        for (int d = 0; d < days; d++) {
            double x = before(times, equity, startQuote, a + (d + 1) * DAY);
            r[d] = x / prev - 1;
            prev = x;
        }
        // the ratios of the same daily returns are one formula (EquityCurve.sharpeAndSortino, calmar); what is compared is
        // the returns and drawdown from every minute against those from the daily summaries
        double[] ratios = EquityCurve.sharpeAndSortino(r);
        double sharpe = ratios[0];
        double sortino = ratios[1];
        double retPct = (end - start) / start * 100.0;
        double calmar = EquityCurve.calmar(retPct, days, maxDd);
        long fills = EquityCurve.lowerBound(fillTimes, b) - EquityCurve.lowerBound(fillTimes, a);
        return new WindowMetrics(days, start, end - start, retPct, sharpe, sortino, calmar, maxDd, fills, fills / (double) days);
    }

    private static double before(long[] times, double[] equity, double startQuote, long ms) {
        int i = EquityCurve.lowerBound(times, ms) - 1;
        return i < 0 ? startQuote : equity[i];
    }

    /**
     * A window that never lost a day (and never fell) scored Sortino 0 and Calmar 0, so --objective sortino or calmar
     * ranked a set that only ever gained below one that lost on some day. The deviation and the drawdown now count as
     * at least their floors: the never-losing window scores highest, finite (leaderboard.json stays JSON), and two
     * such windows still rank by their return.
     */
    @Test
    void aWindowThatNeverLostRanksAboveOneThatDidAndStaysFinite() {
        EquityCurve steady = daily(10_000, 10_010, 10_020, 10_030, 10_040, 10_050);       // +0.1 % a day, no fall
        EquityCurve steadier = daily(10_000, 10_020, 10_040, 10_060, 10_080, 10_100);     // +0.2 % a day, no fall
        EquityCurve bumpy = daily(10_000, 10_100, 10_050, 10_150, 10_200, 10_250);        // more return, one losing day
        LocalDate to = FROM.plusDays(4);
        WindowMetrics s = steady.window(FROM, to);
        WindowMetrics s2 = steadier.window(FROM, to);
        WindowMetrics b = bumpy.window(FROM, to);
        assertThat(s.maxDrawdownPct()).isZero();
        for (Objective o : new Objective[] {Objective.SORTINO, Objective.CALMAR}) {
            assertThat(o.score(s)).as(o.cliName()).isFinite().isGreaterThan(o.score(b)).isGreaterThan(0);
            assertThat(o.score(s2)).as(o.cliName()).isFinite().isGreaterThan(o.score(s));
        }
        // the convention itself: the daily downside deviation counts as at least 0.01 %, the drawdown as at least 0.01 %
        double mean = java.util.Arrays.stream(steady.dailyReturns(FROM, to)).average().orElseThrow();
        assertThat(s.sortino()).isCloseTo(mean / 1e-4 * Math.sqrt(365), within(1e-6));
        assertThat(s.calmar()).isCloseTo(s.returnPct() * 365.0 / 5 / 0.01, within(1e-6));
        // flat is still 0, not a floor's artefact
        WindowMetrics flat = daily(10_000, 10_000, 10_000).window(FROM, FROM.plusDays(1));
        assertThat(flat.sharpe()).isZero();
        assertThat(flat.sortino()).isZero();
        assertThat(flat.calmar()).isZero();
    }

    /** One sample at noon of each day from FROM (the start capital the first value). */
    private static EquityCurve daily(double... closes) {
        long[] t = new long[closes.length - 1];
        double[] e = new double[t.length];
        for (int d = 0; d < t.length; d++) {
            t[d] = EquityCurve.dayStartMs(FROM.plusDays(d)) + DAY / 2;
            e[d] = closes[d + 1];
        }
        return EquityCurve.of(t, e, new long[0], closes[0]);
    }
}
