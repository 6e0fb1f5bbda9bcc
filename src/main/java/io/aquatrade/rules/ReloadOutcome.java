package io.aquatrade.rules;

import java.util.Locale;

/** How a reload attempt ended; {@link #label()} is the {@code result} label of {@code aquatrade_rules_reload_total}. */
public enum ReloadOutcome {
    /** New rules and/or parameters are live. */
    SUCCESS,
    /** The files and the rules' parameters on disk are what is already running: nothing to do. */
    UNCHANGED,
    /** A rule file does not read or compile (syntax, unknown field, type, consequence); the running rules stay. */
    COMPILE_ERROR,
    /** The rule set compiled but failed verification (globals, duplicate names, a dry run: a loop, a throwing rule). */
    VERIFY_ERROR,
    /** The config file has a bad or unknown key; the running rules and parameters stay. */
    CONFIG_ERROR,
    /** A scenario in the rules' tests failed ({@code rules.reload_runs_tests}); the running rules stay. */
    TESTS_FAILED,
    /** Building the new session failed on the pipeline; the old session is untouched and keeps running. */
    SWAP_ERROR;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when the attempt left the bot on its old rules although something on disk changed. */
    public boolean isFailure() {
        return this != SUCCESS && this != UNCHANGED;
    }
}
