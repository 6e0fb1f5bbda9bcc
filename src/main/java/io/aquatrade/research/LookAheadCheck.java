package io.aquatrade.research;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The look-ahead check (what freqtrade's lookahead-analysis does): the same run with every event after
 * a decision's time removed from its data must take the same decision at that time. A decision that
 * changes when the future is cut away used data it could not have had live. The cuts are put at decisions
 * that sent orders, spread evenly over the run, and every decision up to each cut is compared (an order the
 * future made the full run drop shows as an order the cut run sends).
 */
public final class LookAheadCheck {

    /** A run of the same config whose data ends before {@code toExclusiveMs}: its decisions by time. */
    public interface CutRun {
        Map<Long, String> decisions(long toExclusiveMs);
    }

    /** The outcome: how many decision times were re-run and which differed. */
    public record Result(int checked, List<String> mismatches) {
        public boolean passed() {
            return mismatches.isEmpty();
        }
    }

    private LookAheadCheck() {
    }

    /**
     * @param full   the full run's decisions by time (orders only; empty rounds left out)
     * @param points how many decision times to re-run with the data cut there
     */
    public static Result check(Map<Long, String> full, CutRun run, int points, int threads) {
        Objects.requireNonNull(full, "full");
        TreeMap<Long, String> sortedFull = new TreeMap<>(full);
        List<Long> times = new ArrayList<>(sortedFull.keySet());
        List<Long> picked = new ArrayList<>();
        int n = Math.min(points, times.size());
        for (int i = 0; i < n; i++) {
            picked.add(times.get((int) ((i + 0.5) * times.size() / n)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "look-ahead");
            t.setDaemon(true);
            return t;
        });
        List<String> mismatches = new ArrayList<>();
        try {
            List<Future<Map<Long, String>>> cut = new ArrayList<>();
            for (long t : picked) {
                cut.add(pool.submit(() -> run.decisions(t + 1)));
            }
            for (int i = 0; i < picked.size(); i++) {
                long t = picked.get(i);
                Map<Long, String> d;
                try {
                    d = cut.get(i).get();
                } catch (Exception e) {
                    throw new IllegalStateException("look-ahead run cut at " + java.time.Instant.ofEpochMilli(t) + " failed: "
                            + e.getMessage(), e);
                }
                // every decision up to the cut had all the data it could have had live: one that differs from the full
                // run's used data after the cut. Comparing only the decision at the cut would miss a peek that drops
                // an order (an entry vetoed by a later price), since the full run then has no order there to pick.
                TreeMap<Long, String> compared = new TreeMap<>(sortedFull.headMap(t, true));
                d.forEach((k, v) -> {
                    if (k <= t) {
                        compared.put(k, v);
                    }
                });
                for (long at : compared.keySet()) {
                    String expected = full.getOrDefault(at, "(no orders)");
                    String got = d.getOrDefault(at, "(no orders)");
                    if (!expected.equals(got)) {
                        mismatches.add(java.time.Instant.ofEpochMilli(at) + ": with all data " + expected
                                + "; with the data cut after " + java.time.Instant.ofEpochMilli(t) + " " + got);
                        break; // the first difference of this cut; what follows it differs because of it
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(picked.size(), mismatches);
    }

    /** The text a decision round's orders are compared by. */
    public static String describe(List<io.aquatrade.model.OrderIntent> orders) {
        StringBuilder b = new StringBuilder();
        for (io.aquatrade.model.OrderIntent o : orders) {
            if (b.length() > 0) {
                b.append("; ");
            }
            b.append(o.side()).append(' ').append(o.symbol()).append(' ').append(o.reason());
            if (o.quoteQty() != null) {
                b.append(' ').append(o.quoteQty().stripTrailingZeros().toPlainString());
            }
            if (o.sellFraction() != null) {
                b.append(" x").append(o.sellFraction().stripTrailingZeros().toPlainString());
            }
        }
        return b.toString();
    }
}
