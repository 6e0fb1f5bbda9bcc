package io.aquatrade.state;

import io.aquatrade.model.MarketWindows;
import io.aquatrade.model.TradeTick;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The running seconds windows (10 s, 30 s, 5 min) equal a scan of the held one-second bars, bit for bit. */
class SecondsWindowsPropertyTest {

    /** One tick: how long after the previous one, its price step, its quantity, and whether a round asks then. */
    record Step(long gapMs, int priceStep, long qtyE8, int ask) {
    }

    @Provide
    Arbitrary<List<Step>> tapes() {
        Arbitrary<Long> gap = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.longs().between(0, 1_500)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(1_500, 40_000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(40_000, 400_000)));
        Arbitrary<Step> step = Combinators.combine(gap, Arbitraries.integers().between(-50, 50),
                Arbitraries.longs().between(1, 5_000_000_000L), Arbitraries.integers().between(0, 5)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(1_500);
    }

    @Property(tries = 60)
    void runningWindowsEqualTheScan(@ForAll("tapes") List<Step> tape) {
        SymbolState st = new SymbolState("AUSDT", 120);
        long t = 1_700_000_000_000L;
        long price = 100_00000000L;
        int k = 0;
        for (Step s : tape) {
            k++;
            t += s.gapMs();
            price = Math.max(1_00000000L, price + s.priceStep() * 1_000_000L);
            double qty = k == 1_200 ? s.qtyE8() + 0.5 : s.qtyE8(); // a fractional amount late: the scan takes over
            st.onEvent(new TradeTick("AUSDT", t, price, qty, false));
            if (s.ask() == 0) {
                continue; // no round asks now: the windows must catch up later
            }
            long now = s.ask() == 1 ? t - 2_000 : t; // now and then a query earlier than the last one
            MarketWindows w = st.windows(now);
            double perMinute = st.typicalVolumePerMinute();
            assertThat(w.last10s()).isEqualTo(st.secondsWindowScan(now, 10, perMinute));
            assertThat(w.last30s()).isEqualTo(st.secondsWindowScan(now, 30, perMinute));
            assertThat(w.last5m()).isEqualTo(st.secondsWindowScan(now, 300, perMinute));
        }
        answered += st.runningAnswers;
    }

    private static long answered;

    @net.jqwik.api.lifecycle.AfterContainer
    static void theRunningPathAnswered() {
        assertThat(answered).as("windows the running sums answered").isPositive();
        System.out.println("running answers " + answered);
    }
}
