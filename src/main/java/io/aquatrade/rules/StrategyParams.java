package io.aquatrade.rules;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.config.ConfigException;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The strategy thresholds from the config's {@code strategy.*} keys, exposed to DRL as the global
 * {@code params} (e.g. {@code similarity >= params.minSimilarity}). The operator tunes these in the
 * config without editing rules. Money is exact ({@link BigDecimal}); percentages and ratios are
 * statistics, hence double. Immutable.
 *
 * <p>Every {@code strategy.*} key is also readable generically ({@link #number(String)},
 * {@link #text(String)}) so an operator's own rules can use keys without a typed getter.
 *
 * <p>Defaults live in one place, {@link io.aquatrade.config.ConfigKeys}: a section read from the
 * config always holds every key, and a hand-built section that lacks one is refused, naming it.
 */
public final class StrategyParams {

    private final Map<String, String> values;
    private final BigDecimal entryQuote;
    private final double minSimilarity;
    private final double minActivityRatio;
    private final double minExpectedMovePct;
    private final double stopLossPct;
    private final double takeProfitPct;
    private final double trailingStopPct;
    private final double trailingActivationPct;
    private final int maxHoldMinutes;
    private final double echoBreakSimilarity;
    private final int reentryCooldownMinutes;
    private final BigDecimal dailyLossHaltFraction;
    private final double tradeBudgetFraction;
    private final int echoBreakMinMinutes;
    private final double echoBreakLagPct;
    private final UnaryOperator<String> where;

    private StrategyParams(Map<String, String> values, UnaryOperator<String> where) {
        this.values = values;
        Section s = new Section("strategy.", values, where); // bounds: ConfigKeys, the one declaration
        entryQuote = s.decimal("entry_quote");
        minSimilarity = s.dbl("min_similarity");
        minActivityRatio = s.dbl("min_activity_ratio");
        minExpectedMovePct = s.dbl("min_expected_move_pct");
        stopLossPct = s.dbl("stop_loss_pct");
        takeProfitPct = s.dbl("take_profit_pct");
        trailingStopPct = s.dbl("trailing_stop_pct");
        trailingActivationPct = s.dbl("trailing_activation_pct");
        maxHoldMinutes = s.integer("max_hold_minutes");
        echoBreakSimilarity = s.dbl("echo_break_similarity");
        reentryCooldownMinutes = s.integer("reentry_cooldown_minutes");
        dailyLossHaltFraction = s.decimal("daily_loss_halt_fraction");
        tradeBudgetFraction = s.dbl("trade_budget_fraction");
        // EchoTrack's correlation is 0 for its first 3 minutes: the key's minimum of 3 keeps every entry from exiting.
        echoBreakMinMinutes = s.integer("echo_break_min_minutes");
        echoBreakLagPct = s.dbl("echo_break_lag_pct");
        this.where = where;
    }

    /** From the effective config's {@code strategy.*} section. */
    public static StrategyParams from(AquatradeConfig config) {
        return of(config.section("strategy."), config::where);
    }

    /**
     * @param section the {@code strategy.*} keys with the prefix stripped, e.g. {@code "min_similarity" -> "0.90"};
     *                every key the typed getters read must be present
     * @throws ConfigException naming the key on a missing, unparsable or out-of-range value
     */
    public static StrategyParams fromSection(Map<String, String> section) {
        return of(section, key -> null);
    }

    private static StrategyParams of(Map<String, String> section, UnaryOperator<String> where) {
        Map<String, String> v = new TreeMap<>();
        section.forEach((k, val) -> {
            if (k.startsWith("strategy.")) {
                throw new ConfigException("strategy key '" + k + "' must be given without the 'strategy.' prefix");
            }
            v.put(k, val);
        });
        return new StrategyParams(Collections.unmodifiableMap(v), where);
    }

    /** USDT spent per entry. */
    public BigDecimal getEntryQuote() { return entryQuote; }
    public double getMinSimilarity() { return minSimilarity; }
    public double getMinActivityRatio() { return minActivityRatio; }
    public double getMinExpectedMovePct() { return minExpectedMovePct; }
    /** Protective stop below the entry price, %; 0 = none. */
    public double getStopLossPct() { return stopLossPct; }
    /** Take-profit above the entry price, %; 0 = none. */
    public double getTakeProfitPct() { return takeProfitPct; }
    public double getTrailingStopPct() { return trailingStopPct; }
    public double getTrailingActivationPct() { return trailingActivationPct; }
    public int getMaxHoldMinutes() { return maxHoldMinutes; }
    public double getEchoBreakSimilarity() { return echoBreakSimilarity; }
    public int getReentryCooldownMinutes() { return reentryCooldownMinutes; }
    public long getReentryCooldownMs() { return RuleMath.minutesToMs(reentryCooldownMinutes); }
    /** Fraction of {@code risk.max_daily_loss_quote} at which the rules halt entries (before the hard cap does). */
    public BigDecimal getDailyLossHaltFraction() { return dailyLossHaltFraction; }
    /** Fraction of the per-minute/per-day order caps entries may use; the rest is kept for exits. */
    public double getTradeBudgetFraction() { return tradeBudgetFraction; }
    /** Minutes after entry before the echo-break exits judge the position. */
    public int getEchoBreakMinMinutes() { return echoBreakMinMinutes; }
    /** Echo-break exit when the live return trails the template's by more than this, %. */
    public double getEchoBreakLagPct() { return echoBreakLagPct; }

    /** The stop-loss % for an entry intent, or null when configured as 0 (no protective stop). */
    public Double stopLossOrNull() { return stopLossPct > 0 ? stopLossPct : null; }

    /** The take-profit % for an entry intent, or null when configured as 0 (no take-profit). */
    public Double takeProfitOrNull() { return takeProfitPct > 0 ? takeProfitPct : null; }

    /** Any {@code strategy.*} key as a number, for the operator's own rules. */
    public BigDecimal number(String key) {
        return new Section("strategy.", values, where).number(key);
    }

    /** Any {@code strategy.*} key as text. */
    public String text(String key) {
        return new Section("strategy.", values, where).raw(key);
    }

    /** The effective values, prefix stripped, sorted by key (proposed defaults included). */
    public Map<String, String> values() {
        return values;
    }

    @Override
    public String toString() {
        return "StrategyParams" + values;
    }
}
