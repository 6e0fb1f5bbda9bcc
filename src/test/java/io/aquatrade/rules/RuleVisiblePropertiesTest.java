package io.aquatrade.rules;

import io.aquatrade.model.Account;
import io.aquatrade.model.Clock;
import io.aquatrade.model.EchoMatch;
import io.aquatrade.model.MarketSnapshot;
import io.aquatrade.model.Position;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;

import static io.aquatrade.rules.Fixtures.NOW;
import static io.aquatrade.rules.Fixtures.bd;
import static io.aquatrade.rules.Fixtures.calm;
import static org.assertj.core.api.Assertions.assertThat;

/** The engine skips fact updates no rule can see; what counts as seen comes from the compiled patterns. */
class RuleVisiblePropertiesTest {

    private static final String HEADER = """
            package custom;

            import io.aquatrade.model.MarketSnapshot;
            import io.aquatrade.model.RiskEvent;

            """;

    @TempDir
    Path tmp;

    private CompiledRuleSet compile(String name, String drl) throws IOException {
        return Fixtures.compile(tmp, name, HEADER, drl);
    }

    @Test
    void theDefaultRulesSeeOfASnapshotOnlyItsSymbolStalenessAndAgeAndAllOfAnEchoMatch() {
        RuleVisibleProperties v = Fixtures.defaultRules().visibleProperties();
        assertThat(v.visible(MarketSnapshot.class)).containsExactlyInAnyOrder("symbol", "stale", "lastEventAgeMs");
        assertThat(v.visible(EchoMatch.class)).as("entry-echo-up binds the match itself").isNull();
        assertThat(v.visible(Account.class)).contains("todayPnl", "tradesLastMinute", "tradesToday", "openPositions",
                "availableQuote", "exposure").doesNotContain("equity", "cash");
        assertThat(v.visible(Position.class)).contains("symbol", "exitPending", "heldMinutes", "unrealizedPct",
                "peakPrice", "stopPrice", "costQuote", "entryTemplateDay");
    }

    @Test
    void aPatternThatBindsTheFactOrReadsAPropertyMakesItVisible() throws IOException {
        CompiledRuleSet bound = compile("bound", """
                rule "bound"
                when
                    $m : MarketSnapshot( stale == true )
                then
                    insert( RiskEvent.pauseSymbol($m.getSymbol(), 1L, $m.getLastPrice().toPlainString()) );
                end
                """);
        assertThat(bound.visibleProperties().visible(MarketSnapshot.class)).isNull();
        CompiledRuleSet price = compile("price", PRICED);
        assertThat(price.visibleProperties().visible(MarketSnapshot.class)).containsExactlyInAnyOrder("lastPrice", "symbol");
    }

    @Test
    void factsGatheredWholeByACollectOrAnAccumulateOverNothingBoundAreVisibleWhole() throws IOException {
        CompiledRuleSet collected = compile("collected", """
                import java.util.List;
                rule "collected"
                when
                    $l : List( size > 2 ) from collect( MarketSnapshot( stale == false ) )
                then
                    insert( RiskEvent.pauseSymbol("AUSDT", 1L, "" + $l) );
                end
                """);
        assertThat(collected.visibleProperties().visible(MarketSnapshot.class)).isNull();
        CompiledRuleSet counted = compile("counted", """
                rule "counted"
                when
                    accumulate( MarketSnapshot( stale == true ); $n : count() )
                then
                    insert( RiskEvent.pauseSymbol("AUSDT", 1L, "" + $n) );
                end
                """);
        assertThat(counted.visibleProperties().visible(MarketSnapshot.class)).as("conservative: nothing bound").isNull();
        CompiledRuleSet queried = compile("queried", """
                query "snapshots"( String $s )
                    $m : MarketSnapshot( symbol == $s )
                end
                """);
        assertThat(queried.visibleProperties().visible(MarketSnapshot.class)).as("a query returns the fact").isNull();
    }

    /** Reads of a snapshot only its symbol and price. */
    private static final String PRICED = """
            rule "priced"
            when
                MarketSnapshot( lastPrice > 0, $s : symbol )
            then
                insert( RiskEvent.pauseSymbol($s, 2L, "priced") );
            end
            """;

    /** Reads of a snapshot only its symbol and staleness. */
    private static final String FRESH = """
            rule "fresh"
            when
                MarketSnapshot( stale == false, $s : symbol )
            then
                insert( RiskEvent.pauseSymbol($s, 1L, "fresh") );
            end
            """;

    @Test
    void aSnapshotChangedOnlyWhereNoRuleLooksDoesNotReFireItsRuleAVisibleChangeDoes() throws IOException {
        CompiledRuleSet rules = compile("fresh", FRESH);
        try (RuleEngine engine = withSnapshot(rules, snap("100", false))) {
            assertThat(engine.fire().riskEvents()).hasSize(1);

            next(engine, NOW + 1000, snap("101", false));
            assertThat(engine.fire().totalFirings()).as("only the price moved: the rule cannot see it").isZero();

            next(engine, NOW + 2000, snap("101", true));
            engine.fire();
            next(engine, NOW + 3000, snap("102", false));
            assertThat(engine.fire().riskEvents()).as("stale changed twice: the rule matches again").hasSize(1);
        }
    }

    @Test
    void aChangeReFiresOnlyTheRulesWhosePatternsReadTheChangedProperty() throws IOException {
        CompiledRuleSet rules = compile("two", FRESH + PRICED);
        assertThat(rules.visibleProperties().visible(MarketSnapshot.class))
                .containsExactlyInAnyOrder("stale", "lastPrice", "symbol");
        try (RuleEngine engine = withSnapshot(rules, snap("100", false))) {
            assertThat(engine.fire().firings()).containsOnlyKeys("fresh", "priced");

            next(engine, NOW + 1000, snap("101", false));
            Decisions priceMoved = engine.fire();
            assertThat(priceMoved.firings()).as("only the price moved: the rule that reads it looks again, not the other")
                    .containsOnlyKeys("priced");
            assertThat(priceMoved.riskEvents()).extracting(e -> e.reason()).containsExactly("priced");
        }
    }

    /** An engine over {@code rules} at NOW with a calm account and {@code first} as AUSDT's snapshot. */
    private static RuleEngine withSnapshot(CompiledRuleSet rules, MarketSnapshot first) {
        RuleEngine engine = Fixtures.engine(rules, Fixtures.params(), Fixtures.limits());
        engine.setClock(Clock.at(NOW));
        engine.setAccount(Fixtures.account(0, bd("100")));
        engine.setRiskState(Fixtures.active());
        engine.updateSymbol(first, List.of(), null, null, calm("AUSDT"));
        return engine;
    }

    /** The next decision point: the clock at {@code nowMs}, AUSDT's snapshot replaced. */
    private static void next(RuleEngine engine, long nowMs, MarketSnapshot snapshot) {
        engine.setClock(Clock.at(nowMs));
        engine.updateSymbol(snapshot, List.of(), null, null, calm("AUSDT"));
    }

    private static MarketSnapshot snap(String price, boolean stale) {
        return new MarketSnapshot("AUSDT", NOW, new BigDecimal(price), bd("100"), 0, 0, 0, 0, 0, 0, 1, 0, stale, 100);
    }
}
