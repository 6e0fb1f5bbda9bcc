package io.aquatrade.research;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WalkForwardTest {

    private static final long DAY = 86_400_000L;

    @Test
    void foldsRollForwardAndEachTestWindowFollowsItsTrainingWindow() {
        List<WalkForward.Fold> folds = WalkForward.rolling(LocalDate.of(2023, 4, 1), LocalDate.of(2023, 4, 30), 4);
        assertThat(folds).hasSize(4);
        for (WalkForward.Fold f : folds) {
            assertThat(f.testFrom()).isEqualTo(f.trainTo().plusDays(1));
            assertThat(f.trainDays()).isEqualTo(2 * f.testDays());
        }
        assertThat(folds.get(3).testTo()).isEqualTo(LocalDate.of(2023, 4, 30));
        assertThat(folds.get(1).trainFrom()).isEqualTo(folds.get(0).trainFrom().plusDays(folds.get(0).testDays()));
        assertThatThrownBy(() -> WalkForward.rolling(LocalDate.of(2023, 4, 1), LocalDate.of(2023, 4, 3), 4))
                .hasMessageContaining("at least 6 days");
    }

    /**
     * Two runs identical up to a fold's training end and wildly different after: every training score
     * must be the same (else test-window data leaked into training) while the test scores differ.
     */
    @Test
    void trainingScoresNeverSeeTheTestWindow() {
        LocalDate from = LocalDate.of(2023, 4, 1);
        List<WalkForward.Fold> folds = WalkForward.rolling(from, LocalDate.of(2023, 4, 24), 3);
        for (WalkForward.Fold f : folds) {
            long cut = EquityCurve.dayStartMs(f.testFrom());
            EquityCurve calm = curve(from, 24, cut, 0.0);
            EquityCurve wild = curve(from, 24, cut, 0.05);
            Optimizer o = new Optimizer(new ParameterSpace(List.of(new ParameterSpace.Dimension("strategy.entry_quote",
                    List.of("100")))), List.of(f), Objective.SHARPE, Constraints.none());
            Optimizer.TrialResult a = o.score(1, java.util.Map.of(), calm);
            Optimizer.TrialResult b = o.score(1, java.util.Map.of(), wild);
            assertThat(b.folds().get(0).train()).as("fold %d training metrics", f.index()).isEqualTo(a.folds().get(0).train());
            assertThat(b.inSampleScore()).isEqualTo(a.inSampleScore());
            assertThat(b.folds().get(0).test()).isNotEqualTo(a.folds().get(0).test());
        }
    }

    /** Minute equity with a gentle daily pattern; from {@code cut} on, each minute also jumps by {@code shock}. */
    private static EquityCurve curve(LocalDate from, int days, long cut, double shock) {
        int n = days * 1440;
        long[] t = new long[n];
        double[] e = new double[n];
        long start = EquityCurve.dayStartMs(from);
        double eq = 10_000;
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < n; i++) {
            t[i] = start + i * 60_000L;
            eq *= 1 + (r.nextDouble() - 0.49) * 1e-4;
            if (t[i] >= cut) {
                eq *= 1 + (i % 2 == 0 ? shock : -shock * 0.9);
            }
            e[i] = eq;
        }
        long[] fills = {start + DAY, cut + DAY / 2};
        return EquityCurve.of(t, e, fills, 10_000);
    }
}
