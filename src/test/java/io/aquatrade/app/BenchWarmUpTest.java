package io.aquatrade.app;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** bench times both measurements warm: by default it warms until the pipeline's rounds stop getting faster. */
class BenchWarmUpTest {

    private static int roundsUntilWarm(BenchCommand.WarmUp warm, double... pipelineSeconds) {
        int i = 0;
        while (warm.more()) {
            warm.record(pipelineSeconds[Math.min(i++, pipelineSeconds.length - 1)]);
        }
        return warm.rounds();
    }

    @Test
    void byDefaultItWarmsUntilThePipelineHasNotImprovedForThreeRounds() {
        // the JIT keeps compiling for several rounds: 2.0 -> 0.6 s, then flat (within 3 %)
        assertThat(roundsUntilWarm(new BenchCommand.WarmUp(null), 2.0, 1.6, 1.1, 0.9, 0.6, 0.61, 0.59, 0.6, 0.3))
                .as("the 5th round is the last that improved; three more that did not").isEqualTo(8);
    }

    @Test
    void aPipelineThatLooksWarmEarlyStillWarmsTheMinimum() {
        assertThat(roundsUntilWarm(new BenchCommand.WarmUp(null), 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0))
                .isEqualTo(BenchCommand.MIN_AUTO_WARMUP);
    }

    @Test
    void aPipelineStillImprovingStopsAtTheCap() {
        double[] faster = new double[40];
        for (int i = 0; i < faster.length; i++) {
            faster[i] = 10.0 * Math.pow(0.9, i);
        }
        BenchCommand.WarmUp warm = new BenchCommand.WarmUp(null);
        assertThat(roundsUntilWarm(warm, faster)).isEqualTo(BenchCommand.MAX_AUTO_WARMUP);
        assertThat(warm.why()).contains("still improving");
    }

    @Test
    void aGivenCountIsRunExactly() {
        assertThat(roundsUntilWarm(new BenchCommand.WarmUp(2), 5, 1, 0.5, 0.2)).isEqualTo(2);
        assertThat(roundsUntilWarm(new BenchCommand.WarmUp(0), 5)).isZero();
    }
}
