package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.market.MarketData;
import io.aquatrade.market.MarketEventReader;
import io.aquatrade.market.ReadOptions;
import io.aquatrade.model.Fill;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.rules.CompiledRuleSet;
import io.aquatrade.rules.ReloadOutcome;
import io.aquatrade.rules.ReloadResult;
import io.aquatrade.rules.RuleSetCompiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hot reloads under a full-speed replay of the bundled real data (13 pairs, 2023-04-12..19): rule sets swapped
 * in through the reload machinery (compiled off the pipeline, swapped on it between two batches of events) lose
 * or double no event, and the run trades exactly like a run that swapped to the same rules at the same points of
 * the event stream synchronously.
 */
class HotReloadReplayTest {

    private static final LocalDate FROM = LocalDate.of(2023, 4, 17);
    private static final int MAX_RELOADS = 12;

    private static List<MarketEvent> events;

    @TempDir
    Path tmp;

    @BeforeAll
    static void readTheBundledData() throws IOException {
        Path data = DemoCommand.extractDemoData();
        List<MarketEvent> all = new ArrayList<>();
        try (MarketEventReader reader = MarketData.openAll(MarketData.discover(List.of(data)).files(),
                ReadOptions.defaults())) {
            reader.forEachRemaining(all::add);
        }
        events = List.copyOf(all);
    }

    /** A swap seen by the pipeline: how many events and decision rounds it had done, and which variant went live. */
    private record Swap(long eventsBefore, long roundsBefore, String variant) {
    }

    private static void copyRules(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".drl")).toList()) {
                // Through a temporary file and a rename, as editors save.
                Path t = to.resolve("." + f.getFileName() + ".tmp");
                Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
                Files.move(t, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    private AquatradeConfig config() {
        return AquatradeConfig.load(null, List.of("rules.watch=false",
                "state.cluster_name=hot-reload-test-" + UUID.randomUUID()));
    }

    private static long fromMs() {
        return FROM.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    @Test
    void reloadsUnderAFullSpeedReplayLoseNothingAndTradeLikeASynchronousSwapAtTheSamePoints() throws Exception {
        // Variant A: the shipped rules. Variant B: a stricter entry under another name, so fills show which decided.
        Path a = tmp.resolve("a");
        copyRules(Path.of("rules"), a);
        Path b = tmp.resolve("b");
        copyRules(Path.of("rules"), b);
        Path entries = b.resolve("entries.drl");
        String text = Files.readString(entries);
        assertThat(text).contains("rule \"entry-echo-up\"").contains("similarity >= params.minSimilarity,");
        Files.writeString(entries, text.replace("rule \"entry-echo-up\"", "rule \"entry-echo-up-b\"")
                .replace("similarity >= params.minSimilarity,", "similarity >= params.minSimilarity + 0.03,"));
        Path live = tmp.resolve("rules");
        copyRules(a, live);

        ExchangeInfo info = ExchangeInfo.loadDefault();
        long fromMs = fromMs();

        // Run 1: replay at full speed while another thread edits the live rules and asks for reloads.
        List<Swap> swaps = new CopyOnWriteArrayList<>();
        List<Fill> fills1;
        long events1;
        long rounds1;
        try (TradingRun run = new TradingRun("replay", config(), info, new RuleSetCompiler().compile(live), fromMs,
                ReplaySetup.idPrefix(fromMs))) {
            String[] variant = {"a"};
            run.rulesService.addSwapListener((r, p) -> swaps.add(new Swap(run.stats.events,
                    run.stats.decisionRounds, variant[0])));
            // Paced at 20,000x real time (the three trading days take about 13 s): fast, yet long enough for
            // every reload below to land while trading on any machine. RulesReloadBenchmark measures full speed.
            CompletableFuture<Void> done = run.replay(events.iterator(), 20_000, fromMs, fromMs, null);
            Random random = new Random(42);
            while (!done.isDone() && !"trading".equals(run.phase())) {
                Thread.sleep(5);
            }
            for (int i = 0; i < MAX_RELOADS && !done.isDone(); i++) {
                String next = i % 2 == 0 ? "b" : "a";
                copyRules(next.equals("b") ? b : a, live);
                variant[0] = next;
                ReloadResult r = run.rulesService.requestReload("test reload " + i).get(60, TimeUnit.SECONDS);
                assertThat(r.outcome()).as(r.errors().toString()).isEqualTo(ReloadOutcome.SUCCESS);
                Thread.sleep(20 + random.nextInt(60));
            }
            done.get(5, TimeUnit.MINUTES);
            fills1 = List.copyOf(run.recorder.fills());
            events1 = run.stats.events;
            rounds1 = run.stats.decisionRounds;
        }
        assertThat(swaps).as("reloads that landed while trading").hasSizeGreaterThanOrEqualTo(3);
        assertThat(events1).as("events processed = events read").isEqualTo(events.size());

        // Run 2: the same events, the same swaps at the same points of the stream, done synchronously.
        CompiledRuleSet setA = new RuleSetCompiler().compile(a);
        CompiledRuleSet setB = new RuleSetCompiler().compile(b);
        List<Fill> fills2;
        long events2;
        long rounds2;
        try (TradingRun run = new TradingRun("replay", config(), info, new RuleSetCompiler().compile(a), fromMs,
                ReplaySetup.idPrefix(fromMs))) {
            Executor pipeline = run.pipelineExecutor();
            int[] nextSwap = {0};
            int batch = 2048;
            List<CompletableFuture<Void>> tasks = new ArrayList<>();
            for (int start = 0; start < events.size(); start += batch) {
                List<MarketEvent> chunk = events.subList(start, Math.min(events.size(), start + batch));
                tasks.add(CompletableFuture.runAsync(() -> {
                    for (MarketEvent e : chunk) {
                        while (nextSwap[0] < swaps.size() && run.stats.events == swaps.get(nextSwap[0]).eventsBefore()) {
                            run.rules.swap(swaps.get(nextSwap[0]).variant().equals("b") ? setB : setA);
                            nextSwap[0]++;
                        }
                        run.pipeline.onEvent(e);
                    }
                }, pipeline));
            }
            CompletableFuture.runAsync(() -> {
                // Swaps after the last event: those run 1 made before its final flush decided, made before it here.
                while (nextSwap[0] < swaps.size() && swaps.get(nextSwap[0]).roundsBefore() == run.stats.decisionRounds) {
                    run.rules.swap(swaps.get(nextSwap[0]).variant().equals("b") ? setB : setA);
                    nextSwap[0]++;
                }
                run.pipeline.flush();
                nextSwap[0] = swaps.size(); // any later swap came after the last decision: it cannot change a trade
            }, pipeline).get(5, TimeUnit.MINUTES);
            CompletableFuture.allOf(tasks.toArray(new CompletableFuture[0])).get();
            assertThat(nextSwap[0]).as("every swap of run 1 was replayed").isEqualTo(swaps.size());
            fills2 = List.copyOf(run.recorder.fills());
            events2 = run.stats.events;
            rounds2 = run.stats.decisionRounds;
        }

        assertThat(events2).isEqualTo(events.size());
        assertThat(rounds1).as("decision rounds").isEqualTo(rounds2);
        assertThat(fills1).as("both variants traded").extracting(Fill::reason)
                .contains("entry-echo-up", "entry-echo-up-b");
        assertThat(fills1).as("trades identical to the run that swapped at the same instants").isEqualTo(fills2);
    }
}
