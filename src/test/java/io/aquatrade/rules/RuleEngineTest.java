package io.aquatrade.rules;

import io.aquatrade.model.Clock;
import io.aquatrade.model.OrderIntent;
import io.aquatrade.model.RiskEvent;
import io.aquatrade.model.Side;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.aquatrade.rules.Fixtures.NOW;
import static io.aquatrade.rules.Fixtures.TEMPLATE;
import static io.aquatrade.rules.Fixtures.account;
import static io.aquatrade.rules.Fixtures.accountWith;
import static io.aquatrade.rules.Fixtures.bd;
import static io.aquatrade.rules.Fixtures.calm;
import static io.aquatrade.rules.Fixtures.position;
import static io.aquatrade.rules.Fixtures.snapshot;
import static io.aquatrade.rules.Fixtures.track;
import static io.aquatrade.rules.Fixtures.up;
import static io.aquatrade.rules.Fixtures.watch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuleEngineTest {

    private static final String HEADER = """
            package custom;

            import io.aquatrade.model.EchoMatch;
            import io.aquatrade.model.OrderIntent;
            import io.aquatrade.model.Position;
            import io.aquatrade.rules.StrategyParams;

            global StrategyParams params;

            """;

    @TempDir
    Path tmp;

    private CompiledRuleSet compile(String name, String drl) throws IOException {
        return Fixtures.compile(tmp, name, HEADER, drl);
    }

    @Test
    void aRuleThatReactivatesItselfIsStoppedAtTheFiringLimitAndReported() throws IOException {
        CompiledRuleSet looping = compile("looping", """
                rule "spin"
                when
                    $m : EchoMatch( symbol == "AUSDT" )
                then
                    update( $m );
                end

                rule "buy"
                when
                    EchoMatch( $s : symbol )
                then
                    insert( OrderIntent.enter($s, params.getEntryQuote(), drools.getRule().getName(), null, null, null) );
                end

                rule "sell"
                when
                    Position( $s : symbol )
                then
                    insert( OrderIntent.exitAll($s, drools.getRule().getName()) );
                end
                """);
        try (RuleEngine engine = Fixtures.engine(looping, Fixtures.params(), Fixtures.limits())) {
            engine.updateSymbol(snapshot("AUSDT"), List.of(up("AUSDT", 0.95, TEMPLATE)),
                    position("AUSDT", "100", "100", 1, null, false), null, calm("AUSDT"));

            Decisions d = engine.fire();

            assertThat(d.firingLimitReached()).isTrue();
            assertThat(d.errors()).singleElement().isEqualTo("firing limit of 5000 rule firings reached in one "
                    + "evaluation: \"spin\" keeps re-activating; most fired: \"spin\" x5000, \"buy\" x1, \"sell\" x1; stopped for this "
                    + "evaluation, the other rules finished; BUY intents of this evaluation withheld");
            assertThat(d.firings()).containsEntry("spin", 5000).containsEntry("buy", 1).containsEntry("sell", 1);
            assertThat(d.entries()).as("no entries from a runaway evaluation").isEmpty();
            assertThat(d.exits()).as("the loop did not silence the exit; exits only reduce risk")
                    .containsExactly(OrderIntent.exitAll("AUSDT", "sell"));

            // The runaway's pending activations were discarded: the next evaluation is quiet until news.
            Decisions next = engine.fire();
            assertThat(next.errors()).isEmpty();
            assertThat(next.totalFirings()).isZero();
        }
    }

    @Test
    void anEvaluationThatUsesExactlyTheLimitIsNotARunaway() throws IOException {
        CompiledRuleSet rules = compile("plain", """
                rule "sell"
                when
                    Position( $s : symbol )
                then
                    insert( OrderIntent.exitAll($s, drools.getRule().getName()) );
                end
                """);
        try (RuleEngine engine = new RuleEngine(rules, Fixtures.params(), Fixtures.limits(), 2)) {
            engine.setClock(Clock.at(NOW));
            engine.setAccount(account(2, bd("100")));
            engine.setRiskState(Fixtures.active());
            for (String s : List.of("AUSDT", "BUSDT")) {
                engine.updateSymbol(snapshot(s), List.of(), position(s, "100", "100", 1, null, false), null, calm(s));
            }
            Decisions d = engine.fire();
            assertThat(d.firingLimitReached()).isFalse();
            assertThat(d.errors()).isEmpty();
            assertThat(d.exits()).hasSize(2);
        }
    }

    @Test
    void aConsequenceThatThrowsIsReportedByRuleAndTheOthersStillDecide() throws IOException {
        CompiledRuleSet rules = compile("throwing", """
                rule "boom"
                    salience 10
                when
                    EchoMatch( symbol == "BADUSDT" )
                then
                    throw new IllegalStateException("no price for this one");
                end

                rule "buy"
                when
                    EchoMatch( $s : symbol )
                then
                    insert( OrderIntent.enter($s, params.getEntryQuote(), drools.getRule().getName(), null, null, null) );
                end
                """);
        try (RuleEngine engine = Fixtures.engine(rules, Fixtures.params(), Fixtures.limits())) {
            watch(engine, "BADUSDT", up("BADUSDT", 0.95, TEMPLATE));
            watch(engine, "GOODUSDT", up("GOODUSDT", 0.95, TEMPLATE));

            Decisions d = engine.fire();

            assertThat(d.errors()).containsExactly(
                    "rule \"boom\" failed on BADUSDT: IllegalStateException: no price for this one");
            assertThat(d.entries()).extracting(OrderIntent::symbol).containsExactlyInAnyOrder("BADUSDT", "GOODUSDT");
            assertThat(d.firingLimitReached()).isFalse();
        }
    }

    @Test
    void aConditionThatFailsAtRunTimeIsReportedAndTheSessionRebuilt() throws IOException {
        // Passes the compiler's dry run (whose sample symbol is not BADUSDT) and fails on the real fact.
        CompiledRuleSet rules = compile("fragile", """
                rule "fragile"
                when
                    EchoMatch( symbol == "BADUSDT", templateDay.substring(40) == "x" )
                then
                end

                rule "buy"
                when
                    EchoMatch( $s : symbol )
                then
                    insert( OrderIntent.enter($s, params.getEntryQuote(), drools.getRule().getName(), null, null, null) );
                end

                rule "sell"
                when
                    Position( $s : symbol )
                then
                    insert( OrderIntent.exitAll($s, drools.getRule().getName()) );
                end
                """);
        try (RuleEngine engine = Fixtures.engine(rules, Fixtures.params(), Fixtures.limits())) {
            engine.updateSymbol(snapshot("AUSDT"), List.of(up("AUSDT", 0.95, TEMPLATE)),
                    position("AUSDT", "100", "100", 1, null, false), null, calm("AUSDT"));
            watch(engine, "BADUSDT", up("BADUSDT", 0.95, TEMPLATE));

            Decisions d = engine.fire();

            assertThat(d.errors()).containsExactly("rule evaluation failed, session rebuilt from the current facts: "
                    + "Error evaluating constraint 'templateDay.substring(40) == \"x\"' in [Rule \"fragile\" in fragile/fragile.drl]");
            assertThat(d.entries()).isEmpty();

            // Still failing while the fact is there; fine again once it is gone, with every other fact kept.
            assertThat(engine.fire().errors()).hasSize(1);
            engine.removeSymbol("BADUSDT");
            Decisions after = engine.fire();
            assertThat(after.errors()).isEmpty();
            assertThat(after.orders()).containsExactlyInAnyOrder(OrderIntent.exitAll("AUSDT", "sell"),
                    OrderIntent.enter("AUSDT", bd("100"), "buy", null, null, null));
        }
    }

    @Test
    void swapCarriesEveryFactAndTheNewRulesDecide() throws IOException {
        CompiledRuleSet alternative = compile("alternative", """
                rule "alt-exit"
                when
                    Position( $s : symbol )
                then
                    insert( OrderIntent.exitAll($s, drools.getRule().getName()) );
                end
                """);
        try (RuleEngine engine = Fixtures.engine()) {
            engine.updateSymbol(snapshot("AUSDT"), List.of(), position("AUSDT", "100.1", "100.2", 5, "99", false), null,
                    calm("AUSDT"));
            engine.updateSymbol(snapshot("BUSDT"), List.of(), position("BUSDT", "100.1", "100.2", 6, "99", false), null,
                    calm("BUSDT"));
            watch(engine, "CUSDT", up("CUSDT", 0.95, TEMPLATE));
            Decisions before = engine.fire();
            assertThat(before.exits()).as("young positions: default rules hold").isEmpty();
            assertThat(before.entries()).extracting(OrderIntent::symbol).containsExactly("CUSDT");
            long facts = engine.factCount();

            String defaultVersion = engine.version();
            SwapResult swap = engine.swap(alternative);

            assertThat(swap.oldVersion()).isEqualTo(defaultVersion);
            assertThat(swap.newVersion()).isEqualTo(alternative.version()).isEqualTo(engine.version());
            assertThat(swap.factsCarried()).isEqualTo(3 /* clock, account, risk */ + 3 * 3 /* snapshot, risk, activity */
                    + 2 /* positions */ + 1 /* match */);
            Decisions after = engine.fire();
            assertThat(after.ruleSetVersion()).isEqualTo(alternative.version());
            assertThat(after.exits()).containsExactly(OrderIntent.exitAll("AUSDT", "alt-exit"),
                    OrderIntent.exitAll("BUSDT", "alt-exit"));
            assertThat(after.entries()).isEmpty();

            // and back: the default rules see the same facts again (the echo of CUSDT enters again: news to them)
            engine.swap(Fixtures.defaultRules());
            Decisions back = engine.fire();
            assertThat(back.exits()).isEmpty();
            assertThat(back.entries()).extracting(OrderIntent::symbol).containsExactly("CUSDT");
            assertThat(engine.factCount()).isEqualTo(facts);
        }
    }

    /**
     * A symbol without a bar this round (ticks: its second did not close) keeps its market facts, but its position as
     * the book holds it now: one filled since appears, one sold since is gone, one only marked anew stays in place.
     */
    @Test
    void betweenBarsTheRulesSeeAFillOrASaleButNotANewMark() throws IOException {
        CompiledRuleSet exitAny = compile("exit-any", """
                rule "exit-any-position"
                when
                    Position( $s : symbol, exitPending == false )
                then
                    insert( OrderIntent.exitAll($s, drools.getRule().getName()) );
                end
                """);
        try (RuleEngine engine = Fixtures.engine(exitAny, Fixtures.params(), Fixtures.limits())) {
            engine.updateSymbol(snapshot("AUSDT"), List.of(), null, null, calm("AUSDT"));
            assertThat(engine.fire().exits()).isEmpty();
            long facts = engine.factCount();

            // the entry filled since AUSDT's last bar
            engine.updateBook("AUSDT", position("AUSDT", "100.1", "100.2", 0, "99", false), calm("AUSDT"),
                    new SymbolActivity("AUSDT", NOW, 0, false));
            assertThat(engine.fire().exits()).containsExactly(OrderIntent.exitAll("AUSDT", "exit-any-position"));
            assertThat(engine.factCount()).isEqualTo(facts + 1);

            // only the marks moved (another price, longer held): the fact stays as it was, nothing re-fires
            engine.updateBook("AUSDT", position("AUSDT", "100.4", "100.4", 0, "99", false), calm("AUSDT"),
                    new SymbolActivity("AUSDT", NOW, 0, false));
            assertThat(engine.fire().exits()).isEmpty();

            // the exit was sent: the rule's "exitPending == false" no longer holds, then the position is sold
            engine.updateBook("AUSDT", position("AUSDT", "100.1", "100.2", 0, "99", true), calm("AUSDT"),
                    new SymbolActivity("AUSDT", NOW, 0, true));
            assertThat(engine.fire().exits()).isEmpty();
            engine.updateBook("AUSDT", null, calm("AUSDT"), new SymbolActivity("AUSDT", NOW, NOW + 5_000, false));
            assertThat(engine.fire().exits()).isEmpty();
            assertThat(engine.factCount()).isEqualTo(facts);

            // a symbol the engine holds no facts of is left alone
            engine.updateBook("BUSDT", position("BUSDT", "100.1", "100.2", 0, "99", false), calm("BUSDT"),
                    SymbolActivity.none("BUSDT"));
            assertThat(engine.symbols()).containsExactly("AUSDT");
        }
    }

    @Test
    void reconfigureAppliesNewThresholdsToTheCurrentFacts() {
        try (RuleEngine engine = Fixtures.engine()) {
            watch(engine, "AUSDT", up("AUSDT", 0.95, TEMPLATE));
            engine.reconfigure(Fixtures.params("strategy.min_similarity=0.96"), Fixtures.limits());
            assertThat(engine.fire().entries()).isEmpty();

            SwapResult r = engine.reconfigure(Fixtures.params("strategy.min_similarity=0.95"), Fixtures.limits());
            assertThat(r.newVersion()).isEqualTo(r.oldVersion());
            assertThat(engine.fire().entries()).hasSize(1);
        }
    }

    @Test
    void sameInputsGiveIdenticalDecisionsInTheSameOrder() {
        List<List<Object>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            List<Object> out = new ArrayList<>();
            try (RuleEngine engine = Fixtures.engine()) {
                for (int minute = 0; minute < 5; minute++) {
                    long now = NOW + minute * 60_000L;
                    engine.setClock(Clock.at(now));
                    engine.setAccount(accountWith(bd("-10"), 20 + minute, minute, 2, bd("200"), bd("400")));
                    for (int i = 0; i < 12; i++) {
                        String s = "S" + i + "USDT";
                        boolean stale = i == 3 && minute == 2;
                        engine.updateSymbol(snapshot(s, stale),
                                List.of(up(s, 0.90 + (i % 5) * 0.02, "2024-01-0" + (1 + minute)),
                                        up(s, 0.91 + (i % 3) * 0.03, "2024-02-0" + (1 + minute))),
                                i % 4 == 0 ? position(s, "100.9", "101." + i, 85 + minute, "99", false) : null,
                                i % 4 == 0 ? track(s, 85 + minute, 0.9, 2.5 - i * 0.1, 0.6) : null,
                                new io.aquatrade.model.SymbolRisk(s, i % 6, 0, null));
                    }
                    Decisions d = engine.fire();
                    out.add(d.orders());
                    out.add(d.stopUpdates());
                    out.add(d.riskEvents());
                    out.add(d.entryBlocks());
                    out.add(d.firings());
                }
            }
            runs.add(out);
        }
        assertThat(runs.get(1)).isEqualTo(runs.get(0));
        // the scenario exercised entries, exits, stops and guardrails
        @SuppressWarnings("unchecked")
        List<OrderIntent> all = runs.get(0).stream().filter(o -> o instanceof List<?> l && !l.isEmpty()
                && l.get(0) instanceof OrderIntent).flatMap(o -> ((List<OrderIntent>) o).stream()).toList();
        assertThat(all).extracting(OrderIntent::side).contains(Side.BUY, Side.SELL);
        assertThat(runs.get(0).stream().filter(o -> o instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof RiskEvent))
                .isNotEmpty();
    }

    @Test
    void fireNeedsTheAccountWideFacts() {
        try (RuleEngine engine = new RuleEngine(Fixtures.defaultRules(), Fixtures.params(), Fixtures.limits())) {
            engine.setClock(Clock.at(NOW));
            assertThatThrownBy(engine::fire).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("missing: Account RiskState");
        }
    }

    @Test
    void factsOfAnotherSymbolAreRefused() {
        try (RuleEngine engine = Fixtures.engine()) {
            assertThatThrownBy(() -> engine.updateSymbol(snapshot("AUSDT"), List.of(up("BUSDT", 0.95, TEMPLATE)), null,
                    null, calm("AUSDT")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("updateSymbol(AUSDT): the EchoMatch is for BUSDT");
            assertThatThrownBy(() -> engine.updateSymbol(snapshot("AUSDT"), List.of(), null, null, calm("CUSDT")))
                    .hasMessage("updateSymbol(AUSDT): the SymbolRisk is for CUSDT");
        }
    }

    @Test
    void removedSymbolLeavesTheSession() {
        try (RuleEngine engine = Fixtures.engine()) {
            long base = engine.factCount();
            engine.updateSymbol(snapshot("AUSDT"), List.of(up("AUSDT", 0.95, TEMPLATE)),
                    position("AUSDT", "100", "100", 100, null, false), null, calm("AUSDT"));
            engine.removeSymbol("AUSDT");
            assertThat(engine.symbols()).isEmpty();
            assertThat(engine.factCount()).isEqualTo(base);
            assertThat(engine.fire().orders()).isEmpty();
        }
    }

    @Test
    void echoMatchesAreReplacedWholesale() {
        try (RuleEngine engine = Fixtures.engine()) {
            watch(engine, "AUSDT", up("AUSDT", 0.95, "2024-01-01"), up("AUSDT", 0.93, "2024-01-02"));
            long withTwo = engine.factCount();
            watch(engine, "AUSDT", up("AUSDT", 0.96, "2024-01-03"));
            assertThat(engine.factCount()).isEqualTo(withTwo - 1);
            assertThat(engine.fire().orders()).singleElement()
                    .satisfies(o -> assertThat(o.templateDay()).isEqualTo("2024-01-03"));
        }
    }

    @Test
    void evaluationsAreCountedAndStampedWithTheClock() {
        try (RuleEngine engine = Fixtures.engine()) {
            assertThat(engine.fire().evaluation()).isEqualTo(1);
            engine.setClock(Clock.at(NOW + 5));
            Decisions d = engine.fire();
            assertThat(d.evaluation()).isEqualTo(2);
            assertThat(d.clockMs()).isEqualTo(NOW + 5);
            assertThat(d.ruleSetVersion()).isEqualTo(Fixtures.defaultRules().version());
        }
    }

    @Test
    void aClosedEngineRefusesWork() {
        RuleEngine engine = Fixtures.engine();
        engine.close();
        assertThatThrownBy(engine::fire).isInstanceOf(IllegalStateException.class).hasMessage("rule engine is closed");
    }

    @Test
    void rulesReadTheRollingWindowsOfTheSnapshot() throws IOException {
        CompiledRuleSet rs = compile("windows", """
                import io.aquatrade.model.MarketSnapshot;

                rule "burst"
                when
                    MarketSnapshot( windows.last10s.returnPct > 0.5, windows.last10s.trades >= 5, $s : symbol )
                then
                    insert( OrderIntent.enter($s, params.getEntryQuote(), drools.getRule().getName(), null, null, null) );
                end
                """);
        io.aquatrade.model.MarketWindows.Window burst = new io.aquatrade.model.MarketWindows.Window(0.8, 0.9, 3.0, 12, 10_000);
        io.aquatrade.model.MarketWindows.Window quiet = new io.aquatrade.model.MarketWindows.Window(0.1, 0.2, 1.0, 2, 10_000);
        io.aquatrade.model.MarketWindows.Window u = io.aquatrade.model.MarketWindows.Window.UNKNOWN;
        try (RuleEngine engine = new RuleEngine(rs, Fixtures.params(), Fixtures.limits())) {
            engine.setClock(Clock.at(NOW));
            engine.setAccount(Fixtures.account(0, bd("5000")));
            engine.setRiskState(Fixtures.active());
            for (var entry : java.util.Map.of("AUSDT", burst, "BUSDT", quiet, "CUSDT", u).entrySet()) {
                io.aquatrade.model.MarketSnapshot base = Fixtures.snapshot(entry.getKey());
                io.aquatrade.model.MarketSnapshot snap = new io.aquatrade.model.MarketSnapshot(base.symbol(), base.timeMs(), base.lastPrice(), base.dayOpen(),
                        base.dayChangePct(), base.dayRangePct(), base.ret1mPct(), base.ret5mPct(), base.ret15mPct(),
                        base.volatility1hPct(), base.volumeRatio15m(), base.lastEventAgeMs(), base.stale(),
                        base.minutesOfHistory(), new io.aquatrade.model.MarketWindows(entry.getValue(), u, u, u, u, u));
                engine.updateSymbol(snap, java.util.List.of(), null, null, Fixtures.calm(entry.getKey()));
            }
            Decisions d = engine.fire();
            assertThat(d.orders()).extracting(io.aquatrade.model.OrderIntent::symbol).containsExactly("AUSDT");
        }
    }
}
