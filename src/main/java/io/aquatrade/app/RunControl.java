package io.aquatrade.app;

import io.aquatrade.execution.KillSwitchControl;
import io.aquatrade.execution.KillSwitchRefusedException;
import io.aquatrade.execution.KillSwitchState;
import io.aquatrade.model.KillSwitchLevel;
import io.aquatrade.ops.ControlPort;
import io.aquatrade.ops.Notice;
import io.aquatrade.rules.ReloadResult;
import io.aquatrade.rules.RulesService;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The control API's view of one run: rules status and reloads through the {@link RulesService} (the
 * same path as the file watcher), the kill switch through the {@link KillSwitchControl} (persisted,
 * kill-file aware). Both hop onto the pipeline's context themselves; nothing here blocks.
 */
final class RunControl implements ControlPort {

    private final RulesService rules;
    private final KillSwitchControl killSwitch;
    private final Executor pipeline;
    private final Runnable publishStatus;

    RunControl(RulesService rules, KillSwitchControl killSwitch, Executor pipeline, Runnable publishStatus,
               Consumer<Notice> notices) {
        this.rules = rules;
        this.killSwitch = killSwitch;
        this.pipeline = pipeline;
        this.publishStatus = publishStatus;
        rules.addResultListener(r -> {
            if (r.outcome().isFailure()) {
                String first = r.errors().isEmpty() ? r.outcome().name() : r.errors().get(0);
                notices.accept(new Notice("rules_reload_failed", "warning", "Rule reload rejected ("
                        + result(r) + "); " + r.activeVersion() + " stays active. " + first
                        + (r.errors().size() > 1 ? " (+" + (r.errors().size() - 1) + " more)" : ""),
                        Map.of("result", result(r), "active_version", r.activeVersion(), "errors", r.errors())));
            }
        });
    }

    private static String result(ReloadResult r) {
        return r.outcome().name().toLowerCase(Locale.ROOT);
    }

    /** GET /api/rules: the summary the status page shows, plus everything the rules service knows. */
    @Override
    public Object rulesDetail() {
        ControlPort.RulesStatus sum = rulesStatus();
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("version", sum.version());
        m.put("directory", sum.directory());
        m.put("files", sum.files());
        m.put("ruleCount", sum.ruleCount());
        m.put("compiledAtMs", sum.compiledAtMs());
        m.put("lastReloadAtMs", sum.lastReloadAtMs());
        m.put("lastReloadResult", sum.lastReloadResult());
        m.put("lastReloadError", sum.lastReloadError());
        m.put("detail", rules.status());
        return m;
    }

    @Override
    public ControlPort.RulesStatus rulesStatus() {
        io.aquatrade.rules.RulesStatus s = rules.status();
        ReloadResult last = s.lastReload();
        ReloadResult error = s.failing() ? s.lastError() : null;
        return new ControlPort.RulesStatus(s.version(), s.directory(),
                s.files().stream().map(f -> new RuleFileRow(f.path(), f.sha256())).toList(), s.rules().size(),
                s.loadedAtMs(), last == null ? 0 : last.finishedAtMs(), last == null ? null : result(last),
                error == null ? null : String.join("\n", error.errors()));
    }

    @Override
    public CompletionStage<ReloadOutcome> requestRulesReload() {
        return rules.requestReload("api").thenApply(r -> new ReloadOutcome(result(r), r.previousVersion(),
                r.activeVersion(), r.errors())).thenCompose(this::afterStatus);
    }

    @Override
    public CompletionStage<KillSwitchLevel> kill(KillSwitchLevel level, String cause) {
        if (level == KillSwitchLevel.ACTIVE) {
            throw new IllegalArgumentException("kill to ACTIVE: use resume");
        }
        return refusalsNamed(killSwitch.kill(level, cause, "operator")).thenApply(this::statusLater);
    }

    @Override
    public CompletionStage<KillSwitchLevel> resume(String cause) {
        return refusalsNamed(killSwitch.resume(cause, "operator")).thenApply(this::statusLater);
    }

    private static CompletableFuture<KillSwitchLevel> refusalsNamed(CompletableFuture<KillSwitchState> f) {
        return f.handle((state, err) -> {
            Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (t instanceof KillSwitchRefusedException) {
                throw new Refused(t.getMessage());
            }
            if (t != null) {
                throw new CompletionException(t);
            }
            return state.level();
        });
    }

    /**
     * The kill switch answers without the pipeline thread (it may be stuck): the status page catches up
     * when the pipeline runs again.
     */
    private <T> T statusLater(T value) {
        try {
            pipeline.execute(publishStatus);
        } catch (RuntimeException e) {
            // the pipeline is gone: nothing to publish to
        }
        return value;
    }

    /** Answers once the published status shows the change (the status is built on the pipeline's thread). */
    private <T> CompletionStage<T> afterStatus(T value) {
        CompletableFuture<T> done = new CompletableFuture<>();
        pipeline.execute(() -> {
            try {
                publishStatus.run();
            } finally {
                done.complete(value);
            }
        });
        return done;
    }

    List<ReloadResult> history() {
        return rules.history();
    }
}
