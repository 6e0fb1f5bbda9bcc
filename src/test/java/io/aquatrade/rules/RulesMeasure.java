package io.aquatrade.rules;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.model.*;

import java.lang.management.*;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.*;

/**
 * Not a test: measures compile, evaluation and swap times and memory across reloads of a rules directory.
 * Run: {@code mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt && java -cp
 * target/classes:target/test-classes:$(cat /tmp/cp.txt) io.aquatrade.rules.RulesMeasure rules 20}
 */
public class RulesMeasure {
    static final long NOW = 1_709_294_400_000L;
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        RuleSetCompiler c = new RuleSetCompiler();
        long t0 = System.nanoTime();
        CompiledRuleSet rs = c.compile(dir);
        System.out.printf("first compile: %.0f ms (reported %d ms)%n", (System.nanoTime() - t0) / 1e6, rs.compileMillis());
        long[] times = new long[20];
        for (int i = 0; i < times.length; i++) { long s = System.nanoTime(); c.compile(dir); times[i] = System.nanoTime() - s; }
        Arrays.sort(times);
        System.out.printf("recompile (20x): min %.0f ms, median %.0f ms, max %.0f ms%n", times[0] / 1e6, times[10] / 1e6, times[19] / 1e6);

        StrategyParams p = StrategyParams.from(AquatradeConfig.defaults());
        RiskLimits l = RiskLimits.from(AquatradeConfig.defaults());
        RuleEngine e = new RuleEngine(rs, p, l);
        int symbols = Integer.parseInt(a[1]);
        int evals = 2000;
        long[] fire = new long[evals]; long[] upd = new long[evals];
        int intents = 0;
        for (int n = 0; n < evals; n++) {
            long now = NOW + n * 1000L;
            long s0 = System.nanoTime();
            e.setClock(Clock.at(now));
            e.setAccount(new Account(bd(10000), bd(10000), bd(9000), bd(5000), bd(0), bd(5000), n % 12, bd(0), bd(0), bd(0), n % 900, n % 17));
            e.setRiskState(new RiskState(KillSwitchLevel.ACTIVE, false, null, "2024-03-01"));
            for (int i = 0; i < symbols; i++) {
                String sym = "S" + i + "USDT";
                MarketSnapshot snap = new MarketSnapshot(sym, now, bd(100), bd(98), 2, 3, 0.1, 0.2, 0.3, 0.2, 1.1, 500, false, 600);
                List<EchoMatch> m = List.of(
                    new EchoMatch(sym, now, "2024-01-0" + (1 + n % 9), 5, "30d", 0.85 + ((n + i) % 15) * 0.01, Direction.UP, 3, 40, 1.2),
                    new EchoMatch(sym, now, "2024-02-0" + (1 + n % 9), 3, "5d", 0.80 + ((n * 7 + i) % 20) * 0.01, Direction.UP, 2, 30, 0.9),
                    new EchoMatch(sym, now, "2024-02-1" + (n % 9), 10, "all", 0.7, Direction.DOWN, 5, 20, 2));
                Position pos = (i % 3 == 0) ? new Position(sym, bd(1), bd(100), bd(100), now - 600_000, bd(100.7), 0.7, bd(101), 0.3, (n / 60) % 100, bd(99), bd(101.2), "entry-echo-up", "2024-01-01", false) : null;
                EchoTrack tr = pos == null ? null : new EchoTrack(sym, "2024-01-01", 10, 0.7, 1.0, 0.4 + (n % 5) * 0.1);
                e.updateSymbol(snap, m, pos, tr, new SymbolRisk(sym, n % 5, 0, null));
            }
            long s1 = System.nanoTime();
            Decisions d = e.fire();
            long s2 = System.nanoTime();
            upd[n] = s1 - s0; fire[n] = s2 - s1;
            intents += d.orders().size() + d.stopUpdates().size() + d.riskEvents().size();
        }
        long[] f = Arrays.copyOfRange(fire, evals / 2, evals); Arrays.sort(f);
        long[] u = Arrays.copyOfRange(upd, evals / 2, evals); Arrays.sort(u);
        System.out.printf("%d symbols x 3 matches, %d evaluations, %d intents: update facts median %.0f us p99 %.0f us; fire median %.0f us p99 %.0f us%n",
            symbols, evals, intents, u[u.length / 2] / 1e3, u[u.length * 99 / 100] / 1e3, f[f.length / 2] / 1e3, f[f.length * 99 / 100] / 1e3);

        long[] swaps = new long[50];
        for (int i = 0; i < swaps.length; i++) swaps[i] = e.swap(rs).pauseNanos();
        Arrays.sort(swaps);
        System.out.printf("swap (%d facts): median %.2f ms, max %.2f ms%n", e.factCount(), swaps[25] / 1e6, swaps[49] / 1e6);

        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        ClassLoadingMXBean cl = ManagementFactory.getClassLoadingMXBean();
        for (int round = 0; round <= 3; round++) {
            if (round > 0) for (int i = 0; i < 50; i++) { CompiledRuleSet next = c.compile(dir); e.swap(next); e.fire(); }
            System.gc(); Thread.sleep(200); System.gc();
            long meta = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) if (pool.getName().contains("Metaspace") && !pool.getName().contains("Compressed")) meta = pool.getUsage().getUsed();
            System.out.printf("after %3d reloads+swaps: heap used %d MB, metaspace %d MB, classes loaded %d (unloaded %d)%n", round * 50,
                mem.getHeapMemoryUsage().getUsed() >> 20, meta >> 20, cl.getLoadedClassCount(), cl.getUnloadedClassCount());
        }
        e.close();
    }
    static BigDecimal bd(double d) { return BigDecimal.valueOf(d); }
}
