package io.aquatrade.rules;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.config.ConfigException;
import io.aquatrade.config.ConfigKeys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Runs the operator's rule scenarios ({@code rules/tests/*.yaml}, {@code *.yml} or {@code *.json}) against a
 * compiled rule set: for each scenario, given facts go into a fresh {@link RuleEngine}, the rules fire, and what
 * they decided is compared with what the scenario expects. The file format is documented in
 * {@code rules/README.md}; in short:
 *
 * <pre>{@code
 * params: { min_similarity: 0.85 }          # optional strategy.* overrides for every scenario of the file
 * limits: { max_open_positions: 12 }        # optional risk.* overrides
 * given: { ... }                             # optional facts every scenario starts from
 * scenarios:
 *   - name: a close up echo enters
 *     given:
 *       symbols:
 *         BTCUSDT:
 *           matches: [ { similarity: 0.95 } ]
 *     expect:
 *       orders: [ { side: BUY, symbol: BTCUSDT, reason: entry-echo-up, quote_qty: 100 } ]
 *   - name: several evaluations in a row
 *     steps:
 *       - given: { ... }
 *         expect: { ... }
 *       - given: { clock: +1m, ... }   # merged into the previous step's facts
 *         expect: { nothing: true }
 * }</pre>
 *
 * A file that cannot be run as written is reported as an error naming the file, line and field; the other
 * files still run. Thread-safe: a run shares nothing with another.
 */
public final class ScenarioRunner {

    private static final Set<String> FILE_KEYS = Set.of("description", "params", "limits", "given", "scenarios");
    private static final Set<String> SCENARIO_KEYS = Set.of("name", "description", "params", "limits", "given",
            "expect", "steps");
    private static final Set<String> STEP_KEYS = Set.of("description", "given", "expect");

    private final AquatradeConfig base;
    private final int firingLimit;
    private final long evaluationDeadlineMs;

    /** @param base the configuration the scenarios' parameters start from (a scenario may override some) */
    public ScenarioRunner(AquatradeConfig base) {
        this(base, RuleEngine.DEFAULT_FIRING_LIMIT);
    }

    public ScenarioRunner(AquatradeConfig base, int firingLimit) {
        this.base = Objects.requireNonNull(base, "base");
        this.firingLimit = firingLimit;
        this.evaluationDeadlineMs = base.longValue(io.aquatrade.config.ConfigKeys.RULES_EVALUATION_DEADLINE_MS);
    }

    /** One step, ready to run: its clock, its facts (earlier steps' facts merged in) and what it expects. */
    private record Step(int number, int line, ScenarioFacts.Facts facts, ScenarioExpectation expect) {
    }

    /** One scenario, ready to run. */
    private record Prepared(String file, int line, String name, StrategyParams params, RiskLimits limits,
                            List<Step> steps) {
    }

    /** The scenario files of a path: the file itself, or a directory's top-level YAML/JSON files in name order. */
    public static List<Path> scenarioFiles(Path testsPath) throws IOException {
        if (Files.isRegularFile(testsPath)) {
            return List.of(testsPath);
        }
        if (!Files.isDirectory(testsPath)) {
            throw new IOException(testsPath + ": no such file or directory");
        }
        try (Stream<Path> list = Files.list(testsPath)) {
            return list.filter(p -> {
                String n = p.getFileName().toString();
                return !n.startsWith(".") && Files.isRegularFile(p)
                        && (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json"));
            }).sorted().toList();
        }
    }

    /** Runs every scenario of {@code testsPath} (a file or a directory) against {@code rules}. */
    public ScenarioReport run(CompiledRuleSet rules, Path testsPath) {
        List<String> files = new ArrayList<>();
        List<ScenarioResult> results = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<Path> paths;
        try {
            paths = scenarioFiles(testsPath);
        } catch (IOException e) {
            return new ScenarioReport(rules.version(), List.of(), List.of(), List.of(e.getMessage()));
        }
        for (Path p : paths) {
            String display = display(testsPath, p);
            files.add(display);
            List<Prepared> scenarios;
            try {
                scenarios = load(p, display);
            } catch (ScenarioException e) {
                errors.add(e.getMessage());
                continue;
            }
            for (Prepared s : scenarios) {
                results.add(run(rules, s));
            }
        }
        return new ScenarioReport(rules.version(), files, results, errors);
    }

    private static String display(Path testsPath, Path file) {
        Path abs = testsPath.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            Path parent = abs.getParent();
            String dir = (parent == null || parent.getFileName() == null ? "" : parent.getFileName() + "/")
                    + abs.getFileName();
            return dir + "/" + file.getFileName();
        }
        Path parent = abs.getParent();
        return (parent == null || parent.getFileName() == null ? "" : parent.getFileName() + "/") + abs.getFileName();
    }

    // ------------------------------------------------------------------ loading

    /** Reads and checks one scenario file completely (facts built, expectations parsed) before anything runs. */
    private List<Prepared> load(Path file, String display) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ScenarioException(display + ": cannot read: " + e.getMessage(), e);
        }
        ScenarioNode root = ScenarioNode.parse(display, text, file.getFileName().toString().endsWith(".json"));
        if (root.isNull()) {
            throw new ScenarioException(display + ": empty file: expected 'scenarios:' with at least one scenario");
        }
        Map<String, ScenarioNode> top = root.fields(FILE_KEYS);
        ScenarioNode list = top.get("scenarios");
        if (list == null || list.isNull()) {
            throw root.error("'scenarios:' is missing: list at least one scenario");
        }
        if (list.items().isEmpty()) {
            throw list.error("lists no scenario");
        }
        List<String> fileOverrides = new ArrayList<>();
        overrides(top.get("params"), "strategy.", fileOverrides);
        overrides(top.get("limits"), "risk.", fileOverrides);
        ScenarioNode fileGiven = top.get("given");

        List<Prepared> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ScenarioNode sn : list.items()) {
            Map<String, ScenarioNode> s = sn.fields(SCENARIO_KEYS);
            ScenarioNode nameNode = s.get("name");
            if (nameNode == null) {
                throw sn.error("'name' is missing: every scenario needs a name (it is what the report shows)");
            }
            String name = nameNode.requiredText().trim();
            if (!names.add(name)) {
                throw nameNode.error("another scenario of this file already has the name \"" + name + "\"");
            }
            List<String> ov = new ArrayList<>(fileOverrides);
            overrides(s.get("params"), "strategy.", ov);
            overrides(s.get("limits"), "risk.", ov);
            AquatradeConfig config = config(ov, s.containsKey("params") || s.containsKey("limits") ? sn : root);

            List<ScenarioNode[]> rawSteps = new ArrayList<>(); // {given, expect, at}
            if (s.containsKey("steps")) {
                if (s.containsKey("expect")) {
                    throw s.get("expect").error("a scenario with 'steps' has its expectations in each step");
                }
                List<ScenarioNode> steps = s.get("steps").items();
                if (steps.isEmpty()) {
                    throw s.get("steps").error("lists no step");
                }
                for (ScenarioNode st : steps) {
                    Map<String, ScenarioNode> f = st.fields(STEP_KEYS);
                    if (!f.containsKey("expect")) {
                        throw st.error("'expect' is missing: say what the rules should decide in this step");
                    }
                    rawSteps.add(new ScenarioNode[] {f.get("given"), f.get("expect"), st});
                }
            } else {
                if (!s.containsKey("expect")) {
                    throw sn.error("'expect' is missing: say what the rules should decide (or 'nothing: true')");
                }
                rawSteps.add(new ScenarioNode[] {null, s.get("expect"), sn});
            }

            long clock = ScenarioFacts.clock(fileGiven, ScenarioFacts.DEFAULT_CLOCK_MS);
            ScenarioNode scenarioGiven = s.get("given");
            clock = ScenarioFacts.clock(scenarioGiven, clock);
            ScenarioNode facts = ScenarioNode.merge(ScenarioFacts.absolute(fileGiven, clock),
                    ScenarioFacts.absolute(scenarioGiven, clock));
            List<Step> steps = new ArrayList<>();
            int number = 1;
            for (ScenarioNode[] raw : rawSteps) {
                clock = ScenarioFacts.clock(raw[0], clock);
                facts = ScenarioNode.merge(facts, ScenarioFacts.absolute(raw[0], clock));
                ScenarioFacts.Facts built = ScenarioFacts.build(facts, clock);
                steps.add(new Step(number++, raw[2].line, built, ScenarioExpectation.parse(raw[1], clock)));
            }
            out.add(new Prepared(display, nameNode.line, name, StrategyParams.from(config), RiskLimits.from(config),
                    steps));
        }
        return out;
    }

    private static void overrides(ScenarioNode n, String prefix, List<String> out) {
        if (n == null || n.isNull()) {
            return;
        }
        for (Map.Entry<String, ScenarioNode> e : n.anyFields().entrySet()) {
            String key = prefix + e.getKey();
            if (!ConfigKeys.all().containsKey(key)) {
                Set<String> known = new TreeSet<>();
                ConfigKeys.all().keySet().stream().filter(k -> k.startsWith(prefix))
                        .forEach(k -> known.add(k.substring(prefix.length())));
                throw e.getValue().error("unknown " + ("strategy.".equals(prefix) ? "strategy parameter" : "risk limit")
                        + " '" + e.getKey() + "' (known: " + String.join(", ", known) + ")");
            }
            String v = e.getValue().text();
            out.add(key + "=" + (v == null ? "" : v));
        }
    }

    private AquatradeConfig config(List<String> scenarioOverrides, ScenarioNode at) {
        if (scenarioOverrides.isEmpty()) {
            return base;
        }
        List<String> all = new ArrayList<>();
        base.effective().forEach((k, v) -> all.add(k + "=" + v));
        all.addAll(scenarioOverrides);
        try {
            AquatradeConfig c = AquatradeConfig.loadEachKey(null, all);
            StrategyParams.from(c);
            RiskLimits.from(c);
            return c;
        } catch (ConfigException e) {
            throw at.error("bad parameter override: " + e.getMessage().replace(" (--set)", ""));
        }
    }

    // ------------------------------------------------------------------ running

    /** Runs one scenario on a thread of its own: an evaluation past {@code rules.evaluation_deadline_ms} fails it. */
    private ScenarioResult run(CompiledRuleSet rules, Prepared s) {
        EvaluationWatch watch = new EvaluationWatch();
        try {
            return EvaluationDeadline.call("scenario \"" + s.name() + "\" (" + s.file() + ":" + s.line() + ")", watch,
                    evaluationDeadlineMs, () -> runWatched(rules, s, watch));
        } catch (EvaluationTimeoutException e) {
            String at = rules.location(e.rule());
            return new ScenarioResult(s.file(), s.line(), s.name(), false,
                    List.of((at == null ? "" : at + ": ") + e.getMessage()), Map.of());
        }
    }

    private ScenarioResult runWatched(CompiledRuleSet rules, Prepared s, EvaluationWatch watch) {
        List<String> failures = new ArrayList<>();
        Map<String, Integer> firings = new java.util.TreeMap<>();
        try (RuleEngine engine = new RuleEngine(rules, s.params(), s.limits(), firingLimit, watch)) {
            for (Step step : s.steps()) {
                ScenarioFacts.Facts f = step.facts();
                engine.setClock(f.clock());
                engine.setAccount(f.account());
                engine.setRiskState(f.riskState());
                for (Map.Entry<String, ScenarioFacts.SymbolFacts> e : f.symbols().entrySet()) {
                    ScenarioFacts.SymbolFacts sf = e.getValue();
                    if (sf == null) {
                        engine.removeSymbol(e.getKey());
                    } else {
                        engine.updateSymbol(sf.snapshot(), sf.matches(), sf.position(), sf.track(), sf.risk(),
                                sf.activity());
                    }
                }
                Decisions d = engine.fire();
                d.firings().forEach((r, n) -> firings.merge(r, n, Integer::sum));
                List<String> found = step.expect().check(d);
                if (!found.isEmpty()) {
                    StringBuilder sb = new StringBuilder();
                    if (s.steps().size() > 1) {
                        sb.append("step ").append(step.number()).append(" (line ").append(step.line()).append("):\n");
                    }
                    sb.append(String.join("\n", found)).append('\n').append(ScenarioExpectation.describe(d));
                    failures.add(sb.toString());
                }
            }
        } catch (RuntimeException e) {
            failures.add("the scenario could not be evaluated: " + e);
        }
        return new ScenarioResult(s.file(), s.line(), s.name(), failures.isEmpty(), failures, firings);
    }
}
