package io.aquatrade.rules;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code GET /api/rules} and the status page show about the rules: the active version and its files,
 * the parameters it runs with, the reload history in counts, the last attempt and the last error, and the
 * runaway rules and evaluation errors seen while trading. An immutable snapshot with plain values (times
 * as epoch ms and ISO text), safe to serialise to JSON from any thread.
 *
 * @param version                the active rule set, e.g. {@code v7-1a2b3c4d}
 * @param build                  its numeric build counter (the {@code aquatrade_rules_version} gauge)
 * @param contentHash            SHA-256 over the active files' names and contents
 * @param directory              the rules directory, absolute
 * @param loadedAt               ISO-8601 wall time the active version went live
 * @param loadedAtMs             the same, epoch ms
 * @param compileMillis          how long compiling and verifying the active version took
 * @param files                  the active files with their hashes
 * @param rules                  the active rule names, sorted
 * @param warnings               compiler warnings of the active version
 * @param params                 the {@code strategy.*} values the rules run with
 * @param limits                 the {@code risk.*} values the rules run with
 * @param configFile             the config file whose rule parameters are reloaded, or null
 * @param watching               files are being watched (else reloads happen only on request)
 * @param settleMs               how long writes must be quiet before a reload
 * @param firingLimit            rule firings allowed per evaluation
 * @param failing                the latest attempt failed: what is on disk is NOT what runs (see {@code lastError})
 * @param lastReload             the latest attempt, whatever its outcome, or null
 * @param lastError              the latest failed attempt, or null
 * @param reloads                attempts so far by outcome label ({@code success}, {@code compile_error}, ...)
 * @param firstDecisionAtMs      wall time the active version first decided, 0 = not yet
 * @param runawayEvaluations     evaluations cut at the firing limit (a looping rule) since start
 * @param lastRunaway            the latest such report (names the rules), or null
 * @param lastRunawayAtMs        pipeline clock time of it, 0 = never
 * @param evaluationErrors       errors reported by evaluations (a consequence that threw, a runaway) since start
 * @param lastEvaluationError    the latest one, or null
 * @param lastEvaluationErrorAtMs pipeline clock time of it, 0 = never
 */
public record RulesStatus(String version, long build, String contentHash, String directory, String loadedAt,
                          long loadedAtMs, long compileMillis, List<RuleFileStatus> files, List<String> rules,
                          List<String> warnings, Map<String, String> params, Map<String, String> limits,
                          String configFile, boolean watching, long settleMs, int firingLimit, boolean failing,
                          ReloadResult lastReload, ReloadResult lastError, Map<String, Long> reloads,
                          long firstDecisionAtMs, long runawayEvaluations, String lastRunaway, long lastRunawayAtMs,
                          long evaluationErrors, String lastEvaluationError, long lastEvaluationErrorAtMs) {

    public RulesStatus {
        files = List.copyOf(files);
        rules = List.copyOf(rules);
        warnings = List.copyOf(warnings);
        params = sorted(params);
        limits = sorted(limits);
        reloads = sorted(reloads);
    }

    private static <V> Map<String, V> sorted(Map<String, V> m) {
        return Collections.unmodifiableMap(new TreeMap<>(m));
    }
}
