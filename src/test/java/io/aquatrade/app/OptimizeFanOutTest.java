package io.aquatrade.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.market.MarketData;
import io.aquatrade.report.ReportWriter;
import io.aquatrade.research.FanOut;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The optimizer's fan-out runs each parameter set as a session over shared market passes; each must
 * trade exactly as a replay of that config alone: the same trades.csv, byte for byte.
 */
class OptimizeFanOutTest {

    @TempDir
    static Path tmp;
    static Path data;

    private static final List<List<String>> SETS = List.of(
            List.of(),
            List.of("strategy.min_similarity=0.75", "strategy.take_profit_pct=0.8", "risk.max_open_positions=5"),
            List.of("strategy.min_similarity=0.8", "strategy.stop_loss_pct=0.5", "strategy.max_hold_minutes=30"),
            List.of("echo.lead_minutes=45", "strategy.min_similarity=0.8"));

    @BeforeAll
    static void extract() {
        data = DemoCommand.extractDemoData();
    }

    private static List<String> isolated(List<String> sets) {
        List<String> o = new ArrayList<>(sets);
        o.add("state.port=5831");
        o.add("state.cluster_name=test-fanout-" + ProcessHandle.current().pid());
        return o;
    }

    @Test
    void everySessionOfTheFanOutTradesAsItsOwnReplayByteForByte() throws Exception {
        long from = DemoCommand.TRADING_DAY.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long to = DemoCommand.TRADING_DAY.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        RunOptions base = new RunOptions();
        base.rules = Path.of("rules");
        ReplaySetup setup = new ReplaySetup(base, List.of());
        List<FanOut.Job> jobs = new ArrayList<>();
        for (int i = 0; i < SETS.size(); i++) {
            jobs.add(new FanOut.Job("set-" + i, AquatradeConfig.load(null, isolated(SETS.get(i)))));
        }
        // two threads: the three sets sharing echo settings are split over two passes, the fourth has its own
        FanOut fan = new FanOut(new FanOut.Data(MarketData.discover(List.of(data)).files(), Set.of(), from, to), 2);
        List<FanOut.Result> results = fan.run(jobs, FanOut.simulated(setup.exchangeInfo, setup.ruleSet), null);
        int traded = 0;
        for (int i = 0; i < SETS.size(); i++) {
            Path fanned = tmp.resolve("fan-" + i + ".csv");
            ReportWriter.writeTrades(fanned, results.get(i).session().recorder().fills());
            RunOptions opts = new RunOptions();
            opts.rules = Path.of("rules");
            opts.overrides.addAll(isolated(SETS.get(i)));
            Path out = tmp.resolve("replay-" + i);
            PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            new ReplaySetup(opts, List.of()).run(List.of(data), Set.of(), DemoCommand.TRADING_DAY, DemoCommand.TRADING_DAY,
                    out, 0, "127.0.0.1", null, quiet, false, null);
            byte[] alone = Files.readAllBytes(out.resolve("trades.csv"));
            assertThat(Files.readAllBytes(fanned)).as("set %d %s", i, SETS.get(i)).isEqualTo(alone);
            if (Files.readAllLines(fanned).size() > 1) {
                traded++;
            }
        }
        assertThat(traded).as("sets that traded at all").isGreaterThanOrEqualTo(3);
    }

    @Test
    void optimizeWritesItsOutputsAndReplayAcceptsBestYaml() throws Exception {
        Path out = tmp.resolve("optimize");
        Path space = tmp.resolve("space.yaml");
        Files.writeString(space, """
                parameters:
                  strategy.min_similarity: {min: 0.70, max: 0.90, step: 0.05}
                  strategy.take_profit_pct: {min: 0.5, max: 2.0, step: 0.5}
                """);
        int code = Main.commandLine().execute("optimize", "--data", data.toString(), "--from", "2023-04-17", "--to",
                "2023-04-19", "--space", space.toString(), "--folds", "1", "--trials", "4", "--seed", "3", "--rules", "rules",
                "--out", out.toString(), "--set", "state.port=5832");
        assertThat(code).isZero();
        List<String> csv = Files.readAllLines(out.resolve("leaderboard.csv"));
        assertThat(csv.get(0)).startsWith("rank,trial,oos_score,is_score").endsWith("strategy.min_similarity,strategy.take_profit_pct");
        assertThat(csv).hasSize(5);
        JsonNode json = new ObjectMapper().readTree(out.resolve("leaderboard.json").toFile());
        assertThat(json.get("walk_forward").get(0).get("test_from").asText()).isEqualTo("2023-04-19");
        assertThat(json.get("leaderboard").get(0).get("rank").asInt()).isEqualTo(1);
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("<svg").contains("In-sample vs out-of-sample").contains("Parameter sensitivity")
                .doesNotContain("http://", "https://", "<script");
        // best.yaml is a complete config replay takes, with the winning values in it
        Path best = out.resolve("best.yaml");
        AquatradeConfig c = AquatradeConfig.load(best, List.of());
        String sim = json.get("leaderboard").get(0).get("params").get("strategy.min_similarity").asText();
        assertThat(c.decimal("strategy.min_similarity")).isEqualByComparingTo(sim);
        RunOptions opts = new RunOptions();
        opts.rules = Path.of("rules");
        opts.config = best;
        opts.overrides.addAll(isolated(List.of()));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        ReplaySetup.Outcome o = new ReplaySetup(opts, List.of()).run(List.of(data), Set.of(), DemoCommand.TRADING_DAY,
                DemoCommand.TRADING_DAY, tmp.resolve("best-replay"), 0, "127.0.0.1", null, quiet, false, null);
        assertThat(o.summary().get("config").toString()).contains("strategy.min_similarity=" + sim);
    }
}
