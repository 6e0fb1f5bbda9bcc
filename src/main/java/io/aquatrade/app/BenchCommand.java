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
 * the same JVM, plus the heap left in use after collections. The figures the README quotes come from this command.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure replay throughput: parse-only vs. the whole pipeline on the same files, and the heap in use after GC.",
                "%nRun with e.g. java -Xmx512m -jar target/aquatrade.jar bench --data DIR to check a heap budget."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, arity = "1..*", paramLabel = "PATH", description = "Data files or directories.")
    List<Path> data = new ArrayList<>();

    @Option(names = "--from", paramLabel = "DATE", description = "First UTC day traded (default: 7 days after the data starts).")
    LocalDate from;

    @Option(names = "--rounds", defaultValue = "5", paramLabel = "N",
            description = "Rounds of each measurement; the best is reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", paramLabel = "N",
            description = {"Unmeasured rounds of each measurement first, so both are timed warm (default: until the "
                    + "pipeline's round time has not improved by " + WARM_GAIN_PCT + " %% for " + WARM_PATIENCE
                    + " rounds, at least " + MIN_AUTO_WARMUP + " and at most " + MAX_AUTO_WARMUP + ": the JIT keeps compiling the rules' code for several "
                    + "rounds, long after parsing is warm)."})
    Integer warmup;

    /** Automatic warm-up: stop once the pipeline has not improved by this much ... */
    static final int WARM_GAIN_PCT = 3;
    /** ... for this many rounds in a row ... */
    static final int WARM_PATIENCE = 3;
    /** ... but never before this many rounds (a noisy machine can hide the JIT's gains for a few rounds) ... */
    static final int MIN_AUTO_WARMUP = 6;
    /** ... and at most this many rounds. */
    static final int MAX_AUTO_WARMUP = 20;

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
        if (warmup != null && warmup < 0) {
            throw new IllegalArgumentException("--warmup must be at least 0, got " + warmup);
        }
        ConsoleLog.forInteractiveRun(run.verbose);
        ReplaySetup setup = new ReplaySetup(run, List.of("state.publish_interval_ms=1000"));
        MarketData.Discovery found = MarketData.discover(data);
        // Both measurements get the same warm-up and alternate round by round, so neither is timed on a
        // colder JIT or a quieter machine than the other: the ratio compares like with like.
        HeapAfterGc heapAfterGc = new HeapAfterGc();
        WarmUp warm = new WarmUp(warmup);
        while (warm.more()) {
            warm.record(round(setup, found, "warm-up " + (warm.rounds() + 1)).pipelineSeconds());
        }
        double bestParse = Double.MAX_VALUE;
        double bestReplay = Double.MAX_VALUE;
        double bestPipeline = Double.MAX_VALUE;
        Round last = null;
        for (int r = 0; r < rounds; r++) {
            last = round(setup, found, "round " + (r + 1));
            bestParse = Math.min(bestParse, last.parseSeconds());
            bestPipeline = Math.min(bestPipeline, last.pipelineSeconds());
            bestReplay = Math.min(bestReplay, last.wallSeconds());
        }
        long events = last.events();
        Map<String, Object> summary = last.summary();
        System.out.println();
        System.out.printf(Locale.ROOT, "warm-up rounds         %d%s%n", warm.rounds(), warm.why());
        System.out.printf(Locale.ROOT, "events                 %,d%n", events);
        System.out.printf(Locale.ROOT, "parse only (best)      %.3f s  %,.0f events/s%n", bestParse, events / bestParse);
        System.out.printf(Locale.ROOT, "whole pipeline (best)  %.3f s  %,.0f events/s  (reading, state, echo, rules, execution, report)%n",
                bestPipeline, events / bestPipeline);
        System.out.printf(Locale.ROOT, "with start-up (best)   %.3f s  (plus compiling rules, starting Hazelcast and Vert.x, writing the report)%n",
                bestReplay);
        System.out.printf(Locale.ROOT, "pipeline / parse time  %.2f x%n", bestPipeline / bestParse);
        System.out.printf(Locale.ROOT, "heap after GC (max)    %,d MB (max heap %,d MB; the most any collection left in use)%n",
                heapAfterGc.max() >> 20, Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf(Locale.ROOT, "trades per day         %s%n", summary.get("trades_per_day"));
        measureHazelcast(setup);
        return 0;
    }

    /**
     * The largest heap in use right after a collection, over the whole run: an upper bound of what the runs keep live
     * (old garbage stays until a mixed or full collection). The pools' peak usages, summed, count young garbage at
     * different moments and can pass the maximum heap.
     */
    static final class HeapAfterGc {
        private final java.util.concurrent.atomic.AtomicLong max = new java.util.concurrent.atomic.AtomicLong();

        HeapAfterGc() {
            java.util.Set<String> heapPools = new java.util.HashSet<>();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    heapPools.add(pool.getName());
                }
            }
            for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof javax.management.NotificationEmitter emitter) {
                    emitter.addNotificationListener((n, handback) -> {
                        if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                            return;
                        }
                        var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                                (javax.management.openmbean.CompositeData) n.getUserData());
                        long used = 0;
                        for (var pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                            if (heapPools.contains(pool.getKey())) {
                                used += pool.getValue().getUsed();
                            }
                        }
                        max.accumulateAndGet(used, Math::max);
                    }, null, null);
                }
            }
        }

        /** Bytes; before any collection, the heap in use now. */
        long max() {
            return Math.max(max.get(), ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
    }

    /** When the warm-up is over: after a fixed number of rounds, or once the pipeline's round time stops improving. */
    static final class WarmUp {
        private final Integer fixed;
        private double best = Double.MAX_VALUE;
        private int rounds;
        private int notBetter;

        /** @param fixed rounds to run, or null: until the pipeline stops improving */
        WarmUp(Integer fixed) {
            this.fixed = fixed;
        }

        boolean more() {
            return fixed != null ? rounds < fixed
                    : rounds < MIN_AUTO_WARMUP || (rounds < MAX_AUTO_WARMUP && notBetter < WARM_PATIENCE);
        }

        void record(double pipelineSeconds) {
            rounds++;
            if (pipelineSeconds < best * (1 - WARM_GAIN_PCT / 100.0)) {
                best = pipelineSeconds;
                notBetter = 0;
            } else {
                notBetter++;
            }
        }

        int rounds() {
            return rounds;
        }

        String why() {
            if (fixed != null) {
                return " (--warmup)";
            }
            return notBetter >= WARM_PATIENCE ? " (until the pipeline stopped improving)"
                    : " (the most: the pipeline was still improving)";
        }
    }

    /** One round: parse only, then the whole replay. */
    private record Round(long events, double parseSeconds, double pipelineSeconds, double wallSeconds,
                         Map<String, Object> summary) {
    }

    private Round round(ReplaySetup setup, MarketData.Discovery found, String label) throws Exception {
        long t0 = System.nanoTime();
        long events = parseOnly(found);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "parse    %s: %,d events in %.3f s (%,.0f events/s)%n", label, events, s, events / s);
        Path out = ScratchDir.create("aquatrade-bench");
        long t1 = System.nanoTime();
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        ReplaySetup.Outcome o = setup.run(data, Set.of(), from, null, out, 0, "127.0.0.1", null, quiet, false, null);
        double w = (System.nanoTime() - t1) / 1e9;
        Map<String, Object> summary = o.summary();
        @SuppressWarnings("unchecked")
        double p = ((Number) ((Map<String, Object>) summary.get("performance")).get("replay_seconds")).doubleValue();
        System.out.printf(Locale.ROOT, "pipeline %s: %,d events in %.3f s (%,.0f events/s); with start-up %.3f s; %s fills%n",
                label, events, p, events / p, w, summary.get("trades"));
        return new Round(events, s, p, w, summary);
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
