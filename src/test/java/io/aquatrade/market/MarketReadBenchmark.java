package io.aquatrade.market;

import io.aquatrade.model.Candle;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.model.QuoteTick;
import io.aquatrade.model.TradeTick;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures read rates on the real data in /work/shared/data. Not a unit test: the numbers depend on the
 * machine and its load. Run after {@code mvn -o test-compile}:
 * <pre>
 * java -cp target/classes:target/test-classes:$HOME/.m2/repository/com/fasterxml/jackson/core/jackson-core/2.23.0/jackson-core-2.23.0.jar \
 *     io.aquatrade.market.MarketReadBenchmark [--rounds N] [--threads T] [--work-ns W] [path...]
 * </pre>
 * Default paths: the 13-pair 2023 one-minute set, all tick captures, and the data.binance.vision BTCUSDT
 * dumps, each merged into one stream. {@code --threads} is {@link ReadOptions#readThreads()} (0 = read on
 * the calling thread). {@code --work-ns} burns that much CPU per event on the calling thread, standing in
 * for the pipeline, to show how much of the reading moves off it. Besides wall-clock rate it prints the
 * calling thread's CPU time per event: the cost the reading puts on the pipeline's thread.
 */
public final class MarketReadBenchmark {
    private static final String KLINES_2023 = "/work/shared/data/klines-1m/2023-03-16_2023-05-01_13-usdt-pairs";
    private static final String TICKS = "/work/shared/data/ticks";
    private static final String DUMPS = "/work/shared/data/klines-1m/data.binance.vision_BTCUSDT";

    private static volatile long sink;

    public static void main(String[] args) throws Exception {
        int rounds = 5;
        int threads = ReadOptions.defaultReadThreads();
        long workNs = 0;
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--work-ns" -> workNs = Long.parseLong(args[++i]);
                default -> sets.add(args[i]);
            }
        }
        if (sets.isEmpty()) {
            sets = List.of(KLINES_2023, TICKS, DUMPS);
        }
        System.out.printf("read threads %d, simulated pipeline work %d ns/event, %d cores%n", threads, workNs,
                Runtime.getRuntime().availableProcessors());
        for (String set : sets) {
            run(set, rounds, threads, workNs);
        }
    }

    private static void run(String set, int rounds, int threads, long workNs) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        MarketData.Discovery found = MarketData.discover(List.of(Path.of(set)));
        System.out.printf("%s: %d files%n", set, found.files().size());
        ReadOptions options = ReadOptions.defaults().withReadThreads(threads);
        for (int r = 1; r <= rounds; r++) {
            long cpu0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            long candles = 0;
            long trades = 0;
            long quotes = 0;
            long checksum = 0;
            ReadReport summary;
            try (MergedEventReader events = MarketData.openAll(found.files(), options)) {
                for (MarketEvent e = events.next(); e != null; e = events.next()) {
                    if (e instanceof Candle c) {
                        candles++;
                        checksum += c.closeE8();
                    } else if (e instanceof TradeTick t) {
                        trades++;
                        checksum += t.priceE8();
                    } else if (e instanceof QuoteTick q) {
                        quotes++;
                        checksum += q.bidE8();
                    }
                    if (workNs > 0) {
                        burn(workNs);
                    }
                }
                summary = events.summary();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            long cpu = mx.getCurrentThreadCpuTime() - cpu0;
            long n = candles + trades + quotes;
            System.out.printf("  round %d: %,d events (%,d candles, %,d trades, %,d quotes) in %.3f s = %,.0f events/s;"
                            + " calling thread CPU %.0f ns/event  [skipped %,d, malformed %d, checksum %d]%n",
                    r, n, candles, trades, quotes, s, n / s, (double) cpu / n, summary.skipped(), summary.malformed(), checksum);
            if (r == rounds) {
                System.out.println("  " + summary);
            }
        }
    }

    private static void burn(long ns) {
        long end = System.nanoTime() + ns;
        long x = 0;
        while (System.nanoTime() < end) {
            x++;
        }
        sink = x;
    }
}
