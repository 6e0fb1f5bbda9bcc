package io.aquatrade.research;

import io.aquatrade.app.TradingPipeline;
import io.aquatrade.app.TradingSession;
import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.config.ConfigKeys;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.market.MarketData;
import io.aquatrade.market.MarketEventReader;
import io.aquatrade.market.QuoteClock;
import io.aquatrade.market.ReadOptions;
import io.aquatrade.market.TimeWindow;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.rules.CompiledRuleSet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Runs many parameter sets over recorded data, each as its own {@link TradingSession}, sharing market
 * passes: sets with the same market keys ({@code echo.*}, {@code risk.stale_feed_seconds}) ride one
 * pass (one reading, one rolling state, one echo matching per decision round). The passes run on
 * {@code threads} threads; when there are fewer market settings than threads, a setting's sets are
 * split over several passes so every core works. A session sees exactly what it would see in a
 * replay of its config alone, so its trades are the same, byte for byte.
 */
public final class FanOut {

    /** One parameter set to run: an id and its full config. */
    public record Job(String id, AquatradeConfig config) {
        public Job {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(config, "config");
        }
    }

    /** A set's finished session (its recorder, portfolio and execution hold the results). */
    public record Result(Job job, TradingSession session) {
    }

    /** What a run reads: files, symbols, trading start and end (exclusive), all in event time. */
    public record Data(List<io.aquatrade.market.DataFile> files, Set<String> symbols, long tradeFromMs, long toExclusiveMs) {
    }

    /** Makes each set's session; the default is {@link TradingSession#simulated}. */
    public interface SessionFactory {
        TradingSession create(Job job, long tradeFromMs);
    }

    private final Data data;
    private final int threads;

    public FanOut(Data data, int threads) {
        this.data = data;
        this.threads = Math.max(1, threads);
    }

    public static SessionFactory simulated(ExchangeInfo info, CompiledRuleSet rules) {
        return (job, from) -> TradingSession.simulated(job.config(), info, rules, TradingSession.clientIdPrefix(from),
                new TradingPipeline.PipelineStats(), null);
    }

    /** The market keys' values of a config: sets with equal ones can share a pass. */
    public static String marketKey(AquatradeConfig config) {
        Map<String, String> m = new TreeMap<>();
        config.effective().forEach((k, v) -> {
            if (ParameterSpace.isMarketKey(k)) {
                m.put(k, v);
            }
        });
        return m.toString();
    }

    /**
     * Runs every job; results in the jobs' order. {@code progress} gets the fraction done (0..1) from
     * the passes' clocks, now and then, on a worker thread.
     */
    public List<Result> run(List<Job> jobs, SessionFactory factory, Consumer<Double> progress) {
        return run(jobs, factory, Result::new, progress);
    }

    /**
     * Runs every job and keeps only what {@code finish} takes from each finished session (on the pass's worker
     * thread, after its rules session is closed); results in the jobs' order. The sessions themselves are let
     * go as each pass ends, so many sets need only their results' memory.
     */
    public <R> List<R> run(List<Job> jobs, SessionFactory factory, java.util.function.BiFunction<Job, TradingSession, R> finish,
                           Consumer<Double> progress) {
        Map<String, List<Job>> byMarket = new LinkedHashMap<>();
        for (Job j : jobs) {
            byMarket.computeIfAbsent(marketKey(j.config()), k -> new ArrayList<>()).add(j);
        }
        int splits = Math.max(1, threads / byMarket.size());
        List<List<Job>> passes = new ArrayList<>();
        for (List<Job> group : byMarket.values()) {
            int parts = Math.min(splits, group.size());
            for (int p = 0; p < parts; p++) {
                List<Job> chunk = new ArrayList<>();
                for (int i = p; i < group.size(); i += parts) {
                    chunk.add(group.get(i));
                }
                passes.add(chunk);
            }
        }
        AtomicLong done = new AtomicLong(); // summed progress of all passes, in 1/1000 of a pass
        long[] reported = new long[passes.size()];
        Map<Job, R> finished = new java.util.concurrent.ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, passes.size()), r -> {
            Thread t = new Thread(r, "fan-out");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int p = 0; p < passes.size(); p++) {
                int pass = p;
                futures.add(pool.submit(() -> {
                    runPass(passes.get(pass), factory, finish, finished, permille -> {
                        long delta = permille - reported[pass];
                        reported[pass] = permille;
                        long total = done.addAndGet(delta);
                        if (progress != null) {
                            progress.accept(total / (1000.0 * passes.size()));
                        }
                    });
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException("optimizer pass failed: " + c, c);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        List<R> out = new ArrayList<>(jobs.size());
        for (Job j : jobs) {
            out.add(finished.get(j));
        }
        return out;
    }

    private <R> void runPass(List<Job> jobs, SessionFactory factory, java.util.function.BiFunction<Job, TradingSession, R> finish,
                             Map<Job, R> sink, java.util.function.LongConsumer progressPermille) {
        AquatradeConfig market = jobs.get(0).config();
        TradingPipeline pipeline = TradingPipeline.marketOnly(market, data.tradeFromMs(), new TradingPipeline.PipelineStats());
        for (Job j : jobs) {
            pipeline.addSession(factory.create(j, data.tradeFromMs()));
        }
        drive(data, pipeline, progressPermille);
        List<TradingSession> sessions = pipeline.sessions();
        for (int i = 0; i < jobs.size(); i++) {
            TradingSession s = sessions.get(i);
            s.rules().close(); // the Drools session is done; the results stay readable
            sink.put(jobs.get(i), finish.apply(jobs.get(i), s));
        }
    }

    /**
     * Reads {@code data} through {@code pipeline} (warm-up, then trading from its start) and flushes the last
     * decision round; {@code progressPermille} hears how far the trading window is done, in 1/1000.
     */
    public static void drive(Data data, TradingPipeline pipeline, java.util.function.LongConsumer progressPermille) {
        ReadOptions read = ReadOptions.defaults().withWindow(new TimeWindow(Long.MIN_VALUE, data.toExclusiveMs()))
                .withQuoteClock(QuoteClock.EXCHANGE_ESTIMATE);
        if (data.symbols() != null && !data.symbols().isEmpty()) {
            read = read.withSymbols(data.symbols());
        }
        long span = Math.max(1, data.toExclusiveMs() - data.tradeFromMs());
        long lastPermille = -1;
        try (MarketEventReader reader = MarketData.openAll(data.files(), read)) {
            MarketEvent e;
            long n = 0;
            while ((e = reader.next()) != null) {
                pipeline.onEvent(e);
                // no end given (analyze without --to): how far is unknown, so no bar that would sit at 0 %
                if ((++n & 4095) == 0 && progressPermille != null && data.toExclusiveMs() != Long.MAX_VALUE) {
                    long permille = Math.max(0, Math.min(1000, (pipeline.clockMs() - data.tradeFromMs()) * 1000 / span));
                    if (permille != lastPermille) {
                        lastPermille = permille;
                        progressPermille.accept(permille);
                    }
                }
            }
            pipeline.flush();
            if (progressPermille != null) {
                progressPermille.accept(1000);
            }
        }
    }

    /** The stale-feed threshold in ms of a config (for callers building their own market part). */
    static long staleMs(AquatradeConfig c) {
        return c.longValue(ConfigKeys.RISK_STALE_FEED_SECONDS) * 1000L;
    }
}
