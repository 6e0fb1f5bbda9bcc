package io.aquatrade.rules;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.config.ConfigException;
import io.aquatrade.config.ConfigKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The running rules as an operator product: hot reload, status and metrics around one {@link RuleEngine}.
 *
 * <p><b>Reload.</b> On a file change (after the writes settle) or on request, the rules directory and the
 * config's {@code strategy.*}/{@code risk.*} values are read again on this service's own thread, never on an
 * event loop. If nothing the rules use changed, nothing happens. Otherwise the new files are compiled and
 * verified and the new parameters checked; only when all of it is good is the new rule set swapped in, as one
 * task on the pipeline's executor, i.e. between two market events: every fact (positions, pending orders'
 * flags, entry blocks' inputs) is carried into the new session, nothing is processed twice or skipped. A bad
 * edit of any kind changes nothing: the running rules stay, and the error is logged, kept in
 * {@link #status()} with {@code file:line: message}, and counted in {@code aquatrade_rules_reload_total}.
 *
 * <p><b>Threads.</b> {@link #status()}, {@link #requestReload(String)} and {@link #history()} may be called
 * from any thread, including an HTTP event loop; {@code requestReload} returns at once (never block on its
 * future on an event loop: the swap itself runs on the pipeline's event loop). {@link #onDecisions(Decisions)}
 * is called by the pipeline, on its thread, after every evaluation.
 */
public final class RulesService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RulesService.class);
    private static final int HISTORY = 50;

    /** Config keys outside {@code strategy.*}/{@code risk.*} that a reload cannot apply, plus the risk keys the rules do not own. */
    private static final Set<String> RISK_RESTART_ONLY = Set.of(ConfigKeys.RISK_KILL_SWITCH_FILE,
            ConfigKeys.RISK_KILL_SWITCH_STATE_FILE, ConfigKeys.RISK_STALE_FEED_SECONDS);

    /**
     * How the service works.
     *
     * @param watch          watch the rules directory and the config file (else reload only on request)
     * @param settleMs       quiet time after the last write before a reload
     * @param pollIntervalMs content-hash comparison interval (the fallback for missed change notifications)
     * @param runTests       run the scenarios in {@code <rules>/tests} before a reload goes live
     */
    public record Options(boolean watch, long settleMs, long pollIntervalMs, boolean runTests) {

        public static Options from(AquatradeConfig c) {
            return new Options(c.bool(ConfigKeys.RULES_WATCH), c.longValue(ConfigKeys.RULES_RELOAD_SETTLE_MS),
                    c.longValue(ConfigKeys.RULES_POLL_INTERVAL_MS), c.bool(ConfigKeys.RULES_RELOAD_RUNS_TESTS));
        }

        public static Options defaults() {
            return from(AquatradeConfig.defaults());
        }
    }

    /** Told, on the pipeline thread in the same task as the swap, what went live. */
    @FunctionalInterface
    public interface SwapListener {
        /**
         * @param result  the reload (outcome SUCCESS)
         * @param applied the parameters now in force, with the config they came from (null config when built by hand)
         */
        void onSwap(ReloadResult result, RuleParams applied);
    }

    private final RuleEngine engine;
    private final Executor pipeline;
    private final ParamsSource paramsSource;
    private final Options options;
    private final Path rulesDir;
    private final AquatradeConfig startConfig;
    private final ScheduledExecutorService worker;
    private final List<SwapListener> swapListeners = new CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<ReloadResult>> resultListeners = new CopyOnWriteArrayList<>();
    private RulesWatcher watcher;
    private volatile boolean closed;

    // Guarded by this.
    private CompiledRuleSet activeSet;
    private RuleParams activeParams;
    private long loadedAtMs;
    private final EnumMap<ReloadOutcome, Long> counts = new EnumMap<>(ReloadOutcome.class);
    private ReloadResult lastReload;
    /** the attempt that made the running rules active; null while the start-up set runs. */
    private ReloadResult lastSwap;
    private ReloadResult lastError;
    private boolean failing;
    private long firstDecisionAtMs;
    private long runawayEvaluations;
    private String lastRunaway;
    private long lastRunawayAtMs;
    private long evaluationErrors;
    private String lastEvaluationError;
    private long lastEvaluationErrorAtMs;
    private final List<ReloadResult> history = new ArrayList<>();

    // Pipeline thread only.
    private String decidedVersion;
    private final Map<String, Counter> firingCounters = new HashMap<>();

    // Metrics (null until bound).
    private volatile MeterRegistry registry;
    private final EnumMap<ReloadOutcome, Counter> reloadCounters = new EnumMap<>(ReloadOutcome.class);
    private Counter runawayCounter;
    private Counter evaluationErrorCounter;
    private Timer swapTimer;
    private Timer compileTimer;
    private MultiGauge infoGauge;

    /**
     * @param engine        the running engine; from now on touched only through {@code pipeline}
     * @param pipeline      runs tasks on the pipeline's thread, in order, between market events
     * @param paramsSource  where to re-read the rules' parameters (the config file), or null to reload only the files
     * @param initialParams the parameters the engine was built with
     * @param options       watching and verification options
     */
    public RulesService(RuleEngine engine, Executor pipeline, ParamsSource paramsSource, RuleParams initialParams,
                        Options options) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.paramsSource = paramsSource;
        this.options = Objects.requireNonNull(options, "options");
        this.activeSet = engine.ruleSet();
        this.activeParams = Objects.requireNonNull(initialParams, "initialParams");
        this.startConfig = initialParams.config();
        this.rulesDir = activeSet.directory();
        this.loadedAtMs = activeSet.compiledAt().toEpochMilli();
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rules-reload");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts watching the rules directory and the config file, when the options say so. Idempotent. */
    public synchronized RulesService start() {
        if (options.watch() && watcher == null && !closed) {
            watcher = new RulesWatcher(rulesDir, paramsSource == null ? null : paramsSource.file(), options.settleMs(),
                    options.pollIntervalMs(), worker, trigger -> {
                        ReloadResult r = reloadNow(trigger, false);
                        if (r != null && r.outcome() == ReloadOutcome.UNCHANGED) {
                            LOG.debug("Rules unchanged after {}", trigger);
                        }
                    });
            watcher.start();
            // Edits made between the first compile and now have no event left to report: compare once.
            worker.execute(() -> reloadNow("start-up check", true));
            LOG.info("Watching {} {}for rule changes (settle {} ms, content check every {} ms)", rulesDir,
                    paramsSource != null && paramsSource.file() != null ? "and " + paramsSource.file() + " " : "",
                    options.settleMs(), options.pollIntervalMs());
        }
        return this;
    }

    public void addSwapListener(SwapListener listener) {
        swapListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Told of every finished attempt, whoever triggered it (watcher, API, CLI): notifications. Must not block. */
    public void addResultListener(java.util.function.Consumer<ReloadResult> listener) {
        resultListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    // ------------------------------------------------------------------ API for the control surface

    /**
     * Asks for a reload now (the HTTP API's {@code POST /api/rules/reload}, the CLI). Returns at once; the
     * future completes once the attempt is over, with its outcome (a refused reload completes normally with
     * a failure outcome; only a closed service completes exceptionally). Attempts never overlap: a request
     * made while one runs waits for it.
     * <p>
     * The answer is relative to the rules running when the request was made: when another attempt (the file
     * watcher, usually, seeing the same save) swapped in what is on disk while this request waited, the answer
     * is that attempt's success, not "unchanged". An operator who saves a fix and asks for a reload is told the
     * fix went live whichever of the two got there first.
     *
     * @param trigger who asked, for the log and the status (e.g. {@code "api"}, {@code "api 127.0.0.1"})
     */
    public CompletableFuture<ReloadResult> requestReload(String trigger) {
        CompletableFuture<ReloadResult> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new IllegalStateException("the rules service is stopped"));
            return f;
        }
        CompiledRuleSet seenSet;
        RuleParams seenParams;
        synchronized (this) {
            seenSet = activeSet;
            seenParams = activeParams;
        }
        try {
            worker.execute(() -> {
                try {
                    boolean swappedSince;
                    ReloadResult swap;
                    synchronized (this) {
                        swappedSince = activeSet != seenSet || activeParams != seenParams;
                        swap = lastSwap;
                    }
                    ReloadResult r = reloadNow(trigger == null || trigger.isBlank() ? "request" : trigger, swappedSince);
                    f.complete(r != null ? r : swap); // null: unchanged since that swap, which answers the request
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new IllegalStateException("the rules service is stopped"));
        }
        return f;
    }

    /** A snapshot of the rules' state for {@code GET /api/rules} and the status page. */
    public synchronized RulesStatus status() {
        Map<String, Long> reloads = new LinkedHashMap<>();
        for (ReloadOutcome o : ReloadOutcome.values()) {
            reloads.put(o.label(), counts.getOrDefault(o, 0L));
        }
        CompiledRuleSet set = activeSet;
        return new RulesStatus(set.version(), set.build(), set.contentHash(), set.directory().toString(),
                Instant.ofEpochMilli(loadedAtMs).toString(), loadedAtMs, set.compileMillis(),
                set.files().stream().map(RuleFileStatus::of).toList(), set.ruleNames(), set.warnings(),
                activeParams.strategy(), activeParams.risk(),
                paramsSource == null || paramsSource.file() == null ? null : paramsSource.file().toString(),
                watcher != null, options.settleMs(), engine.firingLimit(), failing, lastReload, lastError, reloads,
                firstDecisionAtMs, runawayEvaluations, lastRunaway, lastRunawayAtMs, evaluationErrors,
                lastEvaluationError, lastEvaluationErrorAtMs);
    }

    /** The latest reload attempts, oldest first (at most 50). */
    public synchronized List<ReloadResult> history() {
        return List.copyOf(history);
    }

    /** The version running now; safe from any thread. */
    public synchronized String activeVersion() {
        return activeSet.version();
    }

    // ------------------------------------------------------------------ pipeline hook

    /** Counts what one evaluation did; on the pipeline thread, after every {@link RuleEngine#fire()}. */
    public void onDecisions(Decisions d) {
        MeterRegistry reg = registry;
        if (reg != null) {
            for (Map.Entry<String, Integer> e : d.firings().entrySet()) {
                firingCounters.computeIfAbsent(e.getKey(), r -> Counter.builder("aquatrade.rule.firings")
                        .description("Rule firings by rule").tag("rule", r).register(reg)).increment(e.getValue());
            }
        }
        boolean newVersion = !d.ruleSetVersion().equals(decidedVersion);
        if (newVersion || d.firingLimitReached() || d.hasErrors()) {
            synchronized (this) {
                if (newVersion) {
                    decidedVersion = d.ruleSetVersion();
                    if (d.ruleSetVersion().equals(activeSet.version())) {
                        firstDecisionAtMs = System.currentTimeMillis();
                    }
                }
                if (d.firingLimitReached()) {
                    runawayEvaluations++;
                    lastRunaway = d.errors().isEmpty() ? "firing limit reached" : d.errors().get(0);
                    lastRunawayAtMs = d.clockMs();
                    if (runawayCounter != null) {
                        runawayCounter.increment();
                    }
                }
                if (d.hasErrors()) {
                    evaluationErrors += d.errors().size();
                    lastEvaluationError = d.errors().get(d.errors().size() - 1);
                    lastEvaluationErrorAtMs = d.clockMs();
                    if (evaluationErrorCounter != null) {
                        evaluationErrorCounter.increment(d.errors().size());
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ metrics

    /**
     * Registers the rules' metrics: {@code aquatrade_rules_reload_total{result}}, {@code aquatrade_rules_version}
     * (build counter of the active version), {@code aquatrade_rules_info{version,content_hash}} (always 1),
     * {@code aquatrade_rules_reload_failing} (1 while what is on disk is refused), {@code
     * aquatrade_rules_loaded_timestamp_seconds}, {@code aquatrade_rule_firings_total{rule}}, {@code
     * aquatrade_rules_runaway_evaluations_total}, {@code aquatrade_rules_evaluation_errors_total}, and the timers
     * {@code aquatrade_rules_swap_pause_seconds} and {@code aquatrade_rules_compile_seconds}.
     */
    public synchronized void bindMetrics(MeterRegistry reg) {
        Objects.requireNonNull(reg, "registry");
        for (ReloadOutcome o : ReloadOutcome.values()) {
            Counter c = Counter.builder("aquatrade.rules.reload").description("Rule reload attempts by result")
                    .tag("result", o.label()).register(reg);
            c.increment(counts.getOrDefault(o, 0L));
            reloadCounters.put(o, c);
        }
        Gauge.builder("aquatrade.rules.version", this, s -> s.activeBuild())
                .description("Build counter of the active rule set (increases with every load)").register(reg);
        Gauge.builder("aquatrade.rules.reload.failing", this, s -> s.isFailing() ? 1 : 0)
                .description("1 while the latest reload was refused: the files on disk are not what runs").register(reg);
        Gauge.builder("aquatrade.rules.loaded.timestamp.seconds", this, s -> s.loadedAtSeconds())
                .description("Wall time the active rule set went live").register(reg);
        infoGauge = MultiGauge.builder("aquatrade.rules.info")
                .description("The active rule set: version and content hash as labels, value 1").register(reg);
        runawayCounter = Counter.builder("aquatrade.rules.runaway.evaluations")
                .description("Evaluations cut at the firing limit (a rule that loops)").register(reg);
        runawayCounter.increment(runawayEvaluations);
        evaluationErrorCounter = Counter.builder("aquatrade.rules.evaluation.errors")
                .description("Errors reported by rule evaluations (a rule that threw, a runaway)").register(reg);
        evaluationErrorCounter.increment(evaluationErrors);
        swapTimer = Timer.builder("aquatrade.rules.swap.pause").description("How long a rule swap held the pipeline")
                .register(reg);
        compileTimer = Timer.builder("aquatrade.rules.compile").description("Compiling and verifying a rule set")
                .register(reg);
        updateInfoGauge();
        registry = reg;
    }

    private synchronized double activeBuild() {
        return activeSet.build();
    }

    private synchronized boolean isFailing() {
        return failing;
    }

    private synchronized double loadedAtSeconds() {
        return loadedAtMs / 1000.0;
    }

    private void updateInfoGauge() {
        if (infoGauge != null) {
            infoGauge.register(List.of(MultiGauge.Row.of(Tags.of("version", activeSet.version(), "content_hash",
                    activeSet.contentHash().substring(0, 16)), 1)), true);
        }
    }

    // ------------------------------------------------------------------ the reload

    /**
     * One reload attempt, on the worker thread.
     *
     * @param quietIfUnchanged do not record or count the attempt when nothing changed (the start-up check)
     */
    private ReloadResult reloadNow(String trigger, boolean quietIfUnchanged) {
        long requestedAtMs = System.currentTimeMillis();
        CompiledRuleSet active;
        RuleParams current;
        synchronized (this) {
            active = activeSet;
            current = activeParams;
        }
        Attempt a = new Attempt(trigger, requestedAtMs, active);

        // 1. Parameters: read and check the config again.
        RuleParams next = current;
        if (paramsSource != null) {
            try {
                RuleParams loaded = paramsSource.load();
                a.warnings.addAll(restartOnlyChanges(loaded.config()));
                if (!loaded.sameRuleValues(current)) {
                    next = loaded;
                    a.paramsChanged = true;
                    a.paramChanges.putAll(changes(current, loaded));
                }
            } catch (ConfigException e) {
                a.errors.add(e.getMessage());
                return finish(a, ReloadOutcome.CONFIG_ERROR);
            }
        }

        // 2. Rule files: compile only when their content differs from what runs.
        String diskHash = RuleSetCompiler.contentHashOf(rulesDir);
        a.rulesChanged = diskHash == null || !diskHash.equals(active.contentHash());
        if (!a.rulesChanged && !a.paramsChanged) {
            if (quietIfUnchanged) {
                return null;
            }
            return finish(a, ReloadOutcome.UNCHANGED);
        }
        CompiledRuleSet candidate = active;
        if (a.rulesChanged) {
            long t0 = System.nanoTime();
            try {
                long deadlineMs = next.config() != null
                        ? next.config().longValue(ConfigKeys.RULES_EVALUATION_DEADLINE_MS)
                        : RuleSetCompiler.DEFAULT_EVALUATION_DEADLINE_MS;
                candidate = new RuleSetCompiler(next.params(), next.limits(), deadlineMs).compile(rulesDir);
                a.candidate = candidate;
                a.warnings.addAll(candidate.warnings());
            } catch (RuleCompileException e) {
                a.errors.addAll(e.errors());
                return finish(a, e.stage() == RuleCompileException.Stage.VERIFY ? ReloadOutcome.VERIFY_ERROR
                        : ReloadOutcome.COMPILE_ERROR);
            } catch (RuntimeException e) {
                a.errors.add(rulesDir.getFileName() + ": cannot compile: " + e);
                return finish(a, ReloadOutcome.COMPILE_ERROR);
            } finally {
                a.compileNanos = System.nanoTime() - t0;
                if (compileTimer != null) {
                    compileTimer.record(a.compileNanos, TimeUnit.NANOSECONDS);
                }
            }
        }

        // 3. Optionally, the operator's scenarios must pass against the candidate.
        if (options.runTests()) {
            Path tests = rulesDir.resolve("tests");
            AquatradeConfig cfg = next.config() != null ? next.config() : AquatradeConfig.defaults();
            ScenarioReport report = new ScenarioRunner(cfg, engine.firingLimit()).run(candidate, tests);
            if (!report.ok()) {
                a.errors.add(report.summary());
                report.results().stream().filter(r -> !r.passed())
                        .forEach(r -> a.errors.add(r.location() + ": scenario failed: " + r.name() + ": "
                                + r.failures().get(0).lines().findFirst().orElse("")));
                a.errors.addAll(report.errors());
                return finish(a, ReloadOutcome.TESTS_FAILED);
            }
        }

        // 4. The swap, on the pipeline, between two events.
        CompiledRuleSet target = candidate;
        RuleParams params = next;
        boolean rulesChanged = a.rulesChanged;
        CompletableFuture<ReloadResult> swapped = new CompletableFuture<>();
        long[] taskNanos = new long[1];
        try {
            pipeline.execute(() -> {
                long t0 = System.nanoTime();
                try {
                    SwapResult r = rulesChanged ? engine.swap(target, params.params(), params.limits())
                            : engine.reconfigure(params.params(), params.limits());
                    taskNanos[0] = System.nanoTime() - t0;
                    ReloadResult result = commit(a, r, target, params, taskNanos[0]);
                    for (SwapListener l : swapListeners) {
                        try {
                            l.onSwap(result, params);
                        } catch (RuntimeException e) {
                            LOG.error("A rules swap listener failed: {}", e.toString(), e);
                        }
                    }
                    swapped.complete(result);
                } catch (Throwable t) {
                    swapped.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            a.errors.add("the pipeline is not running: " + e.getMessage());
            return finish(a, ReloadOutcome.SWAP_ERROR);
        }
        while (true) {
            try {
                ReloadResult result = swapped.get(1, TimeUnit.SECONDS);
                logSwap(a, result, target); // here, not on the pipeline: a slow console must not hold the events
                return result;
            } catch (TimeoutException e) {
                if (closed) {
                    a.errors.add("stopped before the pipeline took the new rules");
                    return finish(a, ReloadOutcome.SWAP_ERROR);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                a.errors.add("interrupted while waiting for the pipeline");
                return finish(a, ReloadOutcome.SWAP_ERROR);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                a.errors.add("the new rule session could not be built, the old one keeps running: "
                        + RuleSetCompiler.clean(c.getMessage() == null ? c.toString() : c.getMessage()));
                return finish(a, ReloadOutcome.SWAP_ERROR);
            }
        }
    }

    /** The swap succeeded: make it the active state (on the pipeline thread, inside the swap task). */
    private ReloadResult commit(Attempt a, SwapResult r, CompiledRuleSet target, RuleParams params, long taskNanos) {
        ReloadResult result;
        synchronized (this) {
            activeSet = target;
            activeParams = params;
            loadedAtMs = System.currentTimeMillis();
            firstDecisionAtMs = 0;
            a.swapNanos = taskNanos;
            a.factsCarried = r.factsCarried();
            result = record(a, ReloadOutcome.SUCCESS);
            lastSwap = result;
            updateInfoGauge();
        }
        if (swapTimer != null) {
            swapTimer.record(taskNanos, TimeUnit.NANOSECONDS);
        }
        return result;
    }

    private static void logSwap(Attempt a, ReloadResult r, CompiledRuleSet target) {
        LOG.info("Rules reloaded {} -> {} ({}): {}{}swap paused the pipeline {} us, {} facts carried over; files: {}",
                r.previousVersion(), r.activeVersion(), a.trigger,
                a.rulesChanged ? "compiled in " + a.compileNanos / 1_000_000 + " ms, " : "",
                a.paramsChanged ? "parameters " + a.paramChanges + ", " : "",
                r.swapPauseMicros(), r.factsCarried(),
                target.files().stream().map(f -> f.displayPath() + " sha256=" + f.sha256())
                        .collect(Collectors.joining(", ")));
        for (String w : a.warnings) {
            LOG.warn("Rules {}: {}", target.version(), w);
        }
    }

    private ReloadResult finish(Attempt a, ReloadOutcome outcome) {
        ReloadResult r;
        synchronized (this) {
            r = record(a, outcome);
        }
        if (outcome.isFailure()) {
            LOG.error("Rules reload refused ({}, {}): the running rules {} stay{}", outcome.label(), a.trigger,
                    r.activeVersion(), a.errors.stream().map(e -> "\n  " + e).collect(Collectors.joining()));
        } else {
            for (String w : a.warnings) {
                LOG.warn("Config: {}", w);
            }
        }
        return r;
    }

    /** Records an attempt's outcome; caller holds the lock. */
    private ReloadResult record(Attempt a, ReloadOutcome outcome) {
        ReloadResult r = new ReloadResult(outcome, a.trigger, Instant.ofEpochMilli(a.requestedAtMs).toString(),
                a.requestedAtMs, System.currentTimeMillis(), a.previous.version(), activeSet.version(),
                a.candidate == null ? null : a.candidate.version(), a.rulesChanged, a.paramsChanged,
                (outcome == ReloadOutcome.SUCCESS ? activeSet : a.previous).files().stream().map(RuleFileStatus::of)
                        .toList(),
                a.errors, a.warnings, a.paramChanges, a.compileNanos / 1_000_000, a.swapNanos / 1000, a.factsCarried);
        counts.merge(outcome, 1L, Long::sum);
        Counter c = reloadCounters.get(outcome);
        if (c != null) {
            c.increment();
        }
        lastReload = r;
        if (outcome.isFailure()) {
            lastError = r;
            failing = true;
        } else {
            failing = false;
        }
        history.add(r);
        if (history.size() > HISTORY) {
            history.remove(0);
        }
        for (java.util.function.Consumer<ReloadResult> l : resultListeners) {
            try {
                l.accept(r);
            } catch (RuntimeException e) {
                LOG.warn("reload result listener failed: {}", e.toString());
            }
        }
        return r;
    }

    /** {@code key -> "old -> new"} for every strategy/risk value that differs. */
    private static Map<String, String> changes(RuleParams before, RuleParams after) {
        Map<String, String> out = new TreeMap<>();
        diff("strategy.", before.strategy(), after.strategy(), out);
        diff("risk.", before.risk(), after.risk(), out);
        return out;
    }

    private static void diff(String prefix, Map<String, String> a, Map<String, String> b, Map<String, String> out) {
        Set<String> keys = new java.util.TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys) {
            String x = a.get(k);
            String y = b.get(k);
            if (!Objects.equals(x, y)) {
                out.put(prefix + k, x + " -> " + y);
            }
        }
    }

    /** Config values that differ from the start but that a reload cannot apply. */
    private List<String> restartOnlyChanges(AquatradeConfig loaded) {
        List<String> out = new ArrayList<>();
        if (startConfig == null || loaded == null) {
            return out;
        }
        Map<String, String> was = startConfig.effective();
        loaded.effective().forEach((k, v) -> {
            boolean live = (k.startsWith("strategy.") || k.startsWith("risk.")) && !RISK_RESTART_ONLY.contains(k);
            if (!live && !Objects.equals(was.get(k), v)) {
                // a webhook URL's path may hold a secret (Telegram's bot token): its values are not repeated
                out.add("config key " + k + " changed" + (k.equals(ConfigKeys.NOTIFY_URL) ? "" : " (" + was.get(k) + " -> " + v + ")")
                        + ": "
                        + (k.equals(ConfigKeys.RISK_STALE_FEED_SECONDS)
                        ? "the rules' limits use it now; the pipeline's stale-feed detection keeps the old value until restart"
                        : "takes effect at restart"));
            }
        });
        return out;
    }

    /** What one attempt found, built up on the worker thread. */
    private static final class Attempt {
        final String trigger;
        final long requestedAtMs;
        final CompiledRuleSet previous;
        CompiledRuleSet candidate;
        boolean rulesChanged;
        boolean paramsChanged;
        final List<String> errors = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        final Map<String, String> paramChanges = new TreeMap<>();
        long compileNanos;
        long swapNanos;
        int factsCarried;

        Attempt(String trigger, long requestedAtMs, CompiledRuleSet previous) {
            this.trigger = trigger;
            this.requestedAtMs = requestedAtMs;
            this.previous = previous;
        }
    }

    /** Stops watching and the worker; a pending request completes exceptionally. */
    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            if (watcher != null) {
                watcher.close();
            }
        }
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
