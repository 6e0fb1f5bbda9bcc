package io.aquatrade.rules;

import io.aquatrade.config.AquatradeConfig;

import java.math.BigDecimal;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The hard risk caps from the config's {@code risk.*} keys, exposed read-only to DRL as the global
 * {@code limits} so guardrail rules can act before (below) them. Rules can tighten, never loosen:
 * the execution side enforces these caps in Java whatever the rules decide. Immutable.
 */
public final class RiskLimits {

    private final BigDecimal maxPositionQuote;
    private final BigDecimal maxSymbolExposureQuote;
    private final int maxOpenPositions;
    private final BigDecimal maxTotalExposureQuote;
    private final BigDecimal maxDailyLossQuote;
    private final int maxTradesPerMinute;
    private final int maxTradesPerDay;
    private final int circuitBreakerLosses;
    private final int circuitBreakerCooldownMinutes;
    private final int staleFeedSeconds;

    private RiskLimits(Map<String, String> values, UnaryOperator<String> where) {
        Section s = new Section("risk.", values, where); // bounds: ConfigKeys, the one declaration
        maxPositionQuote = s.decimal("max_position_quote");
        maxSymbolExposureQuote = s.decimal("max_symbol_exposure_quote");
        maxOpenPositions = s.integer("max_open_positions");
        maxTotalExposureQuote = s.decimal("max_total_exposure_quote");
        maxDailyLossQuote = s.decimal("max_daily_loss_quote");
        maxTradesPerMinute = s.integer("max_trades_per_minute");
        maxTradesPerDay = s.integer("max_trades_per_day");
        circuitBreakerLosses = s.integer("circuit_breaker_losses");
        circuitBreakerCooldownMinutes = s.integer("circuit_breaker_cooldown_minutes");
        staleFeedSeconds = s.integer("stale_feed_seconds");
    }

    /** From the effective config's {@code risk.*} section; an error names where the value was set. */
    public static RiskLimits from(AquatradeConfig config) {
        return new RiskLimits(Map.copyOf(config.section("risk.")), config::where);
    }

    /**
     * @param section the {@code risk.*} keys with the prefix stripped; keys that are not caps
     *                (e.g. {@code kill_switch_file}) are ignored
     */
    public static RiskLimits fromSection(Map<String, String> section) {
        return new RiskLimits(Map.copyOf(section), key -> null);
    }

    public BigDecimal getMaxPositionQuote() { return maxPositionQuote; }
    public BigDecimal getMaxSymbolExposureQuote() { return maxSymbolExposureQuote; }
    public int getMaxOpenPositions() { return maxOpenPositions; }
    public BigDecimal getMaxTotalExposureQuote() { return maxTotalExposureQuote; }
    public BigDecimal getMaxDailyLossQuote() { return maxDailyLossQuote; }
    public int getMaxTradesPerMinute() { return maxTradesPerMinute; }
    public int getMaxTradesPerDay() { return maxTradesPerDay; }
    public int getCircuitBreakerLosses() { return circuitBreakerLosses; }
    public int getCircuitBreakerCooldownMinutes() { return circuitBreakerCooldownMinutes; }
    public long getCircuitBreakerCooldownMs() { return RuleMath.minutesToMs(circuitBreakerCooldownMinutes); }
    public int getStaleFeedSeconds() { return staleFeedSeconds; }
    public long getStaleFeedMs() { return staleFeedSeconds * 1000L; }

    @Override
    public String toString() {
        return "RiskLimits{maxPositionQuote=" + maxPositionQuote.toPlainString()
                + ", maxSymbolExposureQuote=" + maxSymbolExposureQuote.toPlainString()
                + ", maxOpenPositions=" + maxOpenPositions
                + ", maxTotalExposureQuote=" + maxTotalExposureQuote.toPlainString()
                + ", maxDailyLossQuote=" + maxDailyLossQuote.toPlainString()
                + ", maxTradesPerMinute=" + maxTradesPerMinute + ", maxTradesPerDay=" + maxTradesPerDay
                + ", circuitBreakerLosses=" + circuitBreakerLosses
                + ", circuitBreakerCooldownMinutes=" + circuitBreakerCooldownMinutes
                + ", staleFeedSeconds=" + staleFeedSeconds + "}";
    }
}
