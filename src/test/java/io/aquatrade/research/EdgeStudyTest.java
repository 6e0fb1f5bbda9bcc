package io.aquatrade.research;

import io.aquatrade.app.TradingPipeline;
import io.aquatrade.app.TradingSession;
import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.market.DataFile;
import io.aquatrade.market.MarketData;
import io.aquatrade.market.MarketEventReader;
import io.aquatrade.market.ReadOptions;
import io.aquatrade.market.TimeWindow;
import io.aquatrade.model.Candle;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.model.OrderIntent;
import io.aquatrade.model.Side;
import io.aquatrade.rules.CompiledRuleSet;
import io.aquatrade.rules.Decisions;
import io.aquatrade.rules.RuleSetCompiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The edge study's random baseline and look-ahead check, on the bundled real candles (13 pairs, April 2023). */
class EdgeStudyTest {

    private static final LocalDate DAY = LocalDate.of(2023, 4, 19);
    private static final long FROM = DAY.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    private static final long TO = FROM + 86_400_000L;

    static List<DataFile> files;
    static ExchangeInfo info;
    static CompiledRuleSet rules;
    static AquatradeConfig config;

    @BeforeAll
    static void load() throws Exception {
        files = MarketData.discover(List.of(Path.of("src/main/resources/demo/klines-1m"))).files();
        info = ExchangeInfo.loadDefault();
        rules = new RuleSetCompiler().compile(Path.of("rules"));
        config = AquatradeConfig.load(null, List.of());
    }

    private static TradingSession session(String prefix) {
        return TradingSession.simulated(config, info, rules, prefix, new TradingPipeline.PipelineStats(), null);
    }

    /** Fills of each random seed's session, as text, from one pass with the given seeds. */
    private static List<List<String>> baseline(long firstSeed, int seeds) {
        return baseline(firstSeed, seeds, true);
    }

    private static List<List<String>> baseline(long firstSeed, int seeds, boolean ownThread) {
        return baseline(firstSeed, seeds, ownThread, new ConcurrentHashMap<>());
    }

    /** @param decidedOn gets, per seed, the names of the threads its session decided on */
    private static List<List<String>> baseline(long firstSeed, int seeds, boolean ownThread,
                                               Map<Long, Set<String>> decidedOn) {
        TradingPipeline p = TradingPipeline.marketOnly(config, FROM, new TradingPipeline.PipelineStats());
        p.trailOnOwnThread(ownThread);
        TradingSession echo = session("aqt-");
        p.addSession(echo);
        EdgeStudy study = EdgeStudy.attach(p, echo, seeds, firstSeed, 90, 0.001, 0.5, s -> {
            TradingSession random = session("aqt-r" + s + "-");
            random.addDecisionObserver((d, nanos) -> decidedOn.computeIfAbsent(s, k -> ConcurrentHashMap.newKeySet())
                    .add(Thread.currentThread().getName()));
            return random;
        });
        FanOut.drive(new FanOut.Data(files, Set.of(), FROM, TO), p, null);
        List<List<String>> out = new ArrayList<>();
        for (TradingSession s : study.randomSessions()) {
            out.add(s.recorder().fills().stream().map(Object::toString).toList());
        }
        assertThat(study.summary()).containsKeys("random_baseline", "buy_and_hold");
        return out;
    }

    @Test
    void theRandomBaselineIsReproducibleFromItsSeed() {
        List<List<String>> a = baseline(11, 2);
        List<List<String>> again = baseline(11, 2);
        List<List<String>> other = baseline(12, 2); // seeds 12, 13: seed 12 is a's second
        assertThat(a.get(0)).isNotEmpty();
        assertThat(again).isEqualTo(a);
        assertThat(other.get(0)).isEqualTo(a.get(1)); // a seed means the same entries whatever seeds run beside it
        assertThat(other.get(1)).isNotEqualTo(a.get(0));
        assertThat(a.get(0).stream().filter(f -> f.contains("random-entry")).count()).isPositive();
    }

    /**
     * On a thread of their own, beside the echo's session, the random sessions trade fill for fill as in step; with
     * six seeds, five go to that thread and one stays in step (the threads about equally busy): still the same.
     */
    @Test
    void randomSessionsOnTheirOwnThreadTradeExactlyAsInStep() {
        Map<Long, Set<String>> threads = new ConcurrentHashMap<>();
        List<List<String>> own = baseline(21, 6, true, threads);
        List<List<String>> inStep = baseline(21, 6, false);
        assertThat(own).hasSize(6);
        String here = Thread.currentThread().getName();
        assertThat(threads.values().stream().filter(t -> t.equals(Set.of("trailing-sessions")))).hasSize(5);
        assertThat(threads.values().stream().filter(t -> t.equals(Set.of(here)))).hasSize(1);
        assertThat(own.get(0)).isNotEmpty();
        assertThat(own).isEqualTo(inStep);
    }

    /** The projection of a run whose config reinvests {@code reinvest} of realised PnL (seeds fixed). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> projectionWithReinvest(String reinvest) {
        AquatradeConfig c = AquatradeConfig.load(null, List.of("capital.profit_reinvest_fraction=" + reinvest));
        TradingPipeline p = TradingPipeline.marketOnly(c, FROM, new TradingPipeline.PipelineStats());
        TradingSession echo = TradingSession.simulated(c, info, rules, "aqt-", new TradingPipeline.PipelineStats(), null);
        p.addSession(echo);
        EdgeStudy study = EdgeStudy.attach(p, echo, 0, 1, 90, 0.001, 0.5, s -> session("aqt-r" + s + "-"));
        FanOut.drive(new FanOut.Data(files, Set.of(), FROM, TO), p, null);
        assertThat(echo.portfolio().roundTrips()).as("the demo day trades").isNotEmpty();
        return (Map<String, Object>) study.full(7).get("projection");
    }

    /**
     * The bootstrap compounds realised PnL as the portfolio's capital rule does: with nothing reinvested the paths
     * differ from the default's full reinvestment, and the rule it states says which it used.
     */
    @Test
    void theProjectionReinvestsTheConfiguredShareOfRealisedPnl() {
        Map<String, Object> full = projectionWithReinvest("1");
        Map<String, Object> none = projectionWithReinvest("0");
        assertThat(full.get("capital_rule").toString()).startsWith("deployable = 0.5 x start + 1.0 x realised PnL");
        assertThat(none.get("capital_rule").toString()).startsWith("deployable = 0.5 x start + 0.0 x realised PnL");
        assertThat(none.get("from_usdt")).as("90-day paths with and without reinvestment").isNotEqualTo(full.get("from_usdt"));
    }

    @Test
    void aRandomSessionsCircuitBreakerTripsOncePerLosingExitEvenForSymbolsItNoLongerHolds() {
        TradingPipeline p = TradingPipeline.marketOnly(config, FROM, new TradingPipeline.PipelineStats());
        TradingSession echo = session("aqt-");
        p.addSession(echo);
        EdgeStudy study = EdgeStudy.attach(p, echo, 1, 5, 90, 0.001, 0.5, s -> session("aqt-r" + s + "-"));
        FanOut.drive(new FanOut.Data(files, Set.of(), FROM, TO), p, null);

        // a random session evaluates only what it holds or enters: the symbol it just left with a losing streak keeps
        // its market facts, but the pause execution applied must reach the rules, or the breaker trips every round
        TradingSession random = study.randomSessions().get(0);
        long losingExits = random.recorder().roundTrips().stream().filter(rt -> !rt.win()).count();
        long trips = random.stats().ruleFirings.getOrDefault("risk-circuit-breaker", 0L);
        assertThat(trips).as("breaker trips against %d losing exits", losingExits).isPositive().isLessThanOrEqualTo(losingExits);
        long cooldownMs = config.integer(io.aquatrade.config.ConfigKeys.RISK_CIRCUIT_BREAKER_COOLDOWN_MINUTES) * 60_000L;
        assertThat(random.execution().halts()).filteredOn(h -> "risk-circuit-breaker".equals(h.cause()))
                .isNotEmpty()
                .allSatisfy(h -> assertThat(h.untilMs() - h.timeMs()).as("pause of %s", h.symbol()).isEqualTo(cooldownMs));
    }

    /** The decisions of a run whose data ends before {@code toExclusive}; {@code peek} plants the peeking rule. */
    private static Map<Long, String> decisions(long toExclusive, boolean peek) {
        return decisions(toExclusive, peek ? new PeekingRule(files, toExclusive) : null);
    }

    private static Map<Long, String> decisions(long toExclusive, TradingSession.DecisionHook hook) {
        TradingPipeline p = TradingPipeline.marketOnly(config, FROM, new TradingPipeline.PipelineStats());
        TradingSession s = session("aqt-");
        if (hook != null) {
            s.setDecisionHook(hook);
        }
        Map<Long, String> d = new ConcurrentHashMap<>();
        s.addDecisionObserver((dec, nanos) -> {
            if (!dec.orders().isEmpty()) {
                d.put(dec.clockMs(), LookAheadCheck.describe(dec.orders()));
            }
        });
        p.addSession(s);
        FanOut.drive(new FanOut.Data(files, Set.of(), FROM, toExclusive), p, null);
        s.close();
        return d;
    }

    @Test
    void theLookAheadCheckPassesTheShippedRulesAndFlagsAPlantedPeekingRule() {
        LookAheadCheck.Result honest = LookAheadCheck.check(decisions(TO, false), cut -> decisions(cut, false), 4, 2);
        assertThat(honest.checked()).isEqualTo(4);
        assertThat(honest.passed()).as("%s", honest.mismatches()).isTrue();

        LookAheadCheck.Result peeking = LookAheadCheck.check(decisions(TO, true), cut -> decisions(cut, true), 4, 2);
        assertThat(peeking.passed()).isFalse();
        assertThat(peeking.mismatches()).anySatisfy(m -> assertThat(m).contains("peek-ahead"));
    }

    /**
     * The commonest profitable peek does not add an order, it drops one: an entry vetoed because the price falls
     * later. The decisions the full run took are then fewer, not different, at the times it sent orders; the cut
     * runs must still show it, at any decision up to the cut.
     */
    @Test
    void theLookAheadCheckFlagsARuleThatPeeksToVetoEntries() {
        Map<Long, String> full = decisions(TO, new VetoingRule(files, TO));
        LookAheadCheck.Result vetoing = LookAheadCheck.check(full, cut -> decisions(cut, new VetoingRule(files, cut)), 4, 2);
        assertThat(vetoing.passed()).as("a rule dropping entries by the price 15 minutes later").isFalse();
        assertThat(vetoing.mismatches()).anySatisfy(m -> assertThat(m).contains("BUY"));
    }

    /** Drops the rules' entries whose close 15 minutes later (read from the data the run was given) is lower. */
    static final class VetoingRule implements TradingSession.DecisionHook {
        private final PeekingRule data;

        VetoingRule(List<DataFile> files, long toExclusive) {
            data = new PeekingRule(files, toExclusive);
        }

        @Override
        public Decisions onDecisions(long nowMs, List<TradingSession.SymbolInput> inputs, Decisions d) {
            List<OrderIntent> orders = new ArrayList<>();
            for (OrderIntent o : d.orders()) {
                TreeMap<Long, Long> c = data.closes.get(o.symbol());
                Map.Entry<Long, Long> now = c == null ? null : c.floorEntry(nowMs);
                Map.Entry<Long, Long> later = c == null ? null : c.floorEntry(nowMs + 15 * 60_000L);
                boolean falls = now != null && later != null && later.getKey() > nowMs && later.getValue() < now.getValue();
                if (o.side() != Side.BUY || !falls) {
                    orders.add(o);
                }
            }
            return new Decisions(d.ruleSetVersion(), d.evaluation(), d.clockMs(), orders, d.stopUpdates(), d.riskEvents(),
                    d.entryBlocks(), d.firings(), d.totalFirings(), d.firingLimitReached(), d.errors());
        }
    }

    /**
     * A rule that cheats: it buys when the close 15 minutes later (read from the data the run was given) is
     * higher. Live it could not know that; cut the data after its decision and it no longer buys.
     */
    static final class PeekingRule implements TradingSession.DecisionHook {
        private final Map<String, TreeMap<Long, Long>> closes = new HashMap<>();

        PeekingRule(List<DataFile> files, long toExclusive) {
            try (MarketEventReader r = MarketData.openAll(files, ReadOptions.defaults()
                    .withWindow(new TimeWindow(Long.MIN_VALUE, toExclusive)))) {
                for (MarketEvent e = r.next(); e != null; e = r.next()) {
                    if (e instanceof Candle c) {
                        closes.computeIfAbsent(c.symbol(), k -> new TreeMap<>()).put(c.timeMs(), c.closeE8());
                    }
                }
            }
        }

        @Override
        public Decisions onDecisions(long nowMs, List<TradingSession.SymbolInput> inputs, Decisions d) {
            List<OrderIntent> orders = new ArrayList<>(d.orders());
            for (TradingSession.SymbolInput in : inputs) {
                TreeMap<Long, Long> c = closes.get(in.symbol());
                Map.Entry<Long, Long> now = c == null ? null : c.floorEntry(nowMs);
                Map.Entry<Long, Long> later = c == null ? null : c.floorEntry(nowMs + 15 * 60_000L);
                if (now != null && later != null && later.getKey() > nowMs && later.getValue() > now.getValue() * 1.004
                        && orders.stream().noneMatch(o -> o.symbol().equals(in.symbol()) && o.side() == Side.BUY)) {
                    orders.add(OrderIntent.enter(in.symbol(), new BigDecimal("50"), "peek-ahead", 1.0, 1.0, null));
                }
            }
            return new Decisions(d.ruleSetVersion(), d.evaluation(), d.clockMs(), orders, d.stopUpdates(), d.riskEvents(),
                    d.entryBlocks(), d.firings(), d.totalFirings(), d.firingLimitReached(), d.errors());
        }
    }
}
