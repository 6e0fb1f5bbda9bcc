package io.aquatrade.rules;

import org.kie.api.runtime.KieSession;

/**
 * What one engine's rule evaluation is doing now, readable from any thread: since when it runs, which
 * rule fired last, on which thread and session. The pipeline thread writes it around every
 * {@link RuleEngine#fire()}; a watchdog or a validation deadline reads it, so a consequence that never
 * returns is seen without needing the thread it holds.
 */
public final class EvaluationWatch {

    private volatile long startedNanos;   // 0: no evaluation running
    private volatile long evaluation;
    private volatile String rule;
    private volatile KieSession session;
    private volatile CompiledRuleSet ruleSet;
    private volatile Thread thread;

    void begin(KieSession session, CompiledRuleSet ruleSet, long evaluation) {
        this.session = session;
        this.ruleSet = ruleSet;
        this.evaluation = evaluation;
        this.rule = null;
        this.thread = Thread.currentThread();
        long now = System.nanoTime();
        this.startedNanos = now == 0 ? 1 : now;
    }

    void firing(String ruleName) {
        this.rule = ruleName;
    }

    void end() {
        this.startedNanos = 0;
    }

    /** How long the running evaluation has run at {@code nowNanos}; -1 when none runs. */
    public long runningNanos(long nowNanos) {
        long s = startedNanos;
        return s == 0 ? -1 : nowNanos - s;
    }

    /** The number of the running (or last) evaluation, as counted by its engine. */
    public long evaluation() {
        return evaluation;
    }

    /** The rule whose consequence ran last in the running evaluation (null: none fired yet). */
    public String rule() {
        return rule;
    }

    /** Where the rule that fired last is declared, {@code file:line}, or null when unknown. */
    public String location() {
        String r = rule;
        CompiledRuleSet set = ruleSet;
        return r == null || set == null ? null : set.location(r);
    }

    /** The rule that fired last with where it is declared, for messages. */
    public String describeRule() {
        String r = rule;
        if (r == null) {
            return "no rule had fired yet (a condition is being evaluated)";
        }
        String at = location();
        return "rule \"" + r + "\"" + (at == null ? "" : " (" + at + ")");
    }

    /** The thread running the evaluation (the last one that did). */
    public Thread thread() {
        return thread;
    }

    /**
     * Asks the running evaluation to stop, from another thread: the session stops firing once the running
     * consequence returns. A consequence that never returns is not stopped by this.
     */
    public void halt() {
        KieSession s = session;
        if (s != null && startedNanos != 0) {
            try {
                s.halt();
            } catch (RuntimeException ignored) {
                // the session was disposed meanwhile: nothing left to stop
            }
        }
    }
}
