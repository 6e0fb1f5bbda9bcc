package io.aquatrade.rules;

import io.aquatrade.model.Clock;
import io.aquatrade.model.Direction;
import io.aquatrade.model.KillSwitchLevel;
import io.aquatrade.model.OrderIntent;
import io.aquatrade.model.RiskState;
import io.aquatrade.model.Side;
import io.aquatrade.model.SymbolRisk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static io.aquatrade.rules.Fixtures.DAY;
import static io.aquatrade.rules.Fixtures.NOW;
import static io.aquatrade.rules.Fixtures.TEMPLATE;
import static io.aquatrade.rules.Fixtures.account;
import static io.aquatrade.rules.Fixtures.accountWith;
import static io.aquatrade.rules.Fixtures.bd;
import static io.aquatrade.rules.Fixtures.calm;
import static io.aquatrade.rules.Fixtures.match;
import static io.aquatrade.rules.Fixtures.position;
import static io.aquatrade.rules.Fixtures.snapshot;
import static io.aquatrade.rules.Fixtures.up;
import static io.aquatrade.rules.Fixtures.watch;
import static org.assertj.core.api.Assertions.assertThat;

/** entries.drl, with the guardrails of risk.drl that stop entries. Default config throughout unless stated. */
class DefaultEntryRulesTest {

    private RuleEngine engine = Fixtures.engine();

    @AfterEach
    void close() {
        engine.close();
    }

    private static List<String> entrySymbols(Decisions d) {
        return d.entries().stream().map(OrderIntent::symbol).toList();
    }

    @Test
    void upEchoWithActivityEntersWithTheConfiguredSizeAndProtectiveLevels() {
        watch(engine, "BTCUSDT", up("BTCUSDT", 0.95, TEMPLATE));

        Decisions d = engine.fire();

        assertThat(d.errors()).isEmpty();
        assertThat(d.orders()).singleElement().satisfies(o -> {
            assertThat(o.symbol()).isEqualTo("BTCUSDT");
            assertThat(o.side()).isEqualTo(Side.BUY);
            assertThat(o.quoteQty()).isEqualByComparingTo("100");
            assertThat(o.reason()).isEqualTo("entry-echo-up");
            assertThat(o.stopLossPct()).isEqualTo(2.1);
            assertThat(o.takeProfitPct()).isEqualTo(2.1);
            assertThat(o.templateDay()).isEqualTo(TEMPLATE);
        });
        assertThat(d.riskEvents()).isEmpty();
        assertThat(d.firings()).containsEntry("entry-echo-up", 1);
    }

    @Test
    void entrySizeAndLevelsFollowTheConfig() {
        engine.close();
        engine = Fixtures.engine(Fixtures.defaultRules(),
                Fixtures.params("strategy.entry_quote=37.5", "strategy.stop_loss_pct=0", "strategy.take_profit_pct=2.5"),
                Fixtures.limits());
        watch(engine, "ETHUSDT", up("ETHUSDT", 0.95, TEMPLATE));

        OrderIntent o = engine.fire().orders().get(0);

        assertThat(o.quoteQty()).isEqualByComparingTo("37.5");
        assertThat(o.stopLossPct()).as("0 = no protective stop").isNull();
        assertThat(o.takeProfitPct()).isEqualTo(2.5);
    }

    @Test
    void severalTemplatesOfOneSymbolGiveOneEntryFromTheMostSimilar() {
        watch(engine, "SOLUSDT", up("SOLUSDT", 0.92, "2024-01-01"), up("SOLUSDT", 0.97, "2024-02-02"),
                up("SOLUSDT", 0.94, "2024-02-10"));

        Decisions d = engine.fire();

        assertThat(d.orders()).singleElement().satisfies(o -> assertThat(o.templateDay()).isEqualTo("2024-02-02"));
        // ...and the blocked templates do not come back as entries once the intent is cleared.
        assertThat(engine.fire().orders()).isEmpty();
    }

    @Test
    void manySymbolsEnterAtOnceBestEchoFirst() {
        watch(engine, "AUSDT", up("AUSDT", 0.91, TEMPLATE));
        watch(engine, "BUSDT", up("BUSDT", 0.99, TEMPLATE));
        watch(engine, "CUSDT", up("CUSDT", 0.95, TEMPLATE));

        assertThat(entrySymbols(engine.fire())).containsExactly("BUSDT", "CUSDT", "AUSDT");
    }

    @Test
    void matchesBelowAnyThresholdOrDownDoNotEnter() {
        watch(engine, "LOWSIM", match("LOWSIM", 0.699, Direction.UP, 4.0, 1.5));
        watch(engine, "QUIET", match("QUIET", 0.95, Direction.UP, 4.0, 0.39));
        watch(engine, "SMALL", match("SMALL", 0.95, Direction.UP, 1.49, 1.5));
        watch(engine, "DOWN", match("DOWN", 0.99, Direction.DOWN, 6.0, 2.0));
        watch(engine, "EDGE", match("EDGE", 0.70, Direction.UP, 1.5, 0.4));

        assertThat(entrySymbols(engine.fire())).as("thresholds are inclusive").containsExactly("EDGE");
    }

    @Test
    void noEntryWhereAPositionIsOpen() {
        engine.updateSymbol(snapshot("BTCUSDT"), List.of(up("BTCUSDT", 0.95, TEMPLATE)),
                position("BTCUSDT", "100.1", "100.2", 5, "99", false), null, calm("BTCUSDT"));
        watch(engine, "ETHUSDT", up("ETHUSDT", 0.95, TEMPLATE));

        assertThat(entrySymbols(engine.fire())).containsExactly("ETHUSDT");
    }

    @Test
    void killSwitchReducingOrHaltedStopsEntries() {
        watch(engine, "BTCUSDT", up("BTCUSDT", 0.95, TEMPLATE));
        for (KillSwitchLevel level : List.of(KillSwitchLevel.REDUCING, KillSwitchLevel.HALTED)) {
            engine.setRiskState(new RiskState(level, false, null, DAY));
            Decisions d = engine.fire();
            assertThat(d.entries()).as(level.name()).isEmpty();
            assertThat(d.entryBlocks()).containsExactly(EntryBlock.all("risk-kill-switch", "kill switch " + level));
        }
        engine.setRiskState(Fixtures.active());
        assertThat(entrySymbols(engine.fire())).as("back to ACTIVE").containsExactly("BTCUSDT");
    }

    @Test
    void haltedEntriesStopEntries() {
        engine.setRiskState(new RiskState(KillSwitchLevel.ACTIVE, true, "daily loss", DAY));
        watch(engine, "BTCUSDT", up("BTCUSDT", 0.95, TEMPLATE));

        Decisions d = engine.fire();

        assertThat(d.entries()).isEmpty();
        assertThat(d.entryBlocks()).containsExactly(EntryBlock.all("risk-entries-halted", "daily loss"));
    }

    @Test
    void pausedSymbolDoesNotEnterOthersDo() {
        engine.updateSymbol(snapshot("BTCUSDT"), List.of(up("BTCUSDT", 0.99, TEMPLATE)), null, null,
                new SymbolRisk("BTCUSDT", 0, NOW + 1, "by hand"));
        watch(engine, "ETHUSDT", up("ETHUSDT", 0.95, TEMPLATE));

        Decisions d = engine.fire();

        assertThat(entrySymbols(d)).containsExactly("ETHUSDT");
        assertThat(d.entryBlocks()).extracting(EntryBlock::symbol, EntryBlock::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("BTCUSDT", "risk-symbol-paused"));

        // The pause ends at pausedUntilMs.
        engine.setClock(Clock.at(NOW + 1));
        assertThat(entrySymbols(engine.fire())).containsExactly("BTCUSDT");
    }

    @Test
    void capitalForTwoEntriesGivesTheTwoBestEchoes() {
        engine.setAccount(account(0, bd("250")));
        watch(engine, "AUSDT", up("AUSDT", 0.91, TEMPLATE));
        watch(engine, "BUSDT", up("BUSDT", 0.99, TEMPLATE));
        watch(engine, "CUSDT", up("CUSDT", 0.95, TEMPLATE));

        Decisions d = engine.fire();

        assertThat(entrySymbols(d)).containsExactly("BUSDT", "CUSDT");
        assertThat(d.entryBlocks()).extracting(EntryBlock::rule).containsExactly("risk-capital-exhausted");
    }

    @Test
    void noCapitalForOneEntryMeansNoEntry() {
        engine.setAccount(account(0, bd("99.99")));
        watch(engine, "AUSDT", up("AUSDT", 0.95, TEMPLATE));
        assertThat(engine.fire().entries()).isEmpty();
    }

    @Test
    void openPositionsStopAtTheCapCountingThisEvaluationsEntries() {
        engine.setAccount(account(11, bd("5000")));   // risk.max_open_positions = 12
        watch(engine, "AUSDT", up("AUSDT", 0.91, TEMPLATE));
        watch(engine, "BUSDT", up("BUSDT", 0.99, TEMPLATE));

        Decisions d = engine.fire();

        assertThat(entrySymbols(d)).containsExactly("BUSDT");
        assertThat(d.entryBlocks()).extracting(EntryBlock::rule).containsExactly("risk-max-open-positions");
    }

    @Test
    void orderBudgetPerMinuteKeepsRoomForExits() {
        // max_trades_per_minute 20 x trade_budget_fraction 0.8 = 16 orders for entries
        engine.setAccount(accountWith(bd("0"), 15, 15, 0, bd("0"), bd("5000")));
        watch(engine, "AUSDT", up("AUSDT", 0.91, TEMPLATE));
        watch(engine, "BUSDT", up("BUSDT", 0.99, TEMPLATE));

        Decisions d = engine.fire();
        assertThat(entrySymbols(d)).containsExactly("BUSDT");
        assertThat(d.entryBlocks()).extracting(EntryBlock::rule).containsExactly("risk-trade-budget-minute");

        engine.setAccount(accountWith(bd("0"), 16, 16, 0, bd("0"), bd("5000")));
        assertThat(engine.fire().entries()).isEmpty();
    }

    @Test
    void orderBudgetPerDayStopsEntries() {
        engine.setAccount(accountWith(bd("0"), 800, 0, 0, bd("0"), bd("5000")));  // 1000 x 0.8
        watch(engine, "AUSDT", up("AUSDT", 0.95, TEMPLATE));

        Decisions d = engine.fire();

        assertThat(d.entries()).isEmpty();
        assertThat(d.entryBlocks()).extracting(EntryBlock::rule).containsExactly("risk-trade-budget-day");
    }

    @Test
    void totalExposureCapStopsEntries() {
        engine.setAccount(accountWith(bd("0"), 0, 0, 5, bd("2900.01"), bd("5000")));  // + 100 > 3000
        watch(engine, "AUSDT", up("AUSDT", 0.95, TEMPLATE));
        assertThat(engine.fire().entryBlocks()).extracting(EntryBlock::rule).containsExactly("risk-total-exposure");

        engine.setAccount(accountWith(bd("0"), 0, 0, 5, bd("2900"), bd("5000")));
        assertThat(entrySymbols(engine.fire())).containsExactly("AUSDT");
    }

    @Test
    void reentryCooldownAfterAnExit() {
        // strategy.reentry_cooldown_minutes = 8
        engine.updateSymbol(snapshot("AUSDT"), List.of(up("AUSDT", 0.95, TEMPLATE)), null, null, calm("AUSDT"),
                new SymbolActivity("AUSDT", NOW - 3_600_000, NOW - 7 * 60_000 - 59_999, false));
        Decisions d = engine.fire();
        assertThat(d.entries()).isEmpty();
        assertThat(d.entryBlocks()).extracting(EntryBlock::rule).containsExactly("entry-reentry-cooldown");

        engine.setClock(Clock.at(NOW + 1));  // exactly 8 minutes after the exit
        assertThat(entrySymbols(engine.fire())).containsExactly("AUSDT");
    }

    @Test
    void noSecondEntryWhileOneIsInFlight() {
        engine.updateSymbol(snapshot("AUSDT"), List.of(up("AUSDT", 0.95, TEMPLATE)), null, null, calm("AUSDT"),
                new SymbolActivity("AUSDT", 0, 0, true));
        Decisions d = engine.fire();
        assertThat(d.entries()).isEmpty();
        assertThat(d.entryBlocks()).extracting(EntryBlock::rule).containsExactly("entry-pending");
    }

    @Test
    void unchangedFactsDoNotRepeatAnEntryButNewsDoes() {
        watch(engine, "AUSDT", up("AUSDT", 0.95, TEMPLATE));
        assertThat(engine.fire().entries()).hasSize(1);
        assertThat(engine.fire().entries()).as("nothing changed").isEmpty();

        // The pipeline did not act on it (e.g. the Java cap refused it) and the echo is still there next minute.
        engine.setClock(Clock.at(NOW + 60_000));
        engine.updateSymbol(snapshot("AUSDT"), List.of(new io.aquatrade.model.EchoMatch("AUSDT", NOW + 60_000, TEMPLATE,
                5, "30d", 0.95, Direction.UP, 4.0, 40, 1.5)), null, null, calm("AUSDT"));
        assertThat(engine.fire().entries()).hasSize(1);
    }

    @Test
    void entryQuoteIsExact() {
        watch(engine, "AUSDT", up("AUSDT", 0.95, TEMPLATE));
        BigDecimal q = engine.fire().orders().get(0).quoteQty();
        assertThat(q).isEqualTo(new BigDecimal("100"));
    }

    /**
     * Tick sources: a symbol whose second did not close this round keeps its market facts; the session gives the
     * engine its book as it stands (updateBook). A BUY in flight blocks the symbol (entry-pending); when its fill
     * lands between the symbol's bars the block goes and the position is there: the echo entry does not fire again.
     */
    @Test
    void anEntryThatFilledBetweenTheSymbolsBarsIsNotEnteredAgain() {
        String x = "BTCUSDT";
        watch(engine, x, up(x, 0.95, TEMPLATE));
        assertThat(engine.fire().orders()).extracting(OrderIntent::side).containsExactly(Side.BUY);

        // another symbol's second closed: the BUY is in flight
        engine.setClock(Clock.at(NOW + 300));
        engine.updateBook(x, null, calm(x), new SymbolActivity(x, 0, 0, true));
        assertThat(engine.fire().orders()).isEmpty();

        // the BUY filled; the next round is again another symbol's
        engine.setClock(Clock.at(NOW + 600));
        engine.updateBook(x, Fixtures.position(x, "100", "100", 0, null, false), calm(x),
                new SymbolActivity(x, NOW + 450, 0, false));
        assertThat(engine.fire().orders()).as("no second entry on a position that just filled").isEmpty();

        // once the position is closed, the echo may enter again (after the re-entry cooldown)
        long exit = NOW + 60_000;
        engine.setClock(Clock.at(exit + Fixtures.params().getReentryCooldownMs() + 1000));
        engine.updateBook(x, null, calm(x), new SymbolActivity(x, 0, exit, false));
        assertThat(engine.fire().orders()).extracting(OrderIntent::side).containsExactly(Side.BUY);
    }
}
