package io.aquatrade.execution;

/**
 * A guardrail that stopped trading in some way, for the report and the status page.
 *
 * @param kind   HALT_ENTRIES_TODAY, PAUSE_SYMBOL, KILL_REDUCING, KILL_HALTED, RESUME
 * @param symbol the symbol for PAUSE_SYMBOL, else null
 * @param source "rule" (a rule decided), "hard_cap" (Java enforced) or "operator"
 */
public record Halt(long timeMs, String kind, String symbol, String cause, String source, long untilMs) {
}
