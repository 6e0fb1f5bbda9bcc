package io.aquatrade.echo;

import io.aquatrade.model.Direction;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The day's move on hand-made days where the answer is known by construction. */
class DayMoveTest {

    private final long[] open = new long[1440];
    private final long[] high = new long[1440];
    private final long[] low = new long[1440];

    private static long p(double price) {
        return Math.round(price * 1e8);
    }

    /** Minutes [from, to) as flat bars at {@code price}. */
    private void flat(int from, int to, double price) {
        for (int m = from; m < to; m++) {
            bar(m, price, price, price);
        }
    }

    private void bar(int m, double o, double h, double l) {
        open[m] = p(o);
        high[m] = p(h);
        low[m] = p(l);
    }

    @Test
    void anUpDayRunsFromItsTroughToItsLaterPeak() {
        flat(0, 1440, 100);
        // Drift down to a trough of 95 at 06:40, rally to 106 at 11:40, then give some back.
        for (int m = 300; m < 400; m++) {
            bar(m, 100 - (m - 300) * 0.04, 100 - (m - 300) * 0.04, 100 - (m - 300 + 1) * 0.04);
        }
        bar(400, 96, 96, 95);
        for (int m = 401; m <= 700; m++) {
            double lo = 95.5 + (m - 401) * (10.5 / 299);
            bar(m, lo, lo + 0.01, lo);
        }
        bar(700, 105.9, 106, 105.8);
        flat(701, 1440, 103);

        DayMove mv = DayMove.analyse(open, high, low, 0);

        assertThat(mv.minutesPresent()).isEqualTo(1440);
        assertThat(mv.openE8()).isEqualTo(p(100));
        assertThat(mv.highE8()).isEqualTo(p(106));
        assertThat(mv.lowE8()).isEqualTo(p(95));
        assertThat(mv.rangePct()).isCloseTo(11.0, within(1e-9));
        assertThat(mv.direction()).isEqualTo(Direction.UP);
        assertThat(mv.startMinute()).isEqualTo(400);
        assertThat(mv.extremeMinute()).isEqualTo(700);
        assertThat(mv.minutesToPeak()).isEqualTo(300);
        assertThat(mv.movePct()).isCloseTo((106.0 / 95.0 - 1) * 100, within(1e-9));
        assertThat(mv.moveContiguous()).isTrue();
    }

    @Test
    void aDownDayRunsFromItsCrestToItsLaterLow() {
        flat(0, 1440, 50);
        bar(10, 50, 52, 50);       // crest 52 at 00:10
        for (int m = 11; m < 200; m++) {
            double hi = 51.9 - (m - 11) * 0.02;
            bar(m, hi, hi, hi - 0.01);
        }
        bar(200, 48.2, 48.2, 47.0); // low 47 at 03:20
        flat(201, 1440, 48);

        DayMove mv = DayMove.analyse(open, high, low, 0);

        assertThat(mv.direction()).isEqualTo(Direction.DOWN);
        assertThat(mv.startMinute()).isEqualTo(10);
        assertThat(mv.extremeMinute()).isEqualTo(200);
        assertThat(mv.startPriceE8()).isEqualTo(p(52));
        assertThat(mv.extremePriceE8()).isEqualTo(p(47));
        assertThat(mv.movePct()).isCloseTo((1 - 47.0 / 52.0) * 100, within(1e-9));
        assertThat(mv.rangePct()).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void aRetouchedTroughMovesTheStartToTheLastTouchBeforeThePeak() {
        flat(0, 1440, 100);
        bar(100, 100, 100, 97);   // first touch of the low
        flat(101, 300, 99);
        bar(300, 99, 99, 97);     // touched again: the move began after this one
        flat(301, 500, 100);
        bar(500, 100, 103, 100);  // the peak
        bar(600, 100, 100, 97.5); // a dip after the peak does not matter
        DayMove mv = DayMove.analyse(open, high, low, 0);
        assertThat(mv.direction()).isEqualTo(Direction.UP);
        assertThat(mv.startMinute()).isEqualTo(300);
        assertThat(mv.extremeMinute()).isEqualTo(500);
    }

    @Test
    void thePeakIsTheFirstMinuteReachingIt() {
        flat(0, 1440, 100);
        bar(50, 100, 100, 96);
        bar(70, 100, 104, 100);
        bar(90, 100, 104, 100);
        DayMove mv = DayMove.analyse(open, high, low, 0);
        assertThat(mv.extremeMinute()).isEqualTo(70);
    }

    @Test
    void aDayWhoseHighAndLowShareAMinuteCountsAsUp() {
        flat(0, 1440, 100);
        bar(720, 100, 104, 96);
        DayMove mv = DayMove.analyse(open, high, low, 0);
        assertThat(mv.direction()).isEqualTo(Direction.UP);
        assertThat(mv.startMinute()).isEqualTo(720);
        assertThat(mv.minutesToPeak()).isZero();
    }

    @Test
    void missingMinutesAreSkippedAndAGapInsideTheMoveIsReported() {
        flat(0, 1440, 100);
        bar(400, 100, 100, 95);
        bar(800, 100, 105, 100);
        Arrays.fill(high, 0, 100, 0);     // the day's data starts at 01:40
        Arrays.fill(high, 500, 520, 0);   // and an outage inside the move
        DayMove mv = DayMove.analyse(open, high, low, 0);
        assertThat(mv.minutesPresent()).isEqualTo(1440 - 120);
        assertThat(mv.openE8()).isEqualTo(p(100));
        assertThat(mv.startMinute()).isEqualTo(400);
        assertThat(mv.extremeMinute()).isEqualTo(800);
        assertThat(mv.moveContiguous()).isFalse();

        Arrays.fill(high, 0);
        assertThat(DayMove.analyse(open, high, low, 0)).isNull();
    }

    @Test
    void aHorizonPicksTheLargestFastMoveInsteadOfTheDaysSlowSwing() {
        flat(0, 1440, 100);
        for (int m = 100; m < 1100; m++) {           // a slow 6% grind up over 1000 minutes
            double c = 100 + (m - 99) * 0.006;
            bar(m, c - 0.005, c, c - 0.005);
        }
        flat(1100, 1201, 106);
        for (int m = 1201; m <= 1220; m++) {         // then 3% down in 20 minutes
            double c = 106 - (m - 1200) * 0.16;
            bar(m, c + 0.16, c + 0.16, c);
        }
        flat(1221, 1440, 103);

        DayMove whole = DayMove.analyse(open, high, low, 0);
        assertThat(whole.direction()).isEqualTo(Direction.UP);
        assertThat(whole.startMinute()).isEqualTo(99);
        assertThat(whole.extremeMinute()).isEqualTo(1099);
        assertThat(whole.movePct()).isCloseTo(6.0, within(1e-9));

        DayMove fast = DayMove.analyse(open, high, low, 60);
        assertThat(fast.direction()).isEqualTo(Direction.DOWN);
        assertThat(fast.startMinute()).isEqualTo(1201); // the crest's last touch: the open of the first falling bar
        assertThat(fast.extremeMinute()).isEqualTo(1220);
        assertThat(fast.movePct()).isCloseTo((106 - 102.8) / 106 * 100, within(1e-9));
        // The day's range and class do not depend on the horizon.
        assertThat(fast.rangePct()).isEqualTo(whole.rangePct());

        // A horizon as long as the day is the same as none.
        assertThat(DayMove.analyse(open, high, low, 1440)).isEqualTo(whole);
    }

    @Test
    void withAHorizonNoMoveTakesLongerThanIt() {
        java.util.Random r = new java.util.Random(3);
        double c = 100;
        for (int m = 0; m < 1440; m++) {
            double o = c;
            c = c * Math.exp(r.nextGaussian() * 0.002);
            bar(m, o, Math.max(o, c) * 1.0005, Math.min(o, c) * 0.9995);
        }
        for (int h : new int[]{1, 15, 60, 240, 1000}) {
            DayMove mv = DayMove.analyse(open, high, low, h);
            assertThat(mv.minutesToPeak()).as("horizon %d", h).isBetween(0, h);
        }
    }
}
