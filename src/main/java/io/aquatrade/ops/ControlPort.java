package io.aquatrade.ops;

import io.aquatrade.model.KillSwitchLevel;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What the control API asks of the running bot. The app implements it (today over the pipeline,
 * the rule engine and the execution service; later over the rules service), so ops depends on no
 * trading component. Every method may be called from any thread and must not block: each answers
 * once the change has been applied on the trading thread.
 */
public interface ControlPort {

    /** The active rule set and the outcome of the latest reload. */
    RulesStatus rulesStatus();

    /**
     * Everything known about the rules for {@code GET /api/rules} (active version, files and hashes,
     * load time, parameters, reload history, last error with file:line messages); serialised as JSON.
     * Defaults to the summary.
     */
    default Object rulesDetail() {
        return rulesStatus();
    }

    /** Recompiles the rules directory and swaps the result in if it compiles and verifies. */
    CompletionStage<ReloadOutcome> requestRulesReload();

    /** Sets the kill switch to REDUCING (exits only) or HALTED (no orders). */
    CompletionStage<KillSwitchLevel> kill(KillSwitchLevel level, String cause);

    /** Returns the kill switch to ACTIVE. */
    CompletionStage<KillSwitchLevel> resume(String cause);

    /**
     * The active rule set and the latest reload attempt.
     *
     * @param version          version of the active rule set (e.g. {@code r1-3f2a9c})
     * @param directory        the rules directory as the operator sees it
     * @param files            file name and sha256 of each active file
     * @param ruleCount        number of rules in the active set
     * @param compiledAtMs     when the active set was compiled (wall clock, epoch ms)
     * @param lastReloadAtMs   when the latest reload was attempted (0: never)
     * @param lastReloadResult success | compile_error | verify_error | unchanged, or null
     * @param lastReloadError  the latest failed reload's errors ({@code file:line: message}), null when the latest succeeded
     */
    record RulesStatus(String version, String directory, List<RuleFileRow> files, int ruleCount, long compiledAtMs,
                       long lastReloadAtMs, String lastReloadResult, String lastReloadError) {
    }

    record RuleFileRow(String file, String sha256) {
    }

    /**
     * One reload attempt.
     *
     * @param result     success | compile_error | verify_error | unchanged
     * @param oldVersion the version active before
     * @param version    the version active after
     * @param errors     what was wrong ({@code file:line: message}); empty on success
     */
    record ReloadOutcome(String result, String oldVersion, String version, List<String> errors) {
        public boolean succeeded() {
            return "success".equals(result) || "unchanged".equals(result);
        }
    }

    /** The request is understood but refused in the current state (e.g. resume while the kill file exists): 409. */
    final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }
}
