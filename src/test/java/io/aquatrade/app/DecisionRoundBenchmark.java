package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.model.Candle;
import io.aquatrade.model.TradeTick;
import io.aquatrade.rules.CompiledRuleSet;
import io.aquatrade.rules.RuleSetCompiler;
import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * The decision round of 20 symbols on one-second bars: eight days of one-minute history per symbol
 * (random walks with mover days, so the echo has templates to compare), then ticks of all 20 symbols
 * every second; every closed second is one round over all 20 (snapshots with windows, echo matches with
 * the minute in progress, one rule evaluation, execution). Prints the round's wall time percentiles.
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) io.aquatrade.app.DecisionRoundBenchmark [seconds]
 * </pre>
 */
public final class DecisionRoundBenchmark {

    private static final long MIN = 60_000L;
    private static final long DAY = 86_400_000L;
    /** Tradable symbols of the bundled exchangeInfo, so orders pass the filters. */
    private static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT", "BNBUSDT", "XRPUSDT", "ADAUSDT", "SOLUSDT",
            "DOGEUSDT", "DOTUSDT", "LTCUSDT", "LINKUSDT", "MATICUSDT", "AVAXUSDT", "ATOMUSDT", "TRXUSDT", "ETCUSDT",
            "XLMUSDT", "VETUSDT", "FILUSDT", "EOSUSDT", "AAVEUSDT");

    public static void main(String[] args) {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 2400;
        AquatradeConfig config = AquatradeConfig.load(null, List.of());
        ExchangeInfo info = ExchangeInfo.loadDefault();
        CompiledRuleSet rules = new RuleSetCompiler().compile(Path.of("rules"));
        long t0 = 19_500 * DAY;
        long tradeFrom = t0 + 8 * DAY;
        TradingPipeline.PipelineStats stats = new TradingPipeline.PipelineStats();
        TradingPipeline p = TradingPipeline.marketOnly(config, tradeFrom, stats);
        TradingSession s = TradingSession.simulated(config, info, rules, "bench-", stats, null);
        p.addSession(s);
        Random r = new Random(5);
        double[] px = new double[SYMBOLS.size()];
        java.util.Arrays.fill(px, 100);
        for (long m = 0; m < 8 * 1440; m++) {
            for (int i = 0; i < SYMBOLS.size(); i++) {
                double o = px[i];
                px[i] *= 1 + r.nextGaussian() * 0.0012;
                double c = px[i];
                p.onEvent(Candle.closedMinute(SYMBOLS.get(i), t0 + m * MIN, e8(o), e8(Math.max(o, c) * 1.0005),
                        e8(Math.min(o, c) * 0.9995), e8(c), e8(10 + r.nextInt(20))));
            }
        }
        Histogram h = new Histogram(3_600_000_000L, 3);
        Histogram cpu = new Histogram(3_600_000_000L, 3); // thread CPU time: what the round costs, without preemption
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        int warmUp = Math.min(600, seconds / 4);
        for (int sec = 0; sec < seconds; sec++) {
            long t = tradeFrom + sec * 1000L;
            for (int i = 0; i < SYMBOLS.size(); i++) {
                px[i] *= 1 + r.nextGaussian() * 0.0002;
                long before = stats.decisionRounds;
                TradeTick tick = new TradeTick(SYMBOLS.get(i), t, e8(px[i]), e8(0.1 + r.nextInt(5)), r.nextBoolean());
                long c0 = threads.getCurrentThreadCpuTime();
                long n0 = System.nanoTime();
                p.onEvent(tick);
                long n1 = System.nanoTime();
                long c1 = threads.getCurrentThreadCpuTime();
                if (stats.decisionRounds != before && sec >= warmUp) {
                    h.recordValue(n1 - n0);
                    cpu.recordValue(Math.max(0, c1 - c0));
                }
            }
        }
        System.out.printf(java.util.Locale.ROOT,
                "decision rounds of %d symbols on one-second bars: %d measured after %d warm-up%n"
                        + "  wall: p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  max %.3f ms%n"
                        + "  cpu:  p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  max %.3f ms  (load average %.1f on %d cores)%n"
                        + "  echo matches %d, intents %d, fills %d%n",
                SYMBOLS.size(), h.getTotalCount(), warmUp, h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(90) / 1e6,
                h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6, cpu.getValueAtPercentile(50) / 1e6,
                cpu.getValueAtPercentile(90) / 1e6, cpu.getValueAtPercentile(99) / 1e6, cpu.getMaxValue() / 1e6,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors(), stats.echoMatches, stats.intents,
                s.recorder().fills().size());
        s.close();
    }

    private static long e8(double v) {
        return Math.round(v * 1e8);
    }
}
