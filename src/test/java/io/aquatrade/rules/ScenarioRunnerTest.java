package io.aquatrade.rules;

import io.aquatrade.config.AquatradeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's scenarios: the shipped {@code rules/tests} pass against the shipped {@code rules/} and exercise
 * every rule; the runner fails a failing scenario with a diff and reports malformed files by file, line and field.
 */
class ScenarioRunnerTest {

    private final ScenarioRunner runner = new ScenarioRunner(AquatradeConfig.defaults());

    @TempDir
    Path dir;

    private ScenarioReport run(String yaml) throws IOException {
        Path tests = dir.resolve("tests");
        Files.createDirectories(tests);
        Files.writeString(tests.resolve("s.yaml"), yaml);
        return runner.run(Fixtures.defaultRules(), tests);
    }

    @Test
    void theShippedScenariosPassAgainstTheShippedRules() {
        ScenarioReport report = runner.run(Fixtures.defaultRules(), Fixtures.rulesDir().resolve("tests"));

        assertThat(report.errors()).isEmpty();
        assertThat(report.results()).isNotEmpty()
                .allSatisfy(r -> assertThat(r.failures()).as(r.location() + " " + r.name()).isEmpty());
        assertThat(report.ok()).isTrue();
        assertThat(report.files()).contains("rules/tests/entries.yaml", "rules/tests/exits.yaml", "rules/tests/risk.yaml");
    }

    @Test
    void everyDefaultRuleAndGuardrailIsExercisedByAShippedScenario() {
        ScenarioReport report = runner.run(Fixtures.defaultRules(), Fixtures.rulesDir().resolve("tests"));
        Set<String> fired = new TreeSet<>();
        report.results().forEach(r -> fired.addAll(r.firings().keySet()));

        assertThat(fired).containsAll(Fixtures.defaultRules().ruleNames());
    }

    @Test
    void aFailingScenarioFailsWithADiffAndWhatTheRulesDecided() throws IOException {
        ScenarioReport report = run("""
                scenarios:
                  - name: wrong size
                    given:
                      symbols:
                        BTCUSDT: { matches: [ {} ] }
                    expect:
                      orders: [ { side: BUY, symbol: BTCUSDT, quote_qty: 101 } ]
                  - name: right size
                    given:
                      symbols:
                        BTCUSDT: { matches: [ {} ] }
                    expect:
                      orders: [ { side: BUY, symbol: BTCUSDT, quote_qty: 100 } ]
                """);

        assertThat(report.ok()).isFalse();
        assertThat(report.passed()).isEqualTo(1);
        assertThat(report.failed()).isEqualTo(1);
        ScenarioResult failed = report.results().get(0);
        assertThat(failed.passed()).isFalse();
        assertThat(failed.location()).isEqualTo(dir.getFileName() + "/tests/s.yaml:2");
        assertThat(String.join("\n", failed.failures()))
                .contains("orders: not as expected")
                .contains("missing (line 7): side=BUY symbol=BTCUSDT quote_qty=101")
                .contains("differs in: quote_qty expected 101, got 100")
                .contains("decided: orders [side=BUY symbol=BTCUSDT reason=entry-echo-up quote_qty=100");
        assertThat(report.lines()).anyMatch(l -> l.startsWith("FAIL  ") && l.endsWith("wrong size"))
                .anyMatch(l -> l.startsWith("PASS  ") && l.endsWith("right size"));
    }

    @Test
    void anUnexpectedDecisionFailsANothingScenario() throws IOException {
        ScenarioReport report = run("""
                scenarios:
                  - name: expects nothing but an echo enters
                    given:
                      symbols:
                        BTCUSDT: { matches: [ {} ] }
                    expect: { nothing: true }
                """);
        assertThat(report.results().get(0).failures().get(0))
                .contains("orders: not as expected (expected 0, decided 1)")
                .contains("unexpected: side=BUY symbol=BTCUSDT");
    }

    @Test
    void stepsCarryFactsForwardAndRelativeTimesKeepTheStepTheyWereWrittenIn() throws IOException {
        ScenarioReport report = run("""
                given:
                  clock: 2024-05-01T10:00:00Z
                scenarios:
                  - name: cooldown then entry
                    steps:
                      - given:
                          symbols:
                            BTCUSDT:
                              matches: [ {} ]
                              activity: { last_exit_time_ms: -5m }
                        expect:
                          entry_blocks: [ { symbol: BTCUSDT, rule: entry-reentry-cooldown, detail: "300 s" } ]
                          orders: []
                      - given:
                          clock: +5m
                        expect:
                          orders: [ { side: BUY, symbol: BTCUSDT } ]
                  - name: a risk event's time is read against the step's clock
                    given:
                      clock: 2024-05-01T10:00:00Z
                      symbols:
                        XUSDT: { snapshot: { stale: true } }
                    expect:
                      risk_events: [ { kind: PAUSE_SYMBOL, symbol: XUSDT, until_ms: 2024-05-01T10:03:00Z } ]
                """);
        assertThat(report.results()).allSatisfy(r -> assertThat(r.failures()).as(r.name()).isEmpty());
    }

    @Test
    void aScenarioFileMayBeJson() throws IOException {
        Path tests = dir.resolve("tests");
        Files.createDirectories(tests);
        Files.writeString(tests.resolve("s.json"), """
                {"scenarios": [{"name": "json entry",
                  "given": {"symbols": {"ETHUSDT": {"matches": [{"similarity": 0.99}]}}},
                  "expect": {"orders": [{"side": "BUY", "symbol": "ETHUSDT"}]}}]}
                """);
        ScenarioReport report = runner.run(Fixtures.defaultRules(), tests);
        assertThat(report.ok()).isTrue();
        assertThat(report.results()).singleElement().extracting(ScenarioResult::name).isEqualTo("json entry");
    }

    @Test
    void malformedFilesAreErrorsNamingFileLineAndField() throws IOException {
        assertError("""
                scenarios:
                  - name: typo
                    given:
                      account: { open_positons: 3 }
                    expect: { nothing: true }
                """, "tests/s.yaml:4: scenarios[0].given.account.open_positons: unknown field 'open_positons', "
                + "did you mean 'open_positions'?");
        assertError("""
                scenarios:
                  - name: wrong type
                    given:
                      symbols:
                        BTCUSDT:
                          matches: [ { similarity: high } ]
                    expect: { nothing: true }
                """, "tests/s.yaml:6: scenarios[0].given.symbols.BTCUSDT.matches[0].similarity: must be a number, got 'high'");
        assertError("""
                scenarios:
                  - name: no expectation
                    given: {}
                """, "tests/s.yaml:2: scenarios[0]: 'expect' is missing");
        assertError("""
                scenarios:
                  - name: bad side
                    expect:
                      orders: [ { side: BYU } ]
                """, "tests/s.yaml:4: scenarios[0].expect.orders[0].side: must be one of BUY, SELL, got 'BYU'");
        assertError("""
                scenarios:
                  - name: bad param
                    params: { min_similarty: 0.9 }
                    expect: { nothing: true }
                """, "tests/s.yaml:3: scenarios[0].params.min_similarty: unknown strategy parameter 'min_similarty'");
        assertError("""
                scenarios:
                  - name: out of range
                    params: { min_similarity: 7 }
                    expect: { nothing: true }
                """, "strategy.min_similarity must be <= 1, got 7");
        assertError("""
                scenarios:
                  - name: same
                    expect: { nothing: true }
                  - name: same
                    expect: { nothing: true }
                """, "tests/s.yaml:4: scenarios[1].name: another scenario of this file already has the name \"same\"");
        assertError("""
                scenarios:
                  - name: bad time
                    given:
                      symbols:
                        A: { activity: { last_exit_time_ms: yesterday } }
                    expect: { nothing: true }
                """, "tests/s.yaml:5: scenarios[0].given.symbols.A.activity.last_exit_time_ms: must be a time");
        assertError("scenarios:\n  - name: [unclosed\n", "tests/s.yaml:");
        assertError("scenarios: []\n", "tests/s.yaml:1: scenarios: lists no scenario");
    }

    private void assertError(String yaml, String expected) throws IOException {
        ScenarioReport report = run(yaml);
        assertThat(report.ok()).isFalse();
        assertThat(report.results()).isEmpty();
        assertThat(report.errors()).singleElement().asString().contains(expected);
    }

    @Test
    void noScenarioAtAllIsNotOk() throws IOException {
        Path empty = dir.resolve("none");
        Files.createDirectories(empty);
        ScenarioReport report = runner.run(Fixtures.defaultRules(), empty);
        assertThat(report.ok()).isFalse();
        assertThat(report.summary()).contains("no scenarios found");
    }

    @Test
    void anEvaluationErrorFailsTheScenarioUnlessExpected(@TempDir Path rules) throws IOException {
        Files.writeString(rules.resolve("boom.drl"), """
                package t;
                import io.aquatrade.model.MarketSnapshot;
                rule "boom-on-symbol-x"
                when
                    MarketSnapshot( symbol == "XUSDT" )
                then
                    throw new IllegalStateException("boom");
                end
                """);
        CompiledRuleSet set = new RuleSetCompiler().compile(rules);
        Path tests = dir.resolve("t");
        Files.createDirectories(tests);
        Files.writeString(tests.resolve("s.yaml"), """
                scenarios:
                  - name: unexpected error
                    given: { symbols: { XUSDT: {} } }
                    expect: { nothing: true }
                  - name: expected error
                    given: { symbols: { XUSDT: {} } }
                    expect: { nothing: true, errors: [ "boom-on-symbol-x", "boom" ] }
                """);
        ScenarioReport report = runner.run(set, tests);
        assertThat(report.results().get(0).passed()).isFalse();
        assertThat(report.results().get(0).failures().get(0)).contains("error reported by the evaluation: rule \"boom-on-symbol-x\" failed");
        assertThat(report.results().get(1).passed()).isTrue();
    }
}
