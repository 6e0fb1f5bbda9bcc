package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.market.MarketData;
import io.aquatrade.market.MarketEventReader;
import io.aquatrade.market.ReadOptions;
import io.aquatrade.model.Candle;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.model.QuoteTick;
import io.aquatrade.model.TradeTick;
import io.aquatrade.rules.ReloadOutcome;
import io.aquatrade.rules.ReloadResult;
import io.aquatrade.rules.RuleSetCompiler;
import io.aquatrade.rules.RulesStatus;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Not a test: measures hot reload the way issue 3 asks, on the bundled real data (13 pairs, 8 days, replayed in
 * laps shifted by 8 days so the replay lasts as long as the reloads).
 * <ol>
 *   <li>N reloads (default 100) under a full-speed replay: events read vs events processed (lost or doubled),
 *       the pause each swap held the pipeline, compile times;</li>
 *   <li>saves of a rule file with the watcher on: wall time from the save to the first decision by the new rules;</li>
 *   <li>heap, metaspace and classes before and after N more reloads (after full GCs).</li>
 * </ol>
 * Run: {@code mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt && java -Xmx1g
 * -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) io.aquatrade.app.RulesReloadBenchmark 100 20}
 */
public final class RulesReloadBenchmark {

    private static final long DAY = 86_400_000L;

    public static void main(String[] args) throws Exception {
        int reloads = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int saves = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        List<MarketEvent> data = new ArrayList<>();
        try (MarketEventReader r = MarketData.openAll(MarketData.discover(List.of(DemoCommand.extractDemoData())).files(),
                ReadOptions.defaults())) {
            r.forEachRemaining(data::add);
        }
        long start = Math.floorDiv(data.get(0).timeMs(), DAY) * DAY;
        long lapMs = (Math.floorDiv(data.get(data.size() - 1).timeMs(), DAY) + 1) * DAY - start;
        long fromMs = start + 7 * DAY;
        System.out.printf(Locale.ROOT, "data: %,d events, %d days per lap; cores %d%n", data.size(), lapMs / DAY,
                Runtime.getRuntime().availableProcessors());

        Path work = Files.createTempDirectory("rules-bench-");
        Path a = work.resolve("a");
        Path b = work.resolve("b");
        Path live = work.resolve("rules");
        copy(Path.of("rules"), a);
        copy(Path.of("rules"), b);
        Path entries = b.resolve("entries.drl");
        Files.writeString(entries, Files.readString(entries).replace("rule \"entry-echo-up\"", "rule \"entry-echo-up-b\"")
                .replace("similarity >= params.minSimilarity,", "similarity >= params.minSimilarity + 0.03,"));
        copy(a, live);
        ExchangeInfo info = ExchangeInfo.loadDefault();

        // ---------------------------------------------------------------- 1. reloads under a full-speed replay
        System.out.println();
        System.out.println("1. " + reloads + " reloads under a full-speed replay (reload requests, no watcher)");
        try (TradingRun run = new TradingRun("replay", config("rules.watch=false"), info,
                new RuleSetCompiler().compile(live), fromMs, "bench-")) {
            Laps laps = new Laps(data, lapMs);
            List<long[]> swaps = new CopyOnWriteArrayList<>();
            run.rulesService.addSwapListener((r, p) -> swaps.add(new long[] {run.stats.events, r.swapPauseMicros()}));
            CompletableFuture<Void> done = run.replay(laps, 0, fromMs, fromMs, null);
            while (!"trading".equals(run.phase())) {
                Thread.sleep(2);
            }
            long[] compile = new long[reloads];
            int failed = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < reloads; i++) {
                copy(i % 2 == 0 ? b : a, live);
                ReloadResult r = run.rulesService.requestReload("bench " + i).get(2, TimeUnit.MINUTES);
                if (r.outcome() != ReloadOutcome.SUCCESS) {
                    failed++;
                    System.out.println("  reload " + i + ": " + r.outcome() + " " + r.errors());
                }
                compile[i] = r.compileMillis();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            laps.stop();
            done.get(5, TimeUnit.MINUTES);
            long read = laps.produced();
            long processed = run.stats.events;
            long[] pauses = swaps.stream().mapToLong(s -> s[1]).sorted().toArray();
            System.out.printf(Locale.ROOT, "  %d reloads in %.1f s, %d refused; %d swaps seen by the pipeline%n",
                    reloads, seconds, failed, swaps.size());
            System.out.printf(Locale.ROOT, "  events read %,d, processed %,d: %s%n", read, processed,
                    read == processed ? "none lost, none doubled" : "MISMATCH " + (processed - read));
            System.out.printf(Locale.ROOT, "  fills %,d (reasons: %s)%n", run.recorder.fills().size(),
                    run.recorder.fills().stream().map(f -> f.reason()).distinct().sorted().toList());
            System.out.println("  swap pause (pipeline held), us: " + percentiles(pauses));
            System.out.println("  compile + verify, ms:          " + percentiles(Arrays.stream(compile).sorted().toArray()));
        }

        // ---------------------------------------------------------------- 2. save -> new rules deciding
        System.out.println();
        System.out.println("2. " + saves + " saves of rules/entries.drl with the watcher on (settle "
                + AquatradeConfig.defaults().integer(io.aquatrade.config.ConfigKeys.RULES_RELOAD_SETTLE_MS)
                + " ms), full-speed replay deciding");
        copy(a, live);
        try (TradingRun run = new TradingRun("replay", config("rules.watch=true"), info,
                new RuleSetCompiler().compile(live), fromMs, "bench-")) {
            Laps laps = new Laps(data, lapMs);
            CompletableFuture<Void> done = run.replay(laps, 0, fromMs, fromMs, null);
            while (!"trading".equals(run.phase())) {
                Thread.sleep(2);
            }
            long[] latency = new long[saves];
            long[] compile = new long[saves];
            for (int i = 0; i < saves; i++) {
                String before = run.rulesService.activeVersion();
                Path src = (i % 2 == 0 ? b : a).resolve("entries.drl");
                Path tmp = live.resolve(".entries.drl.tmp");
                Files.copy(src, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, live.resolve("entries.drl"), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
                long saved = System.currentTimeMillis();
                RulesStatus st;
                long deadline = saved + 30_000;
                do {
                    Thread.sleep(1);
                    st = run.rulesService.status();
                } while ((st.version().equals(before) || st.firstDecisionAtMs() == 0) && System.currentTimeMillis() < deadline);
                latency[i] = st.firstDecisionAtMs() - saved;
                compile[i] = st.compileMillis();
                Thread.sleep(300);
            }
            laps.stop();
            done.get(5, TimeUnit.MINUTES);
            System.out.println("  save -> first decision by the new rules, ms: " + percentiles(Arrays.stream(latency).sorted().toArray()));
            System.out.println("  of which compile + verify, ms:              " + percentiles(Arrays.stream(compile).sorted().toArray()));

            // ------------------------------------------------------------ 3. memory across reloads
            System.out.println();
            System.out.println("3. heap, metaspace and classes across " + reloads + " more reloads (after full GCs)");
            for (int i = 0; i < 4; i++) { // warm-up
                copy(i % 2 == 0 ? b : a, live);
                run.rulesService.requestReload("warm-up").get();
            }
            Memory before = Memory.now();
            for (int i = 0; i < reloads; i++) {
                copy(i % 2 == 0 ? b : a, live);
                run.rulesService.requestReload("memory " + i).get();
            }
            Memory after = Memory.now();
            System.out.println("  before: " + before);
            System.out.println("  after:  " + after);
        }
        System.exit(0);
    }

    private static AquatradeConfig config(String watch) {
        return AquatradeConfig.load(null, List.of(watch, "state.cluster_name=rules-bench-" + UUID.randomUUID()));
    }

    private static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".drl")).toList()) {
                Path t = to.resolve("." + f.getFileName() + ".tmp");
                Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
                Files.move(t, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    private static String percentiles(long[] sorted) {
        if (sorted.length == 0) {
            return "(none)";
        }
        return String.format(Locale.ROOT, "min %d, p50 %d, p95 %d, p99 %d, max %d (n=%d)", sorted[0],
                sorted[sorted.length / 2], sorted[(int) Math.min(sorted.length - 1, Math.round(sorted.length * 0.95))],
                sorted[(int) Math.min(sorted.length - 1, Math.round(sorted.length * 0.99))], sorted[sorted.length - 1],
                sorted.length);
    }

    /** The data again and again, each lap shifted later by the data's length, until stopped. */
    private static final class Laps implements Iterator<MarketEvent> {
        private final List<MarketEvent> data;
        private final long lapMs;
        private volatile boolean stopped;
        private int index;
        private long lap;
        private long produced;

        Laps(List<MarketEvent> data, long lapMs) {
            this.data = data;
            this.lapMs = lapMs;
        }

        void stop() {
            stopped = true;
        }

        long produced() {
            return produced;
        }

        @Override
        public boolean hasNext() {
            return !stopped;
        }

        @Override
        public MarketEvent next() {
            if (stopped) {
                throw new NoSuchElementException();
            }
            if (index == data.size()) {
                index = 0;
                lap++;
            }
            MarketEvent e = data.get(index++);
            produced++;
            return lap == 0 ? e : shift(e, lap * lapMs);
        }

        private static MarketEvent shift(MarketEvent e, long off) {
            if (e instanceof Candle c) {
                return new Candle(c.symbol(), c.openTimeMs() + off, c.intervalMs(), c.openE8(), c.highE8(), c.lowE8(),
                        c.closeE8(), c.volumeE8(), c.closed(), c.timeMs() + off);
            }
            if (e instanceof TradeTick t) {
                return new TradeTick(t.symbol(), t.timeMs() + off, t.priceE8(), t.qtyE8(), t.buyerMaker());
            }
            QuoteTick q = (QuoteTick) e;
            return new QuoteTick(q.symbol(), q.timeMs() + off, q.bidE8(), q.bidQtyE8(), q.askE8(), q.askQtyE8());
        }
    }

    private record Memory(long heapUsed, long metaspaceUsed, long classesLoaded, long classesUnloaded) {

        static Memory now() throws InterruptedException {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(200);
            }
            long meta = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getName().equals("Metaspace")) {
                    meta = p.getUsage().getUsed();
                }
            }
            ClassLoadingMXBean cl = ManagementFactory.getClassLoadingMXBean();
            return new Memory(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), meta,
                    cl.getLoadedClassCount(), cl.getUnloadedClassCount());
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "heap used %.1f MB, metaspace %.1f MB, classes loaded %,d (unloaded so far %,d)",
                    heapUsed / 1e6, metaspaceUsed / 1e6, classesLoaded, classesUnloaded);
        }
    }
}
