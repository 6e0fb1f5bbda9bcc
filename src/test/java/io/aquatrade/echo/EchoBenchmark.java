package io.aquatrade.echo;

import io.aquatrade.model.Candle;
import io.aquatrade.model.Direction;
import io.aquatrade.model.EchoMatch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Benchmark (not a test): runs the echo engine over a folder of real one-minute klines the way the
 * replay will, every closed candle followed by a {@code matches} call for its symbol, and reports the
 * cost per call, heap held, and how many matches each similarity floor would produce.
 *
 * <pre>
 * mvn -B -o -q test-compile
 * java -Xmx512m -cp target/classes:target/test-classes:$HOME/.m2/repository/org/hdrhistogram/HdrHistogram/2.2.2/HdrHistogram-2.2.2.jar \
 *      io.aquatrade.echo.EchoBenchmark \
 *      /work/shared/data/klines-1m/2023-03-16_2023-05-01_13-usdt-pairs
 * </pre>
 */
public final class EchoBenchmark {
    private static final double[] FLOORS = {0.7, 0.8, 0.9, 0.95};

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/work/shared/data/klines-1m/2023-03-16_2023-05-01_13-usdt-pairs");
        List<KlineCsv> files = new ArrayList<>();
        long t0 = System.nanoTime();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.getFileName().toString().endsWith("-1m.csv.gz")).sorted().toList()) {
                String sym = f.getFileName().toString().replace("-1m.csv.gz", "");
                files.add(KlineCsv.read(f, sym));
            }
        }
        List<Candle> candles = KlineCsv.merged(files);
        System.out.printf(Locale.ROOT, "loaded %d candles of %d symbols from %s in %.1f s%n", candles.size(), files.size(),
                dir, (System.nanoTime() - t0) / 1e9);

        EchoParams defaults = EchoParams.defaults();
        System.out.println("params: " + defaults);

        // Bulk warm-up speed: ingest only.
        for (int rep = 0; rep < 2; rep++) {
            EchoEngine e = new EchoEngine(defaults);
            long a = System.nanoTime();
            for (Candle c : candles) {
                e.onClosedMinute(c);
            }
            long ns = System.nanoTime() - a;
            System.out.printf(Locale.ROOT, "ingest only (run %d): %.0f ms, %.3f us/candle%n", rep + 1, ns / 1e6,
                    ns / 1e3 / candles.size());
        }

        // The replay's pattern: ingest, then ask. Twice; the second run has a warm JIT.
        for (int rep = 0; rep < 2; rep++) {
            long heapBefore = usedHeapAfterGc();
            EchoEngine e = new EchoEngine(defaults);
            long matchNs = 0;
            long produced = 0;
            org.HdrHistogram.Histogram hist = new org.HdrHistogram.Histogram(3_600_000_000L, 3);
            long a = System.nanoTime();
            for (Candle c : candles) {
                e.onClosedMinute(c);
                long m0 = System.nanoTime();
                List<EchoMatch> ms = e.matches(c.symbol(), c.timeMs());
                long took = System.nanoTime() - m0;
                matchNs += took;
                hist.recordValue(took);
                produced += ms.size();
            }
            long ns = System.nanoTime() - a;
            System.out.printf(Locale.ROOT,
                    "ingest+matches (run %d): total %.0f ms = %.3f us/candle; matches() alone %.3f us/call; %d matches (floor %.2f, top %d)%n",
                    rep + 1, ns / 1e6, ns / 1e3 / candles.size(), matchNs / 1e3 / candles.size(), produced,
                    defaults.minSimilarity(), defaults.maxMatchesPerSymbol());
            System.out.printf(Locale.ROOT, "  matches() per call: p50 %.2f us, p99 %.2f us, p99.9 %.2f us, max %.0f us%n",
                    hist.getValueAtPercentile(50) / 1e3, hist.getValueAtPercentile(99) / 1e3,
                    hist.getValueAtPercentile(99.9) / 1e3, hist.getMaxValue() / 1e3);
            if (rep == 1) {
                long heapWith = usedHeapAfterGc();
                int templates = 0;
                for (KlineCsv k : files) {
                    templates += e.templateCount(k.symbol);
                }
                System.out.printf(Locale.ROOT,
                        "heap: %.1f MB used with the candles loaded and the engine alive, of which the engine %.1f MB; templates held %d%n",
                        heapWith / 1e6, (heapWith - heapBefore) / 1e6, templates);
            }
        }

        // The segment bound against the full comparison of every template, alternated: same answers, less work.
        EchoParams replayed = defaults.withMaxMatchesPerSymbol(3);
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
        for (int rep = 0; rep < 6; rep++) {
            for (int mode = 0; mode < 2; mode++) {
                EchoEngine e = new EchoEngine(replayed, mode == 0);
                best[mode] = Math.min(best[mode], matchMicros(e, candles));
                if (rep == 5) {
                    System.out.printf(Locale.ROOT, "%s: best matches() %.3f us/call, %.2f full comparisons/call%n",
                            mode == 0 ? "bound first " : "full always ", best[mode],
                            (double) e.fullComparisons() / candles.size());
                }
            }
        }
        System.out.printf(Locale.ROOT, "bound first / full always: %.2f x%n", best[0] / best[1]);

        // The optional volume-profile blend costs a log per window minute and a second dot product.
        for (int rep = 0; rep < 2; rep++) {
            System.out.printf(Locale.ROOT, "with volumeWeight 0.25 (run %d): matches() %.3f us/call%n", rep + 1,
                    matchMicros(new EchoEngine(defaults.withVolumeWeight(0.25)), candles));
        }

        countReport(candles, defaults);
        countReport(candles, defaults.withMoveHorizonMinutes(120));
    }

    /** Feeds every candle to {@code e}, asking for its symbol's matches after each: microseconds per ask. */
    private static double matchMicros(EchoEngine e, List<Candle> candles) {
        long matchNs = 0;
        for (Candle c : candles) {
            e.onClosedMinute(c);
            long m0 = System.nanoTime();
            e.matches(c.symbol(), c.timeMs());
            matchNs += System.nanoTime() - m0;
        }
        return matchNs / 1e3 / candles.size();
    }

    /** How many matches each floor would let through, per symbol and UTC day, with every template counted. */
    private static void countReport(List<Candle> candles, EchoParams params) {
        EchoEngine e = new EchoEngine(params.withMaxMatchesPerSymbol(1000));
        int nf = FLOORS.length;
        String[] metrics = {"matches", "in top-5", "minutes w/ match", "minutes w/ UP", "min. UP & act>=1",
                "UP onsets"};
        Map<String, long[][]> counts = new TreeMap<>(); // symbol -> [metric][floor]
        Map<String, boolean[]> upBefore = new TreeMap<>();
        Map<String, Long> firstMatchable = new TreeMap<>();
        Map<String, Long> lastMinute = new TreeMap<>();
        for (Candle c : candles) {
            e.onClosedMinute(c);
            List<EchoMatch> ms = e.matches(c.symbol(), c.timeMs());
            String sym = c.symbol();
            lastMinute.put(sym, c.openTimeMs());
            if (!firstMatchable.containsKey(sym) && !e.templates(sym, c.timeMs()).isEmpty()) {
                firstMatchable.put(sym, c.openTimeMs());
            }
            long[][] k = counts.computeIfAbsent(sym, x -> new long[metrics.length][nf]);
            boolean[] prevUp = upBefore.computeIfAbsent(sym, x -> new boolean[nf]);
            for (int f = 0; f < nf; f++) {
                boolean any = false, anyUp = false, anyUpActive = false;
                for (int r = 0; r < ms.size(); r++) {
                    EchoMatch m = ms.get(r);
                    if (m.similarity() < FLOORS[f]) {
                        break; // best first
                    }
                    k[0][f]++;
                    if (r < 5) {
                        k[1][f]++;
                    }
                    any = true;
                    if (m.direction() == Direction.UP) {
                        anyUp = true;
                        anyUpActive |= m.activityRatio() >= 1.0;
                    }
                }
                k[2][f] += any ? 1 : 0;
                k[3][f] += anyUp ? 1 : 0;
                k[4][f] += anyUpActive ? 1 : 0;
                k[5][f] += anyUp && !prevUp[f] ? 1 : 0;
                prevUp[f] = anyUp;
            }
        }
        System.out.println();
        System.out.println("== " + (params.moveHorizonMinutes() == 0 ? "whole-day moves" : "moves within "
                + params.moveHorizonMinutes() + " minutes") + " (moveHorizonMinutes=" + params.moveHorizonMinutes() + ")");
        templateSummary(e, counts.keySet(), candles.get(candles.size() - 1).timeMs());
        System.out.println("Per symbol and UTC day, from the first minute the symbol had a template; columns = floors "
                + java.util.Arrays.toString(FLOORS));
        System.out.printf(Locale.ROOT, "%-10s %5s %4s | %-24s | %-22s | %-22s%n", "symbol", "days", "tmpl",
                "matches (all templates)", "minutes w/ UP match", "UP onsets");
        double[][] perDayAll = new double[metrics.length][nf]; // sum over symbols of per-symbol daily rates
        double symDays = 0;
        for (var en : counts.entrySet()) {
            String sym = en.getKey();
            Long first = firstMatchable.get(sym);
            double days = first == null ? 0 : (lastMinute.get(sym) - first) / 86_400_000.0 + 1 / 1440.0;
            symDays += days;
            long[][] k = en.getValue();
            for (int m = 0; m < metrics.length; m++) {
                for (int f = 0; f < nf; f++) {
                    perDayAll[m][f] += days > 0 ? k[m][f] / days : 0;
                }
            }
            System.out.printf(Locale.ROOT, "%-10s %5.1f %4d | %-24s | %-22s | %-22s%n", sym, days, e.templateCount(sym),
                    rates(k[0], days), rates(k[3], days), rates(k[5], days));
        }
        int nSym = counts.size();
        System.out.printf(Locale.ROOT, "Summary over %d symbols (%.0f symbol-days). Per symbol-day = mean of the symbols' daily rates;"
                + " all/day = their sum (what a day with all %d symbols gives).%n", nSym, symDays, nSym);
        System.out.printf(Locale.ROOT, "%-18s", "floor");
        for (double fl : FLOORS) {
            System.out.printf(Locale.ROOT, " | %7.2f: sym-day  all/day", fl);
        }
        System.out.println();
        for (int m = 0; m < metrics.length; m++) {
            System.out.printf(Locale.ROOT, "%-18s", metrics[m]);
            for (int f = 0; f < nf; f++) {
                System.out.printf(Locale.ROOT, " | %16.1f %8.0f", perDayAll[m][f] / nSym, perDayAll[m][f]);
            }
            System.out.println();
        }
    }

    private static void templateSummary(EchoEngine e, java.util.Collection<String> symbols, long nowMs) {
        List<EchoTemplate> all = new ArrayList<>();
        for (String s : symbols) {
            all.addAll(e.templates(s, nowMs + 86_400_000L));
        }
        double[] move = all.stream().mapToDouble(EchoTemplate::movePct).sorted().toArray();
        double[] minutes = all.stream().mapToDouble(EchoTemplate::minutesToPeak).sorted().toArray();
        long up = all.stream().filter(t -> t.direction() == Direction.UP).count();
        System.out.printf(Locale.ROOT, "templates: %d (%d UP); move %% p25/median/p75 %.2f/%.2f/%.2f; minutes to extreme"
                        + " p25/median/p75 %.0f/%.0f/%.0f%n", all.size(), up, q(move, 0.25), q(move, 0.5), q(move, 0.75),
                q(minutes, 0.25), q(minutes, 0.5), q(minutes, 0.75));
    }

    private static double q(double[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)))];
    }

    private static String rates(long[] counts, double days) {
        StringBuilder b = new StringBuilder();
        for (long c : counts) {
            b.append(b.length() == 0 ? "" : "/").append(String.format(Locale.ROOT, "%.0f", days > 0 ? c / days : 0));
        }
        return b.toString();
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
