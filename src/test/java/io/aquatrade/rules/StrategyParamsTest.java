package io.aquatrade.rules;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrategyParamsTest {

    private static Map<String, String> strategyDefaults() {
        return new HashMap<>(AquatradeConfig.defaults().section("strategy."));
    }

    @Test
    void defaultsComeFromTheConfigKeys() {
        StrategyParams p = StrategyParams.from(AquatradeConfig.defaults());
        assertThat(p.getEntryQuote()).isEqualByComparingTo("100");
        assertThat(p.getMinSimilarity()).isEqualTo(0.70);
        assertThat(p.getMinActivityRatio()).isEqualTo(0.4);
        assertThat(p.getMinExpectedMovePct()).isEqualTo(1.5);
        assertThat(p.getStopLossPct()).isEqualTo(2.1);
        assertThat(p.getTakeProfitPct()).isEqualTo(2.1);
        assertThat(p.getTrailingStopPct()).isEqualTo(0.9);
        assertThat(p.getTrailingActivationPct()).isEqualTo(0.5);
        assertThat(p.getMaxHoldMinutes()).isEqualTo(90);
        assertThat(p.getEchoBreakSimilarity()).isEqualTo(0.0);
        assertThat(p.getReentryCooldownMinutes()).isEqualTo(8);
        assertThat(p.getReentryCooldownMs()).isEqualTo(480_000);
        assertThat(p.getDailyLossHaltFraction()).isEqualByComparingTo("0.8");
        assertThat(p.getTradeBudgetFraction()).isEqualTo(0.8);
        assertThat(p.getEchoBreakMinMinutes()).isEqualTo(30);
        assertThat(p.getEchoBreakLagPct()).isEqualTo(1.0);
    }

    @Test
    void overridesFlowThroughAndAnyKeyIsReadableGenerically() {
        StrategyParams p = StrategyParams.from(AquatradeConfig.load(null,
                List.of("strategy.min_similarity=0.8", "strategy.entry_quote=12.34")));
        assertThat(p.getMinSimilarity()).isEqualTo(0.8);
        assertThat(p.getEntryQuote()).isEqualTo("12.34");
        assertThat(p.number("min_similarity")).isEqualByComparingTo("0.8");

        Map<String, String> section = strategyDefaults();
        section.put("my_threshold", "2.5");
        section.put("echo_break_lag_pct", "0.7");
        StrategyParams custom = StrategyParams.fromSection(section);
        assertThat(custom.number("my_threshold")).isEqualByComparingTo("2.5");
        assertThat(custom.text("my_threshold")).isEqualTo("2.5");
        assertThat(custom.getEchoBreakLagPct()).isEqualTo(0.7);
    }

    @Test
    void zeroProtectiveLevelsMeanNone() {
        Map<String, String> section = strategyDefaults();
        section.put("stop_loss_pct", "0");
        section.put("take_profit_pct", "0");
        StrategyParams p = StrategyParams.fromSection(section);
        assertThat(p.stopLossOrNull()).isNull();
        assertThat(p.takeProfitOrNull()).isNull();
        assertThat(StrategyParams.fromSection(strategyDefaults()).stopLossOrNull()).isEqualTo(2.1);
    }

    @Test
    void badSectionsAreRefusedNamingTheKey() {
        Map<String, String> missing = strategyDefaults();
        missing.remove("min_similarity");
        assertThatThrownBy(() -> StrategyParams.fromSection(missing)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("missing config key 'strategy.min_similarity'");

        Map<String, String> bad = strategyDefaults();
        bad.put("max_hold_minutes", "ninety");
        assertThatThrownBy(() -> StrategyParams.fromSection(bad))
                .hasMessage("strategy.max_hold_minutes must be a whole number, got 'ninety' (accepted: 1 to 100000)");

        Map<String, String> range = strategyDefaults();
        range.put("trade_budget_fraction", "1.5");
        assertThatThrownBy(() -> StrategyParams.fromSection(range))
                .hasMessage("strategy.trade_budget_fraction must be <= 1, got 1.5 (accepted: 0 to 1)");

        Map<String, String> early = strategyDefaults();
        early.put("echo_break_min_minutes", "2");
        assertThatThrownBy(() -> StrategyParams.fromSection(early))
                .hasMessage("strategy.echo_break_min_minutes must be >= 3, got 2 (accepted: 3 to 100000)");

        Map<String, String> zero = strategyDefaults();
        zero.put("entry_quote", "0");
        assertThatThrownBy(() -> StrategyParams.fromSection(zero)).hasMessage("strategy.entry_quote must be >= 0.01, got 0 (accepted: 0.01 or more)");

        assertThatThrownBy(() -> StrategyParams.fromSection(Map.of("strategy.min_similarity", "0.9")))
                .hasMessageContaining("without the 'strategy.' prefix");
    }

    /**
     * The bounds of the rules' globals are the config keys' own, one declaration: a hand-built section is refused
     * exactly where the config refuses the value, with the same words. Before, stop_loss_pct 99.95 and entry_quote
     * 0.001 passed here while the config refuses them, and the messages named no accepted range.
     */
    @Test
    void theGlobalsBoundsAreTheConfigKeysOwn() {
        int checked = 0;
        for (io.aquatrade.config.ConfigKey k : io.aquatrade.config.ConfigKeys.all().values()) {
            boolean strategy = k.name().startsWith("strategy.");
            if (!strategy && !k.name().startsWith("risk.") || k.type() == io.aquatrade.config.ConfigKey.Type.STRING) {
                continue;
            }
            String prefix = strategy ? "strategy." : "risk.";
            java.math.BigDecimal step = k.type() == io.aquatrade.config.ConfigKey.Type.DECIMAL
                    ? new java.math.BigDecimal("0.001") : java.math.BigDecimal.ONE;
            List<String> outside = new java.util.ArrayList<>();
            if (k.min() != null) {
                outside.add(new java.math.BigDecimal(k.min()).subtract(step).toPlainString());
            }
            if (k.max() != null) {
                outside.add(new java.math.BigDecimal(k.max()).add(step).toPlainString());
            }
            for (String v : outside) {
                String configSays = catchMessage(() -> AquatradeConfig.load(null, List.of(k.name() + "=" + v)));
                Map<String, String> section = new HashMap<>(AquatradeConfig.defaults().section(prefix));
                section.put(k.name().substring(prefix.length()), v);
                String globalSays = catchMessage(() -> {
                    if (strategy) {
                        StrategyParams.fromSection(section);
                    } else {
                        RiskLimits.fromSection(section);
                    }
                });
                assertThat(globalSays).as(k.name() + "=" + v).isEqualTo(configSays.replace(" (--set)", ""));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(30);
    }

    private static String catchMessage(Runnable r) {
        try {
            r.run();
        } catch (ConfigException e) {
            return e.getMessage();
        }
        return "accepted";
    }

    @Test
    void riskLimitsComeFromTheRiskSection() {
        RiskLimits l = RiskLimits.from(AquatradeConfig.load(null, List.of("risk.max_open_positions=7",
                "risk.max_daily_loss_quote=123.45")));
        assertThat(l.getMaxOpenPositions()).isEqualTo(7);
        assertThat(l.getMaxDailyLossQuote()).isEqualByComparingTo("123.45");
        assertThat(l.getMaxPositionQuote()).isEqualByComparingTo("250");
        assertThat(l.getMaxSymbolExposureQuote()).isEqualByComparingTo("250");
        assertThat(l.getMaxTotalExposureQuote()).isEqualByComparingTo("3000");
        assertThat(l.getMaxTradesPerMinute()).isEqualTo(20);
        assertThat(l.getMaxTradesPerDay()).isEqualTo(1000);
        assertThat(l.getCircuitBreakerLosses()).isEqualTo(4);
        assertThat(l.getCircuitBreakerCooldownMs()).isEqualTo(120 * 60_000L);
        assertThat(l.getStaleFeedMs()).isEqualTo(180_000L);

        Map<String, String> section = new HashMap<>(AquatradeConfig.defaults().section("risk."));
        section.remove("stale_feed_seconds");
        assertThatThrownBy(() -> RiskLimits.fromSection(section))
                .hasMessageStartingWith("missing config key 'risk.stale_feed_seconds'");
    }

    @Test
    void ruleMathIsExact() {
        assertThat(RuleMath.below(new java.math.BigDecimal("101"), 0.6)).isEqualTo("100.39400000");
        assertThat(RuleMath.below(new java.math.BigDecimal("0.00012345"), 1.5)).isEqualTo("0.00012159");
        assertThat(RuleMath.above(new java.math.BigDecimal("0.00012345"), 1.5)).isEqualTo("0.00012531");
        assertThat(RuleMath.raisesStop(new java.math.BigDecimal("1.1"), null)).isTrue();
        assertThat(RuleMath.raisesStop(new java.math.BigDecimal("1.1"), new java.math.BigDecimal("1.10"))).isFalse();
    }
}
