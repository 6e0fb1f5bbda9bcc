package io.aquatrade.research;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OptimizerTest {

    private static final LocalDate FROM = LocalDate.of(2023, 4, 1);
    private static final int DAYS = 30;

    /**
     * A synthetic market where a set's daily return peaks at min_similarity 0.83, take_profit 2.4 and
     * max_hold 120, with three more dimensions that do nothing: the search must land next to the peak.
     */
    @Test
    void findsAPlantedOptimumInSixDimensions() {
        ParameterSpace space = new ParameterSpace(List.of(
                dim("strategy.min_similarity", 0.50, 0.99, 0.01),
                dim("strategy.take_profit_pct", 0.5, 5.0, 0.1),
                dim("strategy.max_hold_minutes", 10, 300, 10),
                dim("strategy.stop_loss_pct", 0.5, 5.0, 0.1),
                dim("strategy.trailing_stop_pct", 0.1, 2.0, 0.1),
                dim("strategy.reentry_cooldown_minutes", 0, 60, 5)));
        Optimizer o = new Optimizer(space, WalkForward.rolling(FROM, FROM.plusDays(DAYS - 1), 3), Objective.NET_PNL,
                Constraints.none());
        Optimizer.Outcome out = o.run(512, 7, sets -> {
            List<EquityCurve> curves = new ArrayList<>();
            for (Map<String, String> s : sets) {
                double x = Double.parseDouble(s.get("strategy.min_similarity"));
                double y = Double.parseDouble(s.get("strategy.take_profit_pct"));
                double z = Double.parseDouble(s.get("strategy.max_hold_minutes"));
                double daily = 0.002 - 0.02 * Math.pow((x - 0.83) / 0.49, 2) - 0.02 * Math.pow((y - 2.4) / 4.5, 2)
                        - 0.02 * Math.pow((z - 120) / 290, 2);
                curves.add(daily(daily));
            }
            return curves;
        }, null);
        Map<String, String> best = out.best().params();
        assertThat(Double.parseDouble(best.get("strategy.min_similarity"))).isCloseTo(0.83, org.assertj.core.api.Assertions.within(0.05));
        assertThat(Double.parseDouble(best.get("strategy.take_profit_pct"))).isCloseTo(2.4, org.assertj.core.api.Assertions.within(0.45));
        assertThat(Double.parseDouble(best.get("strategy.max_hold_minutes"))).isCloseTo(120, org.assertj.core.api.Assertions.within(30.0));
        assertThat(out.leaderboard()).hasSize(512);
        assertThat(out.leaderboard().get(0).outOfSampleScore()).isGreaterThanOrEqualTo(out.leaderboard().get(1).outOfSampleScore());
        assertThat(out.walkForward()).hasSize(3);
    }

    @Test
    void setsBreakingAConstraintOutOfSampleRankLast() {
        ParameterSpace space = new ParameterSpace(List.of(dim("strategy.take_profit_pct", 1, 4, 1)));
        Optimizer o = new Optimizer(space, WalkForward.rolling(FROM, FROM.plusDays(DAYS - 1), 2), Objective.NET_PNL,
                new Constraints(0, 5.0));
        Optimizer.Outcome out = o.run(4, 1, sets -> {
            List<EquityCurve> curves = new ArrayList<>();
            for (Map<String, String> s : sets) {
                double tp = Double.parseDouble(s.get("strategy.take_profit_pct"));
                curves.add(tp == 4 ? swingy() : daily(0.0005 * tp));
            }
            return curves;
        }, null);
        Optimizer.TrialResult last = out.leaderboard().get(out.leaderboard().size() - 1);
        assertThat(last.params().get("strategy.take_profit_pct")).isEqualTo("4");
        assertThat(last.feasible()).isFalse();
        assertThat(last.violation()).contains("drawdown");
        assertThat(out.best().params().get("strategy.take_profit_pct")).isEqualTo("3");
    }

    private static ParameterSpace.Dimension dim(String key, double min, double max, double step) {
        List<String> v = new ArrayList<>();
        for (int i = 0; min + i * step <= max + 1e-9; i++) {
            v.add(new java.math.BigDecimal(min + i * step).setScale(2, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString());
        }
        return new ParameterSpace.Dimension(key, v);
    }

    private static EquityCurve daily(double dailyReturn) {
        int n = DAYS * 24;
        long[] t = new long[n];
        double[] e = new double[n];
        long start = EquityCurve.dayStartMs(FROM);
        for (int i = 0; i < n; i++) {
            t[i] = start + i * 3_600_000L;
            e[i] = 10_000 * Math.pow(1 + dailyReturn, (i + 1) / 24.0);
        }
        return EquityCurve.of(t, e, new long[0], 10_000);
    }

    private static EquityCurve swingy() {
        int n = DAYS * 24;
        long[] t = new long[n];
        double[] e = new double[n];
        long start = EquityCurve.dayStartMs(FROM);
        for (int i = 0; i < n; i++) {
            t[i] = start + i * 3_600_000L;
            e[i] = 10_000 * (1 + 0.01 * i / 24.0) * (i % 48 < 24 ? 1.0 : 0.9);
        }
        return EquityCurve.of(t, e, new long[0], 10_000);
    }
}
