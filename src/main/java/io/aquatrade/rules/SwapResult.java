package io.aquatrade.rules;

/**
 * The outcome of replacing an engine's rule set (or its params) between two evaluations.
 *
 * @param oldVersion   the rule set version that was running
 * @param newVersion   the rule set version running now
 * @param factsCarried how many facts were re-inserted into the new session
 * @param pauseNanos   how long the swap held the caller (new session built, facts re-inserted, old one disposed)
 */
public record SwapResult(String oldVersion, String newVersion, int factsCarried, long pauseNanos) {
}
