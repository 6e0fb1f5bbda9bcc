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
 * java -Xmx512m -cp target/classes:target/test-classes io.aquatrade.echo.EchoBenchmark \
 *      /work/shared/data/klines-1m/2023-03-16_2023-05-01_13-usdt-pairs
 * </pre>
 */
public final class EchoBenchmark {
    private static final double[] FLOORS = {0.7, 0.8, 0.9};

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
            long a = System.nanoTime();
            for (Candle c : candles) {
                e.onClosedMinute(c);
                long m0 = System.nanoTime();
                List<EchoMatch> ms = e.matches(c.symbol(), c.timeMs());
                matchNs += System.nanoTime() - m0;
                produced += ms.size();
            }
            long ns = System.nanoTime() - a;
            System.out.printf(Locale.ROOT,
                    "ingest+matches (run %d): total %.0f ms = %.3f us/candle; matches() alone %.3f us/call; %d matches (floor %.2f, top %d)%n",
                    rep + 1, ns / 1e6, ns / 1e3 / candles.size(), matchNs / 1e3 / candles.size(), produced,
                    defaults.minSimilarity(), defaults.maxMatchesPerSymbol());
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

        // Counts per floor, with every template counted (no top-N cut) and with the default top 5.
        EchoEngine e = new EchoEngine(defaults.withMaxMatchesPerSymbol(1000));
        int nf = FLOORS.length;
        Map<String, long[]> all = new TreeMap<>();      // per symbol: matches >= floor
        Map<String, long[]> top5 = new TreeMap<>();     // per symbol: matches >= floor among the best 5
        Map<String, long[]> minutes = new TreeMap<>();  // per symbol: minutes with >= 1 match >= floor
        Map<String, long[]> upActive = new TreeMap<>(); // per symbol: UP matches >= floor with activity >= 1
        Map<String, long[]> upMinutes = new TreeMap<>(); // per symbol: minutes with an UP match >= floor
        Map<String, Long> firstMatchable = new TreeMap<>();
        Map<String, Long> lastMinute = new TreeMap<>();
        for (Candle c : candles) {
            e.onClosedMinute(c);
            List<EchoMatch> ms = e.matches(c.symbol(), c.timeMs());
            String sym = c.symbol();
            lastMinute.put(sym, c.openTimeMs());
            if (!e.templates(sym, c.timeMs()).isEmpty()) {
                firstMatchable.putIfAbsent(sym, c.openTimeMs());
            }
            long[] aAll = all.computeIfAbsent(sym, k -> new long[nf]);
            long[] aTop = top5.computeIfAbsent(sym, k -> new long[nf]);
            long[] aMin = minutes.computeIfAbsent(sym, k -> new long[nf]);
            long[] aUp = upActive.computeIfAbsent(sym, k -> new long[nf]);
            long[] aUpMin = upMinutes.computeIfAbsent(sym, k -> new long[nf]);
            for (int f = 0; f < nf; f++) {
                boolean any = false;
                boolean anyUp = false;
                for (int r = 0; r < ms.size(); r++) {
                    EchoMatch m = ms.get(r);
                    if (m.similarity() >= FLOORS[f]) {
                        aAll[f]++;
                        if (r < 5) {
                            aTop[f]++;
                        }
                        any = true;
                        if (m.direction() == Direction.UP) {
                            anyUp = true;
                            if (m.activityRatio() >= 1.0) {
                                aUp[f]++;
                            }
                        }
                    }
                }
                if (any) {
                    aMin[f]++;
                }
                if (anyUp) {
                    aUpMin[f]++;
                }
            }
        }
        System.out.println();
        System.out.println("Matches per symbol-day, counted from the first day a symbol had a template (days = minutes/1440):");
        System.out.printf(Locale.ROOT, "%-10s %6s %5s | %-26s | %-26s | %-26s | %-26s | %-26s%n", "symbol", "days", "tmpl",
                "all templates .7/.8/.9", "top-5 only .7/.8/.9", "minutes w/ match .7/.8/.9", "minutes w/ UP .7/.8/.9",
                "UP & activity>=1 .7/.8/.9");
        double[] sumAll = new double[nf], sumTop = new double[nf], sumMin = new double[nf], sumUp = new double[nf],
                sumUpMin = new double[nf];
        double totalDays = 0;
        for (String sym : all.keySet()) {
            Long first = firstMatchable.get(sym);
            double days = first == null ? 0 : (lastMinute.get(sym) - first) / 86_400_000.0 + 1 / 1440.0;
            totalDays += days;
            System.out.printf(Locale.ROOT, "%-10s %6.1f %5d | %-26s | %-26s | %-26s | %-26s | %-26s%n", sym, days,
                    e.templateCount(sym), perDay(all.get(sym), days), perDay(top5.get(sym), days),
                    perDay(minutes.get(sym), days), perDay(upMinutes.get(sym), days), perDay(upActive.get(sym), days));
            for (int f = 0; f < nf; f++) {
                sumAll[f] += all.get(sym)[f];
                sumTop[f] += top5.get(sym)[f];
                sumMin[f] += minutes.get(sym)[f];
                sumUp[f] += upActive.get(sym)[f];
                sumUpMin[f] += upMinutes.get(sym)[f];
            }
        }
        System.out.printf(Locale.ROOT, "%-10s %6.1f %5s | %-26s | %-26s | %-26s | %-26s | %-26s%n", "per sym-day", totalDays, "",
                perDay(sumAll, totalDays), perDay(sumTop, totalDays), perDay(sumMin, totalDays),
                perDay(sumUpMin, totalDays), perDay(sumUp, totalDays));
        double calendarDays = totalDays / all.size();
        System.out.printf(Locale.ROOT, "%-10s %6.1f %5s | %-26s | %-26s | %-26s | %-26s | %-26s%n", "all 13/day", calendarDays, "",
                perDay(sumAll, calendarDays), perDay(sumTop, calendarDays), perDay(sumMin, calendarDays),
                perDay(sumUpMin, calendarDays), perDay(sumUp, calendarDays));
    }

    private static String perDay(double[] counts, double days) {
        return String.format(Locale.ROOT, "%.0f / %.0f / %.0f", counts[0] / days, counts[1] / days, counts[2] / days);
    }

    private static String perDay(long[] counts, double days) {
        return perDay(new double[]{counts[0], counts[1], counts[2]}, days);
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
