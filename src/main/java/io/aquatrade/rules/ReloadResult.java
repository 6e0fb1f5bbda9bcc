package io.aquatrade.rules;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of one reload attempt, for the log, {@code POST /api/rules/reload} and {@code GET /api/rules}.
 * Plain values only (times as epoch ms and ISO text), so it serialises to JSON as it is.
 *
 * @param outcome          how it ended
 * @param trigger          what asked for it: {@code "file change: rules/entries.drl"}, {@code "api"}, ...
 * @param requestedAt      ISO-8601 wall time of the request
 * @param requestedAtMs    the same, epoch ms
 * @param finishedAtMs     wall time it ended, epoch ms
 * @param previousVersion  the version running before
 * @param activeVersion    the version running after (the previous one unless {@code SUCCESS} with new files)
 * @param candidateVersion the version compiled for this attempt, or null when nothing was compiled (or it failed)
 * @param rulesChanged     the rule files differed from the running ones
 * @param paramsChanged    the config's {@code strategy.*}/{@code risk.*} values differed from the running ones
 * @param files            the files of the active rule set after the attempt, each with its SHA-256
 * @param errors           why it failed, each as {@code file:line: message} (rules) or naming the key (config)
 * @param warnings         compiler warnings and config changes that only take effect at restart
 * @param paramChanges     changed rule parameters, {@code key -> "old -> new"}
 * @param compileMillis    time spent compiling and verifying (0 when nothing was compiled)
 * @param swapPauseMicros  how long the swap held the pipeline (0 when there was no swap)
 * @param factsCarried     facts re-inserted into the new session
 */
public record ReloadResult(ReloadOutcome outcome, String trigger, String requestedAt, long requestedAtMs,
                           long finishedAtMs, String previousVersion, String activeVersion, String candidateVersion,
                           boolean rulesChanged, boolean paramsChanged, List<RuleFileStatus> files,
                           List<String> errors, List<String> warnings, Map<String, String> paramChanges,
                           long compileMillis, long swapPauseMicros, int factsCarried) {

    public ReloadResult {
        files = List.copyOf(files);
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
        paramChanges = Collections.unmodifiableMap(new TreeMap<>(paramChanges));
    }

    /** The {@code result} label of the reload counter. */
    public String result() {
        return outcome.label();
    }

    public boolean ok() {
        return !outcome.isFailure();
    }
}
