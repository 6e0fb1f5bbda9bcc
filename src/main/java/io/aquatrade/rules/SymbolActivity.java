package io.aquatrade.rules;

import java.util.Objects;

/**
 * Rule fact: when the bot last traded a symbol, which the re-entry cooldown and the circuit breaker
 * need and neither {@code SymbolRisk} nor {@code Position} carries. The pipeline derives it from the
 * portfolio's fills and its own in-flight orders.
 *
 * @param lastEntryTimeMs clock time of the last entry fill, 0 = never
 * @param lastExitTimeMs  clock time of the fill that last closed a position, 0 = never
 * @param entryPending    a BUY for the symbol is in flight (sent, not yet filled or rejected); rules must not ask again
 */
public record SymbolActivity(String symbol, long lastEntryTimeMs, long lastExitTimeMs, boolean entryPending) {

    public SymbolActivity {
        Objects.requireNonNull(symbol, "symbol");
    }

    /** A symbol the bot has not traded (yet). */
    public static SymbolActivity none(String symbol) {
        return new SymbolActivity(symbol, 0, 0, false);
    }

    /** The same activity with a new last exit time (a position just closed). */
    public SymbolActivity withExit(long exitTimeMs) {
        return new SymbolActivity(symbol, lastEntryTimeMs, exitTimeMs, entryPending);
    }

    public String getSymbol() { return symbol; }
    public long getLastEntryTimeMs() { return lastEntryTimeMs; }
    public long getLastExitTimeMs() { return lastExitTimeMs; }
    public boolean isEntryPending() { return entryPending; }
}
