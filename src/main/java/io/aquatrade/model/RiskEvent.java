package io.aquatrade.model;

/**
 * Rule intent: a guardrail decision. The execution side records it, applies it, and reports it as a
 * halt in the replay report and on the status page.
 *
 * @param symbol  the symbol concerned, or null for account-wide kinds
 * @param untilMs for PAUSE_SYMBOL: clock time the pause ends; otherwise 0
 */
public record RiskEvent(Kind kind, String symbol, String reason, long untilMs) {

    public enum Kind {
        /** No new entries until the next UTC day (daily-loss guardrail). */
        HALT_ENTRIES_TODAY,
        /** No new entries on one symbol until {@code untilMs} (circuit breaker, stale feed). */
        PAUSE_SYMBOL,
        /** Kill switch to REDUCING: exits only. */
        KILL_REDUCING,
        /** Kill switch to HALTED: no orders. */
        KILL_HALTED
    }

    public static RiskEvent haltEntriesToday(String reason) {
        return new RiskEvent(Kind.HALT_ENTRIES_TODAY, null, reason, 0);
    }

    public static RiskEvent pauseSymbol(String symbol, long untilMs, String reason) {
        return new RiskEvent(Kind.PAUSE_SYMBOL, symbol, reason, untilMs);
    }

    public Kind getKind() { return kind; }
    public String getSymbol() { return symbol; }
    public String getReason() { return reason; }
    public long getUntilMs() { return untilMs; }
}
