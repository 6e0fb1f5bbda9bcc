package io.aquatrade.echo;

import io.aquatrade.model.Candle;
import io.aquatrade.model.Direction;
import io.aquatrade.model.EchoMatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The engine on real Binance minutes (BTC, DOGE, SOL, 2023-03-16 22:15 .. 2023-03-26, with the real
 * 2023-03-24 trading halt; see src/test/resources/echo/PROVENANCE.md), checked against a plain
 * recomputation written here from the rows themselves.
 */
class RealDataTest {
    private static final String[] SYMBOLS = {"BTCUSDT", "DOGEUSDT", "SOLUSDT"};
    private static final Map<String, KlineCsv> DATA = new LinkedHashMap<>();

    @BeforeAll
    static void load() {
        for (String s : SYMBOLS) {
            DATA.put(s, KlineCsv.resource(s + "-1m_2023-03-16_2023-03-26.csv.gz", s));
        }
    }

    /** The straightforward view of one day: its rows' indices. */
    private record Day(long epochDay, int from, int to) {
    }

    private static List<Day> days(KlineCsv k) {
        List<Day> out = new ArrayList<>();
        int from = 0;
        for (int i = 1; i <= k.size; i++) {
            if (i == k.size || k.openTime[i] / 86_400_000L != k.openTime[from] / 86_400_000L) {
                out.add(new Day(k.openTime[from] / 86_400_000L, from, i));
                from = i;
            }
        }
        return out;
    }

    private static boolean present(KlineCsv k, long openTimeMs) {
        return java.util.Arrays.binarySearch(k.openTime, 0, k.size, openTimeMs) >= 0;
    }

    @Test
    void moverDaysTheirClassesAndMovesAgreeWithAPlainRecomputation() {
        EchoParams params = EchoParams.defaults();
        for (String sym : SYMBOLS) {
            KlineCsv k = DATA.get(sym);
            EchoEngine engine = new EchoEngine(params);
            for (int i = 0; i < k.size; i++) {
                engine.onClosedMinute(k.candle(i));
            }
            List<Day> days = days(k);
            List<EchoDay> judged = engine.days(sym);
            // Every day but the last, which has not been seen to end, is judged.
            assertThat(judged).as(sym).hasSize(days.size() - 1);
            for (int d = 0; d < judged.size(); d++) {
                Day day = days.get(d);
                EchoDay got = judged.get(d);
                String what = sym + " " + LocalDate.ofEpochDay(day.epochDay());

                long open = k.open[day.from()];
                long high = Long.MIN_VALUE;
                long low = Long.MAX_VALUE;
                for (int i = day.from(); i < day.to(); i++) {
                    high = Math.max(high, k.high[i]);
                    low = Math.min(low, k.low[i]);
                }
                BigDecimal range = BigDecimal.valueOf(high - low).multiply(BigDecimal.valueOf(100))
                        .divide(BigDecimal.valueOf(open), 12, RoundingMode.HALF_EVEN);
                int cls = 0;
                for (int c : new int[]{3, 5, 10}) {
                    if (range.compareTo(BigDecimal.valueOf(c)) >= 0) {
                        cls = c;
                    }
                }
                // The move spans the day range: UP when the low's first minute is not after the high's.
                int firstLow = -1, firstHigh = -1;
                for (int i = day.from(); i < day.to(); i++) {
                    if (firstLow < 0 && k.low[i] == low) {
                        firstLow = i;
                    }
                    if (firstHigh < 0 && k.high[i] == high) {
                        firstHigh = i;
                    }
                }
                boolean up = firstLow <= firstHigh;
                int extreme = -1;
                for (int i = up ? firstLow : firstHigh; i < day.to() && extreme < 0; i++) {
                    if (up ? k.high[i] == high : k.low[i] == low) {
                        extreme = i;
                    }
                }
                int start = -1;
                for (int i = extreme; i >= day.from() && start < 0; i--) {
                    if (up ? k.low[i] == low : k.high[i] == high) {
                        start = i;
                    }
                }
                double movePct = up ? (high - low) * 100.0 / low : (high - low) * 100.0 / high;

                assertThat(got.epochDay()).as(what).isEqualTo(day.epochDay());
                assertThat(got.minutesPresent()).as(what).isEqualTo(day.to() - day.from());
                assertThat(got.openE8()).as(what).isEqualTo(open);
                assertThat(got.highE8()).as(what).isEqualTo(high);
                assertThat(got.lowE8()).as(what).isEqualTo(low);
                assertThat(got.rangePct()).as(what).isCloseTo(range.doubleValue(), within(1e-9));
                assertThat(got.moveClassPct()).as(what).isEqualTo(cls);
                assertThat(got.direction()).as(what).isEqualTo(up ? Direction.UP : Direction.DOWN);
                assertThat(got.moveStartMs()).as(what).isEqualTo(k.openTime[start]);
                assertThat(got.moveExtremeMs()).as(what).isEqualTo(k.openTime[extreme]);
                assertThat(got.movePct()).as(what).isCloseTo(movePct, within(1e-9));

                // The coverage rule, recomputed.
                EchoDay.Status expected;
                if (cls == 0) {
                    expected = EchoDay.Status.NOT_A_MOVER;
                } else {
                    boolean contiguous = k.openTime[extreme] - k.openTime[start] == (extreme - start) * 60_000L;
                    int leadIn = 0;
                    for (int m = 1; m <= 60; m++) {
                        if (present(k, k.openTime[start] - m * 60_000L)) {
                            leadIn++;
                        }
                    }
                    if (day.to() - day.from() < 720 && !contiguous) {
                        expected = EchoDay.Status.SKIPPED_LOW_COVERAGE;
                    } else if (leadIn < 48) {
                        expected = EchoDay.Status.SKIPPED_LEAD_IN_GAPS;
                    } else {
                        expected = EchoDay.Status.TEMPLATE;
                    }
                }
                assertThat(got.status()).as(what).isEqualTo(expected);
            }
            long templates = judged.stream().filter(x -> x.status() == EchoDay.Status.TEMPLATE).count();
            assertThat(engine.templates(sym, k.openTime[k.size - 1])).hasSize((int) templates);
        }
    }

    @Test
    void knownDaysOfTheSlice() {
        EchoEngine engine = new EchoEngine(EchoParams.defaults());
        for (String sym : SYMBOLS) {
            KlineCsv k = DATA.get(sym);
            for (int i = 0; i < k.size; i++) {
                engine.onClosedMinute(k.candle(i));
            }
        }
        Map<String, EchoDay> btc = byDay(engine.days("BTCUSDT"));
        Map<String, EchoDay> doge = byDay(engine.days("DOGEUSDT"));
        // The first, 105-minute day (data from 22:15): BTC moved 0.83%, DOGE 4.20% — a mover despite 7%
        // coverage, since its move is intact, but its trough at 22:33 leaves only 18 of 60 lead-in minutes.
        assertThat(btc.get("2023-03-16").minutesPresent()).isEqualTo(105);
        assertThat(btc.get("2023-03-16").status()).isEqualTo(EchoDay.Status.NOT_A_MOVER);
        assertThat(doge.get("2023-03-16").moveClassPct()).isEqualTo(3);
        assertThat(doge.get("2023-03-16").moveStartMs()).isEqualTo(Instant.parse("2023-03-16T22:33:00Z").toEpochMilli());
        assertThat(doge.get("2023-03-16").status()).isEqualTo(EchoDay.Status.SKIPPED_LEAD_IN_GAPS);
        // 2023-03-17: BTC's 11.5% day; 2023-03-25: 2.3%, no class.
        assertThat(btc.get("2023-03-17").moveClassPct()).isEqualTo(10);
        assertThat(btc.get("2023-03-17").status()).isEqualTo(EchoDay.Status.TEMPLATE);
        assertThat(btc.get("2023-03-25").moveClassPct()).isZero();
        // The halt day: 1360 minutes, still judged as it is.
        assertThat(btc.get("2023-03-24").minutesPresent()).isEqualTo(1360);
        assertThat(btc.get("2023-03-24").moveClassPct()).isEqualTo(3);
        assertThat(doge.get("2023-03-24").moveClassPct()).isEqualTo(5);
        assertThat(btc.get("2023-03-24").status()).isEqualTo(EchoDay.Status.TEMPLATE);
    }

    private static Map<String, EchoDay> byDay(List<EchoDay> days) {
        Map<String, EchoDay> m = new LinkedHashMap<>();
        days.forEach(d -> m.put(d.day(), d));
        return m;
    }

    @Test
    void liveMatchesUseNothingFromTheFutureAndAreWellFormed() {
        List<Candle> all = KlineCsv.merged(new ArrayList<>(DATA.values()));
        EchoParams params = EchoParams.defaults();
        EchoEngine live = new EchoEngine(params);
        EchoEngine unbounded = new EchoEngine(params.withMaxMatchesPerSymbol(1000));
        record Asked(int index, Candle at, List<EchoMatch> answer) {
        }
        List<Asked> asked = new ArrayList<>();
        int nonEmpty = 0;
        for (int i = 0; i < all.size(); i++) {
            Candle c = all.get(i);
            live.onClosedMinute(c);
            unbounded.onClosedMinute(c);
            List<EchoMatch> ms = live.matches(c.symbol(), c.timeMs());
            List<EchoMatch> full = unbounded.matches(c.symbol(), c.timeMs());
            long today = Math.floorDiv(c.timeMs(), 86_400_000L);

            assertThat(ms.size()).isLessThanOrEqualTo(params.maxMatchesPerSymbol());
            // The cut to the best N keeps exactly the head of the full ranking.
            assertThat(ms).isEqualTo(full.subList(0, Math.min(full.size(), params.maxMatchesPerSymbol())));
            for (int r = 0; r < full.size(); r++) {
                EchoMatch m = full.get(r);
                long age = today - LocalDate.parse(m.templateDay()).toEpochDay();
                assertThat(age).as("template of the current day or later at %s", c).isPositive();
                assertThat(m.lookback()).isEqualTo(age <= 5 ? "5d" : "30d");
                assertThat(m.similarity()).isBetween(params.minSimilarity(), 1.0);
                if (r > 0) {
                    assertThat(m.similarity()).isLessThanOrEqualTo(full.get(r - 1).similarity());
                }
                assertThat(m.activityRatio()).isFinite().isPositive();
                assertThat(m.timeMs()).isEqualTo(c.timeMs());
                assertThat(m.symbol()).isEqualTo(c.symbol());
            }
            if (!ms.isEmpty()) {
                nonEmpty++;
            }
            if (i % 613 == 0) {
                asked.add(new Asked(i, c, ms));
            }
        }
        assertThat(nonEmpty).as("the slice produces matches at all").isGreaterThan(1000);

        // A second engine fed up to 7 hours past each asked moment (often across midnight, so it has built
        // the asked day's own template) gives exactly the answer the first engine gave at that moment.
        int compared = 0;
        for (Asked a : asked) {
            EchoEngine ahead = new EchoEngine(params);
            long horizon = a.at().timeMs() + 7 * 3_600_000L;
            for (Candle c : all) {
                if (c.timeMs() > horizon) {
                    break;
                }
                ahead.onClosedMinute(c);
            }
            assertThat(ahead.matches(a.at().symbol(), a.at().timeMs())).as("asked at %s", a.at()).isEqualTo(a.answer());
            if (!a.answer().isEmpty()) {
                compared++;
            }
        }
        assertThat(compared).as("non-empty answers compared").isGreaterThan(10);
    }

    /**
     * The segment bound only spares work: with it, every query on the real slice answers exactly (bit for bit)
     * what the full comparison of every template answers, for floors that let most or few templates through,
     * lists of one to five, a volume blend, and a minute in progress as the window's newest point.
     */
    @Test
    void theSegmentBoundLeavesEveryAnswerAsTheFullComparisonGivesIt() {
        List<Candle> all = KlineCsv.merged(new ArrayList<>(DATA.values()));
        List<EchoParams> variants = List.of(EchoParams.defaults(),
                EchoParams.defaults().withMinSimilarity(-1.0).withMaxMatchesPerSymbol(3),
                EchoParams.defaults().withMinSimilarity(0.8).withMaxMatchesPerSymbol(1),
                EchoParams.defaults().withMinSimilarity(0.3).withVolumeWeight(0.3),
                EchoParams.defaults().withLeadInMinutes(45).withMinSimilarity(0.6));
        for (EchoParams params : variants) {
            EchoEngine bounded = new EchoEngine(params, true);
            EchoEngine full = new EchoEngine(params, false);
            long answered = 0;
            long queries = 0;
            for (int i = 0; i < all.size(); i++) {
                Candle c = all.get(i);
                bounded.onClosedMinute(c);
                full.onClosedMinute(c);
                List<EchoMatch> got;
                List<EchoMatch> want;
                if (i % 3 == 0 && i + 1 < all.size()) {
                    // halfway through the next minute, its close so far being the next row's open
                    long now = c.timeMs() + 30_000L;
                    Candle next = all.get(i + 1);
                    got = bounded.matches(c.symbol(), now, next.openE8(), next.volumeE8() / 2);
                    want = full.matches(c.symbol(), now, next.openE8(), next.volumeE8() / 2);
                } else {
                    got = bounded.matches(c.symbol(), c.timeMs());
                    want = full.matches(c.symbol(), c.timeMs());
                }
                assertThat(got).as("%s at %s", params, c).isEqualTo(want);
                queries++;
                if (!want.isEmpty()) {
                    answered++;
                }
            }
            assertThat(answered).as("queries with matches, %s", params).isGreaterThan(1000);
            // and it did spare work: at the default floor, most templates never needed their full comparison
            assertThat(bounded.fullComparisons()).as("%s over %d queries", params, queries)
                    .isLessThan(params.minSimilarity() >= 0.5 ? full.fullComparisons() / 2 : full.fullComparisons());
        }
    }
}
