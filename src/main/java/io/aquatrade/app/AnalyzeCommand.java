package io.aquatrade.app;

import io.aquatrade.config.ConfigKeys;
import io.aquatrade.research.EdgeReport;
import io.aquatrade.research.EdgeStudy;
import io.aquatrade.research.FanOut;
import io.aquatrade.research.LookAheadCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/** {@code analyze}: the edge report: echo entries against random entries and buy-and-hold, signal hit rates, look-ahead check, projection. */
@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Does the echo pay? The echo's entries against random entries and buy-and-hold, out of the same data.",
                "Replays the data once with the echo's rules and, on the same market pass, random-entry sessions (same "
                        + "symbols, sizes and exits; many seeds); compares them with buy-and-hold; tabulates echo signals' "
                        + "hit rate and forward return after fees by move class, lookback, similarity, direction and symbol; "
                        + "re-runs decisions with the data cut after them (look-ahead check); bootstraps equity paths from "
                        + "100 and 1,000 USDT. Writes edge.json and edge.html."})
final class AnalyzeCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, arity = "1..*", paramLabel = "PATH", description = "Data files or directories, as for replay.")
    List<Path> data = new ArrayList<>();

    @Option(names = "--symbols", split = ",", paramLabel = "SYMBOL", description = "Only these symbols (default: all in the data).")
    List<String> symbols = new ArrayList<>();

    @Option(names = "--from", paramLabel = "DATE", description = "First UTC day traded (default: 7 days after the data starts).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "DATE", description = "Last UTC day traded, inclusive (default: end of data).")
    LocalDate to;

    @Option(names = "--seeds", defaultValue = "20", paramLabel = "N",
            description = "Random-entry baseline sessions, seeds --seed .. --seed+N-1 (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
            description = "First seed of the baseline and of the projection (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--lookahead-points", defaultValue = "10", paramLabel = "N",
            description = "Decisions re-run with the data cut after them (default: ${DEFAULT-VALUE}; 0 = skip the check).")
    int lookaheadPoints;

    @Option(names = "--out", defaultValue = "out/analyze", paramLabel = "DIR",
            description = "Where edge.json and edge.html go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    RunOptions run = new RunOptions();

    @Override
    public Integer call() throws Exception {
        ResearchRun rr = ResearchRun.open(run, data, symbols, from, to);
        var cfg = rr.config;
        long fromMs = rr.fromMs;
        long toExclusive = rr.toExclusiveMs;
        String prefix = rr.clientIdPrefix();
        System.out.printf("Analyzing from %s%s: the echo's rules and %d random-entry seed(s) on one market pass%n",
                Instant.ofEpochMilli(fromMs), to == null ? " to the end of the data" : " to " + to, seeds);

        TradingPipeline pipeline = rr.marketPass();
        TradingSession echoSession = rr.session(cfg, prefix);
        Map<Long, String> decisions = recordDecisions(echoSession);
        pipeline.addSession(echoSession);
        EdgeStudy study = EdgeStudy.attach(pipeline, echoSession, seeds, seed, cfg.integer(ConfigKeys.STRATEGY_MAX_HOLD_MINUTES),
                cfg.dbl(ConfigKeys.FEES_TAKER_RATE), cfg.dbl(ConfigKeys.CAPITAL_BASE_FRACTION),
                s -> rr.session(cfg, prefix + "r" + s + "-"));
        if (to == null) {
            System.out.println("  (no --to: reading to the end of the data; the bar fills when it is reached)");
        }
        TaskProgress bar = new TaskProgress(System.out);
        long t0 = System.nanoTime();
        FanOut.drive(rr.window(), pipeline, p -> bar.update(p / 1000.0));
        bar.done();
        double mainSeconds = (System.nanoTime() - t0) / 1e9;

        Map<String, Object> edge = new LinkedHashMap<>();
        long endMs = toExclusive == Long.MAX_VALUE ? pipeline.clockMs() : toExclusive;
        edge.put("window", "trading " + Instant.ofEpochMilli(fromMs) + " .. " + Instant.ofEpochMilli(endMs)
                + ", symbols " + new TreeSet<>(pipeline.states().keySet()));
        edge.putAll(study.full(seed));
        if (lookaheadPoints > 0) {
            System.out.printf("Look-ahead check: re-running %d decision(s) with the data cut after each%n",
                    Math.min(lookaheadPoints, decisions.size()));
            LookAheadCheck.Result la = LookAheadCheck.check(decisions, cut -> {
                TradingPipeline p = rr.marketPass();
                TradingSession s = rr.session(cfg, prefix);
                Map<Long, String> d = recordDecisions(s);
                p.addSession(s);
                FanOut.drive(rr.window(cut), p, null);
                s.close();
                return d;
            }, lookaheadPoints, Runtime.getRuntime().availableProcessors());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", "the same run with every event after a decision's time removed must take the same decisions up to then");
            m.put("checked", la.checked());
            m.put("passed", la.passed());
            m.put("mismatches", la.mismatches());
            edge.put("look_ahead", m);
        }
        edge.put("seconds_main_pass", Math.round(mainSeconds * 10) / 10.0);
        EdgeReport.write(out, edge);
        echoSession.close();
        study.randomSessions().forEach(TradingSession::close);
        print(edge);
        return 0;
    }

    /** Records a session's orders per decision round (rounds without orders left out). */
    static Map<Long, String> recordDecisions(TradingSession s) {
        Map<Long, String> d = new ConcurrentHashMap<>();
        s.addDecisionObserver((decisions, nanos) -> {
            if (!decisions.orders().isEmpty()) {
                d.put(decisions.clockMs(), LookAheadCheck.describe(decisions.orders()));
            }
        });
        return d;
    }

    @SuppressWarnings("unchecked")
    private void print(Map<String, Object> edge) {
        Map<String, Object> rb = (Map<String, Object>) edge.get("random_baseline");
        Map<String, Object> bh = (Map<String, Object>) edge.get("buy_and_hold");
        System.out.println();
        System.out.println("Edge report: " + edge.get("window"));
        System.out.printf(Locale.ROOT, "  echo         net PnL %s USDT, %s round trips, win rate %s%n", rb.get("echo_net_pnl"),
                rb.get("echo_round_trips"), rb.get("echo_win_rate"));
        if (rb.containsKey("random_net_pnl_mean")) {
            System.out.printf(Locale.ROOT, "  random       net PnL mean %s USDT (p5 %s, p95 %s) over %s seeds; echo beat %s of them%n",
                    rb.get("random_net_pnl_mean"), rb.get("random_net_pnl_p5"), rb.get("random_net_pnl_p95"), rb.get("seeds"),
                    rb.get("echo_beats_random_seeds"));
        }
        System.out.printf(Locale.ROOT, "  buy and hold net PnL %s USDT (%s%% of %s deployed)%n", bh.get("net_pnl"),
                bh.get("return_pct_of_deployed"), bh.get("deployed"));
        Map<String, Object> sig = (Map<String, Object>) edge.get("signals");
        System.out.println("  signals      " + sig.get("all"));
        Map<String, Object> la = (Map<String, Object>) edge.get("look_ahead");
        if (la != null) {
            System.out.println("  look-ahead   " + (Boolean.TRUE.equals(la.get("passed")) ? "passed" : "FAILED") + " ("
                    + la.get("checked") + " decisions re-run with the data cut)");
        }
        System.out.println("  report       " + out.resolve("edge.html") + "  (also edge.json)");
        System.out.println("  The projection in the report is the spread of the past, not a forecast.");
    }
}
