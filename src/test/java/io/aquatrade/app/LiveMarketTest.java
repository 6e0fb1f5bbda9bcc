package io.aquatrade.app;

import io.aquatrade.model.Candle;
import io.aquatrade.model.Decimals;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.model.QuoteTick;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The live feed made complete and ordered: minute rounds, gap and silence backfills, a failed backfill retried. */
class LiveMarketTest {

    private static final long M = 60_000L;
    private static final long T0 = 1_733_011_200_000L; // a UTC midnight

    private final List<String> fed = new ArrayList<>();
    private final Map<String, Long> last = new HashMap<>();
    private final List<long[]> asked = new ArrayList<>();
    private final List<Promise<List<Candle>>> pending = new ArrayList<>();
    private long now = T0 + 10 * M + 1_000;

    private final LiveMarket market = new LiveMarket(new LiveMarket.Sink() {
        @Override
        public void onEvent(MarketEvent e) {
            fed.add((e instanceof Candle c ? "bar " + (c.openTimeMs() - T0) / M : "tick") + " " + e.symbol());
        }

        @Override
        public void warmUp(Candle c) {
            fed.add("backfill " + (c.openTimeMs() - T0) / M + " " + c.symbol());
        }

        @Override
        public long lastBarOpenMs(String symbol) {
            return last.getOrDefault(symbol, Long.MIN_VALUE);
        }
    }, (symbol, from, to) -> {
        asked.add(new long[] {(from - T0) / M, (to - T0) / M});
        Promise<List<Candle>> p = Promise.promise();
        pending.add(p);
        return p.future();
    }, () -> now);

    private static Candle bar(String s, int minute) {
        long open = T0 + minute * M;
        return new Candle(s, open, M, Decimals.ONE, Decimals.ONE, Decimals.ONE, Decimals.ONE, 1e8, true, open + M - 1);
    }

    private static List<Candle> bars(String s, int from, int toExclusive) {
        List<Candle> out = new ArrayList<>();
        for (int m = from; m < toExclusive; m++) {
            out.add(bar(s, m));
        }
        return out;
    }

    @Test
    void aMinutesBarsGoTogetherOnceEveryPairHasOneOrTheGraceIsOver() {
        last.put("A", T0 + 8 * M);
        last.put("B", T0 + 8 * M);
        market.watch(List.of("A", "B"));
        market.onEvent(bar("A", 9));
        market.onEvent(new QuoteTick("A", now, Decimals.ONE, 1e8, Decimals.ONE, 1e8));
        assertThat(fed).containsExactly("tick A"); // A's bar waits for B's
        market.onEvent(bar("B", 9));
        assertThat(fed).containsExactly("tick A", "bar 9 A", "bar 9 B");
        // minute 10: B never sends; after the grace A's bar goes alone
        now = T0 + 11 * M + 500;
        market.onEvent(bar("A", 10));
        market.onWallClock(now);
        assertThat(fed).hasSize(3);
        now = T0 + 11 * M + LiveMarket.CLOSE_GRACE_MS + 1;
        market.onWallClock(now);
        assertThat(fed).endsWith("bar 10 A");
        // a repeated kline is not a second bar
        market.onEvent(bar("A", 10));
        assertThat(fed).hasSize(4);
    }

    @Test
    void aGapIsBackfilledBeforeTheNextBarAndEventsWaitMeanwhile() {
        last.put("A", T0 + 5 * M);
        market.watch(List.of("A"));
        market.onEvent(bar("A", 9)); // minutes 6, 7, 8 missed (a reconnect)
        market.onEvent(new QuoteTick("A", now, Decimals.ONE, 1e8, Decimals.ONE, 1e8));
        assertThat(asked).hasSize(1);
        assertThat(asked.get(0)).containsExactly(6, 9);
        assertThat(fed).isEmpty(); // held until the gap is filled
        pending.get(0).complete(bars("A", 6, 9));
        assertThat(fed).containsExactly("backfill 6 A", "backfill 7 A", "backfill 8 A", "bar 9 A", "tick A");
        assertThat(market.backfilledMinutes()).isEqualTo(3);
    }

    @Test
    void ticksPastTheHoldLimitOfAnUnansweredBackfillAreDroppedAndCountedButItsBarsAreKept() {
        last.put("A", T0 + 5 * M);
        market.watch(List.of("A"));
        market.onEvent(bar("A", 9)); // a gap: the backfill of 6..8 is asked for and not answered yet
        for (int i = 0; i < LiveMarket.MAX_HELD + 5; i++) {
            market.onEvent(new QuoteTick("A", now, Decimals.ONE, 1e8, Decimals.ONE, 1e8));
        }
        market.onEvent(bar("A", 10)); // a bar is held whatever the limit
        assertThat(market.droppedWhileHeld()).isEqualTo(6); // the first bar took one place of the hold
        pending.get(0).complete(bars("A", 6, 9));
        assertThat(fed).endsWith("bar 10 A").contains("bar 9 A");
        assertThat(fed.stream().filter(f -> f.equals("tick A"))).hasSize(LiveMarket.MAX_HELD - 1);
    }

    @Test
    void aSilentPairIsBackfilledFromTheWallClockAndAFailedBackfillIsRetried() {
        last.put("A", T0 + 5 * M);
        market.watch(List.of("A"));
        now = T0 + 10 * M + 20_000; // 10:20 into minute 10: minutes 6..9 closed and never arrived
        market.onWallClock(now);
        assertThat(asked).hasSize(1);
        assertThat(asked.get(0)).containsExactly(6, 10);
        pending.get(0).fail(new IllegalStateException("HTTP 503"));
        market.onEvent(bar("A", 10)); // the stream comes back meanwhile: the bar waits behind the gap
        assertThat(fed).isEmpty();
        market.onWallClock(now + 1_000); // too soon to retry
        assertThat(asked).hasSize(1);
        now += LiveMarket.RETRY_MS + 1;
        market.onWallClock(now);
        assertThat(asked).hasSize(2);
        pending.get(1).complete(bars("A", 6, 10));
        // the gap in order, then the bar that waited behind it (the only watched pair: its round is complete)
        assertThat(fed).containsExactly("backfill 6 A", "backfill 7 A", "backfill 8 A", "backfill 9 A", "bar 10 A");
    }

    @Test
    void minutesTheExchangeHasNoneOfAreNotAskedForAgainAndTheBarBehindThemGoesOn() {
        last.put("A", T0 + 5 * M);
        market.watch(List.of("A"));
        market.onEvent(bar("A", 9)); // minutes 6, 7, 8 missed
        market.onEvent(new QuoteTick("A", now, Decimals.ONE, 1e8, Decimals.ONE, 1e8));
        assertThat(asked).hasSize(1);
        // REST has minute 6 only: 7 and 8 were an exchange outage (as 2023-03-24's halt), no answer will bring them
        pending.get(0).complete(bars("A", 6, 7));
        assertThat(asked).as("the same gap asked for again and again").hasSize(1);
        assertThat(fed).containsExactly("backfill 6 A", "bar 9 A", "tick A");
        market.onEvent(bar("A", 10));
        assertThat(fed).endsWith("bar 10 A");
        assertThat(asked).hasSize(1);
    }
}
