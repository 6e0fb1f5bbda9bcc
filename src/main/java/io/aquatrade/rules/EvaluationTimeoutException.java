package io.aquatrade.rules;

/**
 * A rule evaluation ran past its deadline while rules were validated (compile dry run, scenarios, reload).
 * The message names the rule and where it is declared.
 */
public final class EvaluationTimeoutException extends RuntimeException {

    private final String rule;
    private final boolean abandoned;
    private final StackTraceElement[] stuckAt;

    EvaluationTimeoutException(String message, String rule, boolean abandoned, StackTraceElement[] stuckAt) {
        super(message);
        this.rule = rule;
        this.abandoned = abandoned;
        this.stuckAt = stuckAt == null ? new StackTraceElement[0] : stuckAt.clone();
    }

    /** The stuck thread's stack when the deadline passed (to place a stuck condition's function in its file). */
    StackTraceElement[] stuckAt() {
        return stuckAt.clone();
    }

    /** The rule that fired last (the one stuck), or null when none had fired. */
    public String rule() {
        return rule;
    }

    /** True when the stuck thread could not be stopped and was left running (a daemon). */
    public boolean abandoned() {
        return abandoned;
    }
}
