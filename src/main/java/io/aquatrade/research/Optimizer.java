package io.aquatrade.research;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Walk-forward search: draws parameter sets from the space, has them evaluated (one equity curve per
 * set over the whole range: the pipeline is causal, so a day's result never depends on later days),
 * scores every set on every fold's training and test windows, and ranks the sets by their
 * out-of-sample score only (the mean of their test-window scores; sets that break a constraint on a
 * test window rank after all that do not). For each fold it also records the walk-forward choice:
 * the set with the best training score, and how that choice then did on the unseen test window.
 */
public final class Optimizer {

    /** Evaluates parameter sets; returns one equity curve per set, in order. */
    public interface Evaluator {
        List<EquityCurve> evaluate(List<Map<String, String>> sets);
    }

    /** A set's scores on one fold. */
    public record FoldScore(WalkForward.Fold fold, WindowMetrics train, WindowMetrics test, double trainScore,
                            double testScore, String trainViolation, String testViolation) {
    }

    /** One set's result. {@code rank} is 1 for the best out-of-sample score. */
    public record TrialResult(int trial, Map<String, String> params, List<FoldScore> folds, double inSampleScore,
                              double outOfSampleScore, boolean feasible, String violation, EquityCurve curve, int rank) {
    }

    /** A fold's walk-forward choice: the best set by training score and its test score. */
    public record FoldChoice(WalkForward.Fold fold, int trial, double trainScore, double testScore) {
    }

    /** The search's outcome. */
    public record Outcome(List<TrialResult> leaderboard, List<FoldChoice> walkForward) {
        public TrialResult best() {
            return leaderboard.get(0);
        }
    }

    private final ParameterSpace space;
    private final List<WalkForward.Fold> folds;
    private final Objective objective;
    private final Constraints constraints;

    public Optimizer(ParameterSpace space, List<WalkForward.Fold> folds, Objective objective, Constraints constraints) {
        this.space = Objects.requireNonNull(space, "space");
        this.folds = List.copyOf(folds);
        this.objective = Objects.requireNonNull(objective, "objective");
        this.constraints = Objects.requireNonNull(constraints, "constraints");
        if (this.folds.isEmpty()) {
            throw new IllegalArgumentException("need at least one fold");
        }
    }

    public Outcome run(int trials, long seed, Evaluator evaluator, Consumer<String> log) {
        List<Map<String, String>> sets = space.sample(trials, seed);
        if (log != null) {
            log.accept("evaluating " + sets.size() + " parameter set(s) over " + folds.size() + " fold(s)");
        }
        List<EquityCurve> curves = evaluator.evaluate(sets);
        if (curves.size() != sets.size()) {
            throw new IllegalStateException("evaluator returned " + curves.size() + " curves for " + sets.size() + " sets");
        }
        List<TrialResult> results = new ArrayList<>();
        for (int i = 0; i < sets.size(); i++) {
            results.add(score(i + 1, sets.get(i), curves.get(i)));
        }
        List<FoldChoice> choices = new ArrayList<>();
        for (int f = 0; f < folds.size(); f++) {
            int fi = f;
            TrialResult chosen = results.stream()
                    .sorted(Comparator.comparing((TrialResult r) -> r.folds().get(fi).trainViolation() != null)
                            .thenComparing(r -> -r.folds().get(fi).trainScore())
                            .thenComparingInt(TrialResult::trial))
                    .findFirst().orElseThrow();
            FoldScore s = chosen.folds().get(f);
            choices.add(new FoldChoice(folds.get(f), chosen.trial(), s.trainScore(), s.testScore()));
        }
        results.sort(Comparator.comparing((TrialResult r) -> !r.feasible())
                .thenComparing(r -> -r.outOfSampleScore())
                .thenComparingInt(TrialResult::trial));
        List<TrialResult> ranked = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            TrialResult r = results.get(i);
            ranked.add(new TrialResult(r.trial(), r.params(), r.folds(), r.inSampleScore(), r.outOfSampleScore(),
                    r.feasible(), r.violation(), r.curve(), i + 1));
        }
        return new Outcome(ranked, choices);
    }

    /** Scores one set's curve on every fold. */
    TrialResult score(int trial, Map<String, String> params, EquityCurve curve) {
        List<FoldScore> fs = new ArrayList<>();
        double is = 0;
        double oos = 0;
        String violation = null;
        for (WalkForward.Fold f : folds) {
            WindowMetrics train = curve.window(f.trainFrom(), f.trainTo());
            WindowMetrics test = curve.window(f.testFrom(), f.testTo());
            String tv = constraints.violation(train);
            String sv = constraints.violation(test);
            if (sv != null && violation == null) {
                violation = "fold " + f.index() + ": " + sv;
            }
            double trainScore = objective.score(train);
            double testScore = objective.score(test);
            is += trainScore;
            oos += testScore;
            fs.add(new FoldScore(f, train, test, trainScore, testScore, tv, sv));
        }
        return new TrialResult(trial, params, fs, is / folds.size(), oos / folds.size(), violation == null, violation,
                curve, 0);
    }
}
