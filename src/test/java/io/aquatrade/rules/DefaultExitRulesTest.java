package io.aquatrade.rules;

import io.aquatrade.model.Clock;
import io.aquatrade.model.KillSwitchLevel;
import io.aquatrade.model.OrderIntent;
import io.aquatrade.model.Position;
import io.aquatrade.model.RiskState;
import io.aquatrade.model.StopUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static io.aquatrade.rules.Fixtures.DAY;
import static io.aquatrade.rules.Fixtures.NOW;
import static io.aquatrade.rules.Fixtures.calm;
import static io.aquatrade.rules.Fixtures.position;
import static io.aquatrade.rules.Fixtures.snapshot;
import static io.aquatrade.rules.Fixtures.track;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * exits.drl: max_hold 90 min, trailing 0.6% from +0.5% (defaults), and the echo break pinned to under 0.5 /
 * 1.0 points lag after 5 min (not the defaults, so these cases stay meaningful when the defaults are tuned).
 */
class DefaultExitRulesTest {

    private final RuleEngine engine = Fixtures.engine(Fixtures.defaultRules(),
            Fixtures.params("strategy.echo_break_min_minutes=5", "strategy.echo_break_similarity=0.5",
                    "strategy.echo_break_lag_pct=1.0", "strategy.max_hold_minutes=90",
                    "strategy.trailing_stop_pct=0.6", "strategy.trailing_activation_pct=0.5"),
            Fixtures.limits());

    @AfterEach
    void close() {
        engine.close();
    }

    private void hold(Position p) {
        engine.updateSymbol(snapshot(p.symbol()), List.of(), p, null, calm(p.symbol()));
    }

    private void hold(Position p, io.aquatrade.model.EchoTrack t) {
        engine.updateSymbol(snapshot(p.symbol()), List.of(), p, t, calm(p.symbol()));
    }

    @Test
    void timeStopClosesAPositionHeldTooLong() {
        hold(position("AUSDT", "100.1", "100.2", 90, "99", false));
        hold(position("BUSDT", "100.1", "100.2", 89, "99", false));

        Decisions d = engine.fire();

        assertThat(d.orders()).containsExactly(OrderIntent.exitAll("AUSDT", "exit-time-stop"));
        assertThat(d.orders().get(0).sellFraction()).isEqualByComparingTo("1");
    }

    @Test
    void noExitIsAskedWhileOneIsInFlight() {
        hold(position("AUSDT", "100.9", "101.0", 200, "99", true),
                track("AUSDT", 30, -2.0, 2.0, -0.5));
        Decisions d = engine.fire();
        assertThat(d.orders()).isEmpty();
        assertThat(d.stopUpdates()).isEmpty();
    }

    @Test
    void trailingStopFollowsThePeakOnceActivated() {
        hold(position("AUSDT", "100.8", "101", 10, "99", false));      // +0.8% >= 0.5%

        Decisions d = engine.fire();

        // 101 x (1 - 0.6%) = 100.394
        assertThat(d.stopUpdates()).singleElement().satisfies(s -> {
            assertThat(s.symbol()).isEqualTo("AUSDT");
            assertThat(s.stopPrice()).isEqualByComparingTo("100.394");
            assertThat(s.reason()).isEqualTo("exit-trailing-stop");
        });
        assertThat(d.orders()).isEmpty();
    }

    @Test
    void trailingStopOnlyRaisesAndWaitsForActivation() {
        hold(position("AUSDT", "100.8", "101", 10, "100.394", false));  // already there
        hold(position("BUSDT", "100.4", "101", 10, null, false));       // +0.4% < 0.5%: not active yet
        hold(position("CUSDT", "100.8", "101", 10, null, false));       // no stop yet: any level raises it

        assertThat(engine.fire().stopUpdates()).containsExactly(
                new StopUpdate("CUSDT", new BigDecimal("100.39400000"), "exit-trailing-stop"));
    }

    @Test
    void echoLaggingTheTemplateExits() {
        // 10 min in: live -0.5% while the template was +1.0% at the same minute: 1.5 points behind (> 1.0)
        hold(position("AUSDT", "99.5", "100.2", 10, "99", false), track("AUSDT", 10, -0.5, 1.0, 0.8));
        // 0.9 points behind: still following
        hold(position("BUSDT", "100.1", "100.2", 10, "99", false), track("BUSDT", 10, 0.1, 1.0, 0.8));

        assertThat(engine.fire().orders()).containsExactly(OrderIntent.exitAll("AUSDT", "exit-echo-lagging"));
    }

    @Test
    void echoDecorrelatedExits() {
        hold(position("AUSDT", "100.3", "100.4", 10, "99", false), track("AUSDT", 10, 0.3, 0.5, 0.49));
        hold(position("BUSDT", "100.3", "100.4", 10, "99", false), track("BUSDT", 10, 0.3, 0.5, 0.5));

        assertThat(engine.fire().orders()).containsExactly(OrderIntent.exitAll("AUSDT", "exit-echo-decorrelated"));
    }

    @Test
    void echoBreakWaitsForTheMinimumMinutesAndTheSameTemplate() {
        // correlation is 0 in the first 3 minutes by definition: no judgement before echo_break_min_minutes (5)
        hold(position("AUSDT", "100.0", "100.1", 4, "99", false), track("AUSDT", 4, -2.0, 1.0, 0.0));
        // a track of another template than the one that opened the position is not this position's echo
        hold(position("BUSDT", "100.0", "100.1", 10, "99", false),
                new io.aquatrade.model.EchoTrack("BUSDT", "2023-12-31", 10, -2.0, 1.0, 0.0));

        assertThat(engine.fire().orders()).isEmpty();
    }

    @Test
    void oneSellPerSymbolWithTheHighestPriorityReason() {
        hold(position("AUSDT", "99.5", "100.2", 95, "99", false), track("AUSDT", 95, -0.5, 3.0, 0.1));

        Decisions d = engine.fire();

        assertThat(d.orders()).containsExactly(OrderIntent.exitAll("AUSDT", "exit-time-stop"));
        assertThat(d.firings()).containsOnlyKeys("exit-time-stop");
    }

    @Test
    void anExitDecidedIsNotAlsoTrailed() {
        hold(position("AUSDT", "100.8", "101", 120, "99", false));
        Decisions d = engine.fire();
        assertThat(d.exits()).hasSize(1);
        assertThat(d.stopUpdates()).isEmpty();
    }

    @Test
    void killSwitchReducingKeepsExitsWithoutForceClosingHaltedSendsNothing() {
        hold(position("OLDUSDT", "100.1", "100.2", 95, "99", false));
        hold(position("FINEUSDT", "100.1", "100.2", 5, "99", false));

        engine.setRiskState(new RiskState(KillSwitchLevel.REDUCING, false, null, DAY));
        Decisions reducing = engine.fire();
        assertThat(reducing.orders()).containsExactly(OrderIntent.exitAll("OLDUSDT", "exit-time-stop"));

        engine.setRiskState(new RiskState(KillSwitchLevel.HALTED, false, null, DAY));
        assertThat(engine.fire().orders()).isEmpty();
    }

    @Test
    void aClosedPositionIsRetracted() {
        hold(position("AUSDT", "100.1", "100.2", 95, "99", false));
        assertThat(engine.fire().exits()).hasSize(1);

        engine.setClock(Clock.at(NOW + 60_000));
        engine.updateSymbol(snapshot("AUSDT"), List.of(), null, null, calm("AUSDT"));
        Decisions d = engine.fire();
        assertThat(d.orders()).isEmpty();
        assertThat(d.totalFirings()).isZero();
    }

    @Test
    void timeStopRepeatsWhileThePipelineHasNotActedAndStopsOnceItHas() {
        hold(position("AUSDT", "100.1", "100.2", 95, "99", false));
        assertThat(engine.fire().exits()).hasSize(1);
        // next minute, exit not sent (e.g. throttled): asked again
        hold(position("AUSDT", "100.1", "100.2", 96, "99", false));
        assertThat(engine.fire().exits()).hasSize(1);
        // exit in flight: quiet
        hold(position("AUSDT", "100.1", "100.2", 97, "99", true));
        assertThat(engine.fire().exits()).isEmpty();
        assertThat(engine.fire().orders()).isEmpty();
    }
}
