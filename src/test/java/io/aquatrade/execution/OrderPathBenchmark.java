package io.aquatrade.execution;

import io.aquatrade.exchange.AssetBalance;
import io.aquatrade.exchange.ExchangeAdapter;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.exchange.ExecutionListener;
import io.aquatrade.exchange.OrderReport;
import io.aquatrade.exchange.OrderRequest;
import io.aquatrade.journal.Journal;
import io.aquatrade.model.Fill;
import io.aquatrade.model.OrderIntent;
import io.aquatrade.portfolio.Portfolio;
import org.HdrHistogram.Histogram;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark (not a test): intent → request on the wire, in process, through the real execution
 * service and order manager, with and without the journal, measured with HdrHistogram:
 * <ul>
 *   <li>{@code baseline}: no journal (orders tracked in memory only);</li>
 *   <li>{@code immediate}: the request row is queued to the journal and the order leaves at once
 *       (the policy of a simulated venue inside the process);</li>
 *   <li>{@code written}: the request row is committed into the journal on the pipeline's thread (in the WAL,
 *       in process: it survives kill -9) and the order leaves right after; the writer fsyncs it in its next
 *       group commit — the policy for Binance ({@code AFTER_WRITE});</li>
 *   <li>{@code written, burst of 10}: ten entries in one decision round;</li>
 *   <li>{@code durable}: the order leaves only once its row is fsynced (one fsync per group commit; the
 *       policy before {@code AFTER_WRITE});</li>
 *   <li>{@code durable burst 10}: ten entries in one decision round share group commits;</li>
 *   <li>{@code commit}: one row per transaction, each waited for: the fsync cost itself.</li>
 * </ul>
 * The "wire" is an adapter that stamps the time {@code submit} is called and answers with a rejection,
 * so nothing accumulates between iterations.
 *
 * <pre>
 * mvn -B -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * nice -n 10 java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.aquatrade.execution.OrderPathBenchmark [DIR] [N] [GAP_MS]
 * </pre>
 * For {@code written} it also prints how long a row stayed written but not yet fsynced (what a power cut could
 * lose, and recovery adopts by its run prefix).
 */
public final class OrderPathBenchmark {

    private static final ExchangeInfo INFO = ExchangeInfo.loadDefault();
    /**
     * Pause between decision rounds: 2 ms is 500 orders/s (50x what Binance's 100 per 10 s allows), so the
     * journal's writer keeps up as it does in a run; 0 sends back to back (the writer then falls behind).
     */
    static int gapMs = 2;

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("aquatrade-bench-journal");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        gapMs = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Files.createDirectories(dir);
        System.out.printf(Locale.ROOT, "journal in %s, %d orders per case, a decision round every %d ms%n", dir, n, gapMs);
        Histogram base = run(null, null, n, 1);
        Histogram immediate = run(dir.resolve("immediate.db"), OrderManager.SendPolicy.IMMEDIATE, n, 1);
        Histogram written = run(dir.resolve("written.db"), OrderManager.SendPolicy.AFTER_WRITE, n, 1);
        Histogram writtenBurst = run(dir.resolve("written-burst.db"), OrderManager.SendPolicy.AFTER_WRITE, n, 10);
        Histogram durable = run(dir.resolve("durable.db"), OrderManager.SendPolicy.AFTER_DURABLE, n, 1);
        Histogram burst = run(dir.resolve("burst.db"), OrderManager.SendPolicy.AFTER_DURABLE, n, 10);
        Histogram commit = commits(dir.resolve("commit.db"), n);
        print("baseline (no journal)", base, base);
        print("immediate (row queued)", immediate, base);
        print("written (row in WAL)", written, base);
        print("written, burst of 10", writtenBurst, base);
        print("durable (row committed)", durable, base);
        print("durable, burst of 10", burst, base);
        print("commit alone (fsync)", commit, base);
    }

    private static void print(String name, Histogram h, Histogram base) {
        System.out.printf(Locale.ROOT, "%-26s p50 %8.1f us  p99 %8.1f us  p99.9 %8.1f us  max %8.1f us  p99 x%.1f baseline%n",
                name, h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3,
                h.getValueAtPercentile(99) / (double) Math.max(1, base.getValueAtPercentile(99)));
    }

    /** The wire: stamps the submit and rejects, so each iteration starts from the same state. */
    static final class Wire implements ExchangeAdapter {
        final Map<String, Long> sentAt = new ConcurrentHashMap<>();
        ExecutionListener listener;
        volatile CountDownLatch expected;

        @Override public String name() { return "wire"; }
        @Override public void setListener(ExecutionListener l) { listener = l; }

        @Override
        public void submit(OrderRequest order) {
            sentAt.put(order.clientOrderId(), System.nanoTime());
            listener.onRejected(order, -2010, "benchmark: not traded");
            expected.countDown();
        }

        @Override public CompletionStage<OrderReport> cancel(String s, String id) { return CompletableFuture.failedFuture(new UnsupportedOperationException()); }
        @Override public CompletionStage<Optional<OrderReport>> queryOrder(String s, String id) { return CompletableFuture.completedFuture(Optional.empty()); }
        @Override public CompletionStage<List<OrderReport>> openOrders(String s) { return CompletableFuture.completedFuture(List.of()); }
        @Override public CompletionStage<Map<String, AssetBalance>> balances() { return CompletableFuture.completedFuture(Map.of()); }
        @Override public Map<String, AssetBalance> lastKnownBalances() { return Map.of(); }
        @Override public CompletionStage<List<Fill>> tradesSince(String s, long a) { return CompletableFuture.completedFuture(List.of()); }
        @Override public CompletionStage<List<Fill>> orderTrades(String s, String id, long o) { return CompletableFuture.completedFuture(List.of()); }
        // the benchmark's wire sends MARKET orders only
        @Override public CompletionStage<OrderReport> placeLimit(String id, String s, io.aquatrade.model.Side side,
                java.math.BigDecimal qty, java.math.BigDecimal price, String tif, String reason) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("resting orders"));
        }
        @Override public CompletionStage<OrderReport> placeStopLossLimit(String id, String s, io.aquatrade.model.Side side,
                java.math.BigDecimal qty, java.math.BigDecimal stop, java.math.BigDecimal limit, String reason) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("resting orders"));
        }
        @Override public CompletionStage<io.aquatrade.exchange.OrderList> placeOco(String list, String tp, String sl,
                String s, java.math.BigDecimal qty, java.math.BigDecimal tpPrice, java.math.BigDecimal stop,
                java.math.BigDecimal stopLimit, String reason) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("resting orders"));
        }
        @Override public CompletionStage<io.aquatrade.exchange.OrderList> cancelOrderList(String s, String list) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("resting orders"));
        }
    }

    static Histogram run(Path journalFile, OrderManager.SendPolicy policy, int n, int burst) throws Exception {
        ExecutorService pipeline = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pipeline");
            t.setDaemon(true);
            return t;
        });
        ExchangeSymbolRules rules = new ExchangeSymbolRules(INFO);
        Portfolio portfolio = new Portfolio("USDT", new BigDecimal("1000000"), BigDecimal.ONE, BigDecimal.ONE,
                rules::baseAsset, rules::isDust);
        ExecutionService s = new ExecutionService(portfolio, rules, new HardLimits(new BigDecimal("250"),
                new BigDecimal("250"), 1000, new BigDecimal("1000000"), new BigDecimal("1000000"), 10_000_000,
                100_000_000), (now, exit) -> true, "bench-");
        Wire wire = new Wire();
        s.connect(wire);
        s.setPriceLookup(sym -> new BigDecimal("100"));
        Journal journal = journalFile == null ? null : Journal.open(journalFile, "bench", System.currentTimeMillis(), null);
        if (journal != null) {
            s.attachJournal(journal, policy, pipeline, (d, t) -> { }, System::currentTimeMillis, 5000);
        }
        String[] symbols = {"LTCUSDT", "ETHUSDT", "BTCUSDT", "XRPUSDT", "ADAUSDT", "DOGEUSDT", "SOLUSDT", "DOTUSDT",
                "LINKUSDT", "AVAXUSDT"};
        Histogram h = new Histogram(10_000_000_000L, 3);
        int warmup = Math.min(500, n / 5);
        for (int i = 0; i < n + warmup; i += burst) {
            List<OrderIntent> intents = new ArrayList<>();
            for (int k = 0; k < burst; k++) {
                intents.add(OrderIntent.enter(symbols[k % symbols.length], new BigDecimal("250"), "bench", null, null, null));
            }
            wire.expected = new CountDownLatch(burst);
            if (gapMs > 0) {
                Thread.sleep(gapMs);
            }
            long[] start = new long[1];
            List<String> ids = new ArrayList<>();
            long clock = 1_700_000_000_000L + i;
            pipeline.submit(() -> {
                s.onClock(clock);
                start[0] = System.nanoTime();
                s.handle(List.of(), List.of(), intents);
            }).get();
            if (!wire.expected.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("orders did not reach the wire; refusals " + s.refusals());
            }
            if (i >= warmup) {
                for (Long t : wire.sentAt.values()) {
                    h.recordValue(Math.max(0, t - start[0]));
                }
            }
            ids.addAll(wire.sentAt.keySet());
            wire.sentAt.clear();
        }
        pipeline.shutdown();
        pipeline.awaitTermination(10, TimeUnit.SECONDS);
        if (journal != null) {
            Journal.Stats st = journal.stats();
            System.out.printf(Locale.ROOT, "  [%s burst %d] %d commits, %.1f rows/commit, commit p50 %.1f us p99 %.1f us,"
                            + " fsync p50 %.1f us p99 %.1f us%n", policy, burst, st.commits(), st.rowsPerCommit(),
                    st.commitP50Nanos() / 1e3, st.commitP99Nanos() / 1e3, st.syncP50Nanos() / 1e3, st.syncP99Nanos() / 1e3);
            if (policy == OrderManager.SendPolicy.AFTER_WRITE) {
                System.out.printf(Locale.ROOT, "  [%s burst %d] written -> fsynced: p50 %.1f us p99 %.1f us max %.1f us%n",
                        policy, burst, st.undurableP50Nanos() / 1e3, st.undurableP99Nanos() / 1e3,
                        st.undurableMaxNanos() / 1e3);
                System.out.printf(Locale.ROOT, "  [%s burst %d] the pipeline's own write: waiting for the connection p99 %.1f us;"
                                + " insert + commit p50 %.1f us p99 %.1f us%n", policy, burst, st.callerWaitP99Nanos() / 1e3,
                        st.callerWriteP50Nanos() / 1e3, st.callerWriteP99Nanos() / 1e3);
            }
            journal.close();
        }
        return h;
    }

    static Histogram commits(Path file, int n) throws Exception {
        Histogram h = new Histogram(10_000_000_000L, 3);
        try (Journal j = Journal.open(file, "bench", System.currentTimeMillis(), null)) {
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                j.recordKillSwitch(i, "ACTIVE", "HALTED", "bench", "bench").get(10, TimeUnit.SECONDS);
                h.recordValue(System.nanoTime() - t0);
            }
        }
        return h;
    }
}
