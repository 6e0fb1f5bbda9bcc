package io.aquatrade.rules;

import org.kie.api.KieBase;
import org.kie.api.builder.ReleaseId;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable, verified, compiled rule set: what a {@link RuleEngine} runs. Built only by
 * {@link RuleSetCompiler}. The compiled knowledge base inside is shared read-only by the sessions
 * created from it, so one rule set may back several engines (e.g. a backtest next to a live session).
 */
public final class CompiledRuleSet {

    private final String version;
    private final long build;
    private final String contentHash;
    private final Path directory;
    private final List<RuleFile> files;
    private final Instant compiledAt;
    private final long compileMillis;
    private final List<String> ruleNames;
    private final List<String> warnings;
    private final Set<String> globals;
    private final KieBase kieBase;
    private final ReleaseId releaseId;
    private final Map<String, String> buildToDisplay;
    private final Map<String, String> ruleLocations;

    CompiledRuleSet(String version, long build, String contentHash, Path directory, List<RuleFile> files, Instant compiledAt,
                    long compileMillis, List<String> ruleNames, List<String> warnings, Set<String> globals,
                    KieBase kieBase, ReleaseId releaseId, Map<String, String> buildToDisplay,
                    Map<String, String> ruleLocations) {
        this.version = version;
        this.build = build;
        this.contentHash = contentHash;
        this.directory = directory;
        this.files = List.copyOf(files);
        this.compiledAt = compiledAt;
        this.compileMillis = compileMillis;
        this.ruleNames = List.copyOf(ruleNames);
        this.warnings = List.copyOf(warnings);
        this.globals = Set.copyOf(globals);
        this.kieBase = kieBase;
        this.releaseId = releaseId;
        this.buildToDisplay = Map.copyOf(buildToDisplay);
        this.ruleLocations = Map.copyOf(ruleLocations);
        this.visible = kieBase == null ? null : new RuleVisibleProperties(kieBase);
    }

    private final RuleVisibleProperties visible;

    /** What these rules can read of each fact class (shared by every session over this rule set). */
    RuleVisibleProperties visibleProperties() {
        return visible;
    }

    /** Where a rule is declared, {@code file:line} as the operator sees it (e.g. {@code rules/entries.drl:12}), or null. */
    public String location(String ruleName) {
        return ruleName == null ? null : ruleLocations.get(ruleName);
    }

    /** Unique within the process: build counter plus a short content hash, e.g. {@code v3-1a2b3c4d}. */
    public String version() { return version; }

    /**
     * The build counter of this process behind {@link #version()}: increases with every compile, so a
     * later load always has a higher number (exported as the {@code aquatrade_rules_version} gauge).
     */
    public long build() { return build; }

    /** Hex SHA-256 over every file's display path and bytes in file order: same files, same hash. */
    public String contentHash() { return contentHash; }

    /** The rules directory, absolute. */
    public Path directory() { return directory; }

    /** The compiled files in name order, each with its SHA-256. */
    public List<RuleFile> files() { return files; }

    /** Wall-clock time the compile finished. */
    public Instant compiledAt() { return compiledAt; }

    /** How long compiling and verifying took. */
    public long compileMillis() { return compileMillis; }

    /** Every rule's name, sorted. */
    public List<String> ruleNames() { return ruleNames; }

    /** Compiler warnings as {@code file:line: message}; they do not stop the rule set. */
    public List<String> warnings() { return warnings; }

    /** The globals the rules declare: a subset of {@code params} and {@code limits}. */
    public Set<String> globals() { return globals; }

    KieBase kieBase() { return kieBase; }

    /** Replaces the paths Drools uses for the files (their package folders) by the files' display paths. */
    String operatorPaths(String text) {
        String out = text;
        for (Map.Entry<String, String> e : buildToDisplay.entrySet()) {
            out = out.replace(e.getKey(), e.getValue());
        }
        return out;
    }

    /** The build's unique ReleaseId (already removed from the KieRepository). */
    ReleaseId releaseId() { return releaseId; }

    @Override
    public String toString() {
        return "CompiledRuleSet{" + version + ", " + files.size() + " files, " + ruleNames.size() + " rules, "
                + warnings.size() + " warnings, compiled " + compiledAt + " in " + compileMillis + " ms}";
    }
}
