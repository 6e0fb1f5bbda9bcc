package io.aquatrade.rules;

import io.aquatrade.model.Clock;
import io.aquatrade.model.KillSwitchLevel;
import io.aquatrade.model.RiskEvent;
import io.aquatrade.model.RiskState;
import io.aquatrade.model.SymbolRisk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.aquatrade.rules.Fixtures.DAY;
import static io.aquatrade.rules.Fixtures.NOW;
import static io.aquatrade.rules.Fixtures.TEMPLATE;
import static io.aquatrade.rules.Fixtures.accountWith;
import static io.aquatrade.rules.Fixtures.bd;
import static io.aquatrade.rules.Fixtures.calm;
import static io.aquatrade.rules.Fixtures.snapshot;
import static io.aquatrade.rules.Fixtures.up;
import static io.aquatrade.rules.Fixtures.watch;
import static org.assertj.core.api.Assertions.assertThat;

/** risk.drl's guardrail decisions (RiskEvents); the entry blocks are covered with the entries. */
class DefaultRiskRulesTest {

    private static final long MINUTE = 60_000;

    private RuleEngine engine = Fixtures.engine();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void dailyLossHaltsEntriesBeforeTheHardCap() {
        // risk.max_daily_loss_quote 300 x daily_loss_halt_fraction 0.8 = 240
        watch(engine, "AUSDT", up("AUSDT", 0.95, TEMPLATE));
        engine.setAccount(accountWith(bd("-239.99"), 10, 0, 0, bd("0"), bd("5000")));
        Decisions before = engine.fire();
        assertThat(before.riskEvents()).isEmpty();
        assertThat(before.entries()).hasSize(1);

        engine.setClock(Clock.at(NOW + MINUTE));
        engine.setAccount(accountWith(bd("-240"), 10, 0, 0, bd("0"), bd("5000")));
        watch(engine, "BUSDT", up("BUSDT", 0.99, TEMPLATE));
        Decisions d = engine.fire();

        assertThat(d.riskEvents()).containsExactly(RiskEvent.haltEntriesToday("risk-daily-loss-halt"));
        assertThat(d.entries()).as("no entry in the evaluation that halts").isEmpty();
        assertThat(d.entryBlocks()).containsExactly(EntryBlock.all("risk-daily-loss-halt", "today's P&L -240"));

        // Once the pipeline applied it, the rule is quiet and the halt itself blocks.
        engine.setRiskState(new RiskState(KillSwitchLevel.ACTIVE, true, "risk-daily-loss-halt", DAY));
        Decisions after = engine.fire();
        assertThat(after.riskEvents()).isEmpty();
        assertThat(after.entryBlocks()).extracting(EntryBlock::rule).containsExactly("risk-entries-halted");
    }

    @Test
    void dailyLossThresholdFollowsTheConfig() {
        engine.close();
        engine = Fixtures.engine(Fixtures.defaultRules(), Fixtures.params("strategy.entry_quote=50"),
                Fixtures.limits("risk.max_daily_loss_quote=100"));
        engine.setAccount(accountWith(bd("-80"), 0, 0, 0, bd("0"), bd("5000")));
        assertThat(engine.fire().riskEvents()).containsExactly(RiskEvent.haltEntriesToday("risk-daily-loss-halt"));
    }

    @Test
    void circuitBreakerPausesASymbolAfterConsecutiveLosses() {
        // risk.circuit_breaker_losses 4, cooldown 120 min
        SymbolActivity lostAMinuteAgo = new SymbolActivity("AUSDT", NOW - 30 * MINUTE, NOW - MINUTE, false);
        engine.updateSymbol(snapshot("AUSDT"), List.of(up("AUSDT", 0.99, TEMPLATE)), null, null,
                new SymbolRisk("AUSDT", 3, 0, null), lostAMinuteAgo.withExit(NOW - 20 * MINUTE));
        assertThat(engine.fire().riskEvents()).as("3 losses").isEmpty();

        engine.setClock(Clock.at(NOW));
        engine.updateSymbol(snapshot("AUSDT"), List.of(up("AUSDT", 0.99, TEMPLATE)), null, null,
                new SymbolRisk("AUSDT", 4, 0, null), lostAMinuteAgo.withExit(NOW - 15 * MINUTE));
        Decisions d = engine.fire();

        long until = NOW + 120 * MINUTE;
        assertThat(d.riskEvents()).containsExactly(RiskEvent.pauseSymbol("AUSDT", until, "risk-circuit-breaker"));
        assertThat(d.entries()).isEmpty();

        // Applied by the pipeline: paused, no new event.
        engine.updateSymbol(snapshot("AUSDT"), List.of(up("AUSDT", 0.99, TEMPLATE)), null, null,
                new SymbolRisk("AUSDT", 4, until, "risk-circuit-breaker"));
        Decisions paused = engine.fire();
        assertThat(paused.riskEvents()).isEmpty();
        assertThat(paused.entryBlocks()).extracting(EntryBlock::rule).containsExactly("risk-symbol-paused");

        // Cooldown over, still 4 losses in a row but no new loss: trades again, no second trip.
        engine.setClock(Clock.at(until));
        Decisions resumed = engine.fire();
        assertThat(resumed.riskEvents()).isEmpty();
        assertThat(resumed.entries()).hasSize(1);

        // A fifth loss after the pause trips it again.
        engine.setClock(Clock.at(until + 30 * MINUTE));
        engine.updateSymbol(snapshot("AUSDT"), List.of(), null, null,
                new SymbolRisk("AUSDT", 5, until, "risk-circuit-breaker"),
                new SymbolActivity("AUSDT", until + 5 * MINUTE, until + 29 * MINUTE, false));
        assertThat(engine.fire().riskEvents()).containsExactly(
                RiskEvent.pauseSymbol("AUSDT", until + 30 * MINUTE + 120 * MINUTE, "risk-circuit-breaker"));
    }

    @Test
    void staleFeedPausesTheSymbolAndBlocksItsEntries() {
        engine.updateSymbol(snapshot("AUSDT", true), List.of(up("AUSDT", 0.99, TEMPLATE)), null, null, calm("AUSDT"));
        watch(engine, "BUSDT", up("BUSDT", 0.95, TEMPLATE));

        Decisions d = engine.fire();

        // risk.stale_feed_seconds = 180
        assertThat(d.riskEvents()).containsExactly(RiskEvent.pauseSymbol("AUSDT", NOW + 180_000, "risk-stale-feed-pause"));
        assertThat(d.entries()).extracting(o -> o.symbol()).containsExactly("BUSDT");
        assertThat(d.entryBlocks()).extracting(EntryBlock::symbol, EntryBlock::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("AUSDT", "risk-stale-feed-pause"));
    }

    @Test
    void aFeedThatStaysSilentRenewsItsPauseBeforeItRunsOut() {
        // the pause of the previous stale check ends in a second: renewed now, so it never lapses between checks
        engine.updateSymbol(snapshot("AUSDT", true), List.of(up("AUSDT", 0.99, TEMPLATE)), null, null,
                new SymbolRisk("AUSDT", 0, NOW + 1_000, "risk-stale-feed-pause"));
        Decisions d = engine.fire();
        assertThat(d.riskEvents()).containsExactly(RiskEvent.pauseSymbol("AUSDT", NOW + 180_000, "risk-stale-feed-pause"));
        assertThat(d.entries()).isEmpty();

        // a longer pause already runs (circuit breaker): nothing to renew, the pause itself blocks
        engine.updateSymbol(snapshot("AUSDT", true), List.of(up("AUSDT", 0.99, TEMPLATE)), null, null,
                new SymbolRisk("AUSDT", 4, NOW + 120 * MINUTE, "risk-circuit-breaker"));
        Decisions paused = engine.fire();
        assertThat(paused.riskEvents()).isEmpty();
        assertThat(paused.entryBlocks()).extracting(EntryBlock::rule).containsExactly("risk-symbol-paused");
    }

    @Test
    void guardrailsDecideBeforeEntriesAndExitsInOneEvaluation() {
        engine.setAccount(accountWith(bd("-250"), 10, 0, 1, bd("100"), bd("5000")));
        engine.updateSymbol(snapshot("AUSDT", true), List.of(), null, null, calm("AUSDT"));
        engine.updateSymbol(snapshot("BUSDT"), List.of(), Fixtures.position("BUSDT", "100", "100.1", 95, "99", false),
                null, calm("BUSDT"));
        watch(engine, "CUSDT", up("CUSDT", 0.95, TEMPLATE));

        Decisions d = engine.fire();

        assertThat(d.riskEvents()).extracting(RiskEvent::kind)
                .containsExactly(RiskEvent.Kind.HALT_ENTRIES_TODAY, RiskEvent.Kind.PAUSE_SYMBOL);
        assertThat(d.exits()).hasSize(1);
        assertThat(d.entries()).isEmpty();
    }
}
