package io.aquatrade.app;

import io.aquatrade.execution.ExecutionService;
import io.aquatrade.model.KillSwitchLevel;
import io.aquatrade.ops.ControlPort;
import io.aquatrade.ops.Notice;
import io.aquatrade.rules.CompiledRuleSet;
import io.aquatrade.rules.RuleCompileException;
import io.aquatrade.rules.RuleEngine;
import io.aquatrade.rules.RuleSetCompiler;
import io.aquatrade.rules.SwapResult;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The control API's view of one run, over what exists today: the kill switch of the
 * {@link ExecutionService} and the {@link RuleEngine}'s rule set, each changed on the pipeline's
 * context (the only thread that may touch them). A reload compiles the rules directory on a worker
 * thread and swaps the result in between two events. (The rules service of issue 3 will take over
 * reloads and kill-switch persistence; this class is then re-pointed at it.)
 */
final class RunControl implements ControlPort {

    private static final Logger log = LoggerFactory.getLogger(RunControl.class);

    private final Vertx vertx;
    private final Executor pipeline;
    private final ExecutionService execution;
    private final RuleEngine rules;
    private final Path rulesDir;
    private final Runnable publishStatus;
    private final Consumer<Notice> notices;
    private volatile CompiledRuleSet active;
    private volatile long lastReloadAtMs;
    private volatile String lastReloadResult;
    private volatile String lastReloadError;
    private CompletableFuture<ReloadOutcome> reloading; // guarded by this

    RunControl(Vertx vertx, Executor pipeline, ExecutionService execution, RuleEngine rules, Runnable publishStatus,
               Consumer<Notice> notices) {
        this.vertx = vertx;
        this.pipeline = pipeline;
        this.execution = execution;
        this.rules = rules;
        this.active = rules.ruleSet();
        this.rulesDir = active.directory();
        this.publishStatus = publishStatus;
        this.notices = notices;
    }

    @Override
    public RulesStatus rulesStatus() {
        CompiledRuleSet r = active;
        List<RuleFileRow> files = new ArrayList<>();
        r.files().forEach(f -> files.add(new RuleFileRow(f.displayPath(), f.sha256())));
        return new RulesStatus(r.version(), String.valueOf(r.directory()), files, r.ruleNames().size(),
                r.compiledAt().toEpochMilli(), lastReloadAtMs, lastReloadResult, lastReloadError);
    }

    @Override
    public CompletionStage<KillSwitchLevel> kill(KillSwitchLevel level, String cause) {
        if (level == KillSwitchLevel.ACTIVE) {
            throw new IllegalArgumentException("kill to ACTIVE: use resume");
        }
        return setLevel(level, cause);
    }

    @Override
    public CompletionStage<KillSwitchLevel> resume(String cause) {
        return setLevel(KillSwitchLevel.ACTIVE, cause);
    }

    private CompletionStage<KillSwitchLevel> setLevel(KillSwitchLevel level, String cause) {
        CompletableFuture<KillSwitchLevel> done = new CompletableFuture<>();
        pipeline.execute(() -> {
            try {
                execution.setKillSwitch(level, cause, "operator");
                publishStatus.run();
                done.complete(execution.killSwitch());
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    @Override
    public synchronized CompletionStage<ReloadOutcome> requestRulesReload() {
        if (reloading != null && !reloading.isDone()) {
            return reloading; // one compile at a time: a second request shares the one under way
        }
        CompletableFuture<ReloadOutcome> done = new CompletableFuture<>();
        reloading = done;
        vertx.executeBlocking(() -> new RuleSetCompiler().compile(rulesDir), false).onComplete(ar -> {
            if (ar.failed()) {
                finish(done, failure(ar.cause()));
                return;
            }
            CompiledRuleSet next = ar.result();
            pipeline.execute(() -> {
                String old = rules.version();
                try {
                    if (next.contentHash().equals(rules.ruleSet().contentHash())) {
                        finish(done, new ReloadOutcome("unchanged", old, old, List.of()));
                        return;
                    }
                    SwapResult r = rules.swap(next);
                    active = next;
                    log.info("rules reloaded: {} -> {} ({} facts carried, paused {} ms); files {}", r.oldVersion(),
                            r.newVersion(), r.factsCarried(), r.pauseNanos() / 1_000_000, rulesStatus().files());
                    finish(done, new ReloadOutcome("success", old, r.newVersion(), List.of()));
                } catch (RuntimeException e) {
                    finish(done, failure(e));
                }
            });
        });
        return done;
    }

    private ReloadOutcome failure(Throwable t) {
        String old = active.version();
        if (t instanceof RuleCompileException rce) {
            // the dry run over sample facts is the verification step; anything else failed to compile
            boolean verify = rce.errors().stream().anyMatch(e -> e.contains("dry run"));
            return new ReloadOutcome(verify ? "verify_error" : "compile_error", old, old, rce.errors());
        }
        return new ReloadOutcome("compile_error", old, old, List.of(String.valueOf(t.getMessage())));
    }

    private void finish(CompletableFuture<ReloadOutcome> done, ReloadOutcome outcome) {
        lastReloadAtMs = System.currentTimeMillis();
        lastReloadResult = outcome.result();
        if (outcome.succeeded()) {
            lastReloadError = null;
        } else {
            lastReloadError = String.join("\n", outcome.errors());
            log.error("rules reload rejected ({}), {} stays active:\n  {}", outcome.result(), outcome.version(),
                    String.join("\n  ", outcome.errors()));
            String first = outcome.errors().isEmpty() ? outcome.result() : outcome.errors().get(0);
            notices.accept(new Notice("rules_reload_failed", "warning", "Rule reload rejected (" + outcome.result()
                    + "); " + outcome.version() + " stays active. " + first
                    + (outcome.errors().size() > 1 ? " (+" + (outcome.errors().size() - 1) + " more)" : ""),
                    Map.of("result", outcome.result(), "active_version", outcome.version(),
                            "errors", outcome.errors())));
        }
        // answer once the status shows the outcome (the status is built on the pipeline's thread)
        pipeline.execute(() -> {
            try {
                publishStatus.run();
            } finally {
                done.complete(outcome);
            }
        });
    }
}
