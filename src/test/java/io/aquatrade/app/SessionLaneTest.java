package io.aquatrade.app;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class SessionLaneTest {

    private static final long SECOND = 1_000L;

    @Test
    void callsRunInOrderOnTheLanesThreadAndDrainWaitsForAllOfThem() {
        SessionLane lane = new SessionLane("test-lane");
        List<Integer> ran = new ArrayList<>(); // written by the lane only, read after drain
        List<String> threads = new ArrayList<>();
        int n = 10 * SessionLane.BATCH + 17; // full batches and a partial one
        for (int i = 0; i < n; i++) {
            int k = i;
            lane.submit(i * SECOND, () -> {
                ran.add(k);
                threads.add(Thread.currentThread().getName());
            });
        }
        lane.drain();
        assertThat(ran).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(ran.get(i)).isEqualTo(i);
        }
        assertThat(threads).containsOnly("test-lane");

        // after a drain the lane starts again on the next call
        lane.submit(n * SECOND, () -> ran.add(-1));
        lane.drain();
        assertThat(ran).hasSize(n + 1).endsWith(-1);
        lane.drain(); // nothing pending: returns at once
    }

    @Test
    void aFailingCallDoesNotStopTheNextOnes() {
        SessionLane lane = new SessionLane("test-lane");
        List<Integer> ran = new ArrayList<>();
        lane.submit(0, () -> ran.add(1));
        lane.submit(1, () -> {
            throw new IllegalStateException("planted");
        });
        lane.submit(2, () -> ran.add(3));
        lane.drain();
        assertThat(ran).containsExactly(1, 3);
    }

    @Test
    void theSubmitterNeverGetsFurtherAheadOfTheLaneThanTheLagAllowsInMarketTime() {
        SessionLane lane = new SessionLane("test-lane");
        AtomicLong submittedUpTo = new AtomicLong();
        long[] worstLag = {0};
        long[] lagged = {0};
        int n = 40 * SessionLane.BATCH;
        long step = 10 * SECOND; // 40 batches span far more market time than the lag allows
        for (int i = 0; i < n; i++) {
            long at = i * step;
            submittedUpTo.set(at);
            lane.submit(at, () -> {
                long lag = submittedUpTo.get() - at;
                worstLag[0] = Math.max(worstLag[0], lag);
                if (lag > 0) {
                    lagged[0]++;
                }
                long until = System.nanoTime() + 2_000; // a call takes a while, so the lane does trail
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            });
        }
        lane.drain();
        assertThat(lagged[0]).as("calls that ran behind the submitter").isPositive();
        // checked at each hand-over: at most the lag plus the one batch submitted after it
        assertThat(worstLag[0]).isLessThanOrEqualTo(SessionLane.MAX_LAG_MS + SessionLane.BATCH * step);
        // and it is the lag in market time that held the submitter back (16 queued batches span 11 hours here)
        assertThat(worstLag[0]).isGreaterThan(SessionLane.MAX_LAG_MS / 2);
    }
}
