package io.aquatrade.rules;

/**
 * A rule evaluation ran past its deadline while rules were validated (compile dry run, scenarios, reload).
 * The message names the rule and where it is declared.
 */
public final class EvaluationTimeoutException extends RuntimeException {

    private final String rule;
    private final boolean abandoned;

    EvaluationTimeoutException(String message, String rule, boolean abandoned) {
        super(message);
        this.rule = rule;
        this.abandoned = abandoned;
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
