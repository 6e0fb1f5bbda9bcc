package io.aquatrade.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.config.ConfigKeys;
import io.aquatrade.rules.CompiledRuleSet;
import io.aquatrade.rules.RuleCompileException;
import io.aquatrade.rules.RuleFile;
import io.aquatrade.rules.RuleSetCompiler;
import io.aquatrade.rules.ScenarioReport;
import io.aquatrade.rules.ScenarioResult;
import io.aquatrade.rules.ScenarioRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code rules}: check and test rule files without trading, and ask a running bot to reload them. */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = {"Validate rule files, run their scenario tests, or ask a running bot to reload them.",
                "%nThe bot itself reloads its rules when a file is saved (rules.watch); these commands are for "
                        + "operators and CI."},
        subcommands = {RulesCommand.Validate.class, RulesCommand.Test.class, RulesCommand.Reload.class,
                CommandLine.HelpCommand.class})
final class RulesCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Exit codes of the subcommands. */
    static final int OK = 0;
    static final int REJECTED = 1;

    /** --config and --set, as the trading commands read them, for the commands that run the rules. */
    static final class ConfigOptions {
        @Option(names = "--config", paramLabel = "FILE",
                description = "YAML configuration whose strategy.* and risk.* values the rules run with "
                        + "(default: config/aquatrade.yaml if present, else built-in defaults).")
        Path config;

        @Option(names = "--set", paramLabel = "KEY=VALUE",
                description = "Override one config key, e.g. --set strategy.min_similarity=0.9 (repeatable).")
        List<String> overrides = new ArrayList<>();

        AquatradeConfig load() {
            return load(config, overrides);
        }

        /** {@code file}, else config/aquatrade.yaml if present, else the defaults; the overrides on top. */
        static AquatradeConfig load(Path file, List<String> overrides) {
            if (file == null) {
                Path dflt = Path.of("config", "aquatrade.yaml");
                file = Files.isRegularFile(dflt) ? dflt : null;
            }
            return AquatradeConfig.load(file, overrides);
        }
    }

    /** Compiles and verifies, printing errors as {@code file:line: message}; null when rejected. */
    static CompiledRuleSet compile(Path dir, AquatradeConfig config, PrintWriter out, PrintWriter err) {
        try {
            return new RuleSetCompiler(config).compile(dir);
        } catch (RuleCompileException e) {
            for (String line : e.errors()) {
                err.println(line);
            }
            err.println("REJECTED  " + dir + ": " + e.errors().size() + " error(s) found while "
                    + (e.stage() == RuleCompileException.Stage.VERIFY ? "verifying" : "compiling")
                    + "; a running bot would keep its current rules");
            return null;
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Compile and verify a rules directory without trading.",
                    "%nThis is what the bot does before a rule set may go live. Verification checks the globals, "
                            + "that rule names are unique, and runs the rules over sample facts (a condition that "
                            + "cannot be evaluated, a consequence that throws, a rule that loops). Every problem is "
                            + "printed as file:line: message.%n"},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:the rules compile and pass verification (summary on stdout)",
                    "1:the rules are rejected (each problem on stderr as file:line: message)",
                    "2:bad command line or configuration"})
    static final class Validate implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", defaultValue = "rules",
                description = "The rules directory: every top-level *.drl (default: ${DEFAULT-VALUE}).")
        Path dir;

        @CommandLine.Mixin
        ConfigOptions config = new ConfigOptions();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            CompiledRuleSet set = compile(dir, config.load(), out, err);
            if (set == null) {
                err.flush();
                return REJECTED;
            }
            out.printf("OK  %s %s: %d file(s), %d rule(s), %d warning(s); compiled and verified in %d ms%n", dir,
                    set.version(), set.files().size(), set.ruleNames().size(), set.warnings().size(),
                    set.compileMillis());
            for (RuleFile f : set.files()) {
                out.printf("    %-28s sha256 %s  %d bytes%n", f.displayPath(), f.sha256(), f.sizeBytes());
            }
            for (String w : set.warnings()) {
                out.println("    warning: " + w);
            }
            out.println("    rules: " + String.join(", ", set.ruleNames()));
            out.flush();
            return OK;
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Run the rule scenarios in DIR/tests against the rules in DIR.",
                    "%nEach scenario (a *.yaml, *.yml or *.json file in DIR/tests) gives facts (market snapshot, "
                            + "echo matches, positions, account, risk state, clock, ...) and says what the rules "
                            + "must decide (orders, stop moves, risk events, entry blocks, or nothing). Prints PASS "
                            + "or FAIL per scenario with what differed. The format is in rules/README.md.%n"},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:every scenario passed",
                    "1:a scenario failed, a scenario file is malformed, none was found, or the rules are rejected",
                    "2:bad command line or configuration"})
    static final class Test implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", defaultValue = "rules",
                description = "The rules directory (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Option(names = "--tests", paramLabel = "PATH",
                description = "A scenario file or directory (default: DIR/tests).")
        Path tests;

        @Option(names = "--failures-only", description = "Print only failing scenarios and the summary.")
        boolean failuresOnly;

        @CommandLine.Mixin
        ConfigOptions config = new ConfigOptions();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            AquatradeConfig cfg = config.load();
            CompiledRuleSet set = compile(dir, cfg, out, err);
            if (set == null) {
                err.flush();
                return REJECTED;
            }
            Path path = tests != null ? tests : dir.resolve("tests");
            ScenarioReport report = new ScenarioRunner(cfg, cfg.integer(ConfigKeys.RULES_FIRING_LIMIT)).run(set, path);
            for (ScenarioResult r : report.results()) {
                if (r.passed() && failuresOnly) {
                    continue;
                }
                out.println((r.passed() ? "PASS  " : "FAIL  ") + r.location() + "  " + r.name());
                for (String f : r.failures()) {
                    for (String l : f.split("\n")) {
                        out.println("        " + l);
                    }
                }
            }
            for (String e : report.errors()) {
                err.println("ERROR " + e);
            }
            (report.ok() ? out : err).println(report.summary());
            out.flush();
            err.flush();
            return report.ok() ? OK : REJECTED;
        }
    }

    @Command(name = "reload", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Ask a running bot to reload its rules now.",
                    "%nSends POST /api/rules/reload to the bot's control API (with the bearer token from "
                            + "--token-file or the variable named by ops.control_token_env, AQUATRADE_CONTROL_TOKEN) and prints the outcome: the new version, or why the "
                            + "running rules were kept. The bot also reloads by itself when a rule file is saved "
                            + "(rules.watch).%n"},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:the reload succeeded or nothing had changed",
                    "1:the bot refused the new rules (they stay as they were) or could not be reached",
                    "2:bad command line"})
    static final class Reload implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        BotClient.Options botOptions = new BotClient.Options();

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            BotClient bot = botOptions.connect();
            URI uri = bot.base().resolve("/api/rules/reload");
            HttpResponse<String> resp;
            try {
                resp = bot.post("/api/rules/reload", "{}");
            } catch (BotClient.Unreachable e) {
                err.println("error: " + e.getMessage());
                err.flush();
                return REJECTED;
            }
            String outcome = null;
            try {
                JsonNode json = new ObjectMapper().readTree(resp.body());
                if (json != null && json.hasNonNull("outcome")) {
                    outcome = json.get("outcome").asText();
                    out.println(outcome + "  " + json.path("previousVersion").asText("?") + " -> "
                            + json.path("activeVersion").asText("?"));
                    for (JsonNode e : json.path("errors")) {
                        err.println(e.asText());
                    }
                    for (JsonNode w : json.path("warnings")) {
                        out.println("warning: " + w.asText());
                    }
                } else {
                    out.println(resp.body());
                }
            } catch (Exception e) {
                out.println(resp.body());
            }
            out.flush();
            err.flush();
            boolean ok = resp.statusCode() / 100 == 2 && (outcome == null || outcome.equals("SUCCESS")
                    || outcome.equals("UNCHANGED"));
            if (!ok && outcome == null) {
                err.println("HTTP " + resp.statusCode() + " from " + uri);
                err.flush();
            }
            return ok ? OK : REJECTED;
        }
    }
}
