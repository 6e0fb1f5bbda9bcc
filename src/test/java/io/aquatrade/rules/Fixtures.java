package io.aquatrade.rules;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.model.Account;
import io.aquatrade.model.Clock;
import io.aquatrade.model.Direction;
import io.aquatrade.model.EchoMatch;
import io.aquatrade.model.EchoTrack;
import io.aquatrade.model.KillSwitchLevel;
import io.aquatrade.model.MarketSnapshot;
import io.aquatrade.model.Position;
import io.aquatrade.model.RiskState;
import io.aquatrade.model.SymbolRisk;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;

/** Facts for rule tests, and the default rule set compiled once per test JVM (the first compile costs ~2 s). */
final class Fixtures {

    /** 2024-03-01T12:00:00Z */
    static final long NOW = 1_709_294_400_000L;
    static final String DAY = "2024-03-01";
    static final String TEMPLATE = "2024-02-20";

    private static CompiledRuleSet defaults;

    private Fixtures() {
    }

    /** The repository's real rules/ directory (surefire runs in the project base directory). */
    static Path rulesDir() {
        return Path.of("rules");
    }

    static synchronized CompiledRuleSet defaultRules() {
        if (defaults == null) {
            defaults = new RuleSetCompiler().compile(rulesDir());
        }
        return defaults;
    }

    /** Compiles one rule file, {@code header} + {@code drl}, written into a folder of its own under {@code tmp}. */
    static CompiledRuleSet compile(Path tmp, String name, String header, String drl) throws java.io.IOException {
        Path dir = tmp.resolve(name);
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.writeString(dir.resolve(name + ".drl"), header + drl);
        return new RuleSetCompiler().compile(dir);
    }

    static StrategyParams params() {
        return StrategyParams.from(AquatradeConfig.defaults());
    }

    static RiskLimits limits() {
        return RiskLimits.from(AquatradeConfig.defaults());
    }

    static StrategyParams params(String... overrides) {
        return StrategyParams.from(AquatradeConfig.load(null, List.of(overrides)));
    }

    static RiskLimits limits(String... overrides) {
        return RiskLimits.from(AquatradeConfig.load(null, List.of(overrides)));
    }

    /** A default-rules engine with the account-wide facts set: plenty of capital, kill switch ACTIVE. */
    static RuleEngine engine() {
        return engine(defaultRules(), params(), limits());
    }

    static RuleEngine engine(CompiledRuleSet rules, StrategyParams params, RiskLimits limits) {
        RuleEngine e = new RuleEngine(rules, params, limits);
        e.setClock(Clock.at(NOW));
        e.setAccount(account(0, bd("5000")));
        e.setRiskState(active());
        return e;
    }

    static BigDecimal bd(String s) {
        return new BigDecimal(s);
    }

    static RiskState active() {
        return new RiskState(KillSwitchLevel.ACTIVE, false, null, DAY);
    }

    /** An account with {@code open} positions and {@code available} USDT still deployable. */
    static Account account(int open, BigDecimal available) {
        return new Account(bd("10000"), bd("10000"), bd("9000"), bd("5000"), bd("0"), available, open, bd("0"),
                bd("0"), bd("0"), 0, 0);
    }

    static Account accountWith(BigDecimal todayPnl, int tradesToday, int tradesLastMinute, int open,
                               BigDecimal exposure, BigDecimal available) {
        return new Account(bd("10000"), bd("10000").add(todayPnl), bd("9000"), bd("5000"), exposure, available, open,
                bd("0"), bd("0"), todayPnl, tradesToday, tradesLastMinute);
    }

    static MarketSnapshot snapshot(String symbol) {
        return snapshot(symbol, false);
    }

    static MarketSnapshot snapshot(String symbol, boolean stale) {
        return new MarketSnapshot(symbol, NOW, bd("100"), bd("98"), 2.0, 3.0, 0.2, 0.5, 0.9, 0.3, 1.4,
                stale ? 200_000 : 800, stale, 600);
    }

    /** An UP match of {@link #TEMPLATE}-like day {@code day} passing the default thresholds unless told otherwise. */
    static EchoMatch up(String symbol, double similarity, String day) {
        return new EchoMatch(symbol, NOW, day, 5, "30d", similarity, Direction.UP, 4.0, 40, 1.5);
    }

    static EchoMatch match(String symbol, double similarity, Direction direction, double expectedMovePct,
                           double activityRatio) {
        return new EchoMatch(symbol, NOW, TEMPLATE, 5, "30d", similarity, direction, expectedMovePct, 40, activityRatio);
    }

    static SymbolRisk calm(String symbol) {
        return new SymbolRisk(symbol, 0, 0, null);
    }

    /**
     * An open position entered at 100 from {@link #TEMPLATE}.
     *
     * @param last        mark price
     * @param peak        highest mark since entry
     * @param heldMinutes minutes since the entry fill
     * @param stop        stop in force, or null
     */
    static Position position(String symbol, String last, String peak, long heldMinutes, String stop,
                             boolean exitPending) {
        BigDecimal lastP = bd(last);
        BigDecimal peakP = bd(peak);
        double unrealized = (lastP.doubleValue() - 100.0);
        double fromPeak = (peakP.doubleValue() - lastP.doubleValue()) / peakP.doubleValue() * 100.0;
        return new Position(symbol, bd("1"), bd("100"), bd("100"), NOW - heldMinutes * 60_000, lastP, unrealized, peakP,
                fromPeak, heldMinutes, stop == null ? null : bd(stop), bd("101.2"), "entry-echo-up", TEMPLATE,
                exitPending);
    }

    static EchoTrack track(String symbol, int elapsed, double live, double template, double correlation) {
        return new EchoTrack(symbol, TEMPLATE, elapsed, live, template, correlation);
    }

    /** A symbol with a snapshot and matches only. */
    static void watch(RuleEngine e, String symbol, EchoMatch... matches) {
        e.updateSymbol(snapshot(symbol), List.of(matches), null, null, calm(symbol));
    }
}
