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
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.builder.model.KieBaseModel;
import org.kie.api.builder.model.KieModuleModel;
import org.kie.api.conf.EqualityBehaviorOption;
import org.kie.api.conf.EventProcessingOption;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Global;
import org.kie.api.definition.rule.Rule;
import org.kie.api.io.Resource;
import org.kie.api.runtime.KieContainer;
import org.kie.api.runtime.KieSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Compiles every {@code *.drl} file of a directory on disk, at run time, with the classic Drools engine
 * (KieFileSystem + KieBuilder; mvel and in-memory ECJ, no Maven), and verifies the result before it can
 * go live. Only the top level of the directory is read (no subdirectories), in file-name order; hidden
 * files (editor locks such as {@code .#entries.drl}) are skipped.
 *
 * <p>Verification, beyond what Drools checks: the set has at least one rule; it declares no global other
 * than {@code params} ({@link StrategyParams}) and {@code limits} ({@link RiskLimits}), with those types;
 * rule names are unique across files (they are the reasons in the trade journal and the keys of the
 * firing counts); and a dry run over one realistic fact of every kind evaluates the conditions (without
 * running consequences), which catches conditions that only fail when first evaluated (e.g. comparing
 * a number with text).
 *
 * <p>Each build gets a unique ReleaseId and its KieModule is removed from the KieRepository and its
 * KieContainer disposed as soon as the knowledge base is built, so repeated reloads do not grow memory.
 * Thread-safe: compiles share no mutable state but a counter.
 */
public final class RuleSetCompiler {

    private static final Logger LOG = LoggerFactory.getLogger(RuleSetCompiler.class);

    /** Globals the rules may declare, with their types. */
    static final Map<String, Class<?>> KNOWN_GLOBALS = Map.of(
            "params", StrategyParams.class,
            "limits", RiskLimits.class);

    private static final AtomicLong BUILDS = new AtomicLong();
    private static final String KBASE = "aquatrade";
    private static final String RESOURCES = "src/main/resources/";
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;?", Pattern.MULTILINE);
    private static final Pattern NEAR = Pattern.compile("\\[Near : \\{\\.\\.\\. (.+?) \\.\\.\\.\\.}]", Pattern.DOTALL);
    private static final Pattern RULE_DECL = Pattern.compile("^\\s*rule\\s+\"([^\"]+)\"");
    private static final Pattern STRICT_MODE = Pattern.compile(
            "unable to resolve method using strict-mode: ([\\w.$]+)\\.(\\w+)\\(\\)");

    private final StrategyParams dryRunParams;
    private final RiskLimits dryRunLimits;
    /** Longest one dry-run evaluation may run ({@code rules.evaluation_deadline_ms}). */
    private final long evaluationDeadlineMs;
    /**
     * The default of {@code rules.evaluation_deadline_ms}: far above a warm evaluation (microseconds), but a
     * new rule base's first evaluations build its network and classes, which on a busy machine takes hundreds of ms.
     */
    public static final long DEFAULT_EVALUATION_DEADLINE_MS = 2000;

    /** Firings allowed per dry-run evaluation; the sample facts need a few dozen, a looping rule reaches it at once. */
    static final int DRY_RUN_FIRING_LIMIT = 1_000;
    private static final Pattern QUOTED_RULE = Pattern.compile("\"([^\"]+)\"");

    /** Dry runs use the built-in default {@code strategy.*} and {@code risk.*} values. */
    public RuleSetCompiler() {
        this(AquatradeConfig.defaults());
    }

    /** Dry runs use {@code config}'s {@code strategy.*} and {@code risk.*} values (the ones the rules will run with). */
    public RuleSetCompiler(AquatradeConfig config) {
        this(StrategyParams.from(config), RiskLimits.from(config),
                config.longValue(io.aquatrade.config.ConfigKeys.RULES_EVALUATION_DEADLINE_MS));
    }

    public RuleSetCompiler(StrategyParams dryRunParams, RiskLimits dryRunLimits) {
        this(dryRunParams, dryRunLimits, DEFAULT_EVALUATION_DEADLINE_MS);
    }

    /** @param evaluationDeadlineMs longest one dry-run evaluation may run before the rule set is refused */
    public RuleSetCompiler(StrategyParams dryRunParams, RiskLimits dryRunLimits, long evaluationDeadlineMs) {
        this.dryRunParams = java.util.Objects.requireNonNull(dryRunParams, "dryRunParams");
        this.dryRunLimits = java.util.Objects.requireNonNull(dryRunLimits, "dryRunLimits");
        if (evaluationDeadlineMs < 1) {
            throw new IllegalArgumentException("evaluationDeadlineMs must be >= 1, got " + evaluationDeadlineMs);
        }
        this.evaluationDeadlineMs = evaluationDeadlineMs;
    }

    /** Compiles {@code rulesDir}; files are named in messages as {@code <dir name>/<file>}, e.g. {@code rules/entries.drl}. */
    public CompiledRuleSet compile(Path rulesDir) {
        Path abs = rulesDir.toAbsolutePath().normalize();
        Path name = abs.getFileName();
        return compile(rulesDir, name == null ? abs.toString() : name.toString());
    }

    /**
     * Compiles {@code rulesDir}, naming files in messages as {@code displayRoot/<file>}.
     *
     * @throws RuleCompileException listing every error as {@code file:line: message}
     */
    public CompiledRuleSet compile(Path rulesDir, String displayRoot) {
        long t0 = System.nanoTime();
        Path dir = rulesDir.toAbsolutePath().normalize();
        List<Source> sources = readSources(dir, displayRoot);
        List<Problem> acting = actingCode(sources);
        if (!acting.isEmpty()) {
            throw new RuleCompileException(displayRoot, format(acting));
        }

        KieServices ks = KieServices.Factory.get();
        long build = BUILDS.incrementAndGet();
        ReleaseId releaseId = ks.newReleaseId("io.aquatrade.rules", "ruleset", "1.0." + build);
        KieFileSystem kfs = ks.newKieFileSystem();
        kfs.generateAndWritePomXML(releaseId);
        KieModuleModel module = ks.newKieModuleModel();
        KieBaseModel base = module.newKieBaseModel(KBASE).setDefault(true)
                .setEqualsBehavior(EqualityBehaviorOption.IDENTITY)
                .setEventProcessingMode(EventProcessingOption.CLOUD);
        base.addPackage("*");
        kfs.writeKModuleXML(module.toXML());

        // KieBuilder reports paths relative to src/main/resources; map them back to what the operator sees.
        Map<String, Source> byBuildPath = new HashMap<>();
        for (Source s : sources) {
            kfs.write(RESOURCES + s.buildPath, s.text);
            byBuildPath.put(s.buildPath, s);
        }

        KieBuilder builder = ks.newKieBuilder(kfs).buildAll();
        List<Problem> errors = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        for (Message m : builder.getResults().getMessages()) {
            Source s = m.getPath() == null ? null : byBuildPath.get(m.getPath());
            Problem p = problem(s, m.getPath() == null ? displayRoot : m.getPath(), Math.max(0, m.getLine()), m.getText());
            if (m.getLevel() == Message.Level.ERROR) {
                errors.add(p);
            } else if (m.getLevel() == Message.Level.WARNING) {
                warnings.add(p);
            }
        }
        if (!errors.isEmpty()) {
            ks.getRepository().removeKieModule(releaseId);
            throw new RuleCompileException(displayRoot, format(dropParserNoise(errors)));
        }

        KieBase kieBase;
        KieContainer container = null;
        try {
            container = ks.newKieContainer(releaseId);
            kieBase = container.getKieBase(KBASE);
        } catch (RuntimeException e) {
            throw new RuleCompileException(displayRoot, List.of(displayRoot + ": cannot build the rule base: " + clean(e.getMessage())));
        } finally {
            // The module and the container are only needed to get the KieBase; keeping them leaks per reload.
            ks.getRepository().removeKieModule(releaseId);
            if (container != null) {
                container.dispose();
            }
        }

        List<String> ruleNames = new ArrayList<>();
        Set<String> globals = new TreeSet<>();
        verify(kieBase, sources, byBuildPath, errors, ruleNames, globals);
        if (!errors.isEmpty()) {
            throw new RuleCompileException(displayRoot, format(errors), RuleCompileException.Stage.VERIFY);
        }

        String contentHash = contentHash(sources);
        String version = "v" + build + "-" + contentHash.substring(0, 8);
        List<RuleFile> files = new ArrayList<>();
        for (Source s : sources) {
            files.add(new RuleFile(s.displayPath, s.path, s.sha256, s.sizeBytes));
        }
        CompiledRuleSet candidate = new CompiledRuleSet(version, build, contentHash, dir, files, Instant.now(), 0,
                ruleNames.stream().sorted().toList(), format(warnings), globals, kieBase, releaseId, buildToDisplay(sources),
                ruleLocations(sources, ruleNames));
        EvaluationWatch watch = new EvaluationWatch();
        try {
            // Both dry runs under the deadline: a condition that never returns hangs the inserts of the first one,
            // and would otherwise hold the reload thread (and every later reload) for good.
            EvaluationDeadline.call("dry run over sample facts", watch, evaluationDeadlineMs, () -> {
                dryRun(candidate, sources, errors, watch);
                if (errors.isEmpty()) {
                    behaviourDryRun(candidate, sources, errors, watch);
                }
                return null;
            });
        } catch (EvaluationTimeoutException e) {
            errors.add(e.rule() == null ? locateStuck(sources, e) : locateRule(sources, e.getMessage()));
        }
        if (!errors.isEmpty()) {
            throw new RuleCompileException(displayRoot, format(errors), RuleCompileException.Stage.VERIFY);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        CompiledRuleSet set = new CompiledRuleSet(version, build, contentHash, dir, files, Instant.now(), ms,
                ruleNames.stream().sorted().toList(), format(warnings), globals, kieBase, releaseId, buildToDisplay(sources),
                ruleLocations(sources, ruleNames));
        LOG.info("Compiled rules {} from {}: {} files, {} rules, {} warnings in {} ms", version, dir, files.size(),
                ruleNames.size(), warnings.size(), ms);
        return set;
    }

    /**
     * The {@link CompiledRuleSet#contentHash()} the directory's files would have if compiled now, without
     * compiling: how a reload tells that nothing changed. Null when the files cannot be read as rule files
     * (compiling will then say why).
     */
    public static String contentHashOf(Path rulesDir) {
        Path abs = rulesDir.toAbsolutePath().normalize();
        Path name = abs.getFileName();
        try {
            return contentHash(readSources(abs, name == null ? abs.toString() : name.toString()));
        } catch (RuleCompileException e) {
            return null;
        }
    }

    /** True for the files a rule set is compiled from: top-level, non-hidden {@code *.drl}. */
    public static boolean isRuleFileName(String fileName) {
        return fileName.endsWith(".drl") && !fileName.startsWith(".");
    }

    private static Map<String, String> ruleLocations(List<Source> sources, List<String> ruleNames) {
        Map<String, String> m = new HashMap<>();
        for (String rule : ruleNames) {
            for (Source s : sources) {
                int line = s.lineOf(rule);
                if (line > 0) {
                    m.put(rule, s.displayPath + ":" + line);
                    break;
                }
            }
        }
        return m;
    }

    private static Map<String, String> buildToDisplay(List<Source> sources) {
        Map<String, String> m = new HashMap<>();
        for (Source s : sources) {
            m.put(s.buildPath, s.displayPath);
        }
        return m;
    }

    private static List<Source> readSources(Path dir, String displayRoot) {
        if (!Files.isDirectory(dir)) {
            throw new RuleCompileException(displayRoot, List.of(displayRoot + ": not a directory (" + dir + ")"));
        }
        List<Path> paths;
        try (Stream<Path> list = Files.list(dir)) {
            paths = list.filter(p -> {
                String n = p.getFileName().toString();
                return isRuleFileName(n) && Files.isRegularFile(p);
            }).sorted().toList();
        } catch (IOException e) {
            throw new RuleCompileException(displayRoot, List.of(displayRoot + ": cannot list: " + e.getMessage()));
        }
        if (paths.isEmpty()) {
            throw new RuleCompileException(displayRoot, List.of(displayRoot + ": no *.drl files in " + dir));
        }
        List<Source> sources = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Path p : paths) {
            String display = displayRoot + "/" + p.getFileName();
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(p);
            } catch (IOException e) {
                errors.add(display + ": cannot read: " + e.getMessage());
                continue;
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                errors.add(display + ": not valid UTF-8 text");
                continue;
            }
            // Place the file in the folder of its DRL package, as Drools expects (otherwise it logs a warning).
            Matcher m = PACKAGE.matcher(stripComments(text));
            String folder = m.find() ? m.group(1).replace('.', '/') + "/" : "";
            String buildPath = folder + p.getFileName();
            sources.add(new Source(p, display, buildPath, text, sha256(bytes), bytes.length));
        }
        if (!errors.isEmpty()) {
            throw new RuleCompileException(displayRoot, errors);
        }
        return sources;
    }

    private void verify(KieBase kieBase, List<Source> sources, Map<String, Source> byBuildPath, List<Problem> errors,
                        List<String> ruleNames, Set<String> globals) {
        Map<String, Source> ruleFile = new TreeMap<>();
        for (KiePackage pkg : kieBase.getKiePackages()) {
            for (Rule r : pkg.getRules()) {
                Source src = sourceOf(r, byBuildPath);
                Source earlier = ruleFile.putIfAbsent(r.getName(), src);
                if (earlier != null) {
                    errors.add(new Problem(src == null ? "?" : src.displayPath, src == null ? 0 : src.lineOf(r.getName()),
                            "duplicate rule name \"" + r.getName() + "\" (also in "
                                    + (earlier == null ? "?" : earlier.displayPath + ":" + earlier.lineOf(r.getName()))
                                    + "); rule names must be unique across files: they are the reasons in the journal"));
                } else {
                    ruleNames.add(r.getName());
                }
            }
            for (Global g : pkg.getGlobalVariables()) {
                Class<?> expected = KNOWN_GLOBALS.get(g.getName());
                if (expected == null) {
                    Problem p = globalProblem(sources, g.getName(), "unknown global '" + g.getName()
                            + "': the engine only provides 'params' (" + StrategyParams.class.getName()
                            + ") and 'limits' (" + RiskLimits.class.getName() + ")");
                    errors.add(p);
                } else if (!expected.getName().equals(g.getType())) {
                    errors.add(globalProblem(sources, g.getName(), "global '" + g.getName() + "' must be declared as "
                            + expected.getName() + ", not " + g.getType()));
                } else {
                    globals.add(g.getName());
                }
            }
        }
        if (ruleFile.isEmpty()) {
            errors.add(new Problem(sources.get(0).displayPath.substring(0, sources.get(0).displayPath.lastIndexOf('/')),
                    0, "the rule set contains no rules"));
        }
    }

    /** Evaluates every condition over one realistic fact of each kind, without running consequences. */
    private void dryRun(CompiledRuleSet candidate, List<Source> sources, List<Problem> errors, EvaluationWatch watch) {
        KieSession session = RuleEngine.newSession(candidate.kieBase(), candidate.globals(), dryRunParams, dryRunLimits);
        watch.begin(session, candidate, 0); // inserting evaluates conditions: the deadline counts from here
        try {
            for (Object fact : sampleFacts()) {
                session.insert(fact);
            }
            session.fireAllRules(match -> false);
        } catch (RuntimeException e) {
            String text = e.getMessage() == null ? e.toString() : e.getMessage();
            Problem p = locate(sources, text, "a condition failed when evaluated in a dry run over sample facts: " + clean(text));
            errors.add(p);
        } finally {
            watch.end();
            session.dispose();
        }
    }

    /**
     * Runs the rules, consequences included, over a few sample situations (a healthy account with an echo
     * and an open position; a bad day near every cap; kill switch HALTED with a paused, stale symbol; kill
     * switch REDUCING), each in an engine with a low firing limit. A rule that keeps re-activating itself
     * (a loop) or a consequence that throws on realistic facts is refused here, before it can go live.
     */
    private void behaviourDryRun(CompiledRuleSet candidate, List<Source> sources, List<Problem> errors,
                                 EvaluationWatch watch) {
        long now = 1_700_000_000_000L;
        String sym = "SAMPLEUSDT";
        String other = "OTHERUSDT";
        List<String> found = new ArrayList<>();
        try (RuleEngine engine = new RuleEngine(candidate, dryRunParams, dryRunLimits, DRY_RUN_FIRING_LIMIT, watch)) {
            List<Object> facts = sampleFacts();
            MarketSnapshot snap = null;
            EchoMatch match = null;
            Position position = null;
            EchoTrack track = null;
            SymbolRisk risk = null;
            SymbolActivity activity = null;
            for (Object f : facts) {
                if (f instanceof Clock c) engine.setClock(c);
                else if (f instanceof Account a) engine.setAccount(a);
                else if (f instanceof RiskState r) engine.setRiskState(r);
                else if (f instanceof MarketSnapshot m) snap = m;
                else if (f instanceof EchoMatch m) match = m;
                else if (f instanceof Position p) position = p;
                else if (f instanceof EchoTrack t) track = t;
                else if (f instanceof SymbolRisk r) risk = r;
                else if (f instanceof SymbolActivity a) activity = a;
            }
            engine.updateSymbol(snap, List.of(match), position, track, risk, activity);
            engine.updateSymbol(renamed(snap, other), List.of(new EchoMatch(other, now, "2024-01-03", 3, "5d", 0.97,
                    Direction.UP, 2.5, 30, 2.0)), null, null, new SymbolRisk(other, 0, 0, null), SymbolActivity.none(other));
            collect(engine.fire(), "a healthy account with an echo and an open position", found);

            // A bad day: near the daily loss, the order budget and the open-position cap.
            engine.setClock(Clock.at(now + 60_000));
            engine.setAccount(new Account(new BigDecimal("10000"), new BigDecimal("9700"), new BigDecimal("5000"),
                    new BigDecimal("5000"), new BigDecimal("4900"), new BigDecimal("50"), 11, new BigDecimal("-250"),
                    new BigDecimal("12"), new BigDecimal("-290"), 990, 19));
            collect(engine.fire(), "a bad day near every cap", found);

            // Kill switch HALTED, entries halted, the symbol paused, losing and stale.
            engine.setClock(Clock.at(now + 120_000));
            engine.setRiskState(new RiskState(KillSwitchLevel.HALTED, true, "sample halt", Clock.at(now).utcDay()));
            engine.updateSymbol(new MarketSnapshot(sym, now, snap.lastPrice(), snap.dayOpen(), -3.0, 5.0, -1.0, -2.0,
                            -2.5, 1.5, 0.2, 400_000, true, 600), List.of(match), position, track,
                    new SymbolRisk(sym, 6, now + 3_600_000, "sample pause"), activity);
            collect(engine.fire(), "kill switch HALTED, a paused stale symbol", found);

            engine.setClock(Clock.at(now + 180_000));
            engine.setRiskState(new RiskState(KillSwitchLevel.REDUCING, false, null, Clock.at(now).utcDay()));
            collect(engine.fire(), "kill switch REDUCING", found);
        } catch (RuntimeException e) {
            found.add("the rules failed in a dry run over sample facts: " + clean(e.getMessage()));
        }
        for (String f : found) {
            errors.add(locateRule(sources, f));
        }
    }

    private static final Pattern FUNCTION_DECL = Pattern.compile(
            "^[ \\t]*function\\s+[\\w.$<>\\[\\], ]+?\\s+(\\w+)\\s*\\(", Pattern.MULTILINE);

    /**
     * Places a deadline that passed before any rule fired (a condition that never returns) at the DRL function the
     * stuck thread was in, found on its stack (Drools compiles {@code function f} of package p to class p.F).
     */
    private static Problem locateStuck(List<Source> sources, EvaluationTimeoutException e) {
        for (StackTraceElement frame : e.stuckAt()) {
            for (Source s : sources) {
                Matcher pkg = PACKAGE.matcher(stripComments(s.text));
                String prefix = pkg.find() ? pkg.group(1) + "." : "";
                if (!frame.getClassName().startsWith(prefix) || frame.getClassName().indexOf('.', prefix.length()) >= 0) {
                    continue;
                }
                Matcher f = FUNCTION_DECL.matcher(codeOnly(s.text));
                while (f.find()) {
                    if (f.group(1).equals(frame.getMethodName())) {
                        return new Problem(s.displayPath, s.lineAt(f.start(1)), "function " + f.group(1)
                                + "(), called from a condition, " + e.getMessage().replaceFirst(
                                "^no rule had fired yet \\(a condition is being evaluated\\) ", ""));
                    }
                }
            }
        }
        return locateRule(sources, e.getMessage());
    }

    private static MarketSnapshot renamed(MarketSnapshot s, String symbol) {
        return new MarketSnapshot(symbol, s.timeMs(), s.lastPrice(), s.dayOpen(), s.dayChangePct(), s.dayRangePct(),
                s.ret1mPct(), s.ret5mPct(), s.ret15mPct(), s.volatility1hPct(), s.volumeRatio15m(), s.lastEventAgeMs(),
                s.stale(), s.minutesOfHistory());
    }

    private static void collect(Decisions d, String situation, List<String> out) {
        for (String e : d.errors()) {
            String msg = d.firingLimitReached() && e.startsWith("firing limit")
                    ? "a rule loops: " + e.replace("; BUY intents of this evaluation withheld", "")
                    : e;
            String line = msg + " (dry run over sample facts: " + situation + ")";
            if (!out.contains(line)) {
                out.add(line);
            }
        }
    }

    /** Places a dry-run message at the line of the first rule it names. */
    private static Problem locateRule(List<Source> sources, String message) {
        Matcher m = QUOTED_RULE.matcher(message);
        while (m.find()) {
            for (Source s : sources) {
                int line = s.lineOf(m.group(1));
                if (line > 0) {
                    return new Problem(s.displayPath, line, message);
                }
            }
        }
        String root = sources.get(0).displayPath;
        return new Problem(root.substring(0, root.lastIndexOf('/')), 0, message);
    }

    private static List<Object> sampleFacts() {
        long now = 1_700_000_000_000L;
        String sym = "SAMPLEUSDT";
        BigDecimal price = new BigDecimal("100.5");
        return List.of(
                Clock.at(now),
                new Account(new BigDecimal("10000"), new BigDecimal("10010"), new BigDecimal("9000"), new BigDecimal("5000"),
                        new BigDecimal("1000"), new BigDecimal("4000"), 1, new BigDecimal("10"), new BigDecimal("1"),
                        new BigDecimal("-5"), 3, 1),
                new RiskState(KillSwitchLevel.ACTIVE, false, null, Clock.at(now).utcDay()),
                new MarketSnapshot(sym, now, price, new BigDecimal("99.5"), 1.0, 2.0, 0.1, 0.3, 0.5, 0.2, 1.3,
                        500, false, 600),
                new EchoMatch(sym, now, "2024-01-02", 5, "30d", 0.93, Direction.UP, 4.0, 45, 1.5),
                new Position(sym, new BigDecimal("0.99"), new BigDecimal("99.9"), new BigDecimal("98.9"), now - 1_800_000,
                        price, 0.6, new BigDecimal("101"), 0.5, 30, new BigDecimal("98.9"), new BigDecimal("101.1"),
                        "sample", "2024-01-02", false),
                new EchoTrack(sym, "2024-01-02", 30, 0.6, 1.2, 0.7),
                new SymbolRisk(sym, 1, 0, null),
                new SymbolActivity(sym, now - 1_800_000, now - 7_200_000, false));
    }

    private static Source sourceOf(Rule r, Map<String, Source> byBuildPath) {
        if (r instanceof RuleImpl impl) {
            Resource res = impl.getResource();
            if (res != null && res.getSourcePath() != null) {
                String sp = res.getSourcePath();
                if (sp.startsWith(RESOURCES)) {
                    sp = sp.substring(RESOURCES.length());
                }
                return byBuildPath.get(sp);
            }
        }
        return null;
    }

    private static Problem globalProblem(List<Source> sources, String name, String message) {
        Pattern decl = Pattern.compile("^[ \\t]*global\\s+[\\w.$<>]+\\s+" + Pattern.quote(name) + "\\b", Pattern.MULTILINE);
        for (Source s : sources) {
            Matcher m = decl.matcher(s.text);
            if (m.find()) {
                return new Problem(s.displayPath, s.lineAt(m.start()), message);
            }
        }
        return new Problem(sources.get(0).displayPath, 0, message);
    }

    /** Finds the file and line of the expression a runtime MVEL error quotes, if it is in one file. */
    private static Problem locate(List<Source> sources, String text, String message) {
        Matcher near = NEAR.matcher(text);
        if (near.find()) {
            String expr = near.group(1).trim();
            for (Source s : sources) {
                int at = s.text.indexOf(expr);
                if (at >= 0) {
                    return new Problem(s.displayPath, s.lineAt(at), message);
                }
            }
        }
        return locateRule(sources, message); // Drools names the rule: [Rule "x" in aquatrade/a.drl]
    }

    /**
     * A build message as the operator needs it: the line found from the quoted expression when Drools
     * gave none, and the rule named when Drools only says "Rule Compilation error" at the rule's line.
     */
    private static Problem problem(Source s, String fallbackFile, int line, String rawText) {
        String text = clean(rawText);
        if (s == null) {
            return new Problem(fallbackFile, line, text);
        }
        if (line == 0 && rawText != null) {
            Matcher near = NEAR.matcher(rawText);
            if (near.find()) {
                int at = s.text.indexOf(near.group(1).trim());
                if (at >= 0) {
                    line = s.lineAt(at);
                }
            }
        }
        if (text.startsWith("Rule Compilation error ")) {
            String rule = s.ruleAtLine(line);
            text = (rule == null ? "" : "rule \"" + rule + "\": ") + "does not compile: "
                    + text.substring("Rule Compilation error ".length());
        }
        return new Problem(s.displayPath, line, text);
    }

    /** One line, no caret marker lines, plus a plain hint for the commonest mistake (a misspelt field). */
    static String clean(String text) {
        if (text == null) {
            return "(no message)";
        }
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\\R")) {
            String t = line.trim();
            if (t.isEmpty() || t.equals("^")) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(t);
        }
        String out = sb.toString();
        Matcher m = STRICT_MODE.matcher(out);
        if (m.find()) {
            String type = m.group(1);
            type = type.substring(Math.max(type.lastIndexOf('.'), type.lastIndexOf('$')) + 1);
            out = "unknown field or method '" + m.group(2) + "' on " + type + ": " + out;
        }
        return out;
    }

    private static List<Problem> dropParserNoise(List<Problem> errors) {
        // "Parser returned a null Package" (line 0) only repeats that the file had syntax errors.
        Set<String> filesWithRealErrors = new TreeSet<>();
        for (Problem p : errors) {
            if (!p.message.startsWith("Parser returned a null Package")) {
                filesWithRealErrors.add(p.file);
            }
        }
        List<Problem> out = new ArrayList<>();
        for (Problem p : errors) {
            if (!(p.message.startsWith("Parser returned a null Package") && filesWithRealErrors.contains(p.file))) {
                out.add(p);
            }
        }
        return out;
    }

    private static List<String> format(List<Problem> problems) {
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort((a, b) -> a.file.equals(b.file) ? Integer.compare(a.line, b.line) : a.file.compareTo(b.file));
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (Problem p : sorted) {
            seen.putIfAbsent(p.file + (p.line > 0 ? ":" + p.line : "") + ": " + p.message, true);
        }
        return new ArrayList<>(seen.keySet());
    }

    private static String stripComments(String drl) {
        return drl.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("(?m)//.*$", "").replaceAll("(?m)#.*$", "");
    }

    private static String contentHash(List<Source> sources) {
        MessageDigest md = sha256();
        for (Source s : sources) {
            md.update(s.displayPath.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(s.text.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JRE", e);
        }
    }

    private record Problem(String file, int line, String message) {
    }

    /**
     * Rules decide, they never act: code in a rule file that does I/O, starts processes or threads, reads the
     * environment or system properties, exits the JVM, loads classes or reflects (into the {@code limits}
     * global, say) is refused before it is compiled. Comments and string contents are not code.
     */
    private static final Pattern ACTING = Pattern.compile(
            "\\b(java\\s*\\.\\s*(io|nio|net|sql|lang\\s*\\.\\s*reflect|lang\\s*\\.\\s*invoke|rmi|util\\s*\\.\\s*concurrent)|javax\\s*\\.|sun\\s*\\.|jdk\\s*\\."
                    + "|com\\s*\\.\\s*sun|org\\s*\\.\\s*kie\\s*\\.\\s*api\\s*\\.\\s*runtime\\s*\\.\\s*KieRuntime"
                    + "|Runtime|ProcessBuilder|ProcessHandle|Process|Thread|ThreadLocal|ClassLoader|Unsafe|Class\\s*\\.\\s*forName"
                    + "|MethodHandles?|Proxy|System\\s*\\.\\s*(getenv|getProperty|getProperties|setProperty|clearProperty|exit|load|loadLibrary|setOut|setErr|setIn|out|err|in|console|setSecurityManager)"
                    + "|getDeclared\\w*|getMethods?|getFields?|getConstructors?|setAccessible|getClass|getClassLoader|newInstance"
                    + "|Files|Paths|Path|File\\w*|RandomAccessFile|Socket\\w*|URL\\w*|URI|HttpClient|Scanner|PrintStream"
                    + "|getKieRuntime|getKieBase|getWorkingMemory|halt)\\b");

    private static List<Problem> actingCode(List<Source> sources) {
        List<Problem> out = new ArrayList<>();
        for (Source s : sources) {
            String code = codeOnly(s.text);
            Matcher m = ACTING.matcher(code);
            while (m.find()) {
                int line = s.lineAt(m.start());
                String rule = null;
                for (int l = line; l > 0 && rule == null; l--) {
                    rule = s.ruleAtLine(l);
                }
                out.add(new Problem(s.displayPath, line, "'" + m.group(1).replaceAll("\\s+", "")
                        + "' is not allowed in rules" + (rule == null ? "" : " (rule \"" + rule + "\")")
                        + ": rules decide, they never act (no I/O, processes, threads, environment, reflection or "
                        + "session control); ask for an order with an OrderIntent instead"));
            }
        }
        return out;
    }

    /** The text with comments and the contents of string and character literals blanked (lines kept). */
    static String codeOnly(String text) {
        StringBuilder b = new StringBuilder(text.length());
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            char next = i + 1 < n ? text.charAt(i + 1) : 0;
            if (c == '/' && next == '/' || c == '#' && (i == 0 || text.charAt(i - 1) == '\n')) {
                while (i < n && text.charAt(i) != '\n') {
                    b.append(' ');
                    i++;
                }
                if (i < n) {
                    b.append('\n');
                }
            } else if (c == '/' && next == '*') {
                int end = text.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                for (; i < end; i++) {
                    b.append(text.charAt(i) == '\n' ? '\n' : ' ');
                }
                i--;
            } else if (c == '"' || c == '\'') {
                b.append(c);
                i++;
                while (i < n && text.charAt(i) != c && text.charAt(i) != '\n') {
                    if (text.charAt(i) == '\\' && i + 1 < n) {
                        b.append(' ');
                        i++;
                    }
                    b.append(' ');
                    i++;
                }
                if (i < n) {
                    b.append(text.charAt(i));
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private record Source(Path path, String displayPath, String buildPath, String text, String sha256, long sizeBytes) {

        int lineAt(int offset) {
            int line = 1;
            for (int i = 0; i < offset && i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                }
            }
            return line;
        }

        /** The name of the rule declared on {@code line}, or null. */
        String ruleAtLine(int line) {
            if (line <= 0) {
                return null;
            }
            String[] lines = text.split("\\R", -1);
            if (line > lines.length) {
                return null;
            }
            Matcher m = RULE_DECL.matcher(lines[line - 1]);
            return m.find() ? m.group(1) : null;
        }

        int lineOf(String ruleName) {
            Matcher m = Pattern.compile("^[ \\t]*rule\\s+\"" + Pattern.quote(ruleName) + "\"", Pattern.MULTILINE).matcher(text);
            return m.find() ? lineAt(m.start()) : 0;
        }
    }
}
