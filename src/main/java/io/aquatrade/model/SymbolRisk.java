package io.aquatrade.model;

/**
 * Rule fact: per-symbol risk state.
 *
 * @param consecutiveLosses closed round trips in a row that lost money
 * @param pausedUntilMs     end of the latest pause (circuit breaker, stale feed); kept after it passes, 0 = never paused;
 *                          entries are paused while it is after the clock
 * @param pauseReason       why it is paused, or null
 */
public record SymbolRisk(String symbol, int consecutiveLosses, long pausedUntilMs, String pauseReason) {

    public String getSymbol() { return symbol; }
    public int getConsecutiveLosses() { return consecutiveLosses; }
    public long getPausedUntilMs() { return pausedUntilMs; }
    public String getPauseReason() { return pauseReason; }
}
