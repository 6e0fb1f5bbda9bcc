package io.aquatrade.state;

import io.aquatrade.model.Candle;
import io.aquatrade.model.Decimals;
import io.aquatrade.model.MarketSnapshot;
import io.aquatrade.model.QuoteTick;
import io.aquatrade.model.TradeTick;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SymbolStateTest {

    private static final long DAY = 86_400_000L;
    private static final long T0 = 19_000 * DAY; // a UTC midnight

    private static long e8(String s) {
        return Decimals.parseE8(s);
    }

    @Test
    void ticksBuildOneMinuteBarsClosedByTheFirstTickOfTheNextMinute() {
        SymbolState s = new SymbolState("BTCUSDT", 100);
        assertThat(s.onEvent(new TradeTick("BTCUSDT", T0 + 1_000, e8("100"), e8("1"), false))).isNull();
        assertThat(s.onEvent(new TradeTick("BTCUSDT", T0 + 20_000, e8("105"), e8("2"), true))).isNull();
        assertThat(s.onEvent(new QuoteTick("BTCUSDT", T0 + 30_000, e8("98"), e8("1"), e8("99"), e8("1")))).isNull();
        assertThat(s.onEvent(new TradeTick("BTCUSDT", T0 + 59_999, e8("101"), e8("0.5"), false))).isNull();
        Candle closed = s.onEvent(new TradeTick("BTCUSDT", T0 + 60_000, e8("102"), e8("1"), false));
        assertThat(closed).isNotNull();
        assertThat(closed.openTimeMs()).isEqualTo(T0);
        assertThat(closed.openE8()).isEqualTo(e8("100"));
        assertThat(closed.highE8()).isEqualTo(e8("105"));
        assertThat(closed.lowE8()).isEqualTo(e8("98.5")); // the quote's mid
        assertThat(closed.closeE8()).isEqualTo(e8("101"));
        assertThat(closed.volumeE8()).isEqualTo(e8("3.5")); // quotes carry no traded volume
        assertThat(closed.timeMs()).isEqualTo(T0 + 59_999);
        assertThat(s.minutesHeld()).isEqualTo(1);
        assertThat(s.lastPriceE8()).isEqualTo(e8("102"));
        Candle second = s.lastClosedSecond(); // the 1s bar of 00:00:59 closed by the tick at 00:01:00
        assertThat(second.openTimeMs()).isEqualTo(T0 + 59_000);
        assertThat(second.intervalMs()).isEqualTo(1000);
        assertThat(second.closeE8()).isEqualTo(e8("101"));
    }

    @Test
    void historyMinutesBuildTheStateButAreNoSignOfALiveFeed() {
        SymbolState s = new SymbolState("ETHUSDT", 100);
        s.onEvent(new TradeTick("ETHUSDT", T0 + 1_000, e8("10"), e8("1"), false));
        // the stream falls silent; its minutes arrive over REST (a backfill) up to the last closed one
        for (int m = 1; m <= 5; m++) {
            long p = e8("10") + m * Decimals.ONE;
            s.onHistoryMinute(Candle.closedMinute("ETHUSDT", T0 + m * 60_000L, p, p, p, p, e8("1")));
        }
        assertThat(s.minutesHeld()).isEqualTo(5);
        assertThat(s.lastPriceE8()).isEqualTo(e8("15"));
        assertThat(s.lastEventMs()).isGreaterThan(T0 + 5 * 60_000L);
        assertThat(s.lastFeedMs()).isEqualTo(T0 + 1_000);
        MarketSnapshot snap = s.snapshot(T0 + 6 * 60_000L, 180_000);
        assertThat(snap.stale()).isTrue();
        assertThat(snap.lastEventAgeMs()).isEqualTo(6 * 60_000L - 1_000);
        // the feed's next event makes it fresh again
        s.onEvent(new TradeTick("ETHUSDT", T0 + 6 * 60_000L, e8("16"), e8("1"), false));
        assertThat(s.snapshot(T0 + 6 * 60_000L + 10, 180_000).stale()).isFalse();
    }

    @Test
    void closedCandlesAreTakenAsTheyAreAndTheRingKeepsTheNewest() {
        SymbolState s = new SymbolState("ETHUSDT", 3);
        for (int m = 0; m < 5; m++) {
            Candle c = Candle.closedMinute("ETHUSDT", T0 + m * 60_000L, e8("10") + m, e8("11") + m, e8("9") + m,
                    e8("10") + m, e8("1"));
            assertThat(s.onEvent(c)).isSameAs(c);
        }
        assertThat(s.minutesHeld()).isEqualTo(3);
        assertThat(s.closeAgo(0)).isEqualTo(e8("10") + 4);
        assertThat(s.closeAgo(2)).isEqualTo(e8("10") + 2);
        assertThat(s.openTimeAgo(2)).isEqualTo(T0 + 2 * 60_000L);
    }

    @Test
    void snapshotReportsTodaysPathReturnsAndStaleness() {
        SymbolState s = new SymbolState("SOLUSDT", 2000);
        // yesterday, then today opening at 100 and rising 1 per minute
        s.onEvent(Candle.closedMinute("SOLUSDT", T0 - 60_000, e8("50"), e8("50"), e8("50"), e8("50"), e8("1")));
        for (int m = 0; m < 20; m++) {
            long p = e8("100") + m * Decimals.ONE;
            s.onEvent(Candle.closedMinute("SOLUSDT", T0 + m * 60_000L, p, p, p, p, e8("1")));
        }
        long now = T0 + 20 * 60_000L - 1;
        MarketSnapshot snap = s.snapshot(now, 180_000);
        assertThat(snap.dayOpen()).isEqualByComparingTo("100");
        assertThat(snap.lastPrice()).isEqualByComparingTo("119");
        assertThat(snap.dayChangePct()).isCloseTo(19.0, within(1e-9));
        assertThat(snap.ret5mPct()).isCloseTo((119.0 - 114.0) / 114.0 * 100, within(1e-9));
        assertThat(snap.stale()).isFalse();
        assertThat(snap.minutesOfHistory()).isEqualTo(21);
        assertThat(s.snapshot(now + 181_000, 180_000).stale()).isTrue();
    }

    @Test
    void viewCarriesTheLastHourForAnotherMember() {
        SymbolState s = new SymbolState("XRPUSDT", 2000);
        for (int m = 0; m < 90; m++) {
            s.onEvent(Candle.closedMinute("XRPUSDT", T0 + m * 60_000L, e8("1"), e8("1"), e8("1"), e8("1") + m, e8("2")));
        }
        SymbolStateView v = s.view(T0 + 90 * 60_000L);
        assertThat(v.recentClosesE8()).hasSize(SymbolStateView.RECENT_MINUTES);
        assertThat(v.recentClosesE8()[59]).isEqualTo(e8("1") + 89);
        assertThat(v.recentClosesE8()[0]).isEqualTo(e8("1") + 30);
        assertThat(v.events()).isEqualTo(90);
    }

    @Test
    void volumeRatioKeepsItsRunningTotalEqualToTheWindowSumAsTheRingWraps() {
        // capacity 50 < one day: the running total covers the whole ring once it is full, and wraps with it
        SymbolState s = new SymbolState("BTCUSDT", 50);
        java.util.Random random = new java.util.Random(7);
        long[] volumes = new long[180];
        for (int m = 0; m < volumes.length; m++) {
            volumes[m] = 1 + random.nextInt(1_000_000) * 1_000L;
            s.onEvent(Candle.closedMinute("BTCUSDT", T0 + m * 60_000L, e8("1"), e8("1"), e8("1"), e8("1"), volumes[m]));
            int held = Math.min(m + 1, 50);
            if (held < 10) {
                assertThat(s.volumeRatio(5, SymbolState.TYPICAL_MINUTES)).isEqualTo(1.0);
                continue;
            }
            double recent = 0;
            double all = 0;
            for (int k = 0; k < held; k++) {
                all += volumes[m - k];
                if (k < 5) {
                    recent += volumes[m - k];
                }
            }
            assertThat(s.volumeRatio(5, SymbolState.TYPICAL_MINUTES)).as("minute %d", m)
                    .isCloseTo(recent / (all / held * 5), within(1e-12));
            // a trailing window other than the running total's is summed directly
            if (held >= 40) {
                double all20 = 0;
                for (int k = 0; k < 20; k++) {
                    all20 += volumes[m - k];
                }
                assertThat(s.volumeRatio(5, 20)).isCloseTo(recent / (all20 / 20 * 5), within(1e-12));
            }
        }
    }

    @Test
    void pepeVolumesOfTrillionsOfUnitsADayNeitherOverflowNorDistortTheActivityRatio() {
        // PEPEUSDT at 0.0000081: 1.2e11 PEPE a minute is ~1 M USDT; a day of it is 1.7e14 PEPE, 1.7e22 in E8
        SymbolState s = new SymbolState("PEPEUSDT", 2 * 24 * 60);
        double minuteVolume = Decimals.parseVolumeE8("120000000000.00");
        for (int m = 0; m < 24 * 60; m++) {
            long t = T0 + m * 60_000L;
            s.onEvent(Candle.closedMinute("PEPEUSDT", t, e8("0.0000081"), e8("0.0000082"), e8("0.0000080"),
                    e8("0.0000081"), minuteVolume));
        }
        assertThat(s.volumeAgo(0)).isEqualTo(minuteVolume);
        assertThat(s.snapshot(T0 + DAY, 180_000).volumeRatio15m()).isCloseTo(1.0, within(1e-9));
        // ticks: 2,000 trades of 1e9 PEPE (8,100 USDT each) build a minute of 2e12 PEPE, 2e20 in E8
        SymbolState ticks = new SymbolState("PEPEUSDT", 100);
        double qty = Decimals.parseVolumeE8("1000000000");
        for (int i = 0; i < 2_000; i++) {
            ticks.onEvent(new TradeTick("PEPEUSDT", T0 + i * 25L, e8("0.0000081"), qty, false));
        }
        Candle closed = ticks.onEvent(new TradeTick("PEPEUSDT", T0 + 60_000, e8("0.0000081"), qty, false));
        assertThat(Decimals.volumeToBigDecimal(closed.volumeE8())).isEqualByComparingTo("2000000000000");
        assertThat(ticks.view(T0 + 60_000).recentVolumesE8()[0]).isEqualTo(2e20);
    }

    @Test
    void ticksFillTheSubMinuteWindowsIncludingTheSecondInProgress() {
        SymbolState s = new SymbolState("BTCUSDT", 200);
        // a trade a second at 100 for two minutes, then a run to 101 over the last 10 seconds
        for (int sec = 0; sec < 120; sec++) {
            s.onEvent(new TradeTick("BTCUSDT", T0 + sec * 1000L, e8("100"), e8("1"), false));
        }
        for (int sec = 120; sec < 130; sec++) {
            s.onEvent(new TradeTick("BTCUSDT", T0 + sec * 1000L + 500, e8("100") + (sec - 119) * e8("0.1"), e8("3"), true));
            assertThat(s.secondClosedByLastEvent()).as("second %d closed the one before", sec).isTrue();
        }
        long now = T0 + 129_500;
        var w = s.windows(now);
        assertThat(w.last10s().returnPct()).isCloseTo(1.0, within(1e-9)); // 100 -> 101
        assertThat(w.last10s().rangePct()).isCloseTo(0.9, within(1e-9)); // 100.1 .. 101 inside the window
        assertThat(w.last10s().trades()).isEqualTo(10); // nine closed seconds and the one in progress
        assertThat(w.last30s().trades()).isEqualTo(30);
        assertThat(w.last30s().returnPct()).isCloseTo(1.0, within(1e-9));
        assertThat(w.last5m().trades()).isEqualTo(130);
        assertThat(w.today().trades()).isEqualTo(130);
        assertThat(w.today().returnPct()).isCloseTo(1.0, within(1e-9));
        assertThat(w.last1h().trades()).isEqualTo(130); // two closed minutes and the one in progress
        // 30 units over the last 10 s against a typical 60 a minute over the held minutes: 30 / (60 / 6) = 3
        assertThat(w.last10s().volumeRatio()).isCloseTo(3.0, within(1e-9));
        assertThat(s.snapshot(now, 180_000).windows()).isEqualTo(w);
        assertThat(s.partialMinuteCloseE8()).isEqualTo(e8("101"));
    }

    @Test
    void candleSourcesLeaveTheSubMinuteWindowsUnknownAndCountNoTrades() {
        SymbolState s = new SymbolState("BTCUSDT", 200);
        for (int m = 0; m < 90; m++) {
            long px = e8("100") + m * e8("0.1");
            s.onEvent(Candle.closedMinute("BTCUSDT", T0 + m * 60_000L, px, px + e8("0.05"), px - e8("0.05"), px, e8("2")));
        }
        var w = s.windows(T0 + 90 * 60_000L - 1);
        assertThat(w.last10s().returnPct()).isNaN();
        assertThat(w.last30s().volumeRatio()).isNaN();
        assertThat(w.last5m().returnPct()).isCloseTo((108.9 - 108.4) / 108.4 * 100, within(1e-9));
        assertThat(w.last1h().returnPct()).isCloseTo((108.9 - 102.9) / 102.9 * 100, within(1e-9));
        assertThat(w.last1h().volumeRatio()).isCloseTo(1.0, within(1e-9));
        assertThat(w.last1h().trades()).isEqualTo(-1);
        assertThat(w.history().rangePct()).isCloseTo((108.95 - 99.95) / 100 * 100, within(1e-9));
        assertThat(s.secondClosedByLastEvent()).isFalse();
        assertThat(s.partialMinuteCloseE8()).isZero();
    }

    @Test
    void candlesAreTheBarsOnceTheyArriveAndAMinuteHeldIsNotCountedTwice() {
        SymbolState s = new SymbolState("BTCUSDT", 100);
        Candle m0 = Candle.closedMinute("BTCUSDT", T0, e8("100"), e8("101"), e8("99"), e8("100.5"), e8("7"));
        assertThat(s.onEvent(m0)).isEqualTo(m0);
        // the stream's aggTrades of the next minutes only move the price: the kline stream delivers the bar
        s.onEvent(new TradeTick("BTCUSDT", T0 + 60_001, e8("101"), e8("1"), false));
        assertThat(s.onEvent(new TradeTick("BTCUSDT", T0 + 120_001, e8("102"), e8("1"), false))).isNull();
        assertThat(s.minutesHeld()).isEqualTo(1);
        assertThat(s.lastPriceE8()).isEqualTo(e8("102"));
        // a backfill overlapping what is held, or a repeated kline, is ignored; the next minute is taken
        assertThat(s.onEvent(m0)).isNull();
        Candle m1 = Candle.closedMinute("BTCUSDT", T0 + 60_000, e8("100.5"), e8("102"), e8("100"), e8("101"), e8("3"));
        assertThat(s.onEvent(m1)).isEqualTo(m1);
        assertThat(s.minutesHeld()).isEqualTo(2);
        assertThat(s.volumeAgo(0)).isEqualTo(e8("3"));
    }
    @Test
    void theHistoryWindowFollowsTheRingAsMinutesLeaveIt() {
        // a ring longer than the typical day, so minutes (and the extremes they hold) leave the history window:
        // jumps up and crashes down, so both the held high and the held low leave the ring in turn
        int capacity = 1500;
        SymbolState s = new SymbolState("BTCUSDT", capacity);
        java.util.Random r = new java.util.Random(11);
        int total = 3200;
        long[] hi = new long[total];
        long[] lo = new long[total];
        long[] cl = new long[total];
        long[] vol = new long[total];
        long px = e8("100");
        for (int m = 0; m < total; m++) {
            long o = px;
            px = Math.max(e8("1"), px + (long) (r.nextGaussian() * e8("0.3")) + (m % 700 == 0 ? (m / 700 % 2 == 0 ? e8("20") : -e8("25")) : 0));
            hi[m] = Math.max(o, px) + r.nextInt(5_000_000);
            lo[m] = Math.min(o, px) - r.nextInt(5_000_000);
            cl[m] = px;
            vol[m] = e8("1") + r.nextInt(1_000_000_000);
            s.onEvent(Candle.closedMinute("BTCUSDT", T0 + m * 60_000L, o, hi[m], lo[m], px, vol[m]));
            int held = Math.min(m + 1, capacity);
            int first = m + 1 - held;
            long h = Long.MIN_VALUE, l = Long.MAX_VALUE, sum = 0, typical = 0;
            for (int k = first; k <= m; k++) {
                h = Math.max(h, hi[k]);
                l = Math.min(l, lo[k]);
                sum += vol[k];
            }
            int t = Math.min(held, SymbolState.TYPICAL_MINUTES);
            for (int k = m + 1 - t; k <= m; k++) {
                typical += vol[k];
            }
            var history = s.windows(T0 + (m + 1) * 60_000L).history();
            double firstClose = cl[first];
            assertThat(history.rangePct()).as("range after minute %d", m)
                    .isEqualTo((h - l) / firstClose * 100.0);
            assertThat(history.volumeRatio()).as("volume ratio after minute %d", m)
                    .isCloseTo(sum / ((double) typical / t * held), within(1e-12));
            // the hour's volatility: population deviation of the last 60 minute-on-minute returns, newest first
            int n = Math.min(60, held - 1);
            double rs = 0, rss = 0;
            for (int k = m; k > m - n; k--) {
                double prev = cl[k - 1];
                double ret = (cl[k] - prev) / prev;
                rs += ret;
                rss += ret * ret;
            }
            double volatility = n < 2 ? 0 : Math.sqrt(Math.max(0, rss / n - (rs / n) * (rs / n))) * 100.0;
            assertThat(s.snapshot(T0 + (m + 1) * 60_000L, 180_000).volatility1hPct()).as("volatility after minute %d", m)
                    .isEqualTo(volatility);
        }
    }

    /**
     * The windows read every second (their closed-minute parts kept between closed minutes) are the windows of the
     * same events read once at the end, on ticks and on candles, across minutes closing, the ring wrapping and
     * minutes leaving it.
     */
    @Test
    void windowsReadEverySecondEqualWindowsReadOnceFromTheSameEvents() {
        for (boolean candles : new boolean[] {false, true}) {
            SymbolState polled = new SymbolState("BTCUSDT", 90);
            SymbolState once = new SymbolState("BTCUSDT", 90);
            java.util.Random r = new java.util.Random(7);
            long price = e8("100");
            long t = T0;
            for (int sec = 0; sec < 3 * 3600; sec++) {
                t = T0 + sec * 1000L;
                price += (r.nextInt(201) - 100) * 1_000_000L;
                java.util.List<io.aquatrade.model.MarketEvent> events = new java.util.ArrayList<>();
                if (candles && sec % 60 == 0 && sec > 0) {
                    events.add(Candle.closedMinute("BTCUSDT", t - 60_000, price, price + e8("0.5"), price - e8("0.5"),
                            price, r.nextInt(50) * 10_000_000L));
                }
                events.add(new TradeTick("BTCUSDT", t + r.nextInt(900), price, r.nextInt(20) * 10_000_000L, r.nextBoolean()));
                for (io.aquatrade.model.MarketEvent e : events) {
                    polled.onEvent(e);
                    once.onEvent(e);
                }
                polled.snapshot(t + 999, 180_000); // the decision round's read, every second
            }
            assertThat(polled.minutesHeld()).isEqualTo(90); // the ring wrapped: minutes left it
            assertThat(polled.windows(t + 999)).isEqualTo(once.windows(t + 999));
            assertThat(polled.snapshot(t + 999, 180_000)).isEqualTo(once.snapshot(t + 999, 180_000));
        }
    }

    /** Live order: a minute's closed kline arrives after the first aggTrades of the next minute. */
    @Test
    void todaysVolumeCountsAMinuteOnceWhenBothItsTradesAndItsClosedKlineArrive() {
        SymbolState s = new SymbolState("BTCUSDT", 100);
        for (int m = 0; m <= 5; m++) {
            s.onEvent(new TradeTick("BTCUSDT", T0 + m * 60_000L + 100, e8("100"), e8("1"), false));
            if (m > 0) {
                s.onEvent(Candle.closedMinute("BTCUSDT", T0 + (m - 1) * 60_000L, e8("100"), e8("100"), e8("100"),
                        e8("100"), e8("2")));
            }
            if (m < 5) {
                s.onEvent(new TradeTick("BTCUSDT", T0 + m * 60_000L + 30_000, e8("100"), e8("1"), false));
            }
        }
        // 5 closed minutes of 2 each and 1 so far in minute 5: 11 over 5.5 minutes at the typical 2 a minute
        double ratio = s.windows(T0 + 5 * 60_000L + 30_000).today().volumeRatio();
        assertThat(ratio).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void yesterdaysLastKlineArrivingAfterMidnightLeavesTodaysPathAlone() {
        SymbolState s = new SymbolState("BTCUSDT", 100);
        s.onEvent(Candle.closedMinute("BTCUSDT", T0 - 120_000, e8("100"), e8("100"), e8("100"), e8("100"), e8("5")));
        s.onEvent(new TradeTick("BTCUSDT", T0 - 30_000, e8("100"), e8("1"), false));
        s.onEvent(new TradeTick("BTCUSDT", T0 + 500, e8("200"), e8("1"), false)); // today's first trade
        // the closed kline of 23:59 lands after it (Binance sends it once the minute has closed)
        s.onEvent(Candle.closedMinute("BTCUSDT", T0 - 60_000, e8("100"), e8("150"), e8("90"), e8("100"), e8("5")));
        MarketSnapshot snap = s.snapshot(T0 + 1_000, 180_000);
        assertThat(snap.dayOpen()).isEqualByComparingTo("200");
        assertThat(snap.dayRangePct()).isZero();
        assertThat(snap.lastPrice()).isEqualByComparingTo("200");
        // today's one trade of 1 over its first second, at the typical 5 a minute
        assertThat(s.windows(T0 + 1_000).today().volumeRatio()).isCloseTo(1 / (5 * (1_000 / 60_000.0)), within(1e-9));
        assertThat(s.minutesHeld()).isEqualTo(2); // the minute itself is still yesterday's bar
    }

    @Test
    void aClosedKlineArrivingAfterNewerTradesDoesNotTakeThePriceBack() {
        SymbolState s = new SymbolState("BTCUSDT", 100);
        s.onEvent(Candle.closedMinute("BTCUSDT", T0 - 60_000, e8("100"), e8("100"), e8("100"), e8("100"), e8("1")));
        s.onEvent(new TradeTick("BTCUSDT", T0 + 10_000, e8("100"), e8("1"), false));
        s.onEvent(new TradeTick("BTCUSDT", T0 + 60_200, e8("104"), e8("1"), false));
        s.onEvent(Candle.closedMinute("BTCUSDT", T0, e8("100"), e8("100"), e8("100"), e8("100"), e8("1")));
        assertThat(s.minutesHeld()).isEqualTo(2);
        assertThat(s.lastPriceE8()).isEqualTo(e8("104"));
        assertThat(s.snapshot(T0 + 61_000, 180_000).lastPrice()).isEqualByComparingTo("104");
    }
}
