package io.aquatrade.research;

import io.aquatrade.app.TradingPipeline;
import io.aquatrade.app.TradingSession;
import io.aquatrade.model.Direction;
import io.aquatrade.model.EchoMatch;
import io.aquatrade.model.OrderIntent;
import io.aquatrade.model.Side;
import io.aquatrade.portfolio.Portfolio;
import io.aquatrade.portfolio.RoundTrip;
import io.aquatrade.rules.Decisions;
import io.aquatrade.state.SymbolState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * Does the echo pay? Rides the same market pass as the echo session it studies:
 * <ul>
 * <li><b>random baseline</b>: one {@link RandomEntries} session per seed (same symbols, sizes, exits; random
 * minute within the hour after each echo entry), compared on net PnL after fees;</li>
 * <li><b>buy and hold</b> of the basket: the deployable capital split equally over the symbols at the first
 * traded minute, sold at the last, taker fee on both sides;</li>
 * <li><b>signals</b>: every echo match (first of each symbol/template episode) with its forward return after
 * round-trip fees over {@code strategy.max_hold_minutes}, in the echoed direction; hit rate and mean by move
 * class, lookback, similarity bucket, direction and symbol;</li>
 * <li><b>projection</b>: equity paths bootstrapped from the echo session's own trading days under the capital
 * rule, from 100 and 1,000 USDT, percentiles after 30 and 90 days: the spread of the past, not a forecast.</li>
 * </ul>
 */
public final class EdgeStudy implements TradingSession.DecisionHook {

    private static final long MINUTE = 60_000L;
    private static final long DAY = 86_400_000L;

    private final TradingSession echoSession;
    private final List<RandomEntries> randoms = new ArrayList<>();
    private final List<TradingSession> randomSessions = new ArrayList<>();
    private final long horizonMs;
    private final double roundTripFee;
    private final double minNotional;
    private final double baseFraction;
    private final Map<String, MinuteTape> tapes = new HashMap<>();
    private final Map<String, Double> firstPrice = new TreeMap<>();
    private final Map<Episode, Long> lastSignal = new HashMap<>();

    /** A symbol's echo of one template in one lookback: one signal sampled per horizon. */
    private record Episode(String symbol, String templateDay, String lookback) {
    }
    private final List<Signal> signals = new ArrayList<>();
    private long firstMs = Long.MIN_VALUE;
    private long lastMs = Long.MIN_VALUE;
    private TradingPipeline pipeline;

    /** One sampled echo match. */
    record Signal(String symbol, long timeMs, double price, int moveClassPct, String lookback, double similarity,
                  Direction direction) {
    }

    /**
     * @param horizonMinutes forward-return horizon of the signal table
     * @param takerRate      fee per side
     */
    public EdgeStudy(TradingSession echoSession, int horizonMinutes, double takerRate, double baseFraction) {
        this.echoSession = echoSession;
        this.baseFraction = baseFraction;
        this.horizonMs = horizonMinutes * MINUTE;
        this.roundTripFee = 2 * takerRate;
        this.minNotional = 5.0;
    }

    /**
     * Adds the echo session, then {@code seeds} random-entry sessions built by {@code sessions}, to the
     * pipeline; call before the first event.
     */
    public static EdgeStudy attach(TradingPipeline pipeline, TradingSession echoSession, int seeds, long baseSeed,
                                   int horizonMinutes, double takerRate, double baseFraction,
                                   LongFunction<TradingSession> sessions) {
        EdgeStudy study = new EdgeStudy(echoSession, horizonMinutes, takerRate, baseFraction);
        study.pipeline = pipeline;
        echoSession.setDecisionHook(study);
        for (int k = 0; k < seeds; k++) {
            long seed = baseSeed + k;
            RandomEntries r = new RandomEntries(seed);
            TradingSession s = sessions.apply(seed);
            r.bind(s);
            s.setDecisionHook(r);
            pipeline.addTrailingSession(s); // nothing a random session does reaches the echo's: it may run beside it
            study.randoms.add(r);
            study.randomSessions.add(s);
        }
        return study;
    }

    // --------------------------------------------------------------- observing the echo session

    @Override
    public Decisions onDecisions(long nowMs, List<TradingSession.SymbolInput> inputs, Decisions d) {
        if (firstMs == Long.MIN_VALUE) {
            firstMs = nowMs;
        }
        lastMs = nowMs;
        for (TradingSession.SymbolInput in : inputs) {
            double price = in.snapshot().lastPrice().doubleValue();
            MinuteTape tape = tapes.get(in.symbol());
            if (tape == null) { // the symbol's first decision: its buy-and-hold price
                tape = new MinuteTape();
                tapes.put(in.symbol(), tape);
                firstPrice.put(in.symbol(), price);
            }
            tape.add(nowMs, price);
            for (EchoMatch m : in.matches()) {
                Episode key = new Episode(m.symbol(), m.templateDay(), m.lookback());
                Long last = lastSignal.get(key);
                if (last == null || nowMs - last >= horizonMs) { // one sample per episode and horizon
                    lastSignal.put(key, nowMs);
                    signals.add(new Signal(m.symbol(), nowMs, price, m.moveClassPct(), m.lookback(), m.similarity(),
                            m.direction()));
                }
                break; // the best match of the symbol this round
            }
        }
        for (OrderIntent o : d.orders()) {
            if (o.side() == Side.BUY) {
                for (int k = 0; k < randoms.size(); k++) {
                    RandomEntries r = randoms.get(k);
                    pipeline.alongTrailingSession(randomSessions.get(k), () -> r.schedule(o, nowMs));
                }
            }
        }
        return d;
    }

    // --------------------------------------------------------------- results

    /** The compact {@code edge} object of a replay's report.json. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("random_baseline", randomBaseline());
        m.put("buy_and_hold", buyAndHold());
        return m;
    }

    /** Everything: summary plus signal tables and the bootstrap projection (edge.json). */
    public Map<String, Object> full(long projectionSeed) {
        Map<String, Object> m = summary();
        m.put("signals", signalTables());
        m.put("projection", projection(projectionSeed));
        return m;
    }

    static double pnl(Portfolio p) {
        return p.equity().subtract(p.startQuote()).doubleValue();
    }

    Map<String, Object> randomBaseline() {
        Map<String, Object> m = new LinkedHashMap<>();
        Portfolio echo = echoSession.portfolio();
        double echoPnl = pnl(echo);
        m.put("method", "per seed, each echo entry copied to the same symbol with the same size, stop, take-profit "
                + "and exits at a random minute of the hour after it; the same caps apply");
        m.put("seeds", randoms.size());
        m.put("echo_net_pnl", round(echoPnl));
        m.put("echo_round_trips", echo.roundTrips().size());
        m.put("echo_win_rate", round(winRate(echo.roundTrips())));
        if (randoms.isEmpty()) {
            return m;
        }
        double[] pnls = new double[randoms.size()];
        List<Map<String, Object>> per = new ArrayList<>();
        int beaten = 0;
        for (int i = 0; i < randoms.size(); i++) {
            Portfolio p = randomSessions.get(i).portfolio();
            pnls[i] = pnl(p);
            if (echoPnl > pnls[i]) {
                beaten++;
            }
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("seed", randoms.get(i).seed());
            x.put("net_pnl", round(pnls[i]));
            x.put("round_trips", p.roundTrips().size());
            x.put("win_rate", round(winRate(p.roundTrips())));
            x.put("entries_placed", randoms.get(i).placed());
            x.put("entries_skipped", randoms.get(i).skipped());
            per.add(x);
        }
        double[] sorted = pnls.clone();
        Arrays.sort(sorted);
        m.put("random_net_pnl_mean", round(Arrays.stream(pnls).average().orElse(0)));
        m.put("random_net_pnl_p5", round(percentile(sorted, 5)));
        m.put("random_net_pnl_p50", round(percentile(sorted, 50)));
        m.put("random_net_pnl_p95", round(percentile(sorted, 95)));
        m.put("echo_beats_random_seeds", beaten);
        m.put("echo_percentile_among_random", round(100.0 * beaten / randoms.size()));
        m.put("per_seed", per);
        return m;
    }

    Map<String, Object> buyAndHold() {
        Map<String, Object> m = new LinkedHashMap<>();
        Portfolio echo = echoSession.portfolio();
        double deploy = echo.startQuote().doubleValue() * baseFraction(echo);
        int n = firstPrice.size();
        m.put("method", "deployable capital split equally over the symbols at the first traded minute, held to the end, "
                + "taker fee on buy and sell");
        m.put("symbols", n);
        if (n == 0) {
            m.put("net_pnl", 0.0);
            return m;
        }
        double fee = roundTripFee / 2;
        double end = 0;
        Map<String, Object> per = new TreeMap<>();
        for (Map.Entry<String, Double> e : firstPrice.entrySet()) {
            SymbolState st = pipeline.states().get(e.getKey());
            double last = st == null ? e.getValue() : st.lastPrice().doubleValue();
            double stake = deploy / n;
            double value = stake * (1 - fee) * (last / e.getValue()) * (1 - fee);
            end += value;
            per.put(e.getKey(), round((last / e.getValue() - 1) * 100));
        }
        m.put("deployed", round(deploy));
        m.put("net_pnl", round(end - deploy));
        m.put("return_pct_of_deployed", round((end - deploy) / deploy * 100));
        m.put("symbol_return_pct", per);
        m.put("echo_net_pnl", round(pnl(echo)));
        return m;
    }

    private double baseFraction(Portfolio p) {
        return baseFraction;
    }

    /** Hit rate and mean forward return after fees by each attribute. */
    Map<String, Object> signalTables() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("horizon_minutes", horizonMs / MINUTE);
        m.put("round_trip_fee_pct", round(roundTripFee * 100));
        m.put("method", "first echo match of each symbol/template/lookback per horizon; forward return from the decision "
                + "minute's close over the horizon, minus round-trip fees, signed in the echoed direction; hit = above 0");
        Map<String, Stats> byClass = new TreeMap<>();
        Map<String, Stats> byLookback = new TreeMap<>();
        Map<String, Stats> bySim = new TreeMap<>();
        Map<String, Stats> byDir = new TreeMap<>();
        Map<String, Stats> bySymbol = new TreeMap<>();
        Stats all = new Stats();
        for (Signal s : signals) {
            MinuteTape tape = tapes.get(s.symbol());
            double later = tape == null ? Double.NaN : tape.priceAt(s.timeMs() + horizonMs);
            if (Double.isNaN(later) || s.price() <= 0) {
                continue; // the horizon runs past the data
            }
            double r = later / s.price() - 1;
            double signed = (s.direction() == Direction.DOWN ? -r : r) - roundTripFee;
            all.add(signed);
            byClass.computeIfAbsent(s.moveClassPct() + "%", k -> new Stats()).add(signed);
            byLookback.computeIfAbsent(s.lookback(), k -> new Stats()).add(signed);
            double lo = Math.floor(s.similarity() * 20) / 20;
            bySim.computeIfAbsent(String.format(java.util.Locale.ROOT, "%.2f-%.2f", lo, lo + 0.05), k -> new Stats()).add(signed);
            byDir.computeIfAbsent(s.direction().name(), k -> new Stats()).add(signed);
            bySymbol.computeIfAbsent(s.symbol(), k -> new Stats()).add(signed);
        }
        m.put("all", all.map());
        m.put("by_move_class", table(byClass));
        m.put("by_lookback", table(byLookback));
        m.put("by_similarity", table(bySim));
        m.put("by_direction", table(byDir));
        m.put("by_symbol", table(bySymbol));
        return m;
    }

    private static Map<String, Object> table(Map<String, Stats> t) {
        Map<String, Object> m = new LinkedHashMap<>();
        t.forEach((k, v) -> m.put(k, v.map()));
        return m;
    }

    /** Counts, hits and the mean of forward returns. */
    static final class Stats {
        long n;
        long hits;
        double sum;

        void add(double r) {
            n++;
            sum += r;
            if (r > 0) {
                hits++;
            }
        }

        Map<String, Object> map() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("signals", n);
            m.put("hit_rate", n == 0 ? 0.0 : round((double) hits / n));
            m.put("avg_forward_return_after_fees_pct", n == 0 ? 0.0 : round(sum / n * 100));
            return m;
        }
    }

    /**
     * Bootstraps the echo session's trading days (each day's round trips as a stake fraction and a return)
     * into equity paths under the capital rule as the portfolio applies it: deployable = base fraction x start +
     * reinvest fraction x realised PnL.
     */
    Map<String, Object> projection(long seed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", "spread of the past, not a forecast: the run's own trading days drawn again at random");
        Portfolio p = echoSession.portfolio();
        List<RoundTrip> trips = p.roundTrips();
        double base = baseFraction(p);
        double reinvest = p.reinvestFraction().doubleValue();
        double histDeploy = p.startQuote().doubleValue() * base;
        if (firstMs == Long.MIN_VALUE || trips.isEmpty() || histDeploy <= 0) {
            m.put("paths", 0);
            return m;
        }
        long day0 = Math.floorDiv(firstMs, DAY);
        int days = (int) (Math.floorDiv(lastMs, DAY) - day0 + 1);
        List<List<double[]>> byDay = new ArrayList<>();
        for (int i = 0; i < days; i++) {
            byDay.add(new ArrayList<>());
        }
        for (RoundTrip t : trips) {
            int d = (int) (Math.floorDiv(t.exitTimeMs(), DAY) - day0);
            if (d >= 0 && d < days && t.cost().signum() > 0) {
                byDay.get(d).add(new double[] {t.cost().doubleValue() / histDeploy,
                        t.pnl().doubleValue() / t.cost().doubleValue()});
            }
        }
        int paths = 2000;
        m.put("paths", paths);
        m.put("days_sampled_from", days);
        m.put("capital_rule", "deployable = " + round(base) + " x start + " + round(reinvest)
                + " x realised PnL; a stake below the exchange "
                + "minimum of " + (int) minNotional + " USDT is raised to it while the deployable allows");
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Object> starts = new LinkedHashMap<>();
        for (double start : new double[] {100, 1000}) {
            double[] at30 = new double[paths];
            double[] at90 = new double[paths];
            for (int k = 0; k < paths; k++) {
                double realized = 0;
                for (int d = 1; d <= 90; d++) {
                    List<double[]> day = byDay.get(random.nextInt(days));
                    for (double[] t : day) {
                        double deploy = start * base + realized * reinvest;
                        if (deploy < minNotional) {
                            break;
                        }
                        double stake = Math.max(minNotional, t[0] * deploy);
                        realized += stake * t[1];
                    }
                    if (d == 30) {
                        at30[k] = start + realized;
                    }
                }
                at90[k] = start + realized;
            }
            Arrays.sort(at30);
            Arrays.sort(at90);
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("after_30_days", percentiles(at30));
            x.put("after_90_days", percentiles(at90));
            starts.put(String.valueOf((int) start), x);
        }
        m.put("from_usdt", starts);
        return m;
    }

    private static Map<String, Object> percentiles(double[] sorted) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int q : new int[] {5, 25, 50, 75, 95}) {
            m.put("p" + q, round(percentile(sorted, q)));
        }
        return m;
    }

    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        double pos = q / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    private static double winRate(List<RoundTrip> trips) {
        return trips.isEmpty() ? 0 : trips.stream().filter(RoundTrip::win).count() / (double) trips.size();
    }

    static double round(double v) {
        return Math.round(v * 10_000.0) / 10_000.0;
    }

    public List<TradingSession> randomSessions() {
        return randomSessions;
    }

    public List<RandomEntries> randoms() {
        return randoms;
    }

    /** Closing prices by decision minute of one symbol, compact. */
    static final class MinuteTape {
        private long[] t = new long[1024];
        private double[] p = new double[1024];
        private int n;

        void add(long timeMs, double price) {
            if (n == t.length) {
                t = Arrays.copyOf(t, n * 2);
                p = Arrays.copyOf(p, n * 2);
            }
            t[n] = timeMs;
            p[n] = price;
            n++;
        }

        /** Price at the last sample at or before {@code timeMs}; NaN when that is past the tape's end. */
        double priceAt(long timeMs) {
            if (n == 0 || timeMs > t[n - 1]) {
                return Double.NaN;
            }
            int i = Arrays.binarySearch(t, 0, n, timeMs);
            if (i < 0) {
                i = -i - 2;
            }
            return i < 0 ? Double.NaN : p[i];
        }
    }
}
