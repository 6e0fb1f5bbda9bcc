package io.aquatrade.model;

import java.math.BigDecimal;

/**
 * Rule intent: move the protective stop of an open position (a trailing stop raises it). The
 * execution side only ever raises a long's stop; a lower value is ignored.
 */
public record StopUpdate(String symbol, BigDecimal stopPrice, String reason) {

    public StopUpdate {
        String problem = problem(symbol, stopPrice, reason);
        if (problem != null) {
            throw new IllegalArgumentException("invalid stop update" + (symbol == null ? "" : " for " + symbol) + ": "
                    + problem);
        }
    }

    /** What is wrong with these fields, or null; the hard caps check again against the market. */
    public static String problem(String symbol, BigDecimal stopPrice, String reason) {
        if (symbol == null || !Symbols.isExchangeSymbol(symbol)) {
            return "symbol " + (symbol == null ? "missing" : "'" + symbol + "' is not an exchange symbol");
        }
        if (stopPrice == null || stopPrice.signum() <= 0) {
            return "stopPrice must be positive, got " + (stopPrice == null ? "null" : stopPrice.toPlainString());
        }
        if (reason == null || reason.isBlank()) {
            return "reason missing";
        }
        return null;
    }

    public String problem() {
        return problem(symbol, stopPrice, reason);
    }

    public String getSymbol() { return symbol; }
    public BigDecimal getStopPrice() { return stopPrice; }
    public String getReason() { return reason; }
}
