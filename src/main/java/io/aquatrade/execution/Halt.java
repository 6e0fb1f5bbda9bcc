package io.aquatrade.execution;

/**
 * A guardrail that stopped trading in some way, for the report and the status page.
 *
 * @param kind   HALT_ENTRIES_TODAY, PAUSE_SYMBOL, KILL_REDUCING, KILL_HALTED, RESUME, PAUSE_FEED/RESUME_FEED,
 *               PAUSE_JOURNAL/RESUME_JOURNAL (entries pause while a fill is not journaled)
 * @param symbol the symbol for PAUSE_SYMBOL and PAUSE_FEED, else null
 * @param source "rule" (a rule decided), "hard_cap" (Java enforced), "operator", "sanity band" or "journal"
 */
public record Halt(long timeMs, String kind, String symbol, String cause, String source, long untilMs) {
}
