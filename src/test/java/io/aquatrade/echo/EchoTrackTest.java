package io.aquatrade.echo;

import io.aquatrade.model.Candle;
import io.aquatrade.model.Decimals;
import io.aquatrade.model.EchoTrack;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EchoTrackTest {

    private static final long DAY = 86_400_000L;
    private static final long MIN = 60_000L;
    private static final long D0 = 19_400 * DAY;

    /** Price path of a day: noise, then a smooth 8% climb from minute 600 to 840, then noise again. */
    private static double price(Random rnd, int minute, double level) {
        double noise = (rnd.nextDouble() - 0.5) * 0.002;
        double climb = minute < 600 ? 0 : minute < 840 ? 0.08 * (minute - 600) / 240.0 : 0.08;
        return level * (1 + climb + noise);
    }

    private static void feedDay(EchoEngine e, long dayStart, double level, long seed, int upTo) {
        Random rnd = new Random(seed);
        for (int m = 0; m < upTo; m++) {
            long p = Decimals.fromBigDecimal(java.math.BigDecimal.valueOf(price(rnd, m, level)));
            e.onClosedMinute(Candle.closedMinute("SOLUSDT", dayStart + m * MIN, p, p, p, p, Decimals.ONE));
        }
    }

    /** The minute of the lowest price before the day's largest run-up (ratio high / earlier low), as fed. */
    private static long largestRunUpStart(double level, long seed) {
        Random rnd = new Random(seed);
        long lowMinute = 0;
        long low = Long.MAX_VALUE;
        long bestStart = 0;
        double best = 0;
        for (int m = 0; m < 1440; m++) {
            long p = Decimals.fromBigDecimal(java.math.BigDecimal.valueOf(price(rnd, m, level)));
            if (p < low) {
                low = p;
                lowMinute = m;
            }
            double runUp = p / (double) low;
            if (runUp > best) {
                best = runUp;
                bestStart = lowMinute;
            }
        }
        return bestStart;
    }

    @Test
    void aLivePathRepeatingTheTemplateTracksItAndAnOppositeOneDoesNot() {
        EchoEngine e = new EchoEngine(EchoParams.defaults());
        feedDay(e, D0, 20.0, 1, 1440);
        // the next day repeats the shape at another price level: entry at the template's move start
        feedDay(e, D0 + DAY, 25.0, 2, 700);
        List<EchoTemplate> templates = e.templates("SOLUSDT", D0 + DAY + 700 * MIN);
        assertThat(templates).hasSize(1);
        EchoTemplate t = templates.get(0);
        // where the template day's move starts, found here from the prices fed (not from the engine): the low
        // before the largest run-up of the day
        long moveStartMinuteOfDay = largestRunUpStart(20.0, 1);
        assertThat(moveStartMinuteOfDay).isBetween(0L, 600L); // the climb starts at 600; noise may put the low before it
        assertThat(t.moveStartMs()).isEqualTo(D0 + moveStartMinuteOfDay * MIN);
        long entry = D0 + DAY + moveStartMinuteOfDay * MIN;
        long now = D0 + DAY + 700 * MIN - 1;
        EchoTrack track = e.track("SOLUSDT", t.templateDay(), entry, now);
        assertThat(track).isNotNull();
        assertThat(track.elapsedMinutes()).isEqualTo((int) (700 - moveStartMinuteOfDay));
        assertThat(track.correlation()).isGreaterThan(0.95);
        assertThat(track.liveReturnPct()).isCloseTo(track.templateReturnPct(), within(0.5));
        assertThat(track.templateReturnPct()).isPositive();

        // a second symbol whose day after the same template falls instead of climbing
        EchoEngine f = new EchoEngine(EchoParams.defaults());
        feedDay(f, D0, 20.0, 1, 1440);
        Random rnd = new Random(3);
        for (int m = 0; m < 700; m++) {
            double drop = m < 600 ? 0 : -0.05 * (m - 600) / 100.0;
            long p = Decimals.fromBigDecimal(java.math.BigDecimal.valueOf(25.0 * (1 + drop + (rnd.nextDouble() - 0.5) * 0.002)));
            f.onClosedMinute(Candle.closedMinute("SOLUSDT", D0 + DAY + m * MIN, p, p, p, p, Decimals.ONE));
        }
        EchoTrack broken = f.track("SOLUSDT", t.templateDay(), entry, now);
        assertThat(broken.correlation()).isLessThan(0);
        assertThat(broken.liveReturnPct()).isNegative();
    }

    @Test
    void unknownTemplateOrNothingClosedSinceEntryGivesNoTrack() {
        EchoEngine e = new EchoEngine(EchoParams.defaults());
        feedDay(e, D0, 20.0, 1, 1440);
        feedDay(e, D0 + DAY, 25.0, 2, 10);
        assertThat(e.track("SOLUSDT", "2020-01-01", D0 + DAY, D0 + DAY + 10 * MIN)).isNull();
        String day = e.templates("SOLUSDT", D0 + DAY + 10 * MIN).get(0).templateDay();
        assertThat(e.track("SOLUSDT", day, D0 + DAY + 20 * MIN, D0 + DAY + 10 * MIN)).isNull();
        assertThat(e.track("BTCUSDT", day, D0, D0 + DAY)).isNull();
    }

    /**
     * A session trailing the market on another thread asks as of the latest minute when it decided: minutes fed
     * since (past a gap in the feed, across midnight, where the template ages out) do not change the answer.
     */
    @Test
    void aTrackAskedAsOfAnEarlierMinuteIgnoresEverythingFedSince() {
        // templates held two days, so the second midnight after the template's day drops it
        EchoParams twoDays = new EchoParams(60, 0.5, 5, List.of(3, 5, 10), 1, 2, 2, 0.5, 0.8, 1, 0.0, 0);
        EchoEngine e = new EchoEngine(twoDays);
        feedDay(e, D0 - DAY, 20.0, 1, 1440);
        feedDay(e, D0, 22.0, 5, 1440);
        feedDay(e, D0 + DAY, 25.0, 2, 1380); // up to 22:59; 23:00 and 23:01 never come
        EchoTemplate t = e.templates("SOLUSDT", D0 + DAY + 700 * MIN).get(0);
        assertThat(t.templateDay()).isEqualTo(java.time.LocalDate.ofEpochDay((D0 - DAY) / DAY).toString());
        long entry = D0 + DAY + 650 * MIN;
        long now = D0 + DAY + 1382 * MIN - 1; // 23:01's close: the feed has a two-minute gap
        long asOf = e.lastMinuteOpenMs("SOLUSDT");
        assertThat(asOf).isEqualTo(D0 + DAY + 1379 * MIN);
        EchoTrack then = e.track("SOLUSDT", t.templateDay(), entry, now);
        assertThat(then).isNotNull();
        assertThat(e.track("SOLUSDT", t.templateDay(), entry, now, asOf)).isEqualTo(then);

        // the feed resumes at 23:02: asked without the as-of minute, 23:00 and 23:01 now count as gone minutes
        Random rnd = new Random(3);
        java.util.function.IntConsumer feed = m -> {
            long p = Decimals.fromBigDecimal(java.math.BigDecimal.valueOf(price(rnd, m % 1440, 25.0)));
            e.onClosedMinute(Candle.closedMinute("SOLUSDT", D0 + DAY + m * MIN, p, p, p, p, Decimals.ONE));
        };
        for (int m = 1382; m < 1420; m++) {
            feed.accept(m);
        }
        EchoTrack without = e.track("SOLUSDT", t.templateDay(), entry, now);
        assertThat(without.elapsedMinutes()).isEqualTo(then.elapsedMinutes() + 2);
        assertThat(e.track("SOLUSDT", t.templateDay(), entry, now, asOf)).isEqualTo(then);

        // and on past midnight, where the template is dropped
        for (int m = 1420; m < 1440 + 90; m++) {
            feed.accept(m);
        }
        assertThat(e.templates("SOLUSDT", D0 + 2 * DAY + 90 * MIN)).extracting(EchoTemplate::templateDay)
                .doesNotContain(t.templateDay());
        assertThat(e.track("SOLUSDT", t.templateDay(), entry, now)).isNull();
        assertThat(e.track("SOLUSDT", t.templateDay(), entry, now, asOf)).isEqualTo(then);
    }
}
