package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.research.Constraints;
import io.aquatrade.research.EquityCurve;
import io.aquatrade.research.FanOut;
import io.aquatrade.research.Objective;
import io.aquatrade.research.OptimizeReport;
import io.aquatrade.research.Optimizer;
import io.aquatrade.research.ParameterSpace;
import io.aquatrade.research.WalkForward;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code optimize}: walk-forward search over strategy/echo/risk keys, ranked out of sample. */
@Command(name = "optimize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Search strategy.*, echo.* and risk.* keys over recorded data with walk-forward folds.",
                "%nEach set trades the whole range once (one session per set, sets sharing a market pass per echo.* setting, "
                        + "on every core), is scored on each fold's training and following unseen test window, and is ranked by "
                        + "its out-of-sample score only. Writes leaderboard.csv/.json, best.yaml (for replay --config) and report.html."})
final class OptimizeCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, arity = "1..*", paramLabel = "PATH",
            description = "Data files or directories, as for replay; data before --from is warm-up history only.")
    List<Path> data = new ArrayList<>();

    @Option(names = "--symbols", split = ",", paramLabel = "SYMBOL",
            description = "Only these symbols (default: every symbol in the data).")
    List<String> symbols = new ArrayList<>();

    @Option(names = "--from", required = true, paramLabel = "DATE", description = "First UTC day of the first fold's training window.")
    LocalDate from;

    @Option(names = "--to", required = true, paramLabel = "DATE", description = "Last UTC day of the last fold's test window, inclusive.")
    LocalDate to;

    @Option(names = "--space", required = true, paramLabel = "FILE",
            description = "Parameter space YAML (see config/optimize-space.yaml): ranges with steps, or choices, per key.")
    Path space;

    @Option(names = "--folds", defaultValue = "3", paramLabel = "N",
            description = "Walk-forward folds: the range is cut into N+2 blocks; fold i trains on blocks i, i+1 and is "
                    + "tested on block i+2 (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--trials", defaultValue = "100", paramLabel = "N",
            description = "Parameter sets drawn from the space (default: ${DEFAULT-VALUE}).")
    int trials;

    @Option(names = "--objective", defaultValue = "net_pnl", paramLabel = "NAME",
            description = "net_pnl, sharpe, sortino, calmar or max_drawdown (default: ${DEFAULT-VALUE}).")
    String objective;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
            description = "Seed of the quasi-random sample: the same seed draws the same sets (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--min-trades-per-day", defaultValue = "0", paramLabel = "N",
            description = "Constraint: fewer fills a day in a test window ranks a set last (default: ${DEFAULT-VALUE}).")
    double minTradesPerDay;

    @Option(names = "--max-drawdown", defaultValue = "100", paramLabel = "PCT",
            description = "Constraint: a larger drawdown in a test window ranks a set last (default: ${DEFAULT-VALUE}).")
    double maxDrawdownPct;

    @Option(names = "--threads", paramLabel = "N",
            description = "Market passes run at once (default: the number of cores).")
    Integer threads;

    @Option(names = "--compare-replay", description = "Also time one plain replay of the base config in this run and print the ratio.")
    boolean compareReplay;

    @Option(names = "--out", defaultValue = "out/optimize", paramLabel = "DIR",
            description = "Where leaderboard.csv, leaderboard.json, best.yaml and report.html go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    RunOptions run = new RunOptions();

    @Override
    public Integer call() throws Exception {
        ReplaySetup.checkDayRange(from, to);
        if (trials < 1) {
            throw new IllegalArgumentException("--trials must be at least 1, got " + trials);
        }
        Objective obj = Objective.parse(objective);
        ParameterSpace ps = ParameterSpace.load(space);
        List<WalkForward.Fold> fs = WalkForward.rolling(from, to, folds);
        ResearchRun rr = ResearchRun.open(run, data, symbols, from, to);
        LocalDate lastDay = rr.lastDataDay();
        if (lastDay != null && to.isAfter(lastDay)) {
            // days without data would score as flat days, with no fills: every set alike, and below any --min-trades-per-day
            WalkForward.Fold f = fs.stream().filter(x -> x.testTo().isAfter(lastDay)).findFirst().orElseThrow();
            throw new IllegalArgumentException("--to " + to + " is after the last day of the data (" + lastDay + "): fold "
                    + f.index() + "'s test window " + f.testFrom() + " .. " + f.testTo() + " would score days without data. "
                    + "Give --to " + lastDay + " or earlier.");
        }
        int cores = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        FanOut fan = new FanOut(rr.window(), cores);

        System.out.printf("Optimizing %d set(s) of %d parameter(s) over %s .. %s, %d fold(s), objective %s, seed %d, %d thread(s)%n",
                trials, ps.dimensions().size(), from, to, fs.size(), obj.cliName(), seed, cores);
        for (WalkForward.Fold f : fs) {
            System.out.printf("  fold %d: train %s .. %s, test %s .. %s%n", f.index(), f.trainFrom(), f.trainTo(),
                    f.testFrom(), f.testTo());
        }
        double replaySeconds = -1;
        if (compareReplay) {
            Path tmp = Files.createTempDirectory("aquatrade-optimize-replay-");
            long t0 = System.nanoTime();
            PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            rr.setup.run(data, rr.symbols, from, to, tmp, 0, "127.0.0.1", null, quiet, false, null);
            replaySeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "  one plain replay of the base config: %.1f s%n", replaySeconds);
        }
        Set<String> markets = new HashSet<>();
        TaskProgress bar = new TaskProgress(System.out);
        long t0 = System.nanoTime();
        Optimizer.Outcome outcome = new Optimizer(ps, fs, obj, new Constraints(minTradesPerDay, maxDrawdownPct))
                .run(trials, seed, sets -> {
                    List<FanOut.Job> jobs = new ArrayList<>();
                    for (int i = 0; i < sets.size(); i++) {
                        AquatradeConfig c = rr.configWith(sets.get(i));
                        markets.add(FanOut.marketKey(c));
                        jobs.add(new FanOut.Job("trial-" + (i + 1), c));
                    }
                    List<EquityCurve> curves = rr.equityCurves(fan, jobs, bar::update);
                    bar.done();
                    return curves;
                }, System.out::println);
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<String> symbolList = new ArrayList<>(rr.symbols.isEmpty() ? List.of("all in the data") : rr.symbols);
        OptimizeReport.Header header = new OptimizeReport.Header(obj.cliName(),
                new Constraints(minTradesPerDay, maxDrawdownPct), trials, seed, fs, from, to, symbolList, seconds,
                markets.size());
        OptimizeReport.write(out, header, outcome, ps, rr.config.effective());

        Optimizer.TrialResult best = outcome.best();
        System.out.println();
        System.out.printf(Locale.ROOT, "Optimization finished: %d set(s) in %.1f s (%d echo/market setting(s))%n",
                trials, seconds, markets.size());
        if (replaySeconds > 0) {
            System.out.printf(Locale.ROOT, "  time vs one plain replay: %.2f x (%.1f s / %.1f s)%n", seconds / replaySeconds,
                    seconds, replaySeconds);
        }
        System.out.printf(Locale.ROOT, "  best (out of sample): trial %d, %s %.4f (in sample %.4f)%s%n", best.trial(),
                obj.cliName(), best.outOfSampleScore(), best.inSampleScore(),
                best.feasible() ? "" : ", breaks a constraint: " + best.violation());
        best.params().forEach((k, v) -> System.out.println("    " + k + " = " + v));
        for (Optimizer.FoldChoice c : outcome.walkForward()) {
            System.out.printf(Locale.ROOT, "  fold %d: chose trial %d on training (%.4f), scored %.4f on %s .. %s%n",
                    c.fold().index(), c.trial(), c.trainScore(), c.testScore(), c.fold().testFrom(), c.fold().testTo());
        }
        System.out.println("  report       " + out.resolve("report.html") + "  (also leaderboard.csv, leaderboard.json, best.yaml)");
        return 0;
    }
}
