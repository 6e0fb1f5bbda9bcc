package io.aquatrade.exchange;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.aquatrade.exchange.OrderThrottle.Kind.ENTRY_ORDER;
import static io.aquatrade.exchange.OrderThrottle.Kind.EXIT_ORDER;
import static io.aquatrade.exchange.OrderThrottle.Kind.REQUEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderThrottleTest {

    private static final RateLimit ORDERS_10S = new RateLimit(RateLimit.Type.ORDERS, RateLimit.Interval.SECOND, 10, 100);
    private static final RateLimit WEIGHT_1M = new RateLimit(RateLimit.Type.REQUEST_WEIGHT, RateLimit.Interval.MINUTE, 1, 6000);

    /** The current limits (2025 file) at 80% safety with 20% of each cap kept for exits. */
    private static OrderThrottle current() {
        return OrderThrottle.fromExchangeInfo(RealExchangeInfo.ethbtc2025(), 0.8, 0.2);
    }

    @Test
    void capsComeFromTheExchangesOwnLimits() {
        List<OrderThrottle.Usage> now = current().usage(0);
        assertThat(now).extracting(OrderThrottle.Usage::name)
                .containsExactly("request_weight_1m", "orders_10s", "orders_1d", "raw_requests_5m");
        assertThat(now).extracting(OrderThrottle.Usage::cap).containsExactly(4800L, 80L, 160_000L, 48_800L);
        assertThat(now).extracting(OrderThrottle.Usage::entryCap).containsExactly(3840L, 64L, 128_000L, 39_040L);

        List<OrderThrottle.Usage> old = OrderThrottle.fromExchangeInfo(RealExchangeInfo.all2021(), 0.8, 0.2).usage(0);
        assertThat(old).extracting(OrderThrottle.Usage::cap).containsExactly(960L, 40L, 128_000L, 4880L);
    }

    /** An OCO places two orders and Binance counts both against each ORDERS limit: 80 slots take 40 OCOs, not 80. */
    @Test
    void anOcoCountsAsTwoOrdersAgainstTheOrdersLimits() {
        OrderThrottle t = current();
        int ocos = 0;
        while (t.tryAcquire(1_000, 1, EXIT_ORDER, 2).allowed()) {
            ocos++;
        }
        assertThat(ocos).isEqualTo(40); // 100 x 0.8, two orders each
        assertThat(t.usage(1_000)).filteredOn(u -> u.name().equals("orders_10s"))
                .extracting(OrderThrottle.Usage::used).containsExactly(80L);
        // a single order still fits nowhere, and a refused OCO counted nothing
        assertThat(t.tryAcquire(1_000, 1, EXIT_ORDER).allowed()).isFalse();
        assertThat(t.usage(1_000)).filteredOn(u -> u.name().equals("raw_requests_5m"))
                .extracting(OrderThrottle.Usage::used).containsExactly(40L);
        assertThatThrownBy(() -> t.check(1_000, 1, REQUEST, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("REQUEST cannot place 2 order(s)");
    }

    @Test
    void aBurstOfEntriesStopsAtTheEntryShareAndExitsStillGetThrough() {
        OrderThrottle t = current();
        int admitted = 0;
        OrderThrottle.Decision refused = null;
        for (int i = 0; i < 200; i++) {
            OrderThrottle.Decision d = t.tryAcquire(1_000, 1, true);
            if (d.allowed()) {
                admitted++;
            } else if (refused == null) {
                refused = d;
            }
        }
        assertThat(admitted).isEqualTo(64); // 100 x 0.8 x (1 - 0.2)
        assertThat(refused.nextSlotMs()).isEqualTo(11_000);
        assertThat(refused.blockedBy()).isEqualTo(ORDERS_10S);
        assertThat(refused.reason()).contains("ORDERS 100/10 SECOND");

        int exits = 0;
        while (t.tryAcquire(1_000, 1, EXIT_ORDER).allowed()) {
            exits++;
        }
        assertThat(exits).isEqualTo(16); // the reserve: 80 - 64
        assertThat(t.usage(1_000).get(1).used()).isEqualTo(80);
        assertThat(t.usage(1_000).get(1).fractionOfLimit()).isEqualTo(0.8);
        assertThat(t.tryAcquire(1_000, 1, EXIT_ORDER).nextSlotMs()).isEqualTo(11_000);
    }

    @Test
    void theWindowRefillsExactlyWhenTheOldestOrdersLeaveIt() {
        OrderThrottle t = current();
        for (int i = 0; i < 64; i++) {
            assertThat(t.tryAcquire(i * 100L, 1, ENTRY_ORDER).allowed()).isTrue();
        }
        OrderThrottle.Decision d = t.tryAcquire(6_400, 1, ENTRY_ORDER);
        assertThat(d.allowed()).isFalse();
        assertThat(d.nextSlotMs()).isEqualTo(10_000); // the order at t=0 leaves the 10 s window then
        assertThat(t.tryAcquire(9_999, 1, ENTRY_ORDER).allowed()).isFalse();
        assertThat(t.tryAcquire(10_000, 1, ENTRY_ORDER).allowed()).isTrue();
        assertThat(t.tryAcquire(10_000, 1, ENTRY_ORDER).allowed()).isFalse();
        assertThat(t.tryAcquire(10_100, 1, ENTRY_ORDER).allowed()).isTrue();
    }

    @Test
    void requestWeightIsHeldToTheEntryShareSoExitsKeepTheirs() {
        OrderThrottle t = current();
        int queries = 0;
        while (t.tryAcquire(0, 20, REQUEST).allowed()) {
            queries++;
        }
        assertThat(queries).isEqualTo(192); // 3840 / 20
        OrderThrottle.Decision entry = t.tryAcquire(0, 1, ENTRY_ORDER);
        assertThat(entry.allowed()).isFalse();
        assertThat(entry.blockedBy()).isEqualTo(WEIGHT_1M);
        assertThat(entry.nextSlotMs()).isEqualTo(60_000);
        assertThat(t.tryAcquire(0, 1, EXIT_ORDER).allowed()).isTrue();
        assertThat(t.usage(0).get(0).used()).isEqualTo(3841);
    }

    @Test
    void checkCountsNothing() {
        OrderThrottle t = current();
        for (int i = 0; i < 10; i++) {
            assertThat(t.check(0, 1, ENTRY_ORDER).allowed()).isTrue();
        }
        assertThat(t.usage(0)).allSatisfy(u -> assertThat(u.used()).isZero());
    }

    @Test
    void aRequestHeavierThanTheCapCanNeverGoThrough() {
        OrderThrottle.Decision d = current().tryAcquire(0, 5_000, REQUEST);
        assertThat(d.allowed()).isFalse();
        assertThat(d.nextSlotMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(d.blockedBy()).isEqualTo(WEIGHT_1M);
    }

    @Test
    void aBanFromTheExchangeStopsEverythingUntilItEnds() {
        OrderThrottle t = current();
        t.pauseUntil(5_000 + 120_000, "HTTP 418, Retry-After 120");
        t.pauseUntil(10_000, "shorter pause does not shorten the ban");
        OrderThrottle.Decision d = t.tryAcquire(5_000, 1, EXIT_ORDER);
        assertThat(d.allowed()).isFalse();
        assertThat(d.nextSlotMs()).isEqualTo(125_000);
        assertThat(d.reason()).contains("HTTP 418");
        assertThat(t.tryAcquire(124_999, 1, EXIT_ORDER).allowed()).isFalse();
        assertThat(t.tryAcquire(125_000, 1, EXIT_ORDER).allowed()).isTrue();
    }

    @Test
    void theExchangesReportedUsageRaisesOurCount() {
        OrderThrottle t = current();
        assertThat(t.tryAcquire(0, 10, REQUEST).allowed()).isTrue();
        assertThat(t.observeUsageHeader(100, "x-mbx-used-weight-1m", 4_000)).isTrue();
        assertThat(t.usage(100).get(0).used()).isEqualTo(4_000);
        assertThat(t.tryAcquire(100, 1, REQUEST).allowed()).isFalse(); // 4000 > entry cap 3840
        assertThat(t.observeUsageHeader(100, "X-MBX-USED-WEIGHT-1M", 50)).isTrue(); // lower: ignored
        assertThat(t.usage(100).get(0).used()).isEqualTo(4_000);
        assertThat(t.observeUsageHeader(100, "X-MBX-ORDER-COUNT-10S", 70)).isTrue();
        assertThat(t.tryAcquire(100, 1, ENTRY_ORDER).allowed()).isFalse();
        assertThat(t.observeUsageHeader(100, "X-SOMETHING-ELSE", 1)).isFalse();
    }

    @Test
    void aClockThatStepsBackIsHeldAtTheLatestTime() {
        OrderThrottle t = current();
        for (int i = 0; i < 64; i++) {
            t.tryAcquire(20_000, 1, ENTRY_ORDER);
        }
        OrderThrottle.Decision d = t.tryAcquire(15_000, 1, ENTRY_ORDER);
        assertThat(d.allowed()).isFalse();
        assertThat(d.nextSlotMs()).isEqualTo(30_000);
        assertThat(t.usage(15_000).get(1).used()).isEqualTo(64);
    }

    @Test
    void fractionsMustLeaveEntriesSomething() {
        List<RateLimit> limits = RealExchangeInfo.ethbtc2025().rateLimits();
        assertThatThrownBy(() -> new OrderThrottle(limits, 0, 0.2)).hasMessageContaining("safetyFraction");
        assertThatThrownBy(() -> new OrderThrottle(limits, 1.2, 0.2)).hasMessageContaining("safetyFraction");
        assertThatThrownBy(() -> new OrderThrottle(limits, 0.8, 1.0)).hasMessageContaining("exitReserveFraction");
        assertThatThrownBy(() -> new OrderThrottle(limits, 0.8, -0.1)).hasMessageContaining("exitReserveFraction");
        assertThatThrownBy(() -> new OrderThrottle(List.of(), 0.8, 0.2)).hasMessageContaining("no rate limits");
        RateLimit tiny = new RateLimit(RateLimit.Type.ORDERS, RateLimit.Interval.SECOND, 1, 2);
        assertThatThrownBy(() -> new OrderThrottle(List.of(tiny), 0.8, 0.5)).hasMessageContaining("ORDERS 2/1 SECOND");
        assertThatThrownBy(() -> current().tryAcquire(0, -1, REQUEST)).hasMessageContaining("negative");
    }

    @Test
    void aSustainedStreamOfEntriesNeverExceedsTheEntryShareInAnyWindow() {
        OrderThrottle t = current();
        List<long[]> admitted = new ArrayList<>();
        for (long now = 0; now < 120_000; now += 37) {
            if (t.tryAcquire(now, 1, ENTRY_ORDER).allowed()) {
                admitted.add(new long[]{now, 1, 0});
            }
        }
        assertThat(maxInAnyWindow(admitted, 10_000, false)).isEqualTo(64);
        assertThat(admitted.size()).isBetween(64 * 12, 64 * 13); // 64 per 10 s, over 120 s
    }

    @Test
    void theDailyOrderLimitBindsAfterHoursOfSustainedEntries() {
        OrderThrottle t = current();
        long admitted = 0;
        OrderThrottle.Decision firstDailyRefusal = null;
        long firstDailyRefusalAt = -1;
        for (long now = 0; now < 86_400_000L; now += 100) { // an entry offered every 100 ms for a whole day
            OrderThrottle.Decision d = t.tryAcquire(now, 1, ENTRY_ORDER);
            if (d.allowed()) {
                admitted++;
            } else if (firstDailyRefusal == null && d.blockedBy().interval() == RateLimit.Interval.DAY) {
                firstDailyRefusal = d;
                firstDailyRefusalAt = now;
            }
        }
        assertThat(admitted).isEqualTo(128_000); // 200,000 x 0.8 x 0.8
        // 64 per 10 s (at 0..6.3 s of each 10 s): the 128,000th goes at 1999 x 10 s + 6.3 s, the next offer meets the day cap
        assertThat(firstDailyRefusalAt).isEqualTo(19_996_400L);
        assertThat(firstDailyRefusal.nextSlotMs()).isEqualTo(86_400_000L); // the first order, at 0, leaves the day
        assertThat(t.usage(86_399_999L).get(2).used()).isEqualTo(128_000);
        assertThat(t.tryAcquire(86_400_000L, 1, ENTRY_ORDER).allowed()).isTrue();
    }

    // ---------------------------------------------------------------- property: no sliding window overflows

    /** One request: time gap since the previous one, weight, kind (0 request, 1 entry, 2 exit). */
    record Op(int gapMs, int weight, int kind) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> gap = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0, 0)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1, 300)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(301, 20_000)));
        return Combinators.combine(gap, Arbitraries.integers().between(0, 12), Arbitraries.integers().between(0, 2))
                .as(Op::new).list().ofMinSize(1).ofMaxSize(600);
    }

    @Property(tries = 300)
    void noSlidingWindowEverExceedsItsCap(@ForAll("ops") List<Op> ops,
                                          @ForAll @IntRange(min = 50, max = 100) int safetyPct,
                                          @ForAll @IntRange(min = 0, max = 50) int reservePct,
                                          @ForAll boolean retryAtNextSlot) {
        List<RateLimit> limits = List.of(
                new RateLimit(RateLimit.Type.ORDERS, RateLimit.Interval.SECOND, 1, 10),
                new RateLimit(RateLimit.Type.ORDERS, RateLimit.Interval.MINUTE, 1, 60),
                new RateLimit(RateLimit.Type.REQUEST_WEIGHT, RateLimit.Interval.SECOND, 10, 100),
                new RateLimit(RateLimit.Type.RAW_REQUESTS, RateLimit.Interval.SECOND, 5, 40));
        OrderThrottle t = new OrderThrottle(limits, safetyPct / 100.0, reservePct / 100.0);
        List<OrderThrottle.Usage> caps = t.usage(0);
        OrderThrottle.Kind[] kinds = OrderThrottle.Kind.values();
        List<long[]> admitted = new ArrayList<>(); // {time, weight, kind}
        long now = 0;
        for (Op op : ops) {
            now += op.gapMs();
            OrderThrottle.Kind kind = kinds[op.kind()];
            OrderThrottle.Decision d = t.tryAcquire(now, op.weight(), kind);
            if (!d.allowed() && retryAtNextSlot && d.nextSlotMs() != Long.MAX_VALUE) {
                assertThat(d.nextSlotMs()).isGreaterThan(now);
                // the slot is exact: one ms earlier is still refused, at the slot it is admitted
                assertThat(t.check(d.nextSlotMs() - 1, op.weight(), kind).allowed()).isFalse();
                now = d.nextSlotMs();
                d = t.tryAcquire(now, op.weight(), kind);
                assertThat(d.allowed()).as("retry at the announced slot %d", now).isTrue();
            }
            if (d.allowed()) {
                admitted.add(new long[]{now, op.weight(), op.kind()});
            }
        }
        for (int i = 0; i < limits.size(); i++) {
            RateLimit l = limits.get(i);
            List<long[]> counted = new ArrayList<>();
            for (long[] a : admitted) {
                long amount = switch (l.type()) {
                    case REQUEST_WEIGHT -> a[1];
                    case RAW_REQUESTS -> 1;
                    case ORDERS -> a[2] == 0 ? 0 : 1;
                };
                counted.add(new long[]{a[0], amount, a[2]});
            }
            assertThat(maxInAnyWindow(counted, l.windowMs(), false)).as("%s all", l).isLessThanOrEqualTo(caps.get(i).cap());
            assertThat(maxInAnyWindow(counted, l.windowMs(), true)).as("%s non-exit", l)
                    .isLessThanOrEqualTo(caps.get(i).entryCap());
        }
    }

    /**
     * An independent count: the largest amount admitted within any window of {@code windowMs} (a window's maximum is
     * reached with its right edge on an admission). With {@code nonExitOnly}, counts only requests and entries.
     */
    static long maxInAnyWindow(List<long[]> admitted, long windowMs, boolean nonExitOnly) {
        // admissions are in time order: slide the window's right edge over them, dropping what falls out
        long max = 0;
        long sum = 0;
        int first = 0;
        for (long[] end : admitted) {
            if (!(nonExitOnly && end[2] == 2)) {
                sum += end[1];
            }
            while (admitted.get(first)[0] <= end[0] - windowMs) {
                long[] gone = admitted.get(first++);
                if (!(nonExitOnly && gone[2] == 2)) {
                    sum -= gone[1];
                }
            }
            max = Math.max(max, sum);
        }
        return max;
    }
}
