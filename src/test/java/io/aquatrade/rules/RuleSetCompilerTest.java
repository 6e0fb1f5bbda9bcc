package io.aquatrade.rules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kie.api.KieServices;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuleSetCompilerTest {

    private static final String HEADER = """
            package aquatrade;

            import io.aquatrade.model.EchoMatch;
            import io.aquatrade.model.OrderIntent;

            """;

    private static final String GOOD_RULE = """
            rule "ok"
            when
                EchoMatch( similarity > 0.5, $s : symbol )
            then
                insert( OrderIntent.exitAll($s, drools.getRule().getName()) );
            end
            """;

    @TempDir
    Path tmp;

    private Path rulesDir(String... nameAndContent) throws IOException {
        Path dir = tmp.resolve("rules");
        Files.createDirectories(dir);
        for (int i = 0; i < nameAndContent.length; i += 2) {
            Files.writeString(dir.resolve(nameAndContent[i]), nameAndContent[i + 1]);
        }
        return dir;
    }

    private static RuleCompileException failure(Path dir) {
        try {
            new RuleSetCompiler().compile(dir);
        } catch (RuleCompileException e) {
            return e;
        }
        throw new AssertionError("expected " + dir + " to be rejected");
    }

    /** A probe rule wrote a file and reflected into the limits global: rule files that act are refused by line. */
    @Test
    void ruleFilesThatDoIoStartProcessesReadTheEnvironmentOrReflectAreRejectedWithFileAndLine() throws Exception {
        String[][] cases = {
                {"import java.io.FileWriter;\n", "java.io"},
                {"", "    new java.io.File(\"/tmp/x\").createNewFile();\n"},
                {"", "    java.nio.file.Files.writeString(java.nio.file.Path.of(\"/tmp/x\"), \"x\");\n"},
                {"", "    Runtime.getRuntime().exec(\"sh\");\n"},
                {"", "    new ProcessBuilder(\"sh\").start();\n"},
                {"", "    String k = System.getenv(\"BINANCE_API_SECRET\");\n"},
                {"", "    String p = System.getProperty(\"user.home\");\n"},
                {"", "    System.exit(1);\n"},
                {"", "    Class.forName(\"io.aquatrade.rules.RiskLimits\");\n"},
                {"", "    java.lang.reflect.Field f = $m.getClass().getDeclaredField(\"symbol\"); f.setAccessible(true);\n"},
                {"", "    new Thread(() -> {}).start();\n"},
                {"", "    new java.net.Socket(\"127.0.0.1\", 80);\n"},
                {"", "    System.out.println($s);\n"},
        };
        for (String[] c : cases) {
            boolean isImport = !c[0].isEmpty() && c[1].equals("java.io");
            String rule = "rule \"probe\"\nwhen\n    $m : EchoMatch( $s : symbol )\nthen\n"
                    + (isImport ? "" : c[1]) + "    insert( OrderIntent.exitAll($s, \"probe\") );\nend\n";
            String text = HEADER + (isImport ? c[0] : "") + rule;
            Path dir = rulesDir("probe.drl", text);
            RuleCompileException e = failure(dir);
            int line = isImport ? 6 : 10;
            assertThat(e.getMessage()).as(c[0] + c[1]).contains("probe.drl:" + line + ": ").contains("not allowed in rules")
                    .contains("rules decide, they never act");
        }
        // the same words in a comment or a reason text are not code
        Path ok = rulesDir("probe.drl", HEADER + "// reads nothing: no java.io, no System.getenv\n" + GOOD_RULE
                .replace("drools.getRule().getName()", "\"no Runtime.exec here\""));
        assertThat(new RuleSetCompiler().compile(ok).files()).hasSize(1);
    }

    @Test
    void compilesTheRealRulesDirectoryWithEveryFileHashed() throws Exception {
        CompiledRuleSet set = Fixtures.defaultRules();

        assertThat(set.files()).extracting(RuleFile::displayPath)
                .containsExactly("rules/entries.drl", "rules/exits.drl", "rules/risk.drl");
        for (RuleFile f : set.files()) {
            byte[] bytes = Files.readAllBytes(f.path());
            assertThat(f.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
            assertThat(f.sizeBytes()).isEqualTo(bytes.length);
        }
        assertThat(set.version()).matches("v\\d+-" + set.contentHash().substring(0, 8));
        assertThat(set.ruleNames()).contains("entry-echo-up", "exit-time-stop", "exit-trailing-stop",
                "exit-echo-lagging", "exit-echo-decorrelated", "risk-daily-loss-halt", "risk-circuit-breaker",
                "risk-stale-feed-pause");
        assertThat(set.globals()).containsExactlyInAnyOrder("params", "limits");
        assertThat(set.warnings()).isEmpty();
        assertThat(set.compiledAt()).isNotNull();
        // Nothing of the build stays registered: repeated reloads must not accumulate modules.
        assertThat(KieServices.Factory.get().getRepository().getKieModule(set.releaseId())).isNull();
    }

    @Test
    void sameFilesGiveTheSameContentHashButANewVersion() throws IOException {
        Path dir = rulesDir("a.drl", HEADER + GOOD_RULE);
        CompiledRuleSet first = new RuleSetCompiler().compile(dir);
        CompiledRuleSet second = new RuleSetCompiler().compile(dir);
        assertThat(second.contentHash()).isEqualTo(first.contentHash());
        assertThat(second.version()).isNotEqualTo(first.version());

        Files.writeString(dir.resolve("a.drl"), HEADER + GOOD_RULE.replace("0.5", "0.6"));
        assertThat(new RuleSetCompiler().compile(dir).contentHash()).isNotEqualTo(first.contentHash());
    }

    @Test
    void syntaxErrorNamesFileAndLine() throws IOException {
        Path dir = rulesDir("a.drl", HEADER + GOOD_RULE, "b.drl", HEADER + """
                rule "broken"
                when
                    EchoMatch( similarity > 0.5
                then
                    insert( OrderIntent.exitAll("XUSDT", "x") );
                end
                """);
        RuleCompileException e = failure(dir);
        // line 9 is "then": the parser stops where the ")" was expected
        assertThat(e.errors()).hasSize(1);
        assertThat(e.errors().get(0)).startsWith("rules/b.drl:9: ").contains("mismatched input 'then'");
        assertThat(e.getMessage()).contains("rules/b.drl:9:");
    }

    @Test
    void unknownFieldNamesFileLineAndField() throws IOException {
        Path dir = rulesDir("entries.drl", HEADER + """
                rule "typo"
                when
                    EchoMatch( similarty > 0.5 )
                then
                end
                """);
        RuleCompileException e = failure(dir);
        assertThat(e.errors()).anySatisfy(m -> assertThat(m)
                .startsWith("rules/entries.drl:8: unknown field or method 'similarty' on EchoMatch"));
    }

    @Test
    void typeErrorInAConditionNamesFileAndLine() throws IOException {
        Path dir = rulesDir("a.drl", HEADER + """
                rule "bool vs double"
                when
                    EchoMatch( similarity == true )
                then
                end
                """);
        RuleCompileException e = failure(dir);
        assertThat(e.errors()).anySatisfy(m -> assertThat(m).startsWith("rules/a.drl:8: ")
                .contains("Comparison operation requires compatible types"));
    }

    @Test
    void consequenceThatDoesNotCompileNamesFileAndTheRuleLine() throws IOException {
        Path dir = rulesDir("a.drl", HEADER + GOOD_RULE + """

                rule "bad consequence"
                when
                    $m : EchoMatch( )
                then
                    String day = $m.getSimilarity();
                end
                """);
        RuleCompileException e = failure(dir);
        assertThat(e.errors()).singleElement().satisfies(m -> assertThat(m)
                .isEqualTo("rules/a.drl:13: rule \"bad consequence\": does not compile: "
                        + "Type mismatch: cannot convert from double to String"));
    }

    @Test
    void conditionThatOnlyFailsWhenEvaluatedIsCaughtByTheDryRun() throws IOException {
        // Drools accepts this at build time and fails on the first evaluation: the dry run must catch it.
        Path dir = rulesDir("a.drl", HEADER + GOOD_RULE + """

                rule "number vs text"
                when
                    EchoMatch( similarity > "abc" )
                then
                end
                """);
        RuleCompileException e = failure(dir);
        assertThat(e.errors()).singleElement().satisfies(m -> assertThat(m)
                .startsWith("rules/a.drl:15: a condition failed when evaluated in a dry run"));
    }

    @Test
    void aRuleThatLoopsIsRejectedByVerificationAtItsLine() throws IOException {
        Path dir = rulesDir("a.drl", HEADER + GOOD_RULE + """

                rule "loop"
                when
                    $m : EchoMatch( )
                then
                    update( $m );
                end
                """);
        RuleCompileException e = failure(dir);
        assertThat(e.stage()).isEqualTo(RuleCompileException.Stage.VERIFY);
        assertThat(e.errors()).anySatisfy(m -> assertThat(m).startsWith("rules/a.drl:13: a rule loops: ")
                .contains("\"loop\"").contains("re-activating").contains("dry run over sample facts"));
    }

    /**
     * A condition that never returns (a DRL function looping in a constraint) must not hang validation or the
     * reload thread: with the hang, a later fix of the file would never be picked up.
     */
    @Test
    void aConditionThatNeverReturnsIsRefusedInBoundedTime() throws IOException {
        Path dir = rulesDir("a.drl", HEADER + """
                function boolean spins(double x) { while (x == x) { } return true; }

                """ + GOOD_RULE + """

                rule "spinning condition"
                when
                    EchoMatch( spins(similarity) )
                then
                end
                """);
        RuleSetCompiler compiler = new RuleSetCompiler(Fixtures.params(), Fixtures.limits(), 500);
        RuleCompileException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(20), () -> {
                    try {
                        compiler.compile(dir);
                    } catch (RuleCompileException x) {
                        return x;
                    }
                    throw new AssertionError("expected the spinning condition to be refused");
                });
        assertThat(e.stage()).isEqualTo(RuleCompileException.Stage.VERIFY);
        assertThat(e.errors()).anySatisfy(m -> assertThat(m).startsWith("rules/a.drl:6: function spins()")
                .contains("did not finish within 500 ms"));
    }

    @Test
    void aConsequenceThatThrowsOnSampleFactsIsRejectedAtItsRule() throws IOException {
        Path dir = rulesDir("a.drl", HEADER + GOOD_RULE + """

                rule "divides by zero"
                when
                    $m : EchoMatch( )
                then
                    int x = 1 / (int) ($m.getSimilarity() * 0);
                end
                """);
        RuleCompileException e = failure(dir);
        assertThat(e.stage()).isEqualTo(RuleCompileException.Stage.VERIFY);
        assertThat(e.errors()).anySatisfy(m -> assertThat(m)
                .startsWith("rules/a.drl:13: rule \"divides by zero\" failed on SAMPLEUSDT: ArithmeticException"));
    }

    @Test
    void compileErrorsAreOfTheCompileStage() throws IOException {
        Path dir = rulesDir("a.drl", HEADER + "rule \"x\" when EchoMatch( similarity > ) then end\n");
        assertThat(failure(dir).stage()).isEqualTo(RuleCompileException.Stage.COMPILE);
    }

    @Test
    void everyErrorOfEveryFileIsListed() throws IOException {
        Path dir = rulesDir(
                "a.drl", HEADER + "rule \"x\" when EchoMatch( nope > 1 ) then end\n",
                "b.drl", HEADER + "rule \"y\" when EchoMatch( ) then int i = \"s\"; end\n");
        RuleCompileException e = failure(dir);
        assertThat(e.errors()).hasSize(2);
        assertThat(e.errors().get(0)).startsWith("rules/a.drl:6: ");
        assertThat(e.errors().get(1)).startsWith("rules/b.drl:6: ");
    }

    @Test
    void unknownOrMistypedGlobalIsRejectedWithItsLine() throws IOException {
        Path dir = rulesDir("a.drl", HEADER + "global java.lang.String mood;\n" + GOOD_RULE,
                "b.drl", HEADER + "global java.lang.Double params;\n" + GOOD_RULE.replace("\"ok\"", "\"ok2\""));
        RuleCompileException e = failure(dir);
        assertThat(e.errors()).anySatisfy(m -> assertThat(m).startsWith("rules/a.drl:6: unknown global 'mood'"));
        assertThat(e.errors()).anySatisfy(m -> assertThat(m)
                .startsWith("rules/b.drl:6: global 'params' must be declared as io.aquatrade.rules.StrategyParams"));
    }

    @Test
    void duplicateRuleNamesAcrossPackagesAreRejected() throws IOException {
        Path dir = rulesDir("a.drl", HEADER + GOOD_RULE,
                "b.drl", HEADER.replace("package aquatrade;", "package other;") + GOOD_RULE);
        RuleCompileException e = failure(dir);
        assertThat(e.errors()).anySatisfy(m -> assertThat(m).contains("duplicate rule name \"ok\""));
    }

    @Test
    void aRuleSetWithoutRulesIsRejected() throws IOException {
        Path dir = rulesDir("a.drl", HEADER);
        assertThat(failure(dir).errors()).containsExactly("rules: the rule set contains no rules");
    }

    @Test
    void missingOrEmptyDirectoryIsRejected() throws IOException {
        assertThat(failure(tmp.resolve("nowhere")).errors()).singleElement()
                .satisfies(m -> assertThat(m).startsWith("nowhere: not a directory"));
        Path empty = rulesDir("notes.txt", "not rules");
        assertThat(failure(empty).errors()).singleElement()
                .satisfies(m -> assertThat(m).startsWith("rules: no *.drl files"));
    }

    @Test
    void invalidUtf8IsRejectedByName() throws IOException {
        Path dir = rulesDir("a.drl", HEADER + GOOD_RULE);
        Files.write(dir.resolve("b.drl"), new byte[] {'r', 'u', (byte) 0xC3, (byte) 0x28});
        assertThat(failure(dir).errors()).containsExactly("rules/b.drl: not valid UTF-8 text");
    }

    @Test
    void hiddenFilesAndSubdirectoriesAreNotCompiled() throws IOException {
        Path dir = rulesDir("a.drl", HEADER + GOOD_RULE, ".#a.drl", "garbage that would not compile");
        Files.createDirectories(dir.resolve("old"));
        Files.writeString(dir.resolve("old/b.drl"), "garbage", StandardCharsets.UTF_8);
        CompiledRuleSet set = new RuleSetCompiler().compile(dir);
        assertThat(set.files()).extracting(RuleFile::displayPath).containsExactly("rules/a.drl");
        assertThat(set.ruleNames()).containsExactly("ok");
        assertThat(set.globals()).isEmpty();
    }
}
