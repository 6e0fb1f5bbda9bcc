package io.aquatrade.rules;

import io.aquatrade.config.AquatradeConfig;

import java.util.Map;
import java.util.Objects;

/**
 * What a rule set runs with besides its files: the {@code params} and {@code limits} globals and the
 * effective configuration they came from.
 *
 * @param params the {@code strategy.*} thresholds
 * @param limits the {@code risk.*} hard caps as the rules see them
 * @param config the whole effective configuration they were read from, or null when built by hand
 */
public record RuleParams(StrategyParams params, RiskLimits limits, AquatradeConfig config) {

    public RuleParams {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(limits, "limits");
    }

    /** The {@code strategy.*} and {@code risk.*} values of an effective configuration. */
    public static RuleParams from(AquatradeConfig config) {
        return new RuleParams(StrategyParams.from(config), RiskLimits.from(config), config);
    }

    /** The {@code strategy.*} values, prefix stripped. */
    public Map<String, String> strategy() {
        return config != null ? config.section("strategy.") : params.values();
    }

    /** The {@code risk.*} values, prefix stripped. */
    public Map<String, String> risk() {
        return config != null ? config.section("risk.") : Map.of();
    }

    /** Same values for every key the rules read. */
    boolean sameRuleValues(RuleParams other) {
        return strategy().equals(other.strategy()) && risk().equals(other.risk());
    }
}
