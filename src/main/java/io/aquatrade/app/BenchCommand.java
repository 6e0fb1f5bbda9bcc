package io.aquatrade.app;

import io.aquatrade.market.MarketData;
import io.aquatrade.market.MarketEventReader;
import io.aquatrade.market.QuoteClock;
import io.aquatrade.market.ReadOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code bench}: replay throughput of the whole pipeline against merely parsing the same files, in
 * the same JVM, plus the peak heap. The figures the README quotes come from this command.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure replay throughput: parse-only vs. the whole pipeline on the same files, and peak heap.",
                "Run with e.g. java -Xmx512m -jar target/aquatrade.jar bench --data DIR to check a heap budget."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, arity = "1..*", paramLabel = "PATH", description = "Data files or directories.")
    List<Path> data = new ArrayList<>();

    @Option(names = "--from", paramLabel = "DATE", description = "First UTC day traded (default: 7 days after the data starts).")
    LocalDate from;

    @Option(names = "--rounds", defaultValue = "3", paramLabel = "N",
            description = "Rounds of each measurement; the best is reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", defaultValue = "1", paramLabel = "N",
            description = "Unmeasured rounds of each measurement first, so both are timed warm (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Mixin
    RunOptions run = new RunOptions();

    /** Reads every event of the files, as the replay's reader does, and counts them. */
    private static long parseOnly(MarketData.Discovery found) throws java.io.IOException {
        try (MarketEventReader reader = MarketData.openAll(found.files(),
                ReadOptions.defaults().withQuoteClock(QuoteClock.EXCHANGE_ESTIMATE))) {
            long n = 0;
            while (reader.next() != null) {
                n++;
            }
            return n;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must be at least 0, got " + warmup);
        }
        ReplaySetup setup = new ReplaySetup(run, List.of("state.publish_interval_ms=1000"));
        MarketData.Discovery found = MarketData.discover(data);
        double bestParse = Double.MAX_VALUE;
        double bestReplay = Double.MAX_VALUE;
        double bestPipeline = Double.MAX_VALUE;
        long events = 0;
        Map<String, Object> last = null;
        // Both measurements get the same warm-up and alternate round by round, so neither is timed on a
        // colder JIT or a quieter machine than the other: the ratio compares like with like.
        for (int r = -warmup; r < rounds; r++) {
            String label = r < 0 ? "warm-up " : "round " + (r + 1);
            long t0 = System.nanoTime();
            events = parseOnly(found);
            double s = (System.nanoTime() - t0) / 1e9;
            if (r >= 0) {
                bestParse = Math.min(bestParse, s);
            }
            System.out.printf(Locale.ROOT, "parse    %s: %,d events in %.3f s (%,.0f events/s)%n", label, events, s,
                    events / s);
            Path out = ScratchDir.create("aquatrade-bench");
            long t1 = System.nanoTime();
            PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            ReplaySetup.Outcome o = setup.run(data, Set.of(), from, null, out, 0, "127.0.0.1", null, quiet, false, null);
            double w = (System.nanoTime() - t1) / 1e9;
            last = o.summary();
            @SuppressWarnings("unchecked")
            double p = ((Number) ((Map<String, Object>) last.get("performance")).get("replay_seconds")).doubleValue();
            if (r >= 0) {
                bestReplay = Math.min(bestReplay, w);
                bestPipeline = Math.min(bestPipeline, p);
            }
            System.out.printf(Locale.ROOT, "pipeline %s: %,d events in %.3f s (%,.0f events/s); with start-up %.3f s; %s fills%n",
                    label, events, p, events / p, w, last.get("trades"));
        }
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "events                 %,d%n", events);
        System.out.printf(Locale.ROOT, "parse only (best)      %.3f s  %,.0f events/s%n", bestParse, events / bestParse);
        System.out.printf(Locale.ROOT, "whole pipeline (best)  %.3f s  %,.0f events/s  (reading, state, echo, rules, execution, report)%n",
                bestPipeline, events / bestPipeline);
        System.out.printf(Locale.ROOT, "with start-up (best)   %.3f s  (plus compiling rules, starting Hazelcast and Vert.x, writing the report)%n",
                bestReplay);
        System.out.printf(Locale.ROOT, "pipeline / parse time  %.2f x%n", bestPipeline / bestParse);
        System.out.printf(Locale.ROOT, "peak heap used         %,d MB (max heap %,d MB)%n", peakHeap >> 20,
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf(Locale.ROOT, "trades per day         %s%n", last == null ? "-" : last.get("trades_per_day"));
        measureHazelcast(setup);
        return 0;
    }

    /**
     * Why state is aggregated locally: one Hazelcast write per tick against one batched putAll per
     * publication, on the embedded member the bot uses.
     */
    private static void measureHazelcast(ReplaySetup setup) {
        com.hazelcast.core.HazelcastInstance hz = io.aquatrade.state.HazelcastNode.startStandalone("bench", 5901);
        try {
            com.hazelcast.map.IMap<String, io.aquatrade.state.SymbolStateView> map =
                    hz.getMap(io.aquatrade.state.HazelcastNode.SYMBOL_STATE_MAP);
            io.aquatrade.state.SymbolState state = new io.aquatrade.state.SymbolState("BTCUSDT", 120);
            for (int m = 0; m < 90; m++) {
                state.onEvent(io.aquatrade.model.Candle.closedMinute("BTCUSDT", m * 60_000L, 1, 1, 1, 1, 1));
            }
            String[] symbols = new String[20];
            for (int i = 0; i < symbols.length; i++) {
                symbols[i] = "SYM" + i + "USDT";
            }
            int n = 20_000;
            for (int round = 0; round < 2; round++) { // the first round warms up
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    map.set(symbols[i % symbols.length], state.view(i));
                }
                double perTick = (System.nanoTime() - t0) / 1e9;
                long t1 = System.nanoTime();
                for (int i = 0; i < n / symbols.length; i++) {
                    java.util.Map<String, io.aquatrade.state.SymbolStateView> batch = new java.util.HashMap<>();
                    for (String sym : symbols) {
                        batch.put(sym, state.view(i));
                    }
                    map.putAll(batch);
                }
                double batched = (System.nanoTime() - t1) / 1e9;
                if (round == 1) {
                    System.out.printf(Locale.ROOT, "hazelcast: one set per update      %,.0f updates/s%n", n / perTick);
                    System.out.printf(Locale.ROOT, "hazelcast: putAll of %d symbols     %,.0f updates/s (%,.0f batches/s)%n",
                            symbols.length, n / batched, n / symbols.length / batched);
                }
            }
        } finally {
            hz.shutdown();
        }
    }
}
