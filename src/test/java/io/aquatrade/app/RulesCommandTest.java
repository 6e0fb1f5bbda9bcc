package io.aquatrade.app;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code aquatrade rules validate|test|reload}: exit codes and what an operator (or CI) reads. */
class RulesCommandTest {

    @TempDir
    Path tmp;

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private Path copyOfTheRules() throws IOException {
        Path dir = tmp.resolve("rules");
        Files.createDirectories(dir.resolve("tests"));
        try (Stream<Path> files = Files.list(Path.of("rules"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".drl")).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        try (Stream<Path> files = Files.list(Path.of("rules", "tests"))) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve("tests").resolve(f.getFileName()));
            }
        }
        return dir;
    }

    /** What --help says of --config, on one line. */
    private static String configHelp(String... command) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(command));
        args.add("--help");
        String help = run(args.toArray(String[]::new)).out();
        int at = help.lastIndexOf("--config=FILE"); // its row in the option list, after the synopsis
        java.util.regex.Matcher next = java.util.regex.Pattern.compile("\n\\s*-").matcher(help);
        return help.substring(at, next.find(at + 1) ? next.start() : help.length()).replaceAll("\\s+", " ");
    }

    @Test
    void eachCommandSaysWhatItsConfigIsFor() {
        for (String[] c : new String[][] {{"rules", "validate"}, {"rules", "test"}}) {
            assertThat(configHelp(c)).as(String.join(" ", c)).contains("strategy.* and risk.*");
        }
        for (String[] c : new String[][] {{"status"}, {"rules", "reload"}}) {
            assertThat(configHelp(c)).as(String.join(" ", c)).doesNotContain("strategy")
                    .contains("ops.http_host and ops.http_port give the address").contains("ops.control_token_env");
        }
        // and that is what they read it for: the address comes from the configuration and says so
        Result r = run("status", "--set", "ops.http_host=127.0.0.1", "--set", "ops.http_port=1");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("http://127.0.0.1:1").contains("ops.http_host/ops.http_port (--set)");
    }

    @Test
    void validateAcceptsTheShippedRulesWithASummary() {
        Result r = run("rules", "validate", "rules", "--set", "strategy.min_similarity=0.9");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("OK  rules v").contains("3 file(s), 20 rule(s)")
                .contains("rules/entries.drl").contains("sha256 ").contains("entry-echo-up");
    }

    @Test
    void validateRejectsABrokenFileWithFileLineMessagesAndExitOne() throws IOException {
        Path dir = copyOfTheRules();
        Path exits = dir.resolve("exits.drl");
        Files.writeString(exits, Files.readString(exits).replace("heldMinutes >= params.maxHoldMinutes",
                "heldMinuets >= params.maxHoldMinutes"));
        Result r = run("rules", "validate", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).containsPattern("rules/exits\\.drl:\\d+: unknown field or method 'heldMinuets' on Position")
                .contains("REJECTED");
    }

    @Test
    void validateReturnsInBoundedTimeNamingTheRuleWhoseConsequenceNeverReturns() throws IOException {
        Path dir = copyOfTheRules();
        Files.writeString(dir.resolve("zz-spin.drl"), """
                package aquatrade;
                import io.aquatrade.model.Clock;

                rule "spin-forever"
                when
                    Clock( )
                then
                    while (true) { }
                end
                """);
        Result r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
                () -> run("rules", "validate", dir.toString(), "--set", "rules.evaluation_deadline_ms=3000"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("rules/zz-spin.drl:4: rule \"spin-forever\" (rules/zz-spin.drl:4) did not finish within 3000 ms")
                .contains("REJECTED");
    }

    @Test
    void testFailsTheScenarioWhoseEvaluationNeverReturnsAndStillReports() throws IOException {
        Path dir = copyOfTheRules();
        // spins only on a symbol the compile's sample facts never show: the scenarios are what find it
        Files.writeString(dir.resolve("zz-spin.drl"), """
                package aquatrade;
                import io.aquatrade.model.MarketSnapshot;

                rule "spin-on-spinusdt"
                when
                    MarketSnapshot( symbol == "SPINUSDT" )
                then
                    while (true) { }
                end
                """);
        Files.writeString(dir.resolve("tests/zz-spin.yaml"), """
                scenarios:
                  - name: a quiet SPINUSDT
                    given:
                      symbols:
                        SPINUSDT:
                          matches: [ { similarity: 0.5 } ]
                    expect: { nothing: true }
                """);
        Result r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                () -> run("rules", "test", dir.toString(), "--failures-only"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL  rules/tests/zz-spin.yaml:").contains("rules/zz-spin.drl:4: ")
                .contains("did not finish within 2000 ms");
    }

    @Test
    void validateNamesABadConfigKeyWithExitTwo() {
        Result r = run("rules", "validate", "rules", "--set", "strategy.min_similarity=2");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("strategy.min_similarity must be <= 1");
    }

    @Test
    void testRunsTheScenariosAndPasses() throws IOException {
        Result r = run("rules", "test", copyOfTheRules().toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("PASS  rules/tests/entries.yaml:").contains("PASS  rules/tests/risk.yaml:")
                .containsPattern("\\d+ scenario\\(s\\) in 3 file\\(s\\) against rules v\\S+: \\d+ passed, 0 failed");
    }

    @Test
    void testFailsWhenTheRulesNoLongerDoWhatAScenarioSays() throws IOException {
        Path dir = copyOfTheRules();
        Path entries = dir.resolve("entries.drl");
        Files.writeString(entries, Files.readString(entries).replace("similarity >= params.minSimilarity,",
                "similarity >= 0.96,"));
        Result r = run("rules", "test", dir.toString(), "--failures-only");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL  rules/tests/entries.yaml:").doesNotContain("PASS ")
                .contains("missing (line");
        assertThat(r.err()).containsPattern("\\d+ passed, [1-9]\\d* failed");
    }

    @Test
    void testReportsAMalformedScenarioFile() throws IOException {
        Path dir = copyOfTheRules();
        Files.writeString(dir.resolve("tests/zz-bad.yaml"), "scenarios:\n  - name: x\n    expect: { nothin: true }\n");
        Result r = run("rules", "test", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("ERROR rules/tests/zz-bad.yaml:3: scenarios[0].expect.nothin: unknown field 'nothin', "
                + "did you mean 'nothing'?");
    }

    @Test
    void everyRulesCommandHasHelp() {
        assertThat(run("rules", "--help").out()).contains("validate").contains("test").contains("reload");
        assertThat(run("rules", "validate", "--help").out()).contains("Exit codes:").contains("file:line: message");
        assertThat(run("rules", "test", "--help").out()).contains("DIR/tests").contains("rules/README.md");
        assertThat(run("rules", "reload", "--help").out()).contains("POST /api/rules/reload");
        assertThat(run("--help").out()).contains("rules");
    }

    @Test
    void reloadPostsToTheControlApiAndReportsTheOutcome() {
        Vertx vertx = Vertx.vertx();
        try {
            String[] seen = new String[1];
            HttpServer server = vertx.createHttpServer().requestHandler(req -> {
                seen[0] = req.method() + " " + req.path();
                req.response().putHeader("content-type", "application/json").setStatusCode(422)
                        .end("{\"outcome\":\"COMPILE_ERROR\",\"previousVersion\":\"v1-a\",\"activeVersion\":\"v1-a\","
                                + "\"errors\":[\"rules/entries.drl:12: mismatched input\"],\"warnings\":[]}");
            }).listen(0, "127.0.0.1").await();
            Result r = run("rules", "reload", "--url", "http://127.0.0.1:" + server.actualPort());
            assertThat(seen[0]).isEqualTo("POST /api/rules/reload");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.out()).contains("COMPILE_ERROR  v1-a -> v1-a");
            assertThat(r.err()).contains("rules/entries.drl:12: mismatched input");
        } finally {
            vertx.close().await();
        }
    }
}
