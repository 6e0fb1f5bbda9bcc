package io.aquatrade.echo;

import io.aquatrade.model.Candle;
import io.aquatrade.model.Direction;
import io.aquatrade.model.EchoMatch;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.aquatrade.echo.SynthMarket.DAY0;
import static io.aquatrade.echo.SynthMarket.MPD;
import static io.aquatrade.echo.SynthMarket.closeMs;
import static io.aquatrade.echo.SynthMarket.iso;
import static io.aquatrade.echo.SynthMarket.minuteOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The engine end to end on hand-made markets whose mover days, lead-ins and volumes are known. */
class EchoEngineTest {

    private static final String SYM = "TESTUSDT";
    private static final double[] PATH = SynthMarket.randomPath(42, 60, 0.005);

    private final SynthMarket mkt = new SynthMarket(SYM);

    /** Feeds a day whose last closed minute at {@code minuteOfDay} ends the live path {@code path} at {@code level}. */
    private long liveDay(long day, int minuteOfDay, double[] path, double level, double volume) {
        long end = minuteOf(day, minuteOfDay);
        mkt.resetOpen();
        mkt.quiet(minuteOf(day, 0), end - path.length + 1, level, volume);
        mkt.path(end - path.length + 1, level, path, volume);
        return end;
    }

    private static double[] negated(double[] p) {
        double[] n = new double[p.length];
        for (int k = 0; k < p.length; k++) {
            n[k] = -p[k];
        }
        return n;
    }

    @Test
    void anIdenticalLeadInMatchesWithSimilarityOneAndCarriesTheTemplateOutcome() {
        EchoEngine engine = new EchoEngine(EchoParams.defaults());
        double wick = mkt.moverDay(DAY0, 600, PATH, Direction.UP, 6.0, 90, 100, 10);
        long end = liveDay(DAY0 + 1, 700, PATH, 200, 10); // same shape at twice the price
        mkt.feed(engine);

        List<EchoMatch> ms = engine.matches(SYM, closeMs(end));

        assertThat(ms).hasSize(1);
        EchoMatch m = ms.get(0);
        assertThat(m.symbol()).isEqualTo(SYM);
        assertThat(m.timeMs()).isEqualTo(closeMs(end));
        assertThat(m.templateDay()).isEqualTo(iso(DAY0));
        assertThat(m.similarity()).isCloseTo(1.0, within(1e-9));
        assertThat(m.direction()).isEqualTo(Direction.UP);
        assertThat(m.expectedMovePct()).isCloseTo(6.0, within(1e-6));
        assertThat(m.minutesToPeak()).isEqualTo(90);
        assertThat(m.moveClassPct()).isEqualTo(5);
        assertThat(m.lookback()).isEqualTo("5d");
        assertThat(m.activityRatio()).isCloseTo(1.0, within(1e-9));

        EchoTemplate t = engine.templates(SYM, closeMs(end)).get(0);
        assertThat(t.moveStartMs()).isEqualTo(minuteOf(DAY0, 600) * 60_000L);
        assertThat(t.leadInPresent()).isEqualTo(60);
        EchoDay d = engine.days(SYM).get(0);
        assertThat(d.lowE8()).isEqualTo(SynthMarket.e8(wick));
        assertThat(d.status()).isEqualTo(EchoDay.Status.TEMPLATE);
    }

    @Test
    void aDownTemplateAndItsMirrorImage() {
        EchoEngine engine = new EchoEngine(EchoParams.defaults().withMinSimilarity(-1.0));
        mkt.moverDay(DAY0, 900, PATH, Direction.DOWN, 12.0, 30, 100, 10);
        long end = liveDay(DAY0 + 1, 700, negated(PATH), 100, 10);
        mkt.feed(engine);

        EchoMatch m = engine.matches(SYM, closeMs(end)).get(0);

        assertThat(m.direction()).isEqualTo(Direction.DOWN);
        assertThat(m.moveClassPct()).isEqualTo(10);
        assertThat(m.expectedMovePct()).isCloseTo(12.0, within(1e-6));
        assertThat(m.minutesToPeak()).isEqualTo(30);
        assertThat(m.similarity()).isCloseTo(-1.0, within(1e-9));
        // With the default floor the mirror image is not a match at all.
        EchoEngine floored = new EchoEngine(EchoParams.defaults());
        mkt.moverDay(DAY0, 900, PATH, Direction.DOWN, 12.0, 30, 100, 10);
        liveDay(DAY0 + 1, 700, negated(PATH), 100, 10);
        mkt.feed(floored);
        assertThat(floored.matches(SYM, closeMs(end))).isEmpty();
    }

    @Test
    void aLeadInThatStartsInThePreviousDayUsesThatDaysBars() {
        EchoEngine engine = new EchoEngine(EchoParams.defaults());
        mkt.quiet(minuteOf(DAY0, 0), minuteOf(DAY0, MPD - 40), 100, 10);
        mkt.moverDay(DAY0 + 1, 20, PATH, Direction.UP, 4.0, 60, 100, 10); // lead-in 23:20..00:19
        long end = liveDay(DAY0 + 2, 800, PATH, 100, 10);
        mkt.feed(engine);

        assertThat(engine.days(SYM)).extracting(EchoDay::status)
                .containsExactly(EchoDay.Status.NOT_A_MOVER, EchoDay.Status.TEMPLATE);
        EchoMatch m = engine.matches(SYM, closeMs(end)).get(0);
        assertThat(m.templateDay()).isEqualTo(iso(DAY0 + 1));
        assertThat(m.similarity()).isCloseTo(1.0, within(1e-9));
        assertThat(m.moveClassPct()).isEqualTo(3);
    }

    @Test
    void theDayInProgressIsNeverATemplateAndLaterDataDoesNotChangeAPastAnswer() {
        EchoEngine engine = new EchoEngine(EchoParams.defaults());
        mkt.moverDay(DAY0, 600, PATH, Direction.UP, 6.0, 90, 100, 10);
        mkt.feed(engine);
        // Day 1 has a mover with the very same lead-in, over by 06:30; at 14:00 the live path repeats it.
        dayWithMoverThenLivePath(DAY0 + 1, 840).forEach(engine::onClosedMinute);
        long t1 = minuteOf(DAY0 + 1, 840);

        List<EchoMatch> before = engine.matches(SYM, closeMs(t1));
        assertThat(before).extracting(EchoMatch::templateDay).containsExactly(iso(DAY0));
        assertThat(before.get(0).similarity()).isCloseTo(1.0, within(1e-9));

        // Day 2 repeats the path again: now both earlier days are templates.
        long t2 = liveDay(DAY0 + 2, 700, PATH, 100, 10);
        mkt.feed(engine);
        List<EchoMatch> later = engine.matches(SYM, closeMs(t2));
        assertThat(later).extracting(EchoMatch::templateDay).containsExactlyInAnyOrder(iso(DAY0), iso(DAY0 + 1));
        assertThat(later).allSatisfy(m -> assertThat(m.similarity()).isCloseTo(1.0, within(1e-9)));
        assertThat(engine.days(SYM)).extracting(EchoDay::status)
                .containsExactly(EchoDay.Status.TEMPLATE, EchoDay.Status.TEMPLATE);

        // Asking again about day 1's moment, after the rest of day 1 and part of day 2 were fed, gives the same answer.
        assertThat(engine.matches(SYM, closeMs(t1))).isEqualTo(before);
        assertThat(engine.templates(SYM, closeMs(t1))).extracting(EchoTemplate::templateDay).containsExactly(iso(DAY0));
    }

    /** Day {@code day}: a mover whose lead-in is PATH (move at 05:00), then from 1.5 h before {@code end} the live PATH. */
    private List<Candle> dayWithMoverThenLivePath(long day, int end) {
        SynthMarket m = new SynthMarket(SYM);
        m.moverDay(day, 300, PATH, Direction.UP, 6.0, 90, 100, 10);
        long cut = minuteOf(day, end - 59);
        List<Candle> kept = new java.util.ArrayList<>(m.candles.stream().filter(c -> c.openTimeMs() < cut * 60_000L).toList());
        SynthMarket live = new SynthMarket(SYM);
        live.path(cut, 104, PATH, 10);
        kept.addAll(live.candles);
        return kept;
    }

    @Test
    void templatesAreLabelledWithTheShortestLookbackThatContainsThem() {
        EchoEngine engine = new EchoEngine(EchoParams.defaults().withMaxMatchesPerSymbol(10));
        long query = DAY0 + 40;
        int[] ages = {31, 30, 6, 5, 1};
        for (int age : ages) {
            mkt.moverDay(query - age, 600, PATH, Direction.UP, 6.0, 90, 100, 10);
        }
        long end = liveDay(query, 700, PATH, 100, 10);
        mkt.feed(engine);

        Map<String, String> labelByDay = engine.matches(SYM, closeMs(end)).stream()
                .collect(Collectors.toMap(EchoMatch::templateDay, EchoMatch::lookback));

        assertThat(labelByDay).containsExactlyInAnyOrderEntriesOf(Map.of(
                iso(query - 1), "5d", iso(query - 5), "5d", iso(query - 6), "30d", iso(query - 30), "30d",
                iso(query - 31), "all"));

        // With only 30 days of history held, the 31-day-old template is gone.
        EchoEngine shortMemory = new EchoEngine(new EchoParams(60, 0.5, 10, List.of(3, 5, 10), 5, 30, 30, 0.5, 0.8, 7, 0.0, 0));
        for (int age : ages) {
            mkt.moverDay(query - age, 600, PATH, Direction.UP, 6.0, 90, 100, 10);
        }
        liveDay(query, 700, PATH, 100, 10);
        mkt.feed(shortMemory);
        assertThat(shortMemory.matches(SYM, closeMs(end))).extracting(EchoMatch::templateDay)
                .doesNotContain(iso(query - 31)).hasSize(4);
    }

    @Test
    void activityIsTheLiveWindowVolumeOverTheMedianWindowOfThePrecedingDays() {
        EchoEngine engine = new EchoEngine(EchoParams.defaults());
        for (long d = DAY0; d < DAY0 + 7; d++) {
            if (d == DAY0 + 3) {
                mkt.moverDay(d, 600, PATH, Direction.UP, 6.0, 90, 100, 10);
            } else {
                mkt.resetOpen();
                mkt.quiet(minuteOf(d, 0), minuteOf(d + 1, 0), 100, 10);
            }
        }
        long end = liveDay(DAY0 + 7, 700, PATH, 100, 30);
        mkt.feed(engine);

        assertThat(engine.activityBaseline(SYM, closeMs(end))).isCloseTo(600.0, within(1e-9));
        List<EchoMatch> ms = engine.matches(SYM, closeMs(end));
        assertThat(ms).hasSize(1);
        assertThat(ms.get(0).activityRatio()).isCloseTo(3.0, within(1e-9));
    }

    @Test
    void theMedianBaselineIgnoresAFewBurstMinutes() {
        EchoEngine engine = new EchoEngine(EchoParams.defaults().withActivityBaselineDays(1));
        mkt.resetOpen();
        for (long m = minuteOf(DAY0, 0); m < minuteOf(DAY0 + 1, 0); m++) {
            mkt.close(m, 100 + (m % 2) * 0.01, m % 360 == 0 ? 100_000 : 10); // four burst minutes a day
        }
        mkt.close(minuteOf(DAY0 + 1, 0), 100, 10);
        mkt.feed(engine);
        // 1381 complete windows in the day, 181 of them hold a burst: the median window holds none.
        assertThat(engine.activityBaseline(SYM, closeMs(minuteOf(DAY0 + 1, 0)))).isCloseTo(600.0, within(1e-9));
    }

    @Test
    void aLiveWindowWithoutTheLastClosedMinuteIsNotCurrentAndMatchesNothing() {
        EchoEngine engine = new EchoEngine(EchoParams.defaults());
        mkt.moverDay(DAY0, 600, PATH, Direction.UP, 6.0, 90, 100, 10);
        long end = liveDay(DAY0 + 1, 700, PATH, 100, 10);
        mkt.feed(engine);

        assertThat(engine.matches(SYM, closeMs(end))).hasSize(1);
        assertThat(engine.matches(SYM, closeMs(end) + 1)).hasSize(1);        // still within the next minute
        assertThat(engine.matches(SYM, closeMs(end + 1))).isEmpty();         // minute end+1 closed, no bar for it
        assertThat(engine.matches("OTHERUSDT", closeMs(end))).isEmpty();

        // Before minute `end` has closed, the window ends at end-1: the same answer as an engine never fed minute `end`.
        EchoEngine upToBefore = new EchoEngine(EchoParams.defaults());
        mkt.moverDay(DAY0, 600, PATH, Direction.UP, 6.0, 90, 100, 10);
        liveDay(DAY0 + 1, 700, PATH, 100, 10);
        mkt.candles.remove(mkt.candles.size() - 1);
        mkt.feed(upToBefore);
        List<EchoMatch> early = engine.matches(SYM, closeMs(end) - 1);
        assertThat(early).isNotEmpty();
        assertThat(early).extracting(EchoMatch::similarity)
                .isEqualTo(upToBefore.matches(SYM, closeMs(end - 1)).stream().map(EchoMatch::similarity).toList());
        assertThat(early.get(0).similarity()).isLessThan(0.999);
    }

    @Test
    void incompleteDaysFollowTheCoverageRule() {
        EchoEngine engine = new EchoEngine(EchoParams.defaults());
        // Day 0: only 10:00-16:40 present (401 minutes < 50%), move 600..690 intact -> still a template.
        feedFiltered(engine, DAY0, mod -> mod >= 540 && mod <= 940);
        // Day 1: same coverage, but 5 minutes missing inside the move -> skipped.
        feedFiltered(engine, DAY0 + 1, mod -> mod >= 540 && mod <= 940 && (mod < 650 || mod >= 655));
        // Day 2: full day but the same 5 minutes missing inside the move -> used as it is.
        feedFiltered(engine, DAY0 + 2, mod -> mod < 650 || mod >= 655);
        // Day 3: 30 of the 60 lead-in minutes missing -> skipped.
        feedFiltered(engine, DAY0 + 3, mod -> mod < 560 || mod >= 590);
        // Day 4: a lead-in that never moves.
        mkt.moverDay(DAY0 + 4, 600, new double[60], Direction.UP, 6.0, 90, 100, 10);
        // Day 5: quiet.
        mkt.resetOpen();
        mkt.quiet(minuteOf(DAY0 + 5, 0), minuteOf(DAY0 + 6, 0), 100, 10);
        mkt.close(minuteOf(DAY0 + 6, 0), 100, 10); // day 5 completes when day 6 begins
        mkt.feed(engine);

        List<EchoDay> days = engine.days(SYM);
        assertThat(days).extracting(EchoDay::status).containsExactly(
                EchoDay.Status.TEMPLATE, EchoDay.Status.SKIPPED_LOW_COVERAGE, EchoDay.Status.TEMPLATE,
                EchoDay.Status.SKIPPED_LEAD_IN_GAPS, EchoDay.Status.SKIPPED_FLAT_LEAD_IN, EchoDay.Status.NOT_A_MOVER);
        assertThat(days).extracting(EchoDay::minutesPresent).containsExactly(401, 396, 1435, 1410, 1440, 1440);
        assertThat(days.get(0).moveClassPct()).isEqualTo(5);
        assertThat(days.get(5).moveClassPct()).isZero();
        assertThat(engine.templates(SYM, closeMs(minuteOf(DAY0 + 6, 0)))).extracting(EchoTemplate::templateDay)
                .containsExactly(iso(DAY0), iso(DAY0 + 2));
    }

    private void feedFiltered(EchoEngine engine, long day, java.util.function.IntPredicate keepMinuteOfDay) {
        SynthMarket m = new SynthMarket(SYM);
        m.moverDay(day, 600, PATH, Direction.UP, 6.0, 90, 100, 10);
        for (Candle c : m.candles) {
            int mod = (int) Math.floorMod(c.openTimeMs() / 60_000L, (long) MPD);
            if (keepMinuteOfDay.test(mod)) {
                mkt.candles.add(c);
            }
        }
        mkt.feed(engine);
    }

    @Test
    void theVolumeProfileCanBeBlendedIn() {
        double[] rising = new double[60];
        double[] falling = new double[60];
        for (int k = 0; k < 60; k++) {
            rising[k] = 10 + k;
            falling[k] = 69 - k;
        }
        EchoEngine engine = new EchoEngine(EchoParams.defaults().withVolumeWeight(0.25).withMinSimilarity(-1));
        mkt.moverDay(DAY0, 600, PATH, rising, Direction.UP, 6.0, 90, 100, 10);
        long end = minuteOf(DAY0 + 1, 700);
        mkt.resetOpen();
        mkt.quiet(minuteOf(DAY0 + 1, 0), end - 59, 100, 10);
        mkt.path(end - 59, 100, PATH, falling);
        mkt.feed(engine);

        double[] tp = new double[60];
        double[] lp = new double[60];
        PathMath.volumeProfile(rising, 60, tp);
        PathMath.volumeProfile(falling, 60, lp);
        double volumeCorrelation = PathMath.pearson(tp, lp);
        assertThat(volumeCorrelation).isLessThan(-0.9);
        assertThat(engine.matches(SYM, closeMs(end)).get(0).similarity())
                .isCloseTo(0.75 * 1.0 + 0.25 * volumeCorrelation, within(1e-9));
    }

    @Test
    void atMostNMatchesBestFirst() {
        EchoEngine engine = new EchoEngine(EchoParams.defaults().withMaxMatchesPerSymbol(2).withMinSimilarity(-1));
        // Three templates: PATH itself, and two paths blended away from it by different amounts.
        double[] other = SynthMarket.randomPath(7, 60, 0.005);
        double[][] leadIns = {blend(PATH, other, 0.6), PATH, blend(PATH, other, 0.3)};
        for (int i = 0; i < 3; i++) {
            mkt.moverDay(DAY0 + i, 600, SynthMarket.scaled(leadIns[i], 0.005), Direction.UP, 6.0, 90, 100, 10);
        }
        long end = liveDay(DAY0 + 3, 700, PATH, 100, 10);
        mkt.feed(engine);

        List<EchoMatch> ms = engine.matches(SYM, closeMs(end));
        assertThat(ms).extracting(EchoMatch::templateDay).containsExactly(iso(DAY0 + 1), iso(DAY0 + 2));
        assertThat(ms.get(0).similarity()).isGreaterThan(ms.get(1).similarity());
        double third = PathMath.pearson(leadIns[0], PATH);
        assertThat(ms.get(1).similarity()).isGreaterThan(third);
    }

    private static double[] blend(double[] a, double[] b, double wb) {
        double[] out = new double[a.length];
        for (int k = 0; k < a.length; k++) {
            out[k] = (1 - wb) * a[k] + wb * b[k];
        }
        return out;
    }

    @Test
    void badCandlesAreRejectedNamingSymbolAndTime() {
        EchoEngine engine = new EchoEngine(EchoParams.defaults());
        long t = minuteOf(DAY0, 10) * 60_000L;
        engine.onClosedMinute(Candle.closedMinute(SYM, t, 100, 110, 90, 105, 5));
        // The latest minute sent again replaces it.
        engine.onClosedMinute(Candle.closedMinute(SYM, t, 100, 120, 90, 115, 7));
        assertThat(engine.lastMinuteOpenMs(SYM)).isEqualTo(t);

        assertThatThrownBy(() -> engine.onClosedMinute(Candle.closedMinute(SYM, t - 60_000L, 100, 110, 90, 105, 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(SYM).hasMessageContaining("2023-03-20T00:09:00Z")
                .hasMessageContaining("arrived after 2023-03-20T00:10:00Z");
        assertThatThrownBy(() -> engine.onClosedMinute(new Candle(SYM, t + 60_000L, 60_000L, 100, 110, 90, 105, 5, false,
                t + 70_000L))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not closed");
        assertThatThrownBy(() -> engine.onClosedMinute(new Candle(SYM, t + 60_000L, 300_000L, 100, 110, 90, 105, 5, true,
                t + 360_000L))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval 300000 ms");
        assertThatThrownBy(() -> engine.onClosedMinute(Candle.closedMinute(SYM, t + 60_000L, 100, 95, 90, 105, 5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inconsistent")
                .hasMessageContaining("2023-03-20T00:11:00Z");
        assertThatThrownBy(() -> engine.onClosedMinute(Candle.closedMinute(SYM, t + 60_000L, 0, 0, 0, 0, 5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 < low");
        assertThatThrownBy(() -> engine.onClosedMinute(SYM, t + 90_000L, 100, 110, 90, 105, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not the start of a UTC minute");
        assertThatThrownBy(() -> engine.onClosedMinute(Candle.closedMinute(SYM, t + 60_000L, 100, 110, 90, 105, -1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("volume -1");
    }

    @Test
    void symbolsAreIndependent() {
        EchoEngine engine = new EchoEngine(EchoParams.defaults());
        SynthMarket a = new SynthMarket("AAAUSDT");
        SynthMarket b = new SynthMarket("BBBUSDT");
        a.moverDay(DAY0, 600, PATH, Direction.UP, 6.0, 90, 100, 10);
        b.resetOpen();
        b.quiet(minuteOf(DAY0, 0), minuteOf(DAY0 + 1, 0), 100, 10);
        long end = minuteOf(DAY0 + 1, 700);
        a.path(end - 59, 100, PATH, 10);
        b.path(end - 59, 100, PATH, 10);
        // Interleave the two symbols minute by minute, as the replay does.
        List<Candle> all = new java.util.ArrayList<>(a.candles);
        all.addAll(b.candles);
        all.sort(java.util.Comparator.comparingLong(Candle::openTimeMs));
        all.forEach(engine::onClosedMinute);

        assertThat(engine.symbols()).containsExactlyInAnyOrder("AAAUSDT", "BBBUSDT");
        assertThat(engine.matches("AAAUSDT", closeMs(end))).hasSize(1);
        assertThat(engine.matches("BBBUSDT", closeMs(end))).isEmpty();
        assertThat(engine.days("BBBUSDT")).extracting(EchoDay::status).containsExactly(EchoDay.Status.NOT_A_MOVER);
        assertThat(engine.templateCount("AAAUSDT")).isEqualTo(1);
    }
}
