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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.aquatrade.exchange.OrderThrottle.Kind.ENTRY_ORDER;
import static io.aquatrade.exchange.OrderThrottle.Kind.EXIT_ORDER;
import static io.aquatrade.exchange.OrderThrottle.Kind.REQUEST;
import static org.assertj.core.api.Assertions.assertThat;

class ThrottleQueueTest {

    private static final List<RateLimit> LIMITS = List.of(
            new RateLimit(RateLimit.Type.ORDERS, RateLimit.Interval.SECOND, 1, 10),
            new RateLimit(RateLimit.Type.ORDERS, RateLimit.Interval.MINUTE, 1, 60),
            new RateLimit(RateLimit.Type.REQUEST_WEIGHT, RateLimit.Interval.SECOND, 10, 100),
            new RateLimit(RateLimit.Type.RAW_REQUESTS, RateLimit.Interval.SECOND, 5, 40));

    private static ThrottleQueue<String> queue(OrderThrottle t) {
        return new ThrottleQueue<>(t);
    }

    @Test
    void anExitOfferedLaterLeavesBeforeTheEntriesWaitingAndAnEntryPastItsValidityIsDroppedNotSentLate() {
        // 10 orders per second at full safety, no exit reserve: the 11th order of a second waits for the next one
        OrderThrottle t = new OrderThrottle(List.of(new RateLimit(RateLimit.Type.ORDERS, RateLimit.Interval.SECOND, 1, 10)),
                1.0, 0.0);
        ThrottleQueue<String> q = queue(t);
        for (int i = 0; i < 10; i++) {
            q.offer("fill-" + i, ENTRY_ORDER, ThrottleQueue.RANK_ENTRY, 1, 5_000);
        }
        assertThat(q.drain(0).admitted()).hasSize(10);
        q.offer("entry-a", ENTRY_ORDER, ThrottleQueue.RANK_ENTRY, 1, 1_500);
        q.offer("entry-b", ENTRY_ORDER, ThrottleQueue.RANK_ENTRY, 1, 500); // valid only until 500 ms
        ThrottleQueue.Drained<String> d = q.drain(100);
        assertThat(d.admitted()).isEmpty();
        assertThat(d.dropped()).isEmpty();
        assertThat(d.wakeAtMs()).isEqualTo(501); // entry-b's deadline comes before the slot at 1000
        q.offer("exit", EXIT_ORDER, ThrottleQueue.RANK_EXIT, 1, 30_000);
        q.offer("cancel", REQUEST, ThrottleQueue.rank(REQUEST, true), 1, 30_000);

        d = q.drain(501);
        // the cancel places no order: the full order window does not hold it
        assertThat(d.admitted()).containsExactly("cancel");
        assertThat(d.dropped()).singleElement().satisfies(x -> {
            assertThat(x.item()).isEqualTo("entry-b");
            assertThat(x.reason()).isEqualTo(ThrottleQueue.DropReason.VALIDITY_EXPIRED);
        });
        assertThat(d.wakeAtMs()).isEqualTo(1_000);
        d = q.drain(1_000);
        // the exit, offered after entry-a, goes first; entry-a fits the same second
        assertThat(d.admitted()).containsExactly("exit", "entry-a");
        assertThat(q.size()).isZero();
        assertThat(d.wakeAtMs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aRequestWhoseSlotComesAfterItsDeadlineIsDroppedAtOnce() {
        OrderThrottle t = new OrderThrottle(List.of(new RateLimit(RateLimit.Type.ORDERS, RateLimit.Interval.SECOND, 10, 1)),
                1.0, 0.0);
        ThrottleQueue<String> q = queue(t);
        q.offer("first", ENTRY_ORDER, ThrottleQueue.RANK_ENTRY, 1, 2_000);
        q.offer("second", ENTRY_ORDER, ThrottleQueue.RANK_ENTRY, 1, 2_000);
        q.offer("exit", EXIT_ORDER, ThrottleQueue.RANK_EXIT, 1, 2_000);
        ThrottleQueue.Drained<String> d = q.drain(0);
        assertThat(d.admitted()).containsExactly("exit");
        // the next slot is at 10 s, both entries' validity ends at 2 s: given up now, not held until then
        assertThat(d.dropped()).extracting(ThrottleQueue.Dropped::item).containsExactly("first", "second");
        assertThat(d.dropped()).allSatisfy(x -> assertThat(x.retryAtMs()).isEqualTo(10_000));
    }

    /** 1 order per 10 s and 10 weight per minute, at full safety and no exit reserve. */
    private static OrderThrottle oneOrderTenWeight() {
        return new OrderThrottle(List.of(
                new RateLimit(RateLimit.Type.ORDERS, RateLimit.Interval.SECOND, 10, 1),
                new RateLimit(RateLimit.Type.REQUEST_WEIGHT, RateLimit.Interval.MINUTE, 1, 10)), 1.0, 0.0);
    }

    @Test
    void cancelsAndLookUpsGoPastAnExitWaitingForAnOrderSlotButNoOrderDoes() {
        ThrottleQueue<String> q = queue(oneOrderTenWeight());
        q.offer("exit-1", EXIT_ORDER, ThrottleQueue.RANK_EXIT, 1, 30_000);
        assertThat(q.drain(0).admitted()).containsExactly("exit-1"); // the order window is full until 10 s
        q.offer("exit-2", EXIT_ORDER, ThrottleQueue.RANK_EXIT, 1, 30_000);
        q.offer("cancel-oco", REQUEST, ThrottleQueue.rank(REQUEST, true), 1, 30_000);
        q.offer("entry", ENTRY_ORDER, ThrottleQueue.RANK_ENTRY, 1, 30_000);
        q.offer("lookup-unknown-order", REQUEST, ThrottleQueue.RANK_REQUEST, 4, 30_000);

        ThrottleQueue.Drained<String> d = q.drain(100);
        // weight only, and 6 of 10 is free: the cancel and the look-up go now; the entry stays behind the exit
        assertThat(d.admitted()).containsExactly("cancel-oco", "lookup-unknown-order");
        assertThat(d.wakeAtMs()).isEqualTo(10_000);
        assertThat(q.drain(10_000).admitted()).containsExactly("exit-2");
        assertThat(q.drain(20_000).admitted()).containsExactly("entry");
    }

    @Test
    void anEntryThatWouldFitNeverTakesTheOrderSlotsAWaitingExitNeeds() {
        ThrottleQueue<String> q = queue(new OrderThrottle(List.of(
                new RateLimit(RateLimit.Type.ORDERS, RateLimit.Interval.SECOND, 10, 3)), 1.0, 0.0));
        q.offer("exit", EXIT_ORDER, ThrottleQueue.RANK_EXIT, 1, 30_000);
        q.offer("entry-1", ENTRY_ORDER, ThrottleQueue.RANK_ENTRY, 1, 30_000);
        assertThat(q.drain(0).admitted()).containsExactly("exit", "entry-1");
        q.offer("oco", EXIT_ORDER, ThrottleQueue.RANK_EXIT, 1, 2, 30_000); // two orders, one slot left
        q.offer("entry-2", ENTRY_ORDER, ThrottleQueue.RANK_ENTRY, 1, 30_000);
        assertThat(q.drain(100).admitted()).isEmpty();
        assertThat(q.drain(10_000).admitted()).containsExactly("oco", "entry-2");
    }

    @Test
    void aRequestHeldByWeightKeepsItsPlaceAndAPauseHoldsEverythingBehindAnExit() {
        OrderThrottle t = oneOrderTenWeight();
        ThrottleQueue<String> q = queue(t);
        q.offer("exit-1", EXIT_ORDER, ThrottleQueue.RANK_EXIT, 1, 90_000);
        q.offer("poll", REQUEST, ThrottleQueue.RANK_REQUEST, 6, 90_000);
        assertThat(q.drain(0).admitted()).containsExactly("exit-1", "poll"); // 7 of 10 weight used
        q.offer("exit-2", EXIT_ORDER, ThrottleQueue.RANK_EXIT, 1, 90_000);
        q.offer("heavy-lookup", REQUEST, ThrottleQueue.RANK_REQUEST, 4, 90_000);
        q.offer("light-lookup", REQUEST, ThrottleQueue.RANK_REQUEST, 1, 90_000);
        // the heavy one waits for weight, and the light one, which would fit, does not overtake it
        ThrottleQueue.Drained<String> d = q.drain(100);
        assertThat(d.admitted()).isEmpty();
        assertThat(d.wakeAtMs()).isEqualTo(10_000); // exit-2's order slot; the weight frees at 60 s
        assertThat(q.drain(10_000).admitted()).containsExactly("exit-2");
        assertThat(q.drain(60_000).admitted()).containsExactly("heavy-lookup", "light-lookup");

        // a 429: nothing at all goes until the pause ends, a cancel behind an exit waiting for its slot included
        q.offer("exit-3", EXIT_ORDER, ThrottleQueue.RANK_EXIT, 1, 90_000);
        assertThat(q.drain(60_000).admitted()).containsExactly("exit-3");
        t.pauseUntil(65_000, "429");
        q.offer("exit-4", EXIT_ORDER, ThrottleQueue.RANK_EXIT, 1, 90_000);
        q.offer("cancel", REQUEST, ThrottleQueue.rank(REQUEST, true), 1, 90_000);
        d = q.drain(61_000);
        assertThat(d.admitted()).isEmpty();
        assertThat(d.wakeAtMs()).isEqualTo(65_000); // the pause's end: then the cancel may go past the exit
        assertThat(q.drain(65_000).admitted()).containsExactly("cancel");
        assertThat(q.drain(70_000).admitted()).containsExactly("exit-4");
    }

    record Op(int gapMs, int weight, int kind, int validityMs) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> gap = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0, 0)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1, 300)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(301, 20_000)));
        return Combinators.combine(gap, Arbitraries.integers().between(0, 12), Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 5_000)).as(Op::new).list().ofMinSize(1).ofMaxSize(400);
    }

    /**
     * Random schedules through the queue, drained at every offer and at every wake-up it asks for: no window over
     * its cap (entries within their share), no entry admitted while an exit waited, no entry admitted after its
     * validity, and everything offered ends admitted or dropped.
     */
    @Property(tries = 300)
    void theQueueKeepsEveryWindowWithinItsCapSendsExitsFirstAndNoEntryLate(@ForAll("ops") List<Op> ops,
                                                                           @ForAll @IntRange(min = 50, max = 100) int safetyPct,
                                                                           @ForAll @IntRange(min = 0, max = 50) int reservePct) {
        OrderThrottle t = new OrderThrottle(LIMITS, safetyPct / 100.0, reservePct / 100.0);
        List<OrderThrottle.Usage> caps = t.usage(0);
        ThrottleQueue<Integer> q = new ThrottleQueue<>(t);
        OrderThrottle.Kind[] kinds = OrderThrottle.Kind.values();
        Map<Integer, Op> offered = new HashMap<>();
        Map<Integer, Long> deadline = new HashMap<>();
        Map<Integer, Long> waitingExits = new LinkedHashMap<>();
        List<long[]> admitted = new ArrayList<>(); // {time, weight, kind}
        int done = 0;
        long now = 0;
        long wakeAt = Long.MAX_VALUE;
        for (int i = 0; i <= ops.size(); i++) {
            long next = i < ops.size() ? now + ops.get(i).gapMs() : Long.MAX_VALUE;
            while (wakeAt <= next && wakeAt != Long.MAX_VALUE) {
                now = Math.max(now, wakeAt);
                ThrottleQueue.Drained<Integer> d = q.drain(now);
                done += account(d, now, offered, deadline, waitingExits, admitted, kinds);
                wakeAt = d.wakeAtMs();
            }
            if (i == ops.size()) {
                break;
            }
            now = next;
            Op op = ops.get(i);
            OrderThrottle.Kind kind = kinds[op.kind()];
            offered.put(i, op);
            deadline.put(i, now + op.validityMs());
            if (kind == EXIT_ORDER) {
                waitingExits.put(i, now);
            }
            q.offer(i, kind, ThrottleQueue.rank(kind, false), op.weight(), now + op.validityMs());
            ThrottleQueue.Drained<Integer> d = q.drain(now);
            done += account(d, now, offered, deadline, waitingExits, admitted, kinds);
            wakeAt = d.wakeAtMs();
        }
        assertThat(q.size()).isZero();
        assertThat(done).isEqualTo(ops.size());
        for (int i = 0; i < LIMITS.size(); i++) {
            RateLimit l = LIMITS.get(i);
            List<long[]> counted = new ArrayList<>();
            for (long[] a : admitted) {
                long amount = switch (l.type()) {
                    case REQUEST_WEIGHT -> a[1];
                    case RAW_REQUESTS -> 1;
                    case ORDERS -> a[2] == 0 ? 0 : 1;
                };
                counted.add(new long[]{a[0], amount, a[2]});
            }
            assertThat(OrderThrottleTest.maxInAnyWindow(counted, l.windowMs(), false)).as("%s all", l)
                    .isLessThanOrEqualTo(caps.get(i).cap());
            assertThat(OrderThrottleTest.maxInAnyWindow(counted, l.windowMs(), true)).as("%s non-exit", l)
                    .isLessThanOrEqualTo(caps.get(i).entryCap());
        }
    }

    private static int account(ThrottleQueue.Drained<Integer> d, long now, Map<Integer, Op> offered,
                               Map<Integer, Long> deadline, Map<Integer, Long> waitingExits, List<long[]> admitted,
                               OrderThrottle.Kind[] kinds) {
        for (ThrottleQueue.Dropped<Integer> x : d.dropped()) {
            waitingExits.remove(x.item());
        }
        for (Integer id : d.admitted()) {
            Op op = offered.get(id);
            OrderThrottle.Kind kind = kinds[op.kind()];
            if (kind == ENTRY_ORDER) {
                assertThat(waitingExits).as("entry %d admitted at %d while exits wait", id, now).isEmpty();
                assertThat(now).as("entry %d admitted after its validity", id).isLessThanOrEqualTo(deadline.get(id));
            }
            waitingExits.remove(id);
            admitted.add(new long[]{now, op.weight(), op.kind()});
        }
        return d.admitted().size() + d.dropped().size();
    }
}
